import {
  buildPromotionView,
  classifyObject,
  ClusterData,
  ClusterError,
  EnvironmentConfig,
  entitySelectors,
  findKindByPlural,
  KubeEvent,
  KubeObject,
  kindOf,
  ObjectDetails,
  ObjectIndex,
  ObjectKind,
  objectRef,
  PromotionView,
} from '@gitops-promotion/backstage-plugin-common';
import { http, HttpResponse } from 'msw';

export const BASE_URL = 'http://example.com/api/gitops-promotion';

/** One cluster's cache as the backend would hold it. */
export interface FakeCluster {
  objects: KubeObject[];
  errors?: ClusterError[];
  /** Kinds never read from this cluster (it never answered for them). */
  missingKinds?: ObjectKind[];
}

/** What the backend knows: configured environments, the entity's annotations, the clusters. */
export interface Scenario {
  entityRef?: string;
  environments: EnvironmentConfig[];
  annotations: Record<string, string>;
  clusters: Record<string, FakeCluster>;
  /** Events per object, keyed `cluster/Kind/namespace/name`. */
  events?: Record<string, KubeEvent[]>;
}

function clusterData(cluster: FakeCluster): ClusterData {
  const store = new ObjectIndex();
  for (const obj of cluster.objects) store.upsert(kindOf(obj)!, obj);
  const missing = cluster.missingKinds ?? [];
  return {
    store,
    errors: cluster.errors ?? [],
    hasData: kind => !missing.includes(kind),
  };
}

/** The view the backend would send, built with the common package's real builder. */
export function buildView(scenario: Scenario): PromotionView {
  const { selectors, problems } = entitySelectors(scenario.annotations);
  return buildPromotionView({
    entityRef: scenario.entityRef ?? 'component:default/podinfo',
    environments: scenario.environments,
    selectors,
    annotationProblems: problems,
    clusters: new Map(
      Object.entries(scenario.clusters).map(([name, c]) => [
        name,
        clusterData(c),
      ]),
    ),
    now: new Date(),
  });
}

interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body?: unknown;
  /** Date.now() when it arrived: Jest's clock in tests with fake timers. */
  at: number;
}

/**
 * The backend's HTTP API at the msw boundary: the promotion view with
 * ETag / If-None-Match, the object endpoint, and the actions.
 */
export class FakeBackend {
  readonly requests: RecordedRequest[] = [];
  private scenario: Scenario;
  private view: PromotionView;
  private version = 1;
  private failure?: { status: number; name: string; message: string };

  constructor(scenario: Scenario) {
    this.scenario = scenario;
    this.view = buildView(scenario);
  }

  /** The clusters changed: the next poll gets a new view and ETag. */
  update(scenario: Scenario) {
    this.scenario = scenario;
    this.view = buildView(scenario);
    this.version += 1;
  }

  /** Every request fails from now on, as Backstage's error handler answers. */
  fail(status: number, name: string, message: string) {
    this.failure = { status, name, message };
  }

  get currentView(): PromotionView {
    return this.view;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter(r => r.url.pathname.endsWith(path));
  }

  handlers() {
    return [
      http.get(
        `${BASE_URL}/v1/entities/:namespace/:kind/:name/promotion`,
        ({ request }) => {
          this.record(request);
          if (this.failure) return this.error();
          const etag = `"view-${this.version}"`;
          if (request.headers.get('If-None-Match') === etag) {
            return new HttpResponse(null, { status: 304 });
          }
          return HttpResponse.json(this.view, { headers: { ETag: etag } });
        },
      ),
      http.get(
        `${BASE_URL}/v1/clusters/:cluster/objects/:group/:version/:plural/:namespace/:name`,
        ({ request, params }) => {
          this.record(request);
          const details = this.details(params as Record<string, string>);
          if (!new URL(request.url).searchParams.get('entity')) {
            return HttpResponse.json(
              { error: { name: 'InputError', message: 'entity is required' } },
              { status: 400 },
            );
          }
          return details
            ? HttpResponse.json(details)
            : HttpResponse.json(
                { error: { name: 'NotFoundError', message: 'no such object' } },
                { status: 404 },
              );
        },
      ),
      http.post(
        `${BASE_URL}/v1/entities/:namespace/:kind/:name/actions/:action`,
        async ({ request, params }) => {
          const body = (await request.clone().json()) as {
            ref?: { kind?: string };
          };
          this.record(request, body);
          if (this.failure) return this.error();
          // As the real backend: a KuboCD Release has no reconcile request.
          if (params.action === 'reconcile' && body.ref?.kind === 'Release') {
            return HttpResponse.json(
              {
                error: {
                  name: 'InputError',
                  message: 'KuboCD has no reconcile request for a Release',
                },
                response: { statusCode: 400 },
              },
              { status: 400 },
            );
          }
          return HttpResponse.json(
            { message: `${params.action} requested` },
            { status: 202 },
          );
        },
      ),
    ];
  }

  private record(request: Request, body?: unknown) {
    this.requests.push({
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body,
      at: Date.now(),
    });
  }

  private error() {
    const { status, name, message } = this.failure!;
    return HttpResponse.json(
      {
        error: { name, message },
        request: { method: 'GET', url: '/' },
        response: { statusCode: status },
      },
      { status },
    );
  }

  private details(p: Record<string, string>): ObjectDetails | undefined {
    const kind = findKindByPlural(p.group, p.plural)?.kind;
    const obj = this.scenario.clusters[p.cluster]?.objects.find(
      o =>
        kindOf(o) === kind &&
        o.metadata.namespace === p.namespace &&
        o.metadata.name === p.name,
    );
    if (!kind || !obj) return undefined;
    return {
      ref: objectRef(p.cluster, kind, p.namespace, p.name, obj),
      object: obj,
      classification: classifyObject(obj),
      events:
        this.scenario.events?.[
          `${p.cluster}/${kind}/${p.namespace}/${p.name}`
        ] ?? [],
    };
  }
}
