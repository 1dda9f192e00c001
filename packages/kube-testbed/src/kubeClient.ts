import https from 'node:https';
import pLimit from 'p-limit';
import {
  KubeObjectMeta,
  ObjectRef as PluginObjectRef,
} from '@gitops-promotion/backstage-plugin-common';
import {
  ApiException,
  ApiextensionsV1Api,
  createConfiguration,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  ServerConfiguration,
  setHeaderOptions,
} from '@kubernetes/client-node';

/** Where a cluster is and which bearer token to use. */
export interface KubeTarget {
  url: string;
  /** Base64 of the PEM CA bundle (as in a kubeconfig's certificate-authority-data). */
  caData: string;
  token: string;
}

/**
 * A Kubernetes object as the testbed writes and reads it: the plugin's
 * object metadata (common package), with spec and status open, since the
 * testbed writes and plays the controllers of every kind (Secrets, Flux
 * sources, KuboCD Releases) with fields the plugin does not read.
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  // creationTimestamp and other times: Dates, as client-node deserializes them.
  metadata: Omit<KubeObjectMeta, 'creationTimestamp'> & {
    [field: string]: unknown;
  };
  spec?: Record<string, any>;
  status?: Record<string, any>;
  [field: string]: unknown;
}

/**
 * Points at one object as the Kubernetes API does (apiVersion and kind;
 * the plugin's ObjectRef names the resource instead: `apiRefOf` converts).
 */
export type ObjectRef = Pick<KubeObject, 'apiVersion' | 'kind'> &
  Pick<KubeObjectMeta, 'namespace' | 'name'>;

/** The API's reference of an object the plugin names (its `ObjectRef`). */
export function apiRefOf(ref: PluginObjectRef): ObjectRef {
  return {
    apiVersion: ref.group ? `${ref.group}/${ref.version}` : ref.version,
    kind: ref.kind,
    namespace: ref.namespace,
    name: ref.name,
  };
}

/** A kubeconfig for one user of a control plane. */
export function kubeConfig(target: KubeTarget): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'testbed', server: target.url, caData: target.caData }],
    users: [{ name: 'testbed', token: target.token }],
    contexts: [{ name: 'testbed', cluster: 'testbed', user: 'testbed' }],
    currentContext: 'testbed',
  });
  return kc;
}

/** The HTTP status of a failed client-node call, if the server answered. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** "409 Conflict: <the Status message>" instead of ApiException's headers dump. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiException)) {
    return (error as Error)?.message ?? String(error);
  }
  let body: any = error.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      // not a Status object: keep the text
    }
  }
  const detail = body?.message ?? (typeof body === 'string' ? body : '');
  const status = [error.code, body?.reason].filter(Boolean).join(' ');
  return `${status}: ${detail}`;
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/**
 * KubernetesObjectApi, which resolves kinds to resources through discovery,
 * also asked for what the status subresource calls of CustomObjectsApi need.
 */
class ObjectApi extends KubernetesObjectApi {
  /** group/version/plural of a custom resource, and whether it has /status. */
  async customResource(apiVersion: string, kind: string) {
    const resource = await this.resource(apiVersion, kind);
    const [group, version] = apiVersion.split('/');
    if (!resource || !version) {
      throw new Error(`${kind} ${apiVersion} is not a served custom resource`);
    }
    const hasStatus = this.apiVersionResourceCache[apiVersion].resources.some(
      r => r.name === `${resource.name}/status`,
    );
    return { group, version, plural: resource.name, hasStatus };
  }
}

/**
 * The client-node APIs the testbed uses, as one user of one control plane.
 * Objects are created, read and patched by apiVersion and kind; status goes
 * through the /status subresource, as controllers write it.
 */
export class KubeClient {
  readonly objects: ObjectApi;
  readonly custom: CustomObjectsApi;
  readonly extensions: ApiextensionsV1Api;
  private readonly agent: https.Agent;

  constructor(target: KubeTarget) {
    // client-node 1.4 makes a new https.Agent, so a new TLS connection, for
    // every request (kubernetes-client/javascript#2893): bulk creates took
    // 3x longer. A middleware hands every request one keep-alive agent.
    this.agent = new https.Agent({
      ca: Buffer.from(target.caData, 'base64'),
      keepAlive: true,
      maxSockets: 32,
    });
    const configuration = createConfiguration({
      baseServer: new ServerConfiguration(target.url, {}),
      authMethods: { default: kubeConfig(target) },
      promiseMiddleware: [
        {
          pre: async context => {
            context.setAgent(this.agent);
            return context;
          },
          post: async context => context,
        },
      ],
    });
    this.objects = new ObjectApi(configuration);
    this.custom = new CustomObjectsApi(configuration);
    this.extensions = new ApiextensionsV1Api(configuration);
  }

  /** Closes the kept-alive connections. */
  close() {
    this.agent.destroy();
  }

  create(object: KubeObject): Promise<KubeObject> {
    return this.objects.create(object) as Promise<KubeObject>;
  }

  read(ref: ObjectRef): Promise<KubeObject> {
    return this.objects.read(header(ref)) as Promise<KubeObject>;
  }

  /** JSON merge patch (RFC 7386) of the object. */
  mergePatch(ref: ObjectRef, patch: Record<string, unknown>) {
    const target = header(ref);
    return this.objects.patch(
      {
        ...target,
        ...patch,
        // The patch's metadata (labels, annotations) beside the name the request needs.
        metadata: { ...(patch.metadata as object), ...target.metadata },
      },
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    ) as Promise<KubeObject>;
  }

  async hasStatusSubresource(apiVersion: string, kind: string) {
    // Core kinds (Namespace, Event) live under /api, not CustomObjectsApi's
    // /apis paths; no fixture gives them a status.
    if (!apiVersion.includes('/')) {
      return false;
    }
    return (await this.objects.customResource(apiVersion, kind)).hasStatus;
  }

  /** Merge-patches the status through the /status subresource. */
  async patchStatus(ref: ObjectRef, status: Record<string, unknown>) {
    return (await this.custom.patchNamespacedCustomObjectStatus(
      { ...(await this.statusTarget(ref)), body: { status } },
      mergePatch,
    )) as KubeObject;
  }

  /** PUT /status: fails with 409 when the object changed since it was read. */
  async replaceStatus(object: KubeObject) {
    const { apiVersion, kind, metadata } = object;
    const ref = { apiVersion, kind, ...metadata };
    return (await this.custom.replaceNamespacedCustomObjectStatus({
      ...(await this.statusTarget(ref)),
      body: object,
    })) as KubeObject;
  }

  private async statusTarget(ref: ObjectRef) {
    if (!ref.namespace) {
      throw new Error(`${ref.kind} ${ref.name}: give a namespace`);
    }
    const { group, version, plural } = await this.objects.customResource(
      ref.apiVersion,
      ref.kind,
    );
    return { group, version, plural, namespace: ref.namespace, name: ref.name };
  }
}

/** Runs fn with a client, closing its connections afterwards. */
export async function withKubeClient<T>(
  target: KubeTarget,
  fn: (client: KubeClient) => Promise<T>,
): Promise<T> {
  const client = new KubeClient(target);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

function header(ref: ObjectRef) {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: { name: ref.name, namespace: ref.namespace },
  };
}

/** Runs fn over items with at most `limit` calls in flight, results in order. */
export function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const run = pLimit(limit);
  return Promise.all(items.map((item, index) => run(() => fn(item, index))));
}
