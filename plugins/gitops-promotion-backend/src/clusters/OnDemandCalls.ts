import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import {
  KubeEvent,
  KubeObject,
} from '@gitops-promotion/backstage-plugin-common';
import pLimit from 'p-limit';
import { ClusterCache } from '../cache/ClusterCache';
import { OnDemandOptions } from '../config/onDemandOptions';
import { ObjectTarget } from './types';

/** Most answers kept per cluster (a burst within cacheMs); the oldest go first. */
const MAX_ENTRIES = 500;

interface Entry {
  promise: Promise<unknown>;
  /** Infinity while in flight. */
  expires: number;
  /** The cached (slim) object when the call was made: a watch event replaces it. */
  basis: KubeObject | undefined;
}

interface ClusterCalls {
  cache: ClusterCache;
  limit: pLimit.Limit;
  entries: Map<string, Entry>;
}

const keyOf = (call: string, t: ObjectTarget) =>
  `${call} ${t.kind.plural}.${t.kind.group}/${t.version} ${t.namespace}/${t.name}`;

/**
 * Every call a request makes to a cluster on demand (drill-down reads,
 * event lists, action patches), bounded: all traffic uses the backend's
 * one identity, so one user must not get it throttled for everyone.
 *
 * - At most `concurrency` calls in flight per cluster, shared by all
 *   requests; past `maxQueued` waiting, a request is refused with 503.
 * - Identical reads share one call while it is in flight, and its answer
 *   for `cacheMs` afterwards, unless the watch has changed the object since
 *   (its cached copy was replaced) or an action patched it.
 */
export class OnDemandCalls {
  private readonly clusters = new Map<string, ClusterCalls>();

  constructor(
    private readonly caches: ReadonlyMap<string, ClusterCache>,
    private readonly options: OnDemandOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Drops what was kept of a cluster whose cache was replaced: its objects must not outlive it. */
  forget(cluster: string): void {
    this.clusters.delete(cluster);
  }

  get(cluster: string, target: ObjectTarget): Promise<KubeObject> {
    return this.read(cluster, 'get', target, s => s.get(target));
  }

  /** Events of the very object the cache holds (its uid), when it holds it. */
  events(cluster: string, target: ObjectTarget): Promise<KubeEvent[]> {
    return this.read(cluster, 'events', target, (s, cached) =>
      s.events({ ...target, uid: target.uid ?? cached?.metadata.uid }),
    );
  }

  async patch(
    cluster: string,
    target: ObjectTarget,
    patch: object,
  ): Promise<KubeObject> {
    const calls = this.calls(cluster);
    try {
      return await this.run(calls, () =>
        calls.cache.source.patch(target, patch),
      );
    } finally {
      calls.entries.delete(keyOf('get', target));
      calls.entries.delete(keyOf('events', target));
    }
  }

  private read<T>(
    cluster: string,
    call: 'get' | 'events',
    target: ObjectTarget,
    fetch: (
      source: ClusterCache['source'],
      cached: KubeObject | undefined,
    ) => Promise<T>,
  ): Promise<T> {
    const calls = this.calls(cluster);
    const key = keyOf(call, target);
    const basis = calls.cache.store.get(
      target.kind.kind,
      target.namespace,
      target.name,
    );
    const hit = calls.entries.get(key);
    if (hit && hit.basis === basis && hit.expires > this.now()) {
      return hit.promise as Promise<T>;
    }
    const promise = this.run(calls, () => fetch(calls.cache.source, basis));
    const entry: Entry = { promise, expires: Infinity, basis };
    this.remember(calls, key, entry);
    promise.then(
      () => {
        entry.expires = this.now() + this.options.cacheMs;
        // Let go of it when it expires: a full object (its values too)
        // must not stay in memory until 500 others push it out.
        setTimeout(() => {
          if (calls.entries.get(key) === entry) calls.entries.delete(key);
        }, this.options.cacheMs).unref();
      },
      () => {
        if (calls.entries.get(key) === entry) calls.entries.delete(key);
      },
    );
    return promise;
  }

  private run<T>(calls: ClusterCalls, fn: () => Promise<T>): Promise<T> {
    // Refused only when every slot and every queue place is taken, so
    // maxQueued 0 means no queue, not no calls (p-limit counts a call as
    // pending until a later microtask starts it: count both).
    const { activeCount, pendingCount } = calls.limit;
    const { concurrency, maxQueued } = this.options;
    if (activeCount + pendingCount >= concurrency + maxQueued) {
      return Promise.reject(
        new ServiceUnavailableError(
          `Too many requests are running or waiting for cluster ${
            calls.cache.source.name
          } (${activeCount + pendingCount}); try again in a few seconds`,
        ),
      );
    }
    return calls.limit(fn);
  }

  private remember(calls: ClusterCalls, key: string, entry: Entry) {
    calls.entries.delete(key);
    while (calls.entries.size >= MAX_ENTRIES) {
      calls.entries.delete(calls.entries.keys().next().value!);
    }
    calls.entries.set(key, entry);
  }

  /**
   * The cluster's calls, started again when its cache was replaced (a
   * catalog cluster changed or removed): the old source is stopped, and
   * its answers are of a cluster that may no longer be the same.
   */
  private calls(cluster: string): ClusterCalls {
    const cache = this.caches.get(cluster);
    if (!cache) {
      this.clusters.delete(cluster);
      throw new NotFoundError(`Unknown cluster ${cluster}`);
    }
    let calls = this.clusters.get(cluster);
    if (calls?.cache !== cache) {
      calls = {
        cache,
        limit: pLimit(this.options.concurrency),
        entries: new Map(),
      };
      this.clusters.set(cluster, calls);
    }
    return calls;
  }
}
