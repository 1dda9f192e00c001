import http from 'node:http';
import {
  ApisApi,
  ConfigurationOptions,
  CoreV1Api,
  CustomObjectsApi,
  ObservableMiddleware,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import {
  KindInfo,
  KubeEvent,
  KubeObject,
} from '@gitops-promotion/backstage-plugin-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import { CredentialSource } from './ClusterCredentials';
import {
  credentialHintFor,
  keepAliveAgent,
  kubeConfigFor,
  requestOptions,
} from './connection';
import { toClusterError } from './errors';
import { eventFieldSelector, eventsOf, RawEvent } from './events';
import {
  ClusterRequestError,
  ClusterSource,
  ListPage,
  ObjectTarget,
  WatchEvent,
  WatchHandle,
} from './types';

function describe(kind: KindInfo, version: string): string {
  return `${kind.plural}.${kind.group}/${version}`;
}

/** A live cluster, through @kubernetes/client-node. */
export class KubernetesClusterSource implements ClusterSource {
  readonly name: string;
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;
  private readonly apis: ApisApi;
  private readonly watcher: Watch;
  private readonly agent: http.Agent;
  private readonly timeout: ConfigurationOptions<ObservableMiddleware>;
  private readonly closed = new AbortController();

  private readonly credentialHint: string;

  constructor(
    cluster: ClusterDetails,
    credential: CredentialSource,
    options: { requestTimeoutMs: number },
    private readonly logger: LoggerService,
  ) {
    this.name = cluster.name;
    this.credentialHint = credentialHintFor(cluster);
    const kc = kubeConfigFor(cluster, credential);
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.core = kc.makeApiClient(CoreV1Api);
    this.apis = kc.makeApiClient(ApisApi);
    this.watcher = new Watch(kc);
    this.agent = keepAliveAgent(cluster);
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
      this.apis.getAPIVersions(this.timeout),
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
    let stopped = false;
    let controller: AbortController | undefined;
    let watchdog: NodeJS.Timeout | undefined;
    let settle!: (error?: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      settle = error => {
        clearTimeout(watchdog);
        if (error && !stopped) {
          reject(toClusterError(error, this.name, what, this.credentialHint));
        } else resolve();
      };
    });
    const armWatchdog = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        controller?.abort();
        settle(
          new ClusterRequestError(
            'TIMEOUT',
            `Cluster ${this.name}: ${what} went silent past its timeout.`,
          ),
        );
      }, (timeoutSeconds + 60) * 1000);
      watchdog.unref?.();
    };
    armWatchdog();
    // client-node hands out the AbortController only once response headers
    // arrive; the handle must be stoppable before that (a proxy may hold them).
    this.watcher
      .watch(
        `/apis/${kind.group}/${version}/${kind.plural}`,
        { resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
        (type: string, object: any) => {
          armWatchdog();
          if (type === 'ERROR') {
            // A Status inside the stream (410 when the resourceVersion is
            // too old, 403 or 500 otherwise) ends the watch as a failure.
            settle({
              code: object?.code,
              body: object,
              message: 'error event in the watch stream',
            });
            // After settling: aborting reports an AbortError of its own.
            controller?.abort();
            return;
          }
          onEvent({ type, object } as WatchEvent);
        },
        (error: unknown) => settle(error ?? undefined),
      )
      .then(
        c => {
          controller = c;
          if (stopped) c.abort();
        },
        error => settle(error),
      );
    return {
      done,
      stop: () => {
        stopped = true;
        controller?.abort();
        settle();
      },
    };
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
          { namespace, fieldSelector: eventFieldSelector(target) },
          this.timeout,
        ),
      true,
    );
    return eventsOf(list.items as RawEvent[], target);
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
