import {
  actionDone,
  actionRefusal,
  AllowedActions,
  ClusterError,
  KubeEvent,
  KubeObject,
  OBJECT_ACTIONS,
  ObjectAction,
  ObjectDetails,
  ObjectKind,
  PromotionHistoryEntry,
  PromotionHistoryPage,
  PromotionOverview,
  PromotionView,
  ValuesComparison,
} from '@gitops-promotion/backstage-plugin-common';
import {
  buildPromotionOverview,
  buildCellDetail,
  buildPromotionView,
  BuildPromotionViewOptions,
  changedKeys,
  classifyObject,
  ClusterData,
  EnvironmentConfig,
  entitySelectors,
  findKindByPlural,
  kindOf,
  linksOfView,
  LocatedLink,
  locateLink,
  ObjectIndex,
  objectRef,
  redactSecrets,
  summarizeView,
  valuesDocument,
} from '@gitops-promotion/backstage-plugin-common/server';
import { Entity } from '@backstage/catalog-model';
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

const clustersOf = (scenario: Scenario) =>
  new Map(
    Object.entries(scenario.clusters).map(([name, c]) => [
      name,
      clusterData(c),
    ]),
  );

function optionsOf(scenario: Scenario): BuildPromotionViewOptions {
  const { selectors, problems } = entitySelectors(scenario.annotations);
  return {
    entityRef: scenario.entityRef ?? 'component:default/podinfo',
    environments: scenario.environments,
    selectors,
    annotationProblems: problems,
    clusters: clustersOf(scenario),
    now: new Date(),
  };
}

/**
 * The view in full, built with the common package's real builder: the
 * backend answers its summary (summarizeView) and its cells
 * (buildCellDetail).
 */
export function buildView(scenario: Scenario): PromotionView {
  return buildPromotionView(optionsOf(scenario));
}

/**
 * The overview the backend would send for these entities, each with its
 * scenario's clusters, built with the common package's real builders; the
 * first scenario's environments are the overview's.
 */
export function buildOverview(
  entries: Array<{ entity: Entity; scenario: Scenario }>,
): PromotionOverview {
  return buildPromotionOverview({
    environments: entries[0].scenario.environments,
    entries: entries.map(({ entity, scenario }) => ({
      entity,
      view: buildView({
        ...scenario,
        entityRef: `component:default/${entity.metadata.name}`,
      }),
    })),
    truncated: false,
    now: new Date(),
  });
}

/** Why the permission policy refuses an action on a link, or undefined when it allows it. */
export type Policy = (
  action: ObjectAction,
  link: LocatedLink,
) => string | undefined;

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
 * ETag / If-None-Match, the object endpoint, the values diff, what the
 * user may do (the common package's rules and a policy the test sets) and
 * the actions.
 */
export class FakeBackend {
  readonly requests: RecordedRequest[] = [];
  /** The history pages' nextCursor values, in the order given. */
  readonly givenCursors: string[] = [];
  private scenario: Scenario;
  private view: PromotionView;
  private version = 1;
  private failure?: {
    status: number;
    name: string;
    message: string;
    only?: (url: URL) => boolean;
  };
  private policy: Policy = () => undefined;
  private valuesReadable = true;
  private history: PromotionHistoryEntry[] = [];

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

  /** The journal's entries of the entity, in any order: served newest first. */
  setHistory(entries: PromotionHistoryEntry[]) {
    this.history = [...entries].sort((a, b) => b.at.localeCompare(a.at));
  }

  /** The policy the actions endpoint and the actions apply (allow all by default). */
  setPolicy(policy: Policy) {
    this.policy = policy;
  }

  /** The user lacks gitops-promotion.values.read from now on. */
  hideValues() {
    this.valuesReadable = false;
  }

  /**
   * Every request (or those `only` picks) fails from now on, as
   * Backstage's error handler answers.
   */
  fail(
    status: number,
    name: string,
    message: string,
    only?: (url: URL) => boolean,
  ) {
    this.failure = { status, name, message, only };
  }

  private fails(request: Request): boolean {
    return (
      !!this.failure &&
      (!this.failure.only || this.failure.only(new URL(request.url)))
    );
  }

  /** Requests answer again. */
  recover() {
    this.failure = undefined;
  }

  get currentView(): PromotionView {
    return this.view;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter(r => r.url.pathname.endsWith(path));
  }

  handlers() {
    const entity = `${BASE_URL}/v1/entities/:namespace/:kind/:name`;
    const object = `${entity}/objects/:cluster/:group/:version/:plural/:objectNamespace/:objectName`;
    return [
      http.get(`${entity}/promotion`, ({ request }) => {
        this.record(request);
        if (this.fails(request)) return this.error();
        const etag = `"view-${this.version}"`;
        if (request.headers.get('If-None-Match') === etag) {
          return new HttpResponse(null, { status: 304 });
        }
        return HttpResponse.json(summarizeView(this.view), {
          headers: { ETag: etag },
        });
      }),
      http.get(
        `${entity}/cells/:environment/:workloadKind/:workloadName`,
        ({ request, params }) => {
          this.record(request);
          if (this.fails(request)) return this.error();
          const { environment, workloadKind, workloadName } = params as Record<
            string,
            string
          >;
          const workload = `${workloadKind}/${workloadName}`;
          const cluster =
            new URL(request.url).searchParams.get('cluster') ?? undefined;
          const detail = buildCellDetail(
            optionsOf(this.scenario),
            environment,
            workload,
            cluster,
          );
          if (!detail) {
            return this.answer(
              404,
              'NotFoundError',
              `no cell ${workload} in ${environment}`,
            );
          }
          const etag = `"cell-${this.version}-${environment}-${workload}-${
            cluster ?? ''
          }"`;
          if (request.headers.get('If-None-Match') === etag) {
            return new HttpResponse(null, { status: 304 });
          }
          return HttpResponse.json(detail, { headers: { ETag: etag } });
        },
      ),
      http.get(object, ({ request, params }) => {
        this.record(request);
        if (this.fails(request)) return this.error();
        const details = this.details(params as Record<string, string>);
        return details
          ? HttpResponse.json(details)
          : this.answer(404, 'NotFoundError', 'no such object');
      }),
      http.get(`${entity}/actions`, ({ request }) => {
        this.record(request);
        if (this.fails(request)) return this.error();
        const query = new URL(request.url).searchParams;
        const environment = query.get('environment');
        const workload = query.get('workload');
        const view = {
          ...this.view,
          workloads: this.view.workloads.filter(
            w => !workload || w.id === workload,
          ),
        };
        const allowed: AllowedActions = {
          entityRef: this.view.entityRef,
          links: linksOfView(view)
            .filter(l => !environment || l.environment === environment)
            .map(l => ({
              ref: l.link.ref,
              environment: l.environment,
              actions: OBJECT_ACTIONS.map(action => {
                const reason = this.refusal(action, l);
                return reason
                  ? { action, allowed: false, reason }
                  : { action, allowed: true };
              }),
            })),
        };
        return HttpResponse.json(allowed);
      }),
      // Pages as the real backend gives them: `limit` entries, an opaque cursor.
      http.get(`${entity}/history`, ({ request }) => {
        this.record(request);
        if (this.fails(request)) return this.error();
        const query = new URL(request.url).searchParams;
        const limit = Number(query.get('limit') ?? 200);
        const start = Number(
          Buffer.from(query.get('cursor') ?? 'MA', 'base64url').toString(),
        );
        const entries = this.history.slice(start, start + limit);
        const nextCursor =
          start + limit < this.history.length
            ? Buffer.from(String(start + limit)).toString('base64url')
            : undefined;
        if (nextCursor) this.givenCursors.push(nextCursor);
        const page: PromotionHistoryPage = {
          entries,
          ...(nextCursor ? { nextCursor } : {}),
        };
        return HttpResponse.json(page);
      }),
      http.get(`${entity}/values-diff`, ({ request }) => {
        this.record(request);
        if (this.fails(request)) return this.error();
        const query = new URL(request.url).searchParams;
        const sides = ['fromObject', 'toObject'].map(p =>
          this.values(query.get(p)!),
        );
        const [from, to] = sides;
        const comparison: ValuesComparison = {
          from: {
            ...from.side,
            ...(this.valuesReadable && { document: from.redacted.value }),
          },
          to: {
            ...to.side,
            ...(this.valuesReadable && { document: to.redacted.value }),
          },
          changedKeys: changedKeys(from.document, to.document),
          redactedPaths: this.valuesReadable
            ? [...new Set(sides.flatMap(side => side.redacted.redactedPaths))]
            : [],
          ...(!this.valuesReadable && {
            valuesHidden: `Values are shown only with the permission gitops-promotion.values.read on ${this.view.entityRef}; the keys that differ are listed instead.`,
          }),
        };
        return HttpResponse.json(comparison);
      }),
      http.post(`${object}/actions/:action`, ({ request, params }) => {
        this.record(request);
        if (this.fails(request)) return this.error();
        const action = params.action as ObjectAction;
        const located = this.locate(params as Record<string, string>);
        if (!located) return this.answer(404, 'NotFoundError', 'not found');
        // As the real backend: a KuboCD Release has no reconcile request.
        const structural = actionRefusal(
          action,
          located.link,
          located.workload,
        );
        if (structural?.invalid) {
          return this.answer(400, 'InputError', structural.reason);
        }
        const reason = this.refusal(action, located);
        if (reason) return this.answer(403, 'NotAllowedError', reason);
        return HttpResponse.json(
          { message: actionDone(action, located.link.ref) },
          { status: 202 },
        );
      }),
    ];
  }

  private refusal(action: ObjectAction, l: LocatedLink): string | undefined {
    return (
      l.outside ??
      actionRefusal(action, l.link, l.workload)?.reason ??
      this.policy(action, l)
    );
  }

  private locate(p: Record<string, string>): LocatedLink | undefined {
    const data = clustersOf(this.scenario).get(p.cluster);
    return data
      ? locateLink({
          environments: this.scenario.environments,
          selectors: entitySelectors(this.scenario.annotations).selectors,
          data,
          ref: {
            cluster: p.cluster,
            group: p.group,
            plural: p.plural,
            namespace: p.objectNamespace,
            name: p.objectName,
          },
        })
      : undefined;
  }

  /** One side of a values comparison, named `cluster/group/version/plural/namespace/name`. */
  private values(address: string) {
    const [cluster, group, version, plural, objectNamespace, objectName] =
      address.split('/');
    const located = this.locate({
      cluster,
      group,
      plural,
      objectNamespace,
      objectName,
    })!;
    const objectOf = (ref: {
      kind: ObjectKind;
      namespace: string;
      name: string;
    }) =>
      this.scenario.clusters[cluster].objects.find(
        o =>
          kindOf(o) === ref.kind &&
          o.metadata.namespace === ref.namespace &&
          o.metadata.name === ref.name,
      )!;
    const document = valuesDocument(
      objectOf(located.link.ref),
      located.chain
        .filter(l => l.role === 'helmRelease' && l.found)
        .map(l => objectOf(l.ref)),
    );
    return {
      document,
      redacted: redactSecrets(document),
      side: {
        ref: { ...located.link.ref, version },
        environment: located.environment,
        digest: `spec-sha256:${JSON.stringify(document).length}`,
      },
    };
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
    return this.answer(status, name, message);
  }

  /** An error as Backstage's error handler answers it. */
  private answer(status: number, name: string, message: string) {
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
        o.metadata.namespace === p.objectNamespace &&
        o.metadata.name === p.objectName,
    );
    if (!kind || !obj) return undefined;
    return {
      ref: objectRef(p.cluster, kind, p.objectNamespace, p.objectName, obj),
      object: obj,
      classification: classifyObject(obj),
      events:
        this.scenario.events?.[
          `${p.cluster}/${kind}/${p.objectNamespace}/${p.objectName}`
        ] ?? [],
      hiddenFields: [],
      redactedPaths: [],
    };
  }
}
