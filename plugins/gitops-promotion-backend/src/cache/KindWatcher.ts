import {
  KindInfo,
  KubeObject,
  ObjectIndex,
} from '@gitops-promotion/backstage-plugin-common';
import {
  ClusterRequestError,
  ClusterSource,
  WatchEvent,
} from '../clusters/types';
import { WatchOptions } from '../config/watchOptions';
import { Backoff, sleep } from './backoff';
import type pLimit from 'p-limit';
import { slimObject } from './slim';

/** What a watcher reports to its cluster cache. */
export interface KindWatcherListener {
  synced(kind: KindInfo): void;
  failed(kind: KindInfo, error: ClusterRequestError): void;
  /** Objects changed: in `namespace`, or anywhere after a list. */
  changed(kind: KindInfo, namespace?: string): void;
}

class Gone extends Error {}

/**
 * Keeps one kind of one cluster in the index: list (paginated), then watch
 * from the list's resourceVersion; bookmarks move the resourceVersion on;
 * a watch that ends normally is resumed from where it was, a 410 Gone
 * relists, and any other failure relists after an exponential backoff with
 * jitter. Objects are slimmed before they are stored.
 */
export class KindWatcher {
  private readonly abort = new AbortController();
  private readonly backoff: Backoff;
  private stopWatch?: () => void;
  private running?: Promise<void>;

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
    this.stopWatch?.();
    await this.running;
  }

  private get stopped() {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let attemptStarted = Date.now();
      try {
        let resourceVersion = await this.relist();
        while (!this.stopped) {
          attemptStarted = Date.now();
          resourceVersion = await this.watchFrom(resourceVersion);
          await this.pauseIfQuick(attemptStarted);
        }
      } catch (e) {
        if (this.stopped) return;
        if (e instanceof Gone) {
          // 410 asks for a relist, but not in a loop against a server that keeps answering it.
          await this.pauseIfQuick(attemptStarted);
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
        this.listener.failed(this.kind, error);
        await sleep(this.backoff.next(), this.abort.signal);
      }
    }
  }

  /**
   * A list or watch that lasted a second proves the cluster healthy and
   * resets the backoff; one that ended sooner waits a growing backoff, so a
   * server that ends every watch at once (or answers each with 410) cannot
   * make us relist in a loop.
   */
  private async pauseIfQuick(attemptStarted: number): Promise<void> {
    if (Date.now() - attemptStarted >= 1000) {
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
        items = items.concat(page.items.map(o => this.slim(o)));
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
    this.listener.synced(this.kind);
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

  /** Watches until the stream ends; returns the resourceVersion to resume from. */
  private async watchFrom(resourceVersion: string): Promise<string> {
    let latest = resourceVersion;
    const onEvent = (event: WatchEvent) => {
      switch (event.type) {
        case 'ADDED':
        case 'MODIFIED':
          this.index.upsert(this.kind.kind, this.slim(event.object));
          latest = event.object.metadata.resourceVersion ?? latest;
          this.listener.changed(this.kind, event.object.metadata.namespace);
          break;
        case 'DELETED':
          this.index.remove(
            this.kind.kind,
            event.object.metadata.namespace,
            event.object.metadata.name,
          );
          latest = event.object.metadata.resourceVersion ?? latest;
          this.listener.changed(this.kind, event.object.metadata.namespace);
          break;
        case 'BOOKMARK':
          latest = event.object.metadata.resourceVersion;
          break;
        default:
          break;
      }
    };
    // Sources deliver events asynchronously, once stopWatch is this watch's.
    const handle = this.source.watch(
      this.kind,
      this.version,
      resourceVersion,
      onEvent,
    );
    this.stopWatch = handle.stop;
    if (this.stopped) handle.stop();
    try {
      await handle.done;
    } catch (e) {
      if (e instanceof ClusterRequestError && e.type === 'GONE')
        throw new Gone();
      throw e;
    }
    if (!this.stopped) {
      // A watch that ended cleanly is healthy: report it so a past error clears.
      this.listener.synced(this.kind);
    }
    return latest;
  }

  private slim(obj: KubeObject): KubeObject {
    // List items of custom resources carry apiVersion and kind; set them anyway for the rules.
    const full = {
      ...obj,
      apiVersion: obj.apiVersion ?? `${this.kind.group}/${this.version}`,
      kind: obj.kind ?? this.kind.kind,
    };
    return slimObject(this.kind.kind, full);
  }
}
