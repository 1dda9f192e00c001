import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import {
  ApisApi,
  ConfigurationOptions,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  Observable,
  ObservableMiddleware,
  PatchStrategy,
  RequestContext,
  ResponseContext,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import {
  KindInfo,
  KubeEvent,
  KubeObject,
} from '@gitops-promotion/backstage-plugin-common';
import { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import { authProviderOf, CredentialSource } from './ClusterCredentials';
import { toClusterError } from './errors';
import {
  ClusterRequestError,
  ClusterSource,
  ListPage,
  ObjectTarget,
  WatchEvent,
  WatchHandle,
} from './types';

const MAX_EVENTS = 20;

/**
 * Aborts each request after a timeout (a cluster that accepts the connection
 * and never answers must not hold a list or a drill-down forever), and sends
 * it on the cluster's keep-alive connections: client-node makes a new agent,
 * so a new TCP and TLS connection, for every request
 * (kubernetes-client/javascript#2893), which over a 50 ms link costs two
 * more round trips per list page and discovery call.
 */
function requestOptions(
  ms: number,
  agent: http.Agent,
): ConfigurationOptions<ObservableMiddleware> {
  const middleware: ObservableMiddleware = {
    pre: (context: RequestContext) => {
      context.setSignal(AbortSignal.timeout(ms));
      context.setAgent(agent);
      return new Observable(Promise.resolve(context));
    },
    post: (context: ResponseContext) =>
      new Observable(Promise.resolve(context)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}

/** One keep-alive agent per cluster, with the TLS settings its kubeconfig gives client-node. */
function keepAliveAgent(cluster: ClusterDetails): http.Agent {
  if (cluster.url.startsWith('http:')) {
    return new http.Agent({ keepAlive: true });
  }
  const ca = cluster.caFile
    ? fs.readFileSync(cluster.caFile)
    : cluster.caData && Buffer.from(cluster.caData, 'base64');
  return new https.Agent({
    keepAlive: true,
    ...(ca ? { ca } : {}),
    ...(cluster.skipTLSVerify ? { rejectUnauthorized: false } : {}),
  });
}

/** Names the KubeConfig user whose requests take the cluster's credential source. */
const STRATEGY_USER = 'backstage-auth-strategy';

/**
 * A KubeConfig whose every request, list and watch alike, asks the
 * credential source again, so expiring tokens are renewed as they rotate.
 */
function kubeConfigFor(
  cluster: ClusterDetails,
  credential: CredentialSource,
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        caData: cluster.caData,
        caFile: cluster.caFile,
        skipTLSVerify: cluster.skipTLSVerify ?? false,
      },
    ],
    users: [{ name: cluster.name, authProvider: { name: STRATEGY_USER } }],
    contexts: [
      { name: cluster.name, cluster: cluster.name, user: cluster.name },
    ],
    currentContext: cluster.name,
  });
  kc.addAuthenticator({
    isAuthProvider: user => user.authProvider?.name === STRATEGY_USER,
    applyAuthentication: async (_user, opts) => {
      const c = await credential();
      if (c.type === 'bearer token') {
        opts.headers = { ...opts.headers, Authorization: `Bearer ${c.token}` };
      } else if (c.type !== 'anonymous') {
        // Requests go out on the cluster's keep-alive agent, built once without a client certificate.
        throw new ClusterRequestError(
          'UNAUTHORIZED',
          `Cluster ${cluster.name}: the ${authProviderOf(
            cluster,
          )} strategy gave a ${
            c.type
          }; gitops-promotion sends bearer tokens only`,
        );
      }
    },
  });
  return kc;
}

/** What to check when the cluster answers 401. */
function credentialHintFor(cluster: ClusterDetails): string {
  const provider = authProviderOf(cluster);
  if (provider !== 'serviceAccount') {
    return `check the ${provider} identity of the backend and that the cluster maps it to a user`;
  }
  return cluster.authMetadata.serviceAccountToken
    ? 'check serviceAccountToken in kubernetes.clusterLocatorMethods'
    : "no serviceAccountToken is set, so the backend pod's own service account token was sent";
}

function describe(kind: KindInfo, version: string): string {
  return `${kind.plural}.${kind.group}/${version}`;
}

type RawEvent = {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: Date | string;
  lastTimestamp?: Date | string;
  eventTime?: Date | string;
  series?: { count?: number; lastObservedTime?: Date | string };
  source?: { component?: string };
  reportingComponent?: string;
};

function iso(value: Date | string | undefined): string | undefined {
  if (!value) return undefined;
  return value instanceof Date ? value.toISOString() : value;
}

/** Core/v1 events, newest first; events.k8s.io-style ones carry eventTime and series instead. */
export function toKubeEvents(items: RawEvent[]): KubeEvent[] {
  return items
    .map(e => ({
      type: e.type ?? 'Normal',
      reason: e.reason ?? '',
      message: e.message ?? '',
      count: e.series?.count ?? e.count ?? 1,
      firstTimestamp: iso(e.firstTimestamp) ?? iso(e.eventTime),
      lastTimestamp:
        iso(e.series?.lastObservedTime) ??
        iso(e.lastTimestamp) ??
        iso(e.eventTime),
      source: e.source?.component ?? e.reportingComponent,
    }))
    .sort((a, b) =>
      (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''),
    )
    .slice(0, MAX_EVENTS);
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

  private readonly credentialHint: string;

  constructor(
    cluster: ClusterDetails,
    credential: CredentialSource,
    options: { requestTimeoutMs: number },
  ) {
    this.name = cluster.name;
    this.credentialHint = credentialHintFor(cluster);
    const kc = kubeConfigFor(cluster, credential);
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.core = kc.makeApiClient(CoreV1Api);
    this.apis = kc.makeApiClient(ApisApi);
    this.watcher = new Watch(kc);
    this.agent = keepAliveAgent(cluster);
    this.timeout = requestOptions(options.requestTimeoutMs, this.agent);
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw toClusterError(e, this.name, what, this.credentialHint);
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
            fieldSelector: `involvedObject.kind=${kind.kind},involvedObject.name=${name}`,
          },
          this.timeout,
        ),
    );
    return toKubeEvents(list.items as RawEvent[]);
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
    );
  }
}
