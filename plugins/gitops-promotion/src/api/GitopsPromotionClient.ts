import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  AllowedActions,
  ObjectAction,
  ObjectDetails,
  ObjectRef,
  PromotionHistoryPage,
  PromotionView,
  ValuesComparison,
} from '@gitops-promotion/backstage-plugin-common';
import { objectSegments } from '../util/refKey';
import { GitopsPromotionApi } from './GitopsPromotionApi';

const enc = encodeURIComponent;

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `v1/entities/${enc(namespace)}/${enc(kind)}/${enc(name)}`;
}

function objectPath(entityRef: string, ref: ObjectRef): string {
  return `${entityPath(entityRef)}/objects/${objectSegments(ref)
    .map(enc)
    .join('/')}`;
}

/** Talks to the gitops-promotion backend through the Backstage fetch API. @public */
export class GitopsPromotionClient implements GitopsPromotionApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  /** The last view and its ETag per URL: polling an unchanged view costs a 304. */
  private readonly views = new Map<
    string,
    { etag: string; view: PromotionView }
  >();

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getPromotionView(entityRef: string): Promise<PromotionView> {
    const url = await this.url(`${entityPath(entityRef)}/promotion`);
    const last = this.views.get(url);
    const response = await this.fetchApi.fetch(url, {
      headers: last ? { 'If-None-Match': last.etag } : {},
    });
    if (response.status === 304 && last) {
      return last.view;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const view: PromotionView = await response.json();
    const etag = response.headers.get('ETag');
    if (etag) {
      this.views.set(url, { etag, view });
    } else {
      this.views.delete(url);
    }
    return view;
  }

  async getObjectDetails(
    ref: ObjectRef,
    entityRef: string,
  ): Promise<ObjectDetails> {
    return this.get(await this.url(objectPath(entityRef, ref)));
  }

  async getAllowedActions(
    entityRef: string,
    environment?: string,
  ): Promise<AllowedActions> {
    const query = environment ? `?environment=${enc(environment)}` : '';
    return this.get(await this.url(`${entityPath(entityRef)}/actions${query}`));
  }

  async compareValues(
    entityRef: string,
    from: ObjectRef,
    to: ObjectRef,
  ): Promise<ValuesComparison> {
    const param = (ref: ObjectRef) => enc(objectSegments(ref).join('/'));
    return this.get(
      await this.url(
        `${entityPath(entityRef)}/values-diff?from=${param(from)}&to=${param(
          to,
        )}`,
      ),
    );
  }

  async getHistory(
    entityRef: string,
    page: { cursor?: string; limit?: number } = {},
  ): Promise<PromotionHistoryPage> {
    const query = new URLSearchParams();
    if (page.cursor) query.set('cursor', page.cursor);
    if (page.limit) query.set('limit', String(page.limit));
    const search = query.size > 0 ? `?${query}` : '';
    return this.get(
      await this.url(`${entityPath(entityRef)}/history${search}`),
    );
  }

  async runAction(
    entityRef: string,
    action: ObjectAction,
    ref: ObjectRef,
  ): Promise<{ message: string }> {
    const url = await this.url(
      `${objectPath(entityRef, ref)}/actions/${enc(action)}`,
    );
    const response = await this.fetchApi.fetch(url, { method: 'POST' });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }

  private async get<T>(url: string): Promise<T> {
    const response = await this.fetchApi.fetch(url);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }

  private async url(path: string): Promise<string> {
    const base = await this.discoveryApi.getBaseUrl('gitops-promotion');
    return `${base}/${path}`;
  }
}
