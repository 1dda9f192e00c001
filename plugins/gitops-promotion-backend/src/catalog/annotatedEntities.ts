import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  KUBERNETES_FALLBACK_ANNOTATIONS,
  PROMOTION_ANNOTATIONS,
} from '@gitops-promotion/backstage-plugin-common';

/**
 * The catalog entities with this plugin's or the Kubernetes plugin's
 * annotations that also match `narrowing` (catalog filter fields such as
 * `relations.ownedBy`), a page at a time, read with `credentials` (the
 * catalog's read permission applies to them), in name order; `fields`
 * limits what is read of each, on every page (the catalog takes them per
 * request, not from the cursor). No page counts the matches: nothing here
 * reads the total, and the catalog's count is a second query per page.
 */
export async function* annotatedEntities(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  options: {
    narrowing?: Record<string, string | string[]>;
    fields?: string[];
    pageSize: number;
  },
): AsyncGenerator<Entity[]> {
  let cursor: string | undefined;
  do {
    const page = await catalog.queryEntities(
      cursor
        ? { cursor, fields: options.fields, limit: options.pageSize }
        : {
            filter: [
              ...PROMOTION_ANNOTATIONS,
              ...KUBERNETES_FALLBACK_ANNOTATIONS,
            ].map(a => ({
              [`metadata.annotations.${a}`]: CATALOG_FILTER_EXISTS,
              ...options.narrowing,
            })),
            fields: options.fields,
            orderFields: { field: 'metadata.name', order: 'asc' },
            limit: options.pageSize,
            totalItems: 'exclude',
          },
      { credentials },
    );
    yield page.items;
    cursor = page.pageInfo.nextCursor;
  } while (cursor);
}
