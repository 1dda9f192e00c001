import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterError,
  ClusterErrorType,
  ObjectKind,
} from '@gitops-promotion/backstage-plugin-common';
import {
  ALL_KINDS,
  ClusterData,
  KindInfo,
  KINDS,
  ObjectIndex,
} from '@gitops-promotion/backstage-plugin-common/server';
import { ClusterRequestError, ClusterSource } from '../clusters/types';
import { WatchOptions } from '../config/watchOptions';
import { Backoff, sleep } from './backoff';
import { KindWatcher } from './KindWatcher';
import pLimit from 'p-limit';

/**
 * List requests in flight per cluster. Each holds up to a page of objects
 * in native memory while it arrives; a cold start of many clusters at once
 * would otherwise hold hundreds, and freed memory stays in the process.
 */
const LIST_CONCURRENCY = 2;

const GROUPS = [...new Set(Object.values(KINDS).map(k => k.group))];

/** Errors that hit every kind alike, reported once for the cluster. */
const CLUSTER_WIDE: ClusterErrorType[] = [
  'UNREACHABLE',
  'UNAUTHORIZED',
  'TIMEOUT',
];

/**
 * Told when what a cluster's cache serves changed: objects in `namespace`,
 * or anything in the cluster (a relist, an error appearing or clearing).
 */
export type ChangeListener = (cluster: string, namespace?: string) => void;

/**
 * The cache of one cluster: discovers which Flux/KuboCD kinds and versions
 * it serves, keeps a KindWatcher per served kind, and reports per-kind and
 * cluster-wide errors with the age of the last good data. Kinds that are
 * not installed are looked for again at the discovery interval, never in a
 * loop.
 */
export class ClusterCache implements ClusterData {
  readonly store = new ObjectIndex();
  private readonly watchers = new Map<
    ObjectKind,
    { watcher: KindWatcher; version: string }
  >();
  private readonly discoveryIssues = new Map<ObjectKind, ClusterError>();
  private readonly watchErrors = new Map<ObjectKind, ClusterError>();
  private readonly lastSynced = new Map<ObjectKind, string>();
  private discoveryError?: ClusterError;
  /** Set while the cluster does not answer its probe (a hung API server). */
  private silenceError?: ClusterError;
  /** When something last came from the cluster (monotonic ms). */
  private lastHeard = performance.now();
  private wakeProbe?: () => void;
  private readonly abort = new AbortController();
  private readonly backoff: Backoff;
  private readonly probeBackoff: Backoff;
  private readonly lists = pLimit(LIST_CONCURRENCY);
  private wakeDiscovery?: () => void;
  private running?: Promise<void>;
  private readonly settled = new Set<ObjectKind>();
  private settleWaiters: Array<() => void> = [];
  private discoveredOnce = false;
  private reportedErrors = '[]';

  constructor(
    readonly source: ClusterSource,
    private readonly options: WatchOptions,
    private readonly logger: LoggerService,
    private readonly onChange: ChangeListener = () => {},
  ) {
    this.backoff = new Backoff(options.initialBackoffMs, options.maxBackoffMs);
    this.probeBackoff = new Backoff(
      options.initialBackoffMs,
      options.maxBackoffMs,
    );
  }

  get name(): string {
    return this.source.name;
  }

  start(): void {
    this.running ??= Promise.all([this.discoveryLoop(), this.probeLoop()]).then(
      () => {},
    );
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.wakeDiscovery?.();
    this.wakeProbe?.();
    // Before waiting: a list in flight on a hanging cluster would hold stop() for a request timeout.
    this.source.close?.();
    await this.running;
    await Promise.all([...this.watchers.values()].map(w => w.watcher.stop()));
    this.watchers.clear();
  }

  hasData(kind: ObjectKind): boolean {
    return this.lastSynced.has(kind);
  }

  /** Resolves once discovery ran and every served kind synced or failed at least once. */
  whenSettled(): Promise<void> {
    if (this.isSettled()) return Promise.resolve();
    return new Promise(resolve => this.settleWaiters.push(resolve));
  }

  private isSettled(): boolean {
    if (this.discoveryError) return true;
    return (
      this.discoveredOnce &&
      [...this.watchers.keys()].every(k => this.settled.has(k))
    );
  }

  private checkSettled() {
    if (this.isSettled()) {
      const waiters = this.settleWaiters;
      this.settleWaiters = [];
      waiters.forEach(w => w());
    }
  }

  get errors(): ClusterError[] {
    if (this.discoveryError) {
      return [{ ...this.discoveryError, lastSyncedAt: this.oldestSync() }];
    }
    if (this.silenceError) {
      // Every kind at once: the watches of a hung server fail one by one,
      // minutes apart, if at all.
      return [
        { ...this.silenceError, lastSyncedAt: this.oldestSync() },
        ...this.discoveryIssues.values(),
      ];
    }
    const watchErrors = [...this.watchErrors.values()];
    const first = watchErrors[0];
    const everyKindDown =
      first &&
      CLUSTER_WIDE.includes(first.type) &&
      watchErrors.length === this.watchers.size &&
      watchErrors.every(e => e.type === first.type);
    const collapsed: ClusterError[] = everyKindDown
      ? [
          {
            cluster: this.name,
            type: first.type,
            message: first.message,
            since: watchErrors.map(e => e.since).sort()[0],
            lastSyncedAt: this.oldestSync(),
          },
        ]
      : watchErrors;
    return [...collapsed, ...this.discoveryIssues.values()];
  }

  private oldestSync(): string | undefined {
    return [...this.lastSynced.values()].sort()[0];
  }

  private error(
    type: ClusterErrorType,
    message: string,
    kind?: ObjectKind,
    previous?: ClusterError,
  ): ClusterError {
    return {
      cluster: this.name,
      type,
      ...(kind ? { kind } : {}),
      message,
      since:
        previous?.type === type ? previous.since : new Date().toISOString(),
      ...(kind && this.lastSynced.has(kind)
        ? { lastSyncedAt: this.lastSynced.get(kind) }
        : {}),
    };
  }

  /** Something came from the cluster: it is not hung. */
  private heard() {
    this.lastHeard = performance.now();
    if (this.silenceError) this.answersAgain();
  }

  private answersAgain() {
    this.logger.info(`Cluster ${this.name} answers again`);
    this.endSilence();
  }

  private endSilence() {
    this.silenceError = undefined;
    // Connections that outlived the outage may be dead (a partition drops
    // packets without a reset): each watch resumes from where it was.
    this.watchers.forEach(w => w.watcher.rewatch());
    this.reportErrors();
  }

  /**
   * Notices an API server that accepts connections and answers nothing (a
   * hung or frozen process, a black-holed path), which no watch reports
   * for minutes: after idleProbeMs without anything from the cluster, a GET
   * /version must answer within the request timeout. Until one does, the
   * cluster is reported TIMEOUT for every kind, and a probe is kept in
   * flight, so the first answer after the outage clears it at once.
   */
  private async probeLoop(): Promise<void> {
    const signal = this.abort.signal;
    const { idleProbeMs } = this.options;
    while (!signal.aborted) {
      const idle = performance.now() - this.lastHeard;
      if (
        !this.silenceError &&
        (idle < idleProbeMs || this.watchers.size === 0)
      ) {
        await new Promise<void>(resolve => {
          this.wakeProbe = resolve;
          sleep(Math.max(idleProbeMs - idle, 100), signal).then(resolve);
        });
        continue;
      }
      const started = performance.now();
      try {
        await this.source.probe();
        this.probeBackoff.reset();
        if (!signal.aborted) this.heard();
      } catch (e) {
        if (signal.aborted) break;
        // Only silence is this loop's business: a refused or reset
        // connection fails the watches and lists, which report it. And
        // anything heard while the probe waited proves the server alive.
        // A gateway's 5xx (a proxy whose API server is down) is no
        // answer from the API server either, and keeps silent watches open.
        const gateway =
          e instanceof ClusterRequestError && (e.statusCode ?? 0) >= 500;
        const noAnswer =
          e instanceof ClusterRequestError && (e.type === 'TIMEOUT' || gateway);
        if (noAnswer && !this.silenceError && this.lastHeard < started) {
          this.reportSilence(e, gateway);
        }
        // Silent no more, but failing (a hung server killed: now refused):
        // the watches, resumed, report that, which says what to check.
        if (this.silenceError && !noAnswer) {
          this.endSilence();
        }
        // One that got no answer in time is repeated at once (one probe in
        // flight, so the first answer after an outage is seen); one
        // answered (refused, or a gateway's 504 that may come back at
        // once) is not repeated in a loop.
        const unanswered =
          e instanceof ClusterRequestError &&
          e.type === 'TIMEOUT' &&
          e.statusCode === undefined;
        await sleep(
          unanswered
            ? 0
            : Math.max(
                this.probeBackoff.next(),
                1000 - (performance.now() - started),
              ),
          signal,
        );
      }
    }
  }

  private reportSilence(probeError: ClusterRequestError, gateway: boolean) {
    const silentFor = Math.round((performance.now() - this.lastHeard) / 1000);
    this.silenceError = this.error(
      'TIMEOUT',
      `Cluster ${
        this.name
      } does not answer: nothing came from it for ${silentFor} s, and GET /version ${
        gateway
          ? `was answered ${probeError.statusCode} by what stands in front of the API server`
          : `got no answer within ${this.options.requestTimeoutMs / 1000} s`
      }. Its data is shown as it was.`,
    );
    this.logFailure(
      new ClusterRequestError(
        'TIMEOUT',
        this.silenceError.message,
        undefined,
        probeError.detail,
      ),
    );
    this.reportErrors();
  }

  private async discoveryLoop(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      let delay = this.options.discoveryIntervalMs;
      try {
        const served = await this.source.discover(GROUPS);
        if (signal.aborted) break; // stop() came during discovery: start nothing
        this.heard();
        if (this.discoveryError) {
          this.logger.info(`Cluster ${this.name} is reachable again`);
        }
        this.discoveryError = undefined;
        this.backoff.reset();
        this.applyDiscovery(served);
      } catch (e) {
        const err =
          e instanceof ClusterRequestError
            ? e
            : new ClusterRequestError(
                'UNREACHABLE',
                `Cluster ${this.name}: discovery failed; the backend's log has the cause.`,
                undefined,
                String(e),
              );
        const type =
          err.type === 'GONE' || err.type === 'NOT_FOUND'
            ? 'UNREACHABLE'
            : err.type;
        if (this.discoveryError?.type !== type) this.logFailure(err);
        this.discoveryError = this.error(
          type,
          err.message,
          undefined,
          this.discoveryError,
        );
        delay = this.backoff.next();
      }
      this.discoveredOnce = true;
      this.checkSettled();
      this.reportErrors();
      await new Promise<void>(resolve => {
        this.wakeDiscovery = resolve;
        sleep(delay, signal).then(resolve);
      });
    }
  }

  private applyDiscovery(served: Map<string, Map<string, Set<string>>>) {
    for (const kind of ALL_KINDS) {
      const info = KINDS[kind];
      const versions = served.get(info.group);
      const readable = info.versions.filter(v =>
        versions?.get(v)?.has(info.plural),
      );
      const previous = this.discoveryIssues.get(kind);
      if (readable.length === 0) {
        const otherVersions = [...(versions?.entries() ?? [])]
          .filter(([, plurals]) => plurals.has(info.plural))
          .map(([v]) => v);
        // A kind only newer Flux versions install: its absence is no error,
        // and what was read of it before it went is gone with it (its
        // DELETED events may have been missed while the CRD was removed).
        if (info.optional && otherVersions.length === 0) {
          this.discoveryIssues.delete(kind);
          this.stopWatcher(kind);
          if (this.lastSynced.delete(kind)) {
            this.store.replaceKind(kind, []);
            this.onChange(this.name);
          }
          continue;
        }
        const issue = otherVersions.length
          ? this.error(
              'VERSION_NOT_SERVED',
              `${info.kind} is served at ${otherVersions.join(
                ', ',
              )} on cluster ${
                this.name
              }, none of which this plugin reads (${info.versions.join(
                ', ',
              )}).`,
              kind,
              previous,
            )
          : this.error(
              'NOT_INSTALLED',
              this.notInstalled(info),
              kind,
              previous,
            );
        this.discoveryIssues.set(kind, issue);
        this.stopWatcher(kind);
        continue;
      }
      const version = readable[0];
      if (version !== info.versions[0]) {
        this.discoveryIssues.set(kind, {
          ...this.error(
            'VERSION_NOT_SERVED',
            `${info.group}/${info.versions[0]} is not served on cluster ${this.name} (Flux older than 2.3?); reading ${info.kind} at ${version} instead.`,
            kind,
            previous,
          ),
          degraded: true,
        });
      } else {
        this.discoveryIssues.delete(kind);
      }
      this.ensureWatcher(info, version);
    }
  }

  private ensureWatcher(info: KindInfo, version: string) {
    const current = this.watchers.get(info.kind);
    if (current?.version === version) return;
    this.stopWatcher(info.kind);
    const watcher = new KindWatcher(
      this.source,
      info,
      version,
      this.store,
      this.options,
      this.lists,
      {
        heard: () => this.heard(),
        synced: (kind, watchError) => {
          this.lastSynced.set(kind.kind, new Date().toISOString());
          if (watchError) {
            this.watchFailed(kind, watchError);
            return;
          }
          if (this.watchErrors.delete(kind.kind)) {
            this.logger.info(
              `Cluster ${this.name}: ${kind.plural} synced again`,
            );
          }
          this.settled.add(kind.kind);
          this.checkSettled();
          this.reportErrors();
        },
        failed: (kind, error) => this.watchFailed(kind, error),
        changed: (_kind, namespace) => this.onChange(this.name, namespace),
        skipped: (kind, object, error) =>
          this.logger.warn(
            `Cluster ${this.name}: ${
              object ? `${kind.kind} ${object}` : `a ${kind.kind}`
            } is left out of the cache, views do not show it: ${
              error.message
            }. Correct the object in the cluster.`,
          ),
      },
    );
    this.watchers.set(info.kind, { watcher, version });
    watcher.start();
  }

  private stopWatcher(kind: ObjectKind) {
    const current = this.watchers.get(kind);
    if (!current) return;
    this.watchers.delete(kind);
    this.watchErrors.delete(kind);
    current.watcher.stop().catch(() => {});
  }

  private watchFailed(kind: KindInfo, error: ClusterRequestError) {
    const previous = this.watchErrors.get(kind.kind);
    if (error.type === 'NOT_FOUND') {
      // The CRD went away after discovery: stop; the next discovery looks again.
      this.stopWatcher(kind.kind);
      this.discoveryIssues.set(
        kind.kind,
        this.error(
          'NOT_INSTALLED',
          this.notInstalled(kind),
          kind.kind,
          this.discoveryIssues.get(kind.kind),
        ),
      );
      this.settled.add(kind.kind);
      this.checkSettled();
      this.reportErrors();
      return;
    }
    const type = error.type === 'GONE' ? 'UNREACHABLE' : error.type;
    if (previous?.type !== type) this.logFailure(error);
    this.watchErrors.set(
      kind.kind,
      this.error(type, error.message, kind.kind, previous),
    );
    this.settled.add(kind.kind);
    this.checkSettled();
    this.reportErrors();
  }

  private notInstalled(info: KindInfo): string {
    return `${info.kind} (${info.plural}.${
      info.group
    }) is not installed on cluster ${this.name}: install its CRD (Flux${
      info.kind === 'Release' ? ', KuboCD' : ''
    }) or remove the cluster from gitopsPromotion.environments.`;
  }

  /** The typed message, with what the server said (views never get it). */
  private logFailure(error: ClusterRequestError) {
    // Most messages name the cluster already.
    const named = error.message.startsWith(`Cluster ${this.name} `);
    this.logger.warn(
      named ? error.message : `Cluster ${this.name}: ${error.message}`,
      error.detail ? { detail: error.detail } : undefined,
    );
  }

  /** Tells the listener when the errors a view shows changed, not on every retry. */
  private reportErrors() {
    const errors = JSON.stringify(this.errors);
    if (errors === this.reportedErrors) return;
    this.reportedErrors = errors;
    this.onChange(this.name);
  }
}
