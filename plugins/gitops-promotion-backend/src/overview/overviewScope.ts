import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** Groups a Group's overview reaches through its child groups, at the most. */
export const MAX_GROUPS = 500;
/** Levels of child groups followed (deeper trees are cut with a warning). */
const MAX_DEPTH = 10;

/** Which entities an overview covers, as catalog filter fields. */
export type OverviewNarrowing =
  | { 'relations.ownedBy': string[] }
  | { 'relations.partOf': string };

/**
 * The catalog filter for the components a Group owns (its own, and those
 * of its child groups, level by level: one catalog query a level, as the
 * caller) or a System contains. Other kinds have no overview: their own
 * Promotion tab shows them.
 */
export async function overviewNarrowing(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  entity: Entity,
): Promise<OverviewNarrowing> {
  const ref = stringifyEntityRef(entity);
  const kind = entity.kind.toLocaleLowerCase('en-US');
  if (kind === 'system') return { 'relations.partOf': ref };
  if (kind !== 'group') {
    throw new InputError(
      `${ref} is a ${entity.kind}: the promotion overview covers the components of a Group or a System; open the entity's Promotion tab instead`,
    );
  }
  const groups = new Set([ref]);
  let level = [ref];
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0; depth++) {
    const { items } = await catalog.getEntities(
      {
        filter: { kind: 'group', 'relations.childOf': level },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    );
    level = items.map(g => stringifyEntityRef(g)).filter(g => !groups.has(g));
    for (const g of level) {
      if (groups.size >= MAX_GROUPS) {
        throw new InputError(
          `${ref} has more than ${MAX_GROUPS} groups below it: open the overview of one of its child groups`,
        );
      }
      groups.add(g);
    }
  }
  return { 'relations.ownedBy': [...groups] };
}
