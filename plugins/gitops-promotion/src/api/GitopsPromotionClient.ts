import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  AllowedActions,
  CellDetail,
  ObjectAction,
  ObjectDetails,
  ObjectRef,
  PromotionHistoryPage,
  PromotionOverview,
  PromotionViewSummary,
  ValuesComparison,
  objectRouteParams,
} from '@gitops-promotion/backstage-plugin-common';
import {
  CellDetail as CellDetailBody,
  DefaultApiClient,
  PromotionOverview as PromotionOverviewBody,
  PromotionViewSummary as PromotionViewSummaryBody,
  TypedResponse,
} from '../schema/openapi';
import { objectSegments } from '../util/refKey';
import { GitopsPromotionApi } from './GitopsPromotionApi';

function entityPath(entityRef: string) {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return { namespace, kind, name };
}

function objectPath(entityRef: string, ref: ObjectRef) {
  return { ...entityPath(entityRef), ...objectRouteParams(ref) };
}

/** Answers kept for If-None-Match: a tab's views and the cells opened in it. */
const MAX_TAGGED = 200;

/** How a query parameter names an object: as the path does, joined with `/`. */
const objectQuery = (ref: ObjectRef) => objectSegments(ref).join('/');

async function ok<T>(response: TypedResponse<T>): Promise<T> {
  if (!response.ok) {
    throw await ResponseError.fromResponse(response as Response);
  }
  return response.json();
}

/**
 * Talks to the gitops-promotion backend through the Backstage fetch API,
 * with the client generated from the backend's OpenAPI spec
 * (src/schema/openapi, `yarn generate:openapi`). @public
 */
export class GitopsPromotionClient implements GitopsPromotionApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private readonly api: DefaultApiClient;
  /**
   * The last answer and its ETag per URL (page views and opened cells):
   * polling an unchanged one costs a 304. The oldest go past MAX_TAGGED.
   */
  private readonly tagged = new Map<string, { etag: string; body: unknown }>();

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    this.api = new DefaultApiClient(options);
  }

  async getPromotionView(entityRef: string): Promise<PromotionViewSummary> {
    return this.getTagged<PromotionViewSummaryBody>(
      `${await this.entityUrl(entityRef)}/promotion`,
    );
  }

  async getCellDetail(
    entityRef: string,
    environment: string,
    workload: string,
    cluster?: string,
  ): Promise<CellDetail> {
    const [kind, name] = workload.split('/');
    const enc = encodeURIComponent;
    return this.getTagged<CellDetailBody>(
      `${await this.entityUrl(entityRef)}/cells/${enc(environment)}/${enc(
        kind,
      )}/${enc(name)}${cluster ? `?cluster=${enc(cluster)}` : ''}`,
    );
  }

  async getOverview(scopeRef?: string): Promise<PromotionOverview> {
    return this.getTagged<PromotionOverviewBody>(
      scopeRef
        ? `${await this.entityUrl(scopeRef)}/overview`
        : `${await this.discoveryApi.getBaseUrl(
            'gitops-promotion',
          )}/v1/overview`,
    );
  }

  private async entityUrl(entityRef: string): Promise<string> {
    const base = await this.discoveryApi.getBaseUrl('gitops-promotion');
    const { namespace, kind, name } = entityPath(entityRef);
    const enc = encodeURIComponent;
    return `${base}/v1/entities/${enc(namespace)}/${enc(kind)}/${enc(name)}`;
  }

  /**
   * GET with If-None-Match: a 304 hands back the answer held. Not through
   * the generated client: it sends header parameters under their
   * camelCased names (ifNoneMatch), not as If-None-Match. Callers name the
   * spec's answer type, so the compiler holds it to the common package's.
   */
  private async getTagged<T>(url: string): Promise<T> {
    const last = this.tagged.get(url);
    const response = await this.fetchApi.fetch(url, {
      headers: last ? { 'If-None-Match': last.etag } : {},
    });
    if (response.status === 304 && last) {
      return last.body as T;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const body: T = await response.json();
    const etag = response.headers.get('ETag');
    if (etag) {
      this.tagged.delete(url);
      this.tagged.set(url, { etag, body });
      if (this.tagged.size > MAX_TAGGED) {
        this.tagged.delete(this.tagged.keys().next().value!);
      }
    } else {
      this.tagged.delete(url);
    }
    return body;
  }

  async getObjectDetails(
    ref: ObjectRef,
    entityRef: string,
  ): Promise<ObjectDetails> {
    return ok(
      await this.api.getObjectDetails({ path: objectPath(entityRef, ref) }),
    );
  }

  async getAllowedActions(
    entityRef: string,
    environment?: string,
    workload?: string,
  ): Promise<AllowedActions> {
    return ok(
      await this.api.getAllowedActions({
        path: entityPath(entityRef),
        query: {
          ...(environment ? { environment } : {}),
          ...(workload ? { workload } : {}),
        },
      }),
    );
  }

  async compareValues(
    entityRef: string,
    from: ObjectRef,
    to: ObjectRef,
  ): Promise<ValuesComparison> {
    return ok(
      await this.api.compareValues({
        path: entityPath(entityRef),
        query: { fromObject: objectQuery(from), toObject: objectQuery(to) },
      }),
    );
  }

  async getHistory(
    entityRef: string,
    page: { cursor?: string; limit?: number } = {},
  ): Promise<PromotionHistoryPage> {
    return ok(
      await this.api.getPromotionHistory({
        path: entityPath(entityRef),
        query: page,
      }),
    );
  }

  async runAction(
    entityRef: string,
    action: ObjectAction,
    ref: ObjectRef,
  ): Promise<{ message: string }> {
    return ok(
      await this.api.runAction({
        path: { ...objectPath(entityRef, ref), action },
      }),
    );
  }
}
