import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  ObjectAction,
  ObjectDetails,
  ObjectRef,
  PromotionView,
} from '@gitops-promotion/backstage-plugin-common';
import { GitopsPromotionApi } from './GitopsPromotionApi';

const enc = encodeURIComponent;

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `v1/entities/${enc(namespace)}/${enc(kind)}/${enc(name)}`;
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
    const path = [
      'v1/clusters',
      enc(ref.cluster),
      'objects',
      enc(ref.group),
      enc(ref.version),
      enc(ref.plural),
      enc(ref.namespace),
      enc(ref.name),
    ].join('/');
    const url = await this.url(`${path}?entity=${enc(entityRef)}`);
    const response = await this.fetchApi.fetch(url);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }

  async runAction(
    entityRef: string,
    action: ObjectAction,
    ref: ObjectRef,
  ): Promise<{ message: string }> {
    const url = await this.url(
      `${entityPath(entityRef)}/actions/${enc(action)}`,
    );
    const response = await this.fetchApi.fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ref }),
    });
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
