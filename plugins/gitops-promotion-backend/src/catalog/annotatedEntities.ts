import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { FilterPredicate } from '@backstage/filter-predicates';
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
  // A predicate (sent in a POST body): a Group overview's 500 owner refs in
  // a GET query string would pass the catalog's header limit.
  // Computed field names: TypeScript cannot tell them from `$` operators.
  const field = (path: string, value: unknown) =>
    ({ [path]: value } as FilterPredicate);
  const annotated: FilterPredicate = {
    $any: [...PROMOTION_ANNOTATIONS, ...KUBERNETES_FALLBACK_ANNOTATIONS].map(
      a => field(`metadata.annotations.${a}`, { $exists: true }),
    ),
  };
  const narrowed = Object.entries(options.narrowing ?? {}).map(
    ([path, value]) =>
      field(path, Array.isArray(value) ? { $in: value } : value),
  );
  const query: FilterPredicate = { $all: [annotated, ...narrowed] };
  let cursor: string | undefined;
  do {
    const page = await catalog.queryEntities(
      cursor
        ? { cursor, fields: options.fields, limit: options.pageSize }
        : {
            query,
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
