import { KubeObject } from '@gitops-promotion/backstage-plugin-common';
import {
  KindInfo,
  ObjectIndex,
} from '@gitops-promotion/backstage-plugin-common/server';
import {
  ClusterRequestError,
  ClusterSource,
  WatchEvent,
} from '../clusters/types';
import { WatchOptions } from '../config/watchOptions';
import { Backoff, sleep } from './backoff';
import type pLimit from 'p-limit';
import { objectIdentity, slimObject } from './slim';
import { toError } from '@backstage/errors';

/** What a watcher reports to its cluster cache. */
export interface KindWatcherListener {
  /** The cluster answered: a list page, a watch event or a bookmark arrived. */
  heard(): void;
  /**
   * The kind was read in full, or its watch works again; `watchError` when
   * its last watch failed and no watch has been accepted since: listing
   * works, watching does not (RBAC may grant list without watch).
   */
  synced(kind: KindInfo, watchError?: ClusterRequestError): void;
  failed(kind: KindInfo, error: ClusterRequestError): void;
  /** Objects changed: in `namespace`, or anywhere after a list. */
  changed(kind: KindInfo, namespace?: string): void;
  /**
   * An object could not be cached (`object`: its namespace/name, when it
   * has them): it is left out, the rest of its kind is kept.
   */
  skipped(kind: KindInfo, object: string | undefined, error: Error): void;
}

/** A watch answered 410 Gone: its resourceVersion is too old, relist. */
class Gone extends Error {
  constructor(readonly attemptStarted: number, readonly opened: boolean) {
    super('410 Gone');
  }
}

/**
 * Keeps one kind of one cluster in the index: list (paginated), then watch
 * from the list's resourceVersion; bookmarks move the resourceVersion on.
 * As client-go's reflector does, a watch that ends, or breaks (a load
 * balancer's idle reset, a silent connection), is resumed from the last
 * resourceVersion seen: only a 410 Gone, or a re-watch that fails too,
 * costs a relist (after an exponential backoff with jitter, reported as an
 * error of the kind). Objects are slimmed before they are stored.
 *
 * Hand-written on purpose: @kubernetes/client-node's ListWatch (its
 * informer) lists in one request (no `limit`/`continue` pagination, so a
 * large kind is one huge response), and on any error but a 410 it stops
 * and leaves the retry, the backoff and the choice between resuming and
 * relisting to its caller; no maintained JavaScript library does
 * pagination and this error recovery.
 */
export class KindWatcher {
  private readonly abort = new AbortController();
  private readonly backoff: Backoff;
  /** Ends the current watch; `restart` when it is to resume at once. */
  private endWatch?: (restart: boolean) => void;
  private running?: Promise<void>;
  /** Where the next watch starts: the last list, event or bookmark. */
  private resourceVersion = '';
  /** Whether the current watch delivered an event or a bookmark. */
  private delivered = false;
  /** Whether the current watch was accepted (its response headers came). */
  private opened = false;
  /**
   * Why the last watch failed, until a watch is accepted: a relist that
   * works keeps reporting it instead of clearing it for a backoff, so the
   * kind does not flap between synced and failed.
   */
  private watchError?: ClusterRequestError;

  constructor(
    private readonly source: ClusterSource,
    private readonly kind: KindInfo,
    private readonly version: string,
    private readonly index: ObjectIndex,
    private readonly options: WatchOptions,
    /** The cluster's list requests in flight, shared by its kinds. */
    private readonly lists: pLimit.Limit,
    private readonly listener: KindWatcherListener,
  ) {
    this.backoff = new Backoff(options.initialBackoffMs, options.maxBackoffMs);
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.endWatch?.(false);
    await this.running;
  }

  /**
   * Ends the current watch, which resumes from its resourceVersion on a new
   * connection (a connection that outlived an outage may be dead).
   */
  rewatch(): void {
    this.endWatch?.(true);
  }

  private get stopped() {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let listed = false;
      try {
        this.resourceVersion = await this.relist();
        listed = true;
        await this.watchUntilGone();
      } catch (e) {
        if (this.stopped) return;
        if (e instanceof Gone) {
          // 410 asks for a relist, but not in a loop against a server that keeps answering it.
          await this.pauseIfQuick(e.attemptStarted, e.opened);
          continue;
        }
        const error =
          e instanceof ClusterRequestError
            ? e
            : new ClusterRequestError(
                'UNREACHABLE',
                `Cluster ${this.source.name}: reading ${this.kind.plural} failed; the backend's log has the cause.`,
                undefined,
                String(e),
              );
        if (listed) this.watchError = error;
        this.listener.failed(this.kind, error);
        await sleep(this.backoff.next(), this.abort.signal);
      }
    }
  }

  /**
   * Watches from the current resourceVersion, again and again. A watch
   * that fails is retried once from where it was; it throws Gone on a 410,
   * and the error of a re-watch that failed too, for run() to relist.
   */
  private async watchUntilGone(): Promise<void> {
    let rewatching = false;
    while (!this.stopped) {
      const attemptStarted = Date.now();
      try {
        await this.watchFrom(this.resourceVersion);
        rewatching = false;
      } catch (e) {
        if (this.stopped) return;
        if (e instanceof ClusterRequestError && e.type === 'GONE') {
          throw new Gone(attemptStarted, this.opened);
        }
        // A re-watch that delivered something worked: its failure is a new one.
        if (rewatching && !this.delivered) throw e;
        rewatching = true;
      }
      await this.pauseIfQuick(attemptStarted, this.opened);
    }
  }

  /**
   * A watch that was open for a second proves the cluster healthy and
   * resets the backoff; one that ended sooner, or failed before it opened
   * however long that took (no answer within the request timeout, a
   * gateway's 504), waits a growing backoff, so a server that ends or
   * refuses every watch (or answers each with 410) cannot make us relist
   * in a loop.
   */
  private async pauseIfQuick(
    attemptStarted: number,
    opened: boolean,
  ): Promise<void> {
    if (opened && Date.now() - attemptStarted >= 1000) {
      this.backoff.reset();
    } else {
      await sleep(this.backoff.next(), this.abort.signal);
    }
  }

  /** Lists every page, then replaces the kind in the index at once. */
  private async relist(): Promise<string> {
    let items: KubeObject[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    let restarted = false;
    for (;;) {
      try {
        const page = await this.listPage(continueToken);
        this.listener.heard();
        items = items.concat(page.items.flatMap(o => this.slim(o) ?? []));
        continueToken = page.continueToken;
        resourceVersion = page.resourceVersion;
      } catch (e) {
        // A continue token expires with compaction: start the list over once.
        if (
          e instanceof ClusterRequestError &&
          e.type === 'GONE' &&
          continueToken &&
          !restarted
        ) {
          restarted = true;
          items = [];
          continueToken = undefined;
          continue;
        }
        throw e;
      }
      if (this.stopped) return resourceVersion;
      if (!continueToken) break;
    }
    this.index.replaceKind(this.kind.kind, items);
    this.listener.synced(this.kind, this.watchError);
    this.listener.changed(this.kind);
    return resourceVersion;
  }

  /** One page, when the cluster has a list slot free (and not after stop()). */
  private listPage(continueToken: string | undefined) {
    return this.lists(() => {
      if (this.stopped) throw new Error('stopped'); // run() returns on it
      return this.source.list(
        this.kind,
        this.version,
        this.options.pageSize,
        continueToken,
      );
    });
  }

  /**
   * Watches until the stream ends, moving `resourceVersion` on with each
   * event and bookmark, and `delivered` once one came.
   */
  private async watchFrom(resourceVersion: string): Promise<void> {
    this.delivered = false;
    this.opened = false;
    const onEvent = (event: WatchEvent) => {
      this.listener.heard();
      this.delivered = true;
      const identity = objectIdentity(event.object);
      switch (event.type) {
        case 'ADDED':
        case 'MODIFIED': {
          const slim = this.slim(event.object);
          if (slim) this.index.upsert(this.kind.kind, slim);
          else if (identity) this.remove(identity);
          if (identity) this.listener.changed(this.kind, identity.namespace);
          break;
        }
        case 'DELETED':
          if (identity) {
            this.remove(identity);
            this.listener.changed(this.kind, identity.namespace);
          }
          break;
        default:
          break;
      }
      const seen = event.object?.metadata?.resourceVersion;
      if (typeof seen === 'string' && seen) this.resourceVersion = seen;
    };
    // Sources deliver events asynchronously, once endWatch is this watch's.
    const handle = this.source.watch(
      this.kind,
      this.version,
      resourceVersion,
      onEvent,
    );
    let restarted = false;
    this.endWatch = restart => {
      restarted = restart;
      handle.stop();
    };
    if (this.stopped) handle.stop();
    handle.accepted.then(() => {
      this.opened = true;
      if (this.watchError && !this.stopped) this.watchWorks();
    });
    await handle.done;
    if (!this.stopped && !restarted) {
      // A watch that ended cleanly is healthy: report it so a past error clears.
      this.watchWorks();
    }
  }

  private watchWorks() {
    this.watchError = undefined;
    this.listener.synced(this.kind);
  }

  private remove(identity: { namespace?: string; name: string }) {
    this.index.remove(this.kind.kind, identity.namespace, identity.name);
  }

  /**
   * The object as the cache holds it, or undefined when it cannot be held
   * (no usable name, or a failure of the slimming itself): one odd object
   * must not cost the whole kind its list or its watch.
   */
  private slim(obj: KubeObject): KubeObject | undefined {
    try {
      // List items of custom resources carry apiVersion and kind; set them anyway for the rules.
      const full = {
        ...obj,
        apiVersion: obj.apiVersion ?? `${this.kind.group}/${this.version}`,
        kind: obj.kind ?? this.kind.kind,
      };
      return slimObject(this.kind.kind, full);
    } catch (e) {
      const identity = objectIdentity(obj);
      this.listener.skipped(
        this.kind,
        identity &&
          [identity.namespace, identity.name].filter(Boolean).join('/'),
        toError(e),
      );
      return undefined;
    }
  }
}
