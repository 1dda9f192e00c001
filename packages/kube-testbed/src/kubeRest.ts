import https from 'node:https';

/** Where a cluster is and which bearer token to use. */
export interface KubeTarget {
  url: string;
  /** Base64 of the PEM CA bundle (as in a kubeconfig's certificate-authority-data). */
  caData: string;
  token: string;
}

/** A Kubernetes object as the API returns it (only what the testbed reads). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    generation?: number;
    resourceVersion?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ kind: string; name: string; uid: string }>;
    [field: string]: unknown;
  };
  spec?: Record<string, any>;
  status?: Record<string, any>;
  [field: string]: unknown;
}

/** Points at one object. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** A non-2xx answer, with the Status reason and message kube-apiserver sent. */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

/**
 * A small JSON client for kube-apiserver: enough for seeding and scenarios,
 * with kind → resource resolution through API discovery. Keep-alive sockets
 * make the concurrent bulk creates cheap.
 */
export class KubeRest {
  private readonly agent: https.Agent;
  private readonly discovery = new Map<string, Promise<ApiResource[]>>();

  constructor(private readonly target: KubeTarget) {
    this.agent = new https.Agent({
      ca: Buffer.from(target.caData, 'base64').toString('utf8'),
      keepAlive: true,
      maxSockets: 32,
    });
  }

  /** Sends one request; JSON in, JSON out; throws KubeApiError on non-2xx. */
  request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    const url = new URL(path, this.target.url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            Authorization: `Bearer ${this.target.token}`,
            Accept: 'application/json',
            ...(payload ? { 'Content-Type': contentType } : {}),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            let parsed: any = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON (e.g. /readyz answers "ok")
            }
            if (status >= 200 && status < 300) {
              resolve(parsed as T);
            } else {
              reject(
                new KubeApiError(
                  status,
                  parsed?.reason ?? '',
                  `${method} ${url.pathname}: ${status} ${
                    parsed?.message ?? text
                  }`,
                ),
              );
            }
          });
        },
      );
      req.on('error', error =>
        reject(
          new Error(`${method} ${url.href}: ${error.message}`, {
            cause: error,
          }),
        ),
      );
      req.end(payload);
    });
  }

  /** The collection path of a kind, e.g. /apis/g/v/namespaces/ns/releases. */
  async collectionPath(
    apiVersion: string,
    kind: string,
    namespace?: string,
  ): Promise<string> {
    const resource = await this.resource(apiVersion, kind);
    const base = apiVersion.includes('/')
      ? `/apis/${apiVersion}`
      : `/api/${apiVersion}`;
    if (!resource.namespaced) {
      return `${base}/${resource.name}`;
    }
    if (!namespace) {
      throw new Error(`${kind} ${apiVersion} is namespaced: give a namespace`);
    }
    return `${base}/namespaces/${namespace}/${resource.name}`;
  }

  /** The path of one object, or of its subresource (e.g. "status"). */
  async objectPath(ref: ObjectRef, subresource?: string): Promise<string> {
    const collection = await this.collectionPath(
      ref.apiVersion,
      ref.kind,
      ref.namespace,
    );
    return `${collection}/${ref.name}${subresource ? `/${subresource}` : ''}`;
  }

  /** Whether the kind has a /status subresource (CRDs declaring one do). */
  async hasStatusSubresource(apiVersion: string, kind: string) {
    const resource = await this.resource(apiVersion, kind);
    const resources = await this.discover(apiVersion);
    return resources.some(r => r.name === `${resource.name}/status`);
  }

  get<T = KubeObject>(ref: ObjectRef): Promise<T> {
    return this.objectPath(ref).then(path => this.request<T>('GET', path));
  }

  /** JSON merge patch (RFC 7386) of the object or one of its subresources. */
  async mergePatch(ref: ObjectRef, patch: unknown, subresource?: string) {
    const path = await this.objectPath(ref, subresource);
    return this.request<KubeObject>(
      'PATCH',
      path,
      patch,
      'application/merge-patch+json',
    );
  }

  /** Forgets discovery, e.g. after installing CRDs. */
  resetDiscovery() {
    this.discovery.clear();
  }

  close() {
    this.agent.destroy();
  }

  private async resource(apiVersion: string, kind: string) {
    const found = (await this.discover(apiVersion)).find(
      r => r.kind === kind && !r.name.includes('/'),
    );
    if (!found) {
      throw new KubeApiError(
        404,
        'NotFound',
        `${kind} is not served at ${apiVersion} on ${this.target.url}`,
      );
    }
    return found;
  }

  private discover(apiVersion: string): Promise<ApiResource[]> {
    let resources = this.discovery.get(apiVersion);
    if (!resources) {
      const path = apiVersion.includes('/')
        ? `/apis/${apiVersion}`
        : `/api/${apiVersion}`;
      resources = this.request<{ resources: ApiResource[] }>('GET', path)
        .then(list => list.resources)
        .catch(error => {
          this.discovery.delete(apiVersion);
          throw error;
        });
      this.discovery.set(apiVersion, resources);
    }
    return resources;
  }
}

/** Runs fn with a client, closing its sockets afterwards. */
export async function withKubeRest<T>(
  target: KubeTarget,
  fn: (client: KubeRest) => Promise<T>,
): Promise<T> {
  const client = new KubeRest(target);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/** Runs fn over items with at most `limit` calls in flight. */
export async function mapConcurrent<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}
