import http from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  KINDS,
  PromotionView,
} from '@gitops-promotion/backstage-plugin-common';

/** The seven kinds, as the Kubernetes plugin's custom resource query names them. */
export const CUSTOM_RESOURCES = Object.values(KINDS).map(k => ({
  group: k.group,
  apiVersion: k.versions[0],
  plural: k.plural,
}));

export interface Timed<T = any> {
  status: number;
  ms: number;
  bytes: number;
  /** The answer, parsed on first read (the timed views never parse theirs). */
  readonly body: T;
}

/** Calls the backend as the static external-access principal, on one keep-alive connection. */
export class BackendClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  private readonly base: URL;

  constructor(baseUrl: string, private readonly token: string) {
    this.base = new URL(baseUrl);
  }

  close() {
    this.agent.destroy();
  }

  /** Time from sending the request to the last byte of the answer (parsing not included). */
  request<T = any>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Timed<T>> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = http.request(
        {
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          agent: this.agent,
          headers: {
            Authorization: `Bearer ${this.token}`,
            Accept: 'application/json',
            ...(payload !== undefined
              ? {
                  'Content-Type': 'application/json',
                  'Content-Length': Buffer.byteLength(payload),
                }
              : {}),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => {
            const ms = performance.now() - started;
            const buffer = Buffer.concat(chunks);
            let parsed: { value: any } | undefined;
            resolve({
              status: res.statusCode ?? 0,
              ms,
              bytes: buffer.length,
              get body() {
                if (!parsed) {
                  const text = buffer.toString();
                  try {
                    parsed = { value: text ? JSON.parse(text) : undefined };
                  } catch {
                    parsed = { value: text };
                  }
                }
                return parsed.value;
              },
            });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** A page view of the Promotion tab. */
  promotion(entityRef: string): Promise<Timed<PromotionView>> {
    const [kind, rest] = entityRef.split(':');
    const [namespace, name] = rest.split('/');
    return this.request(
      'GET',
      `/api/gitops-promotion/v1/entities/${namespace}/${kind}/${name}/promotion`,
    );
  }

  /** What the Kubernetes plugin answers for the seven kinds of an entity. */
  kubernetesCustomQuery(entityRef: string): Promise<Timed<KubernetesResponse>> {
    return this.request('POST', '/api/kubernetes/resources/custom/query', {
      entityRef,
      customResources: CUSTOM_RESOURCES,
    });
  }

  entity(entityRef: string): Promise<Timed> {
    const [kind, rest] = entityRef.split(':');
    const [namespace, name] = rest.split('/');
    return this.request(
      'GET',
      `/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
    );
  }
}

/** The part of the Kubernetes plugin's answer the bench reads. */
export interface KubernetesResponse {
  items: Array<{
    cluster: { name: string };
    errors: unknown[];
    resources: Array<{ type: string; resources: any[] }>;
  }>;
}
