import http from 'node:http';
import {
  CellDetail,
  KubeObject,
  PromotionOverview,
  PromotionViewSummary,
} from '@gitops-promotion/backstage-plugin-common';
import { KINDS } from '@gitops-promotion/backstage-plugin-common/server';
import { sendJson } from './sendJson';

/** The nine kinds, as the Kubernetes plugin's custom resource query names them. */
export const CUSTOM_RESOURCES = Object.values(KINDS).map(k => ({
  group: k.group,
  apiVersion: k.versions[0],
  plural: k.plural,
}));

export interface Timed<T = unknown> {
  status: number;
  ms: number;
  bytes: number;
  /** The answer, parsed on first read (the timed views never parse theirs). */
  readonly body: T;
}

/** An entity's routes under the gitops-promotion API. */
function promotionPath(entityRef: string) {
  const [kind, rest] = entityRef.split(':');
  const [namespace, name] = rest.split('/');
  return `/api/gitops-promotion/v1/entities/${namespace}/${kind}/${name}`;
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
  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Timed<T>> {
    const { status, ms, buffer } = await sendJson({
      base: this.base,
      agent: this.agent,
      token: this.token,
      method,
      path,
      body,
    });
    let parsed: { value: unknown } | undefined;
    return {
      status,
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
        return parsed.value as T;
      },
    };
  }

  /** A page view of the Promotion tab. */
  promotion(entityRef: string): Promise<Timed<PromotionViewSummary>> {
    return this.request('GET', `${promotionPath(entityRef)}/promotion`);
  }

  /** One cell of an entity's view with `cluster` in full (the drill-down's answer). */
  cell(
    entityRef: string,
    environment: string,
    workloadId: string,
    cluster: string,
  ): Promise<Timed<CellDetail>> {
    const [kind, name] = workloadId.split('/');
    return this.request(
      'GET',
      `${promotionPath(
        entityRef,
      )}/cells/${environment}/${kind}/${name}?cluster=${encodeURIComponent(
        cluster,
      )}`,
    );
  }

  /** The promotion overview of a Group's or System's components. */
  overview(entityRef: string): Promise<Timed<PromotionOverview>> {
    return this.request('GET', `${promotionPath(entityRef)}/overview`);
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
    resources: Array<{ type: string; resources: KubeObject[] }>;
  }>;
}
