import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  OverviewRow,
  OverviewUnavailableEntity,
  PromotionStep,
} from '@gitops-promotion/backstage-plugin-common';
import {
  bounded,
  callerOf,
  entityRefOf,
  firstOf,
  PromotionActionsContext,
} from './shared';

/** Catalog entities per page, and the most one call looks at (entities, workloads). */
const BATCH_SIZE = 100;
const MAX_ENTITIES = 1000;
const MAX_ROWS = 5000;
/** Pending promotions listed per answer, the oldest first; the rest are counted. */
const MAX_PENDING = 100;

function refOf(value: string | undefined, defaultKind: string, field: string) {
  return value === undefined
    ? undefined
    : entityRefOf(value, { defaultKind, field });
}

/** What {@link pendingPromotionsOf} reads of an entity: a promotion view has it. */
interface EntityPromotions {
  entityRef: string;
  workloads: Array<{
    kind: string;
    name: string;
    promotions: PromotionStep[];
    cells: Array<{ environment: string; since?: string }>;
  }>;
}

/** Overview rows as {@link pendingPromotionsOf} reads them: a row is one workload. */
function rowsAsEntities(rows: OverviewRow[]): EntityPromotions[] {
  return rows.map(r => ({
    entityRef: r.entityRef,
    workloads: [
      {
        kind: r.workload.kind,
        name: r.workload.name,
        promotions: r.promotions,
        cells: r.cells,
      },
    ],
  }));
}

/**
 * Every promotion waiting in these views, the one waiting longest first:
 * its age is how long the upstream environment has been in the state
 * that runs the newer version.
 */
/** Entities left out that an answer names. */
const MAX_UNAVAILABLE = 20;

/** The entities left out, as the action names them (their titles are the catalog's). */
const unavailableOf = (entities: OverviewUnavailableEntity[]) =>
  firstOf(entities, MAX_UNAVAILABLE).items.map(({ entityRef, message }) => ({
    entityRef,
    message,
  }));

export function pendingPromotionsOf(views: EntityPromotions[]) {
  const pending = views.flatMap(view =>
    view.workloads.flatMap(w =>
      w.promotions
        .filter(p => p.relation === 'behind')
        .map(p => ({
          entityRef: view.entityRef,
          workload: { kind: w.kind, name: w.name },
          from: p.from,
          to: p.to,
          fromVersion: bounded(p.fromVersion, 200),
          toVersion: bounded(p.toVersion, 200),
          behindBy: p.behindBy,
          readyInFromSince: w.cells.find(c => c.environment === p.from)?.since,
        })),
    ),
  );
  pending.sort((a, b) =>
    (a.readyInFromSince ?? '\uffff').localeCompare(
      b.readyInFromSince ?? '\uffff',
    ),
  );
  const { items, omitted } = firstOf(pending, MAX_PENDING);
  return { pending: items, ...(omitted && { pendingOmitted: omitted }) };
}

export function registerListPendingPromotions(
  registry: ActionsRegistryService,
  { service }: PromotionActionsContext,
) {
  registry.register({
    name: 'list-pending-promotions',
    title: 'List pending promotions',
    description:
      'What waits to reach the next environment (a newer version upstream than downstream), the oldest first, for the components an owner owns (a group: with its child groups, as its promotion overview) or a system contains, or for every component the caller may view when neither is given. Reads the catalog as the caller; only components with gitops-promotion.view are included.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          owner: z
            .string()
            .min(1)
            .max(400)
            .optional()
            .describe(
              'Group ref, e.g. group:default/team-a or team-a (its child groups count too)',
            ),
          system: z
            .string()
            .min(1)
            .max(400)
            .optional()
            .describe('System ref, e.g. system:default/shop or shop'),
        }),
      output: z =>
        z.object({
          pending: z
            .array(
              z.object({
                entityRef: z.string(),
                workload: z.object({ kind: z.string(), name: z.string() }),
                from: z.string(),
                to: z.string(),
                fromVersion: z.string().optional(),
                toVersion: z.string().optional(),
                behindBy: z.number().optional(),
                readyInFromSince: z
                  .string()
                  .optional()
                  .describe(
                    'Since when the upstream environment is in its current state',
                  ),
              }),
            )
            .describe(`The ${MAX_PENDING} waiting longest`),
          pendingOmitted: z
            .number()
            .optional()
            .describe(
              'How many more promotions wait; narrow by owner or system to see them',
            ),
          entitiesChecked: z.number(),
          unavailable: z
            .array(z.object({ entityRef: z.string(), message: z.string() }))
            .describe(
              `Entities whose promotion view could not be built (the first ${MAX_UNAVAILABLE}): their promotions are not listed`,
            ),
          truncated: z
            .boolean()
            .describe(
              `True when more than ${MAX_ENTITIES} entities (or ${MAX_ROWS} workloads) matched; narrow by owner or system`,
            ),
        }),
    },
    action: async ({ input, credentials }) => {
      const ownerRef = refOf(input.owner, 'group', 'owner');
      const owner = ownerRef && stringifyEntityRef(ownerRef);
      const systemRef = refOf(input.system, 'system', 'system');
      const system = systemRef && stringifyEntityRef(systemRef);
      const caller = callerOf(credentials);
      const bounds = {
        batchSize: BATCH_SIZE,
        maxEntities: MAX_ENTITIES,
        maxRows: MAX_ROWS,
      };
      const ownerGroup =
        ownerRef?.kind.toLocaleLowerCase('en-US') === 'group'
          ? ownerRef
          : undefined;
      if (ownerGroup) {
        // The Group overview's own read (its child groups' components too),
        // so both list the same components; a system narrows the catalog's
        // read, so the counts are of what is listed.
        const overview = await service.overview(
          caller,
          ownerGroup,
          bounds,
          system ? { 'relations.partOf': system } : {},
        );
        return {
          output: {
            ...pendingPromotionsOf(rowsAsEntities(overview.rows)),
            entitiesChecked: overview.entitiesChecked,
            unavailable: unavailableOf(overview.unavailable),
            truncated: overview.truncated,
          },
        };
      }
      // Components only, as the overviews: a System's is this same filter.
      const { entries, unavailable, truncated } = await service.views(
        caller,
        {
          kind: 'component',
          ...(owner ? { 'relations.ownedBy': owner } : {}),
          ...(system ? { 'relations.partOf': system } : {}),
        },
        bounds,
      );
      const views = entries.map(e => e.view);
      return {
        output: {
          ...pendingPromotionsOf(views),
          entitiesChecked: views.length + unavailable.length,
          unavailable: unavailableOf(unavailable),
          truncated,
        },
      };
    },
  });
}
