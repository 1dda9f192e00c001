import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { FilterPredicate } from '@backstage/filter-predicates';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { nameSome } from '../text/nameSome';

/** Groups a Group's overview reaches through its child groups, at the most. */
export const MAX_GROUPS = 500;
/** What a level's query reads of each group: its ref. */
const GROUP_FIELDS = ['kind', 'metadata.namespace', 'metadata.name'];
/** Levels of child groups followed (deeper trees are cut, with a warning). */
export const MAX_DEPTH = 10;
/** Deeper groups a cut warning names; the others are counted. */
const CUT_NAMES = 5;

/** Which entities an overview covers, as catalog filter fields. */
export type OverviewNarrowing =
  | { 'relations.ownedBy': string[] }
  | { 'relations.partOf': string };

/**
 * The catalog filter for the components a Group owns (its own, and those
 * of its child groups, level by level: one catalog query a level, as the
 * caller) or a System contains. Other kinds have no overview: their own
 * Promotion tab shows them. A tree deeper than {@link MAX_DEPTH} levels is
 * cut there, and `logger` is warned of the groups left out.
 */
export async function overviewNarrowing(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  entity: Entity,
  logger?: LoggerService,
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
  for (let depth = 0; level.length > 0; depth++) {
    const items = await childGroups(catalog, credentials, level);
    level = items.map(g => stringifyEntityRef(g)).filter(g => !groups.has(g));
    // One query past the limit tells a cut tree from one just that deep.
    if (depth === MAX_DEPTH && level.length > 0) {
      logger?.warn(
        `Promotion overview of ${ref}: child groups more than ${MAX_DEPTH} levels down are not followed; the components of ${nameSome(
          level,
          CUT_NAMES,
        )} and of their child groups are left out`,
      );
      break;
    }
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

/**
 * The groups whose parent is one of `parents`, page by page: a predicate
 * in a POST body, as a wide level's refs would not fit a GET query string.
 */
async function childGroups(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  parents: string[],
): Promise<Entity[]> {
  const query: FilterPredicate = {
    $all: [{ kind: 'group' }, { 'relations.childOf': { $in: parents } }],
  };
  const items: Entity[] = [];
  let cursor: string | undefined;
  do {
    const page = await catalog.queryEntities(
      cursor
        ? { cursor, fields: GROUP_FIELDS, limit: MAX_GROUPS }
        : {
            query,
            fields: GROUP_FIELDS,
            limit: MAX_GROUPS,
            totalItems: 'exclude',
          },
      { credentials },
    );
    items.push(...page.items);
    cursor = page.pageInfo.nextCursor;
    // More than the overview follows: the caller's bound decides.
  } while (cursor && items.length <= MAX_GROUPS);
  return items;
}
