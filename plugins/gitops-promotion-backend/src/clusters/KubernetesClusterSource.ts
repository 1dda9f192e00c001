import http from 'node:http';
import {
  ApiException,
  ApisApi,
  ConfigurationOptions,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  ObservableMiddleware,
  PatchStrategy,
  setHeaderOptions,
  V1Status,
  VersionApi,
  Watch,
} from '@kubernetes/client-node';
import {
  KubeEvent,
  KubeObject,
} from '@gitops-promotion/backstage-plugin-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { KindInfo } from '@gitops-promotion/backstage-plugin-common/server';
import { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import { CredentialSource } from './ClusterCredentials';
import {
  credentialHintFor,
  clusterAgents,
  kubeConfigFor,
  requestOptions,
} from './connection';
import { toClusterError } from './errors';
import { eventFieldSelector, eventsOf } from './events';
import {
  ClusterRequestError,
  ClusterSource,
  ListPage,
  ObjectTarget,
  WatchEvent,
  WatchHandle,
} from './types';

/**
 * Events read per object at most. An object's events live an hour and a
 * repeat is counted, not recorded again, so real objects have far fewer;
 * the bound is for a hostile or broken controller. Past it, the drill-down
 * shows the newest of the oldest 500 (the API lists events by name, the
 * time they were first seen).
 */
const EVENT_LIST_LIMIT = 500;

/**
 * Bytes a watch may receive between two events. The API server refuses
 * objects over 3 MiB (etcd's default limit is 1.5), so a real event is
 * far below it.
 */
export const MAX_WATCH_EVENT_BYTES = 16 * 1024 * 1024;

function describe(kind: KindInfo, version: string): string {
  return `${kind.plural}.${kind.group}/${version}`;
}

/** A live cluster, through @kubernetes/client-node. */
export class KubernetesClusterSource implements ClusterSource {
  readonly name: string;
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;
  private readonly apis: ApisApi;
  private readonly versionApi: VersionApi;
  private readonly kc: KubeConfig;
  private readonly requestTimeoutMs: number;
  private readonly agent: http.Agent;
  /** A watch's own agent: destroying it aborts the watch before its headers come. */
  private readonly watchAgent: () => http.Agent;
  private readonly timeout: ConfigurationOptions<ObservableMiddleware>;
  private readonly closed = new AbortController();

  private readonly credentialHint: string;

  constructor(
    cluster: ClusterDetails,
    credential: CredentialSource,
    options: {
      requestTimeoutMs: number;
      /** Check each address connected to (a catalog cluster whose host is not exempt). */
      publicOnly?: boolean;
    },
    private readonly logger: LoggerService,
  ) {
    this.name = cluster.name;
    this.credentialHint = credentialHintFor(cluster);
    const kc = kubeConfigFor(cluster, credential, options.requestTimeoutMs);
    this.kc = kc;
    this.requestTimeoutMs = options.requestTimeoutMs;
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.core = kc.makeApiClient(CoreV1Api);
    this.apis = kc.makeApiClient(ApisApi);
    this.versionApi = kc.makeApiClient(VersionApi);
    const agents = clusterAgents(cluster, options);
    this.agent = agents(true);
    this.watchAgent = () => agents(false);
    this.timeout = requestOptions(
      options.requestTimeoutMs,
      this.agent,
      this.closed.signal,
    );
  }

  /** Aborts the requests in flight and closes the kept-alive connections. */
  close(): void {
    this.closed.abort();
    this.agent.destroy();
  }

  /**
   * Runs a request, typing its failure. The caches log the failures of
   * their lists and watches once per change; a request made on demand
   * (drill-down, action) is logged here, with what the server said.
   */
  private async call<T>(
    what: string,
    fn: () => Promise<T>,
    onDemand = false,
  ): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const error = toClusterError(e, this.name, what, this.credentialHint);
      if (onDemand && error.type !== 'NOT_FOUND') {
        this.logger.warn(
          error.message,
          error.detail ? { detail: error.detail } : undefined,
        );
      }
      throw error;
    }
  }

  async discover(groups: string[]) {
    const list = await this.call('discovery (/apis)', () =>
      this.apis.getAPIVersions({}, this.timeout),
    );
    // Every group-version at once: one round trip, not one per version.
    const wanted = (list.groups ?? []).filter(g => groups.includes(g.name));
    const resources = await Promise.all(
      wanted.map(group =>
        Promise.all(
          (group.versions ?? []).map(async ({ version }) => {
            const found = await this.call(
              `discovery (/apis/${group.name}/${version})`,
              () =>
                this.custom.getAPIResources(
                  { group: group.name, version },
                  this.timeout,
                ),
            );
            return [
              version,
              new Set(
                (found.resources ?? [])
                  .map(r => r.name)
                  .filter(n => !n.includes('/')),
              ),
            ] as const;
          }),
        ),
      ),
    );
    const served = new Map<string, Map<string, Set<string>>>();
    wanted.forEach((group, i) => served.set(group.name, new Map(resources[i])));
    return served;
  }

  async list(
    kind: KindInfo,
    version: string,
    limit: number,
    continueToken?: string,
  ): Promise<ListPage> {
    const list = await this.call(`list ${describe(kind, version)}`, () =>
      this.custom.listClusterCustomObject(
        {
          group: kind.group,
          version,
          plural: kind.plural,
          limit,
          _continue: continueToken,
        },
        this.timeout,
      ),
    );
    return {
      items: list.items ?? [],
      resourceVersion: list.metadata?.resourceVersion ?? '',
      continueToken: list.metadata?.continue || undefined,
    };
  }

  watch(
    kind: KindInfo,
    version: string,
    resourceVersion: string,
    onEvent: (event: WatchEvent) => void,
  ): WatchHandle {
    const what = `watch ${describe(kind, version)}`;
    // The server ends each watch after 4-8 minutes, as client-go's reflector asks, so a
    // connection that died silently is noticed; an idle watchdog covers the rest.
    const timeoutSeconds = 240 + Math.floor(Math.random() * 240);
    // Once settled (ended, failed, timed out or stopped), whatever this
    // request still does is aborted and nothing it delivers is used: a
    // response that arrives after the watchdog gave up on it must not feed
    // the index beside the watch that replaced it.
    let finished = false;
    let controller: AbortController | undefined;
    let agent: http.Agent | undefined;
    let timer: NodeJS.Timeout | undefined;
    let sinceEvent = 0;
    let settle!: (error?: unknown) => void;
    let accept!: () => void;
    const accepted = new Promise<void>(resolve => {
      accept = resolve;
    });
    const done = new Promise<void>((resolve, reject) => {
      settle = error => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        controller?.abort();
        agent?.destroy();
        if (error) {
          reject(toClusterError(error, this.name, what, this.credentialHint));
        } else resolve();
      };
    });
    const timeout = (ms: number, why: string) => {
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          settle(
            new ClusterRequestError(
              'TIMEOUT',
              `Cluster ${this.name}: ${what} ${why}.`,
            ),
          ),
        ms,
      );
      timer.unref?.();
    };
    // client-node's Watch sets no timeout of its own (it replaces its
    // timeout signal by its controller) and hands the controller out only
    // once response headers arrive: until then the request is bounded here,
    // and aborted by destroying the agent it goes out on.
    timeout(this.requestTimeoutMs, 'got no answer in time');
    const watcher = new Watch(
      this.watchConfig(requestAgent => {
        if (finished) throw new Error('watch stopped before it was sent');
        agent = requestAgent;
      }),
    );
    watcher
      .watch(
        `/apis/${kind.group}/${version}/${kind.plural}`,
        { resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
        (type: string, object: unknown) => {
          if (finished) return;
          sinceEvent = 0;
          timeout((timeoutSeconds + 60) * 1000, 'went silent past its timeout');
          if (type === 'ERROR') {
            // A Status inside the stream (410 when the resourceVersion is
            // too old, 403 or 500 otherwise) ends the watch as a failure,
            // as the same Status answering a request would.
            const status = object as V1Status | undefined;
            settle(
              new ApiException(
                status?.code ?? 500,
                'error event in the watch stream',
                status,
                {},
              ),
            );
            return;
          }
          // client-node drops what its callback throws: an event the
          // index could not take would be lost without a word. It ends
          // the watch instead, which the watcher reports and retries.
          try {
            onEvent({ type, object } as WatchEvent);
          } catch (error) {
            settle(error);
          }
        },
        (error: unknown) => settle(error ?? undefined),
      )
      .then(
        c => {
          controller = c;
          if (finished) {
            c.abort();
            return;
          }
          // client-node hands the controller out once a 200 arrived; a refusal settled first.
          accept();
          // client-node splits the stream into lines with no bound on a
          // line: a server sending bytes without a newline would grow this
          // process's memory until the idle watchdog (minutes). The bytes
          // received since the last event are bounded instead (the body is
          // not decompressed: see watchConfig).
          const received = (chunk: Buffer) => {
            sinceEvent += chunk.length;
            if (sinceEvent > MAX_WATCH_EVENT_BYTES) {
              settle(
                new ClusterRequestError(
                  'UNREACHABLE',
                  `Cluster ${this.name}: ${what} sent more than ${
                    MAX_WATCH_EVENT_BYTES / 1024 / 1024
                  } MiB without a whole event (an object is at most a few MiB); check what answers for the API server.`,
                ),
              );
            }
          };
          // The watch's own agent: its one socket carries only this watch.
          Object.values(agent?.sockets ?? {})
            .flat()
            .forEach(socket => socket?.on('data', received));
          timeout((timeoutSeconds + 60) * 1000, 'went silent past its timeout');
        },
        error => settle(error),
      );
    return { accepted, done, stop: () => settle() };
  }

  /**
   * The KubeConfig as client-node's Watch uses it (the cluster, and the
   * options of each request, sent on the cluster's own kind of agent),
   * telling `onAgent` the agent a request goes out on, so that a watch can
   * be aborted before its headers arrive.
   */
  private watchConfig(onAgent: (agent: http.Agent) => void): KubeConfig {
    const kc = this.kc;
    const config: Pick<
      KubeConfig,
      'getCurrentCluster' | 'applyToFetchOptions'
    > = {
      getCurrentCluster: () => kc.getCurrentCluster(),
      applyToFetchOptions: async options => {
        const init = await kc.applyToFetchOptions(options);
        init.agent = this.watchAgent();
        // Not asked for compressed and not decompressed: the bytes the
        // watch bounds are the bytes it parses (a small gzip body can
        // inflate to gigabytes).
        init.compress = false;
        onAgent(init.agent);
        return init;
      },
    };
    return config as KubeConfig;
  }

  async probe(): Promise<void> {
    try {
      await this.call('GET /version', () =>
        this.versionApi.getCode({}, this.timeout),
      );
    } catch (e) {
      // A status code is an answer (a 401 or 403 is the lists' business),
      // but a 5xx may be a gateway's while the API server behind it is down.
      if (
        e instanceof ClusterRequestError &&
        e.statusCode !== undefined &&
        e.statusCode < 500
      ) {
        return;
      }
      throw e;
    }
  }

  async get(target: ObjectTarget): Promise<KubeObject> {
    const { kind, version, namespace, name } = target;
    return this.call(
      `get ${describe(kind, version)} ${namespace}/${name}`,
      () =>
        this.custom.getNamespacedCustomObject(
          { group: kind.group, version, plural: kind.plural, namespace, name },
          this.timeout,
        ),
      true,
    );
  }

  async events(target: ObjectTarget): Promise<KubeEvent[]> {
    const { kind, namespace, name } = target;
    const list = await this.call(
      `list events of ${kind.kind} ${namespace}/${name}`,
      () =>
        this.core.listNamespacedEvent(
          {
            namespace,
            fieldSelector: eventFieldSelector(target),
            limit: EVENT_LIST_LIMIT,
          },
          this.timeout,
        ),
      true,
    );
    return eventsOf(list.items, target);
  }

  async patch(target: ObjectTarget, patch: object): Promise<KubeObject> {
    const { kind, version, namespace, name } = target;
    return this.call(
      `patch ${describe(kind, version)} ${namespace}/${name}`,
      () =>
        this.custom.patchNamespacedCustomObject(
          {
            group: kind.group,
            version,
            plural: kind.plural,
            namespace,
            name,
            body: patch,
          },
          setHeaderOptions(
            'Content-Type',
            PatchStrategy.MergePatch,
            this.timeout,
          ),
        ),
      true,
    );
  }
}
