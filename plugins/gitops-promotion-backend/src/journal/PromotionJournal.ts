import { setImmediate as nextTurn } from 'node:timers/promises';
import { toError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  boundingNamespaces,
  clusterCell,
  ClusterData,
  EnvironmentConfig,
  ObjectLookup,
  staleSince,
  WORKLOAD_KINDS,
} from '@gitops-promotion/backstage-plugin-common/server';
import { JournalMetrics } from './journalMetrics';
import { ChainReaders } from './ChainReaders';
import { JournalStore } from './JournalStore';
import {
  goneAfter,
  journalEntryOf,
  LastSeen,
  lastSeenOf,
  missedVersions,
} from './observe';
import { databaseCause } from './databaseCause';
import { PendingEntry, WorkloadKey, workloadId } from './types';

/** A cluster's cache as the journal reads it. */
export interface JournalCluster extends ClusterData {
  /** Resolves once every kind synced or failed at least once. */
  whenSettled(): Promise<void>;
}

/** Workloads evaluated between two yields to the event loop (about 5 ms). */
const SLICE = 200;

/** Entries kept for a retry while the database does not answer. */
const MAX_UNWRITTEN = 10_000;
/** While writes keep failing (retried every flush), the warning is repeated this often. */
const FAILING_REMINDER_MS = 15 * 60_000;

/**
 * Records each change of a workload's running version and state, per
 * cluster, in the journal's table. The watch path only marks what changed
 * (cluster and namespace); a timer evaluates the workloads concerned and
 * writes the changes in one batch, so a burst of watch events costs one
 * evaluation per workload and one insert per interval. A cluster is read
 * once it has synced, and a workload whose data is stale is left until it
 * is fresh again: a cold start or an outage records no made-up states.
 */
export class PromotionJournal {
  /** Workload id → its latest entry (from the database at start). */
  private last = new Map<string, LastSeen>();
  /** Cluster → namespaces changed; `undefined` for the whole cluster. */
  private dirty = new Map<string, Set<string> | undefined>();
  private readonly readers = new ChainReaders();
  private readonly settled = new Set<string>();
  private unwritten: PendingEntry[] = [];
  private timer?: ReturnType<typeof setTimeout>;
  private flushing?: Promise<void>;
  private stopped = false;
  private failing = false;
  /** While failing: when the warning was last logged, and entries dropped since the first failure. */
  private warnedAt = 0;
  private droppedWhileFailing = 0;

  private clusters: ReadonlyMap<string, JournalCluster> = new Map();
  private started = false;

  private readonly environments: ReadonlyArray<
    Pick<EnvironmentConfig, 'clusters'>
  >;
  private readonly intervalMs: number;
  private readonly metrics?: JournalMetrics;

  /**
   * @param options.environments - bound each workload's chain as its
   *   environment does (namespaces of a shared cluster), so an entry says
   *   no more than the view would.
   * @param options.metrics - told what each flush did.
   */
  constructor(
    private readonly store: JournalStore,
    private readonly logger: LoggerService,
    options: {
      environments?: ReadonlyArray<Pick<EnvironmentConfig, 'clusters'>>;
      intervalMs?: number;
      metrics?: JournalMetrics;
    } = {},
  ) {
    this.environments = options.environments ?? [];
    this.intervalMs = options.intervalMs ?? 2000;
    this.metrics = options.metrics;
  }

  /**
   * Reads the latest entries, then records each cluster once it has
   * synced. Changes noted before are kept for then.
   */
  async start(clusters: ReadonlyMap<string, JournalCluster>): Promise<void> {
    const latest = await this.store.latest();
    this.last = new Map([...latest].map(([id, e]) => [id, lastSeenOf(e)]));
    this.clusters = clusters;
    this.started = true;
    for (const [name, cluster] of clusters) this.watchCluster(name, cluster);
    // Known where they were, chains unread: a first walk that does not
    // find one tells it went while no backend watched.
    for (const [id, e] of latest) {
      if (clusters.has(e.cluster))
        this.readers.note(e.cluster, id, e.namespace, []);
    }
  }

  /**
   * Records a cluster once it has synced; a cluster replaced in the map
   * given to start (a catalog cluster added or changed) starts over.
   */
  watchCluster(name: string, cluster: JournalCluster): void {
    this.settled.delete(name);
    this.readers.forgetCluster(name);
    cluster.whenSettled().then(() => {
      if (this.stopped || this.clusters.get(name) !== cluster) return;
      this.settled.add(name);
      this.record(name);
    });
  }

  /** Something changed in a cluster's namespace (or anywhere in it); cheap, on the watch path. */
  record(cluster: string, namespace?: string): void {
    if (this.stopped) return;
    const known = this.dirty.has(cluster);
    const namespaces = this.dirty.get(cluster);
    if (!namespace) this.dirty.set(cluster, undefined);
    else if (!known) this.dirty.set(cluster, new Set([namespace]));
    else namespaces?.add(namespace);
    this.arm();
  }

  private arm() {
    // flush() reports its own failures; it never rejects.
    this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
  }

  /** Evaluates what changed and writes the entries; called by the timer. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    // One flush at a time: the next waits for the one writing.
    const previous = this.flushing;
    const run = (async () => {
      await previous;
      try {
        const started = performance.now();
        const entries = await this.evaluate(new Date());
        const evaluated = performance.now();
        const written = await this.write(entries);
        this.metrics?.({
          evaluateSeconds: (evaluated - started) / 1000,
          writeSeconds: written && (performance.now() - evaluated) / 1000,
          entries: written?.entries ?? 0,
          failed: written?.failed ?? false,
        });
      } catch (e) {
        // A flush that throws would fail every later one, which awaits it.
        this.logger.error(
          `The promotion journal could not record changes: ${
            toError(e).message
          }`,
        );
      }
    })();
    this.flushing = run;
    await run;
  }

  /**
   * Whether a workload still exists in its cluster: not in a cluster no
   * environment names any more; undefined when the cluster cannot tell
   * (not synced, its kind unread, or any error: a missing object may only
   * be unseen) or before the journal started.
   */
  present(workload: WorkloadKey): boolean | undefined {
    if (!this.started) return undefined;
    const data = this.clusters.get(workload.cluster);
    if (!data) return false;
    if (
      !this.settled.has(workload.cluster) ||
      !data.hasData(workload.kind) ||
      data.errors.length > 0
    ) {
      return undefined;
    }
    return (
      data.store.get(workload.kind, workload.namespace, workload.name) !==
      undefined
    );
  }

  /** Forgets workloads whose entries were deleted. */
  forget(workloads: WorkloadKey[]): void {
    for (const w of workloads) {
      this.last.delete(workloadId(w));
      this.readers.forget(w.cluster, workloadId(w));
    }
  }

  /**
   * Stops flushing; entries a failed write left get a last try, and those
   * it cannot write are said lost: a restart journals each workload's
   * state then, not the changes in between.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.dirty.clear();
    await this.flushing;
    if (this.unwritten.length === 0) return;
    if ((await this.write([]))?.failed) {
      const dropped = this.droppedWhileFailing;
      this.logger.warn(
        `The backend stops with ${
          this.unwritten.length
        } promotion journal entries it could not write${
          dropped > 0 ? ` (and ${dropped} dropped before)` : ''
        }; they are lost (the next start journals each workload's state then, not the changes in between)`,
      );
    }
  }

  /**
   * The entries of the marked workloads. Yields to the event loop every
   * {@link SLICE} workloads: a cold sync evaluates every workload of the
   * fleet, which must not hold page views for its whole length.
   */
  private async evaluate(now: Date): Promise<PendingEntry[]> {
    const entries: PendingEntry[] = [];
    let sinceYield = 0;
    for (const [name, namespaces] of [...this.dirty]) {
      const data = this.clusters.get(name);
      if (!data || !this.settled.has(name)) continue;
      if (this.dirty.get(name) === namespaces) this.dirty.delete(name);
      const found = new Set<string>();
      for (const { workload, root } of this.workloadsToRead(
        name,
        data,
        namespaces,
      )) {
        // Found, even when the rules trip on it: it did not go.
        found.add(workloadId(workload));
        try {
          entries.push(...this.observe(data, workload, root, now));
        } catch (e) {
          // One workload the rules trip on must not stop the others.
          this.logger.warn(
            `Cannot journal ${workload.kind} ${workload.namespace}/${
              workload.name
            } in ${name}: ${toError(e).message}`,
          );
        }
        if (++sinceYield === SLICE) {
          sinceYield = 0;
          await nextTurn();
        }
      }
      // Gone from where it was looked for: deleted (or renamed).
      const gone = this.readers.keepFound(name, found, namespaces);
      // Without an error every kind of the cluster answered: gone, not
      // unseen. Its return, even as it was, is then an entry again.
      if (data.errors.length === 0) gone.forEach(id => this.markGone(id));
    }
    return entries;
  }

  private markGone(id: string) {
    const last = this.last.get(id);
    if (last) this.last.set(id, goneAfter(last));
  }

  private workloadsToRead(
    cluster: string,
    data: ClusterData,
    namespaces: Set<string> | undefined,
  ) {
    const wanted = new Set<string>();
    namespaces?.forEach(ns =>
      this.readers.readersOf(cluster, ns).forEach(id => wanted.add(id)),
    );
    return WORKLOAD_KINDS.flatMap(kind =>
      [...data.store.list(kind)]
        .map(root => {
          const workload: WorkloadKey = {
            cluster,
            kind,
            namespace: root.metadata.namespace ?? 'default',
            name: root.metadata.name,
          };
          return { workload, root };
        })
        .filter(
          ({ workload }) =>
            !namespaces ||
            namespaces.has(workload.namespace) ||
            wanted.has(workloadId(workload)),
        ),
    );
  }

  /**
   * The entries a workload makes since its last one: its change, after
   * the versions its status.history ran meanwhile that no backend saw.
   */
  private observe(
    data: ClusterData,
    workload: WorkloadKey,
    root: Parameters<typeof clusterCell>[1],
    now: Date,
  ): PendingEntry[] {
    const { cluster, kind } = workload;
    const lookup: ObjectLookup = {
      get: (k, namespace, name) => data.store.get(k, namespace, name),
      ownedBy: uid => data.store.ownedBy(uid),
      hasData: k => data.hasData(k),
    };
    const cell = clusterCell(
      kind,
      root,
      lookup,
      cluster,
      boundingNamespaces(this.environments, cluster, workload.namespace),
    );
    const id = workloadId(workload);
    this.readers.note(
      cluster,
      id,
      workload.namespace,
      cell.chain.map(l => l.ref.namespace),
    );
    if (staleSince(data, cell)) return [];
    const last = this.last.get(id);
    const entry = journalEntryOf({ workload, root, cell, last, now });
    if (!entry) return [];
    this.last.set(id, lastSeenOf(entry));
    return [...missedVersions({ workload, root, entry, last, now }), entry];
  }

  /**
   * Writes the entries and those a failed write left: how many were
   * written (0 when the write failed), undefined when there were none.
   */
  private async write(
    entries: PendingEntry[],
  ): Promise<{ entries: number; failed: boolean } | undefined> {
    const batch = [...this.unwritten, ...entries];
    if (batch.length === 0) return undefined;
    try {
      await this.store.append(batch);
      this.unwritten = [];
      if (this.failing) {
        this.logger.info(
          `The promotion journal is written again${
            this.droppedWhileFailing > 0
              ? `; ${this.droppedWhileFailing} entries were dropped meanwhile`
              : ''
          }`,
        );
      }
      this.failing = false;
      this.droppedWhileFailing = 0;
      return { entries: batch.length, failed: false };
    } catch (e) {
      const dropped = Math.max(0, batch.length - MAX_UNWRITTEN);
      this.unwritten = batch.slice(dropped);
      this.droppedWhileFailing += dropped;
      // Retried every flush: said once, then as a reminder, not every 2 s.
      const now = Date.now();
      if (!this.failing || now - this.warnedAt >= FAILING_REMINDER_MS) {
        this.warnedAt = now;
        this.logger.warn(
          `Cannot write ${
            batch.length
          } promotion journal entries (${databaseCause(
            e,
          )}); retrying with each flush, at most ${MAX_UNWRITTEN} kept${
            this.droppedWhileFailing > 0
              ? `, ${this.droppedWhileFailing} oldest dropped so far`
              : ''
          }. Check the plugin's database connection (backend.database).`,
        );
      }
      this.failing = true;
      if (!this.stopped) this.arm();
      return { entries: 0, failed: true };
    }
  }
}
