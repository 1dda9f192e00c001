import {
  ClusterErrorType,
  KubeEvent,
  KubeObject,
} from '@gitops-promotion/backstage-plugin-common';
import { KindInfo } from '@gitops-promotion/backstage-plugin-common/server';

/** One page of a list. */
export interface ListPage {
  items: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
}

/** A watch event, as the API server streams them (an ERROR event fails the watch's `done` instead). */
export type WatchEvent =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject }
  | { type: 'BOOKMARK'; object: { metadata: { resourceVersion: string } } };

/** A running watch; `done` settles when the stream ends (resolved) or fails (rejected). */
export interface WatchHandle {
  /** Resolves when the server accepted the watch (200), before any event; never if it refused it. */
  accepted: Promise<void>;
  done: Promise<void>;
  stop(): void;
}

/** The object of a request: a kind at a version, in a namespace. */
export interface ObjectTarget {
  kind: KindInfo;
  version: string;
  namespace: string;
  name: string;
  /** The uid of the object the cache holds, when it holds it: events must be about that very object. */
  uid?: string;
}

/**
 * What the plugin needs of a cluster: discovery, list and watch for the
 * caches, and single reads and patches for drill-down and actions. A live
 * Kubernetes API and a folder of fixtures implement it alike.
 */
export interface ClusterSource {
  readonly name: string;
  /** Served versions per API group: `/apis`, then each group-version's resources. */
  discover(groups: string[]): Promise<Map<string, Map<string, Set<string>>>>;
  list(
    kind: KindInfo,
    version: string,
    limit: number,
    continueToken?: string,
  ): Promise<ListPage>;
  watch(
    kind: KindInfo,
    version: string,
    resourceVersion: string,
    onEvent: (event: WatchEvent) => void,
  ): WatchHandle;
  get(target: ObjectTarget): Promise<KubeObject>;
  events(target: ObjectTarget): Promise<KubeEvent[]>;
  /** JSON merge patch (RFC 7386). */
  patch(target: ObjectTarget, patch: object): Promise<KubeObject>;
  /**
   * A cheap request that any answer but a 5xx completes (GET /version):
   * rejects when the server does not answer in time, cannot be reached, or
   * answers 5xx (maybe a gateway whose API server is down).
   */
  probe(): Promise<void>;
  /** Aborts requests in flight and releases kept-open connections, once the cache stops. */
  close?(): void;
}

/**
 * A failure talking to a cluster, typed as the view reports it. `message`
 * is what users see: built by the plugin, it says what failed and what to
 * do. `detail` is what the server or the network stack said (service
 * account names, addresses, a proxy's HTML page), for the backend's log only.
 */
export class ClusterRequestError extends Error {
  constructor(
    readonly type: ClusterErrorType | 'GONE' | 'NOT_FOUND',
    message: string,
    readonly statusCode?: number,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'ClusterRequestError';
  }
}
