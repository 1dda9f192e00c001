import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { PromotionView } from '@gitops-promotion/backstage-plugin-common';
import {
  bounded,
  callerOf,
  entityParamsOf,
  firstOf,
  PromotionActionsContext,
  requireSelectors,
  entityRefInput,
} from './shared';

/**
 * The most clusters named per list: a 200-cluster sandbox that goes stale
 * must not make a status answer of thousands of lines; the rest are counted.
 */
const MAX_LISTED = 20;
/** A label selector may match hundreds of workloads: the rest are counted. */
const MAX_WORKLOADS = 50;

const listed = <T>(items: T[]) => firstOf(items, MAX_LISTED);

/** The status an assistant needs from a view: no chains, no conditions. */
export function promotionStatusOf(view: PromotionView) {
  const errors = listed(view.clusterErrors);
  const workloads = firstOf(view.workloads, MAX_WORKLOADS);
  return {
    entityRef: view.entityRef,
    environments: view.environments.map(e => e.name),
    workloads: workloads.items.map(w => ({
      kind: w.kind,
      name: w.name,
      environments: w.cells.map(c => {
        const stale = listed(
          c.clusters
            .filter(k => k.staleSince)
            .map(k => ({ cluster: k.cluster, staleSince: k.staleSince! })),
        );
        const unavailable = listed(c.unavailableIn);
        return {
          environment: c.environment,
          state: c.state,
          version: bounded(c.version, 200),
          targetVersion: bounded(c.targetVersion, 200),
          mixedVersions: c.mixedVersions,
          readyClusters: c.readyClusters,
          totalClusters: c.totalClusters,
          staleClusters: stale.items,
          ...(stale.omitted && { staleClustersOmitted: stale.omitted }),
          unavailableIn: unavailable.items,
          ...(unavailable.omitted && {
            unavailableOmitted: unavailable.omitted,
          }),
        };
      }),
      pendingPromotions: w.promotions
        .filter(p => p.relation === 'behind')
        .map(p => ({
          from: p.from,
          to: p.to,
          fromVersion: bounded(p.fromVersion, 200),
          toVersion: bounded(p.toVersion, 200),
          behindBy: p.behindBy,
        })),
    })),
    clusterErrors: errors.items.map(e => ({
      cluster: e.cluster,
      type: e.type,
      kind: e.kind,
      message: bounded(e.message, 500)!,
      since: e.since,
      lastSyncedAt: e.lastSyncedAt,
    })),
    ...(workloads.omitted && { workloadsOmitted: workloads.omitted }),
    ...(errors.omitted && { clusterErrorsOmitted: errors.omitted }),
    generatedAt: view.generatedAt,
  };
}

export function registerGetPromotionStatus(
  registry: ActionsRegistryService,
  { service }: PromotionActionsContext,
) {
  registry.register({
    name: 'get-promotion-status',
    title: 'Get promotion status',
    description:
      'For a catalog entity (for example component:default/shop), the version and state of each of its Flux or KuboCD workloads in each environment, the promotions waiting to reach the next environment, and the clusters whose data is stale or unreadable. Answers from the plugin caches; needs gitops-promotion.view on the entity.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefInput(z.string()),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          environments: z.array(z.string()).describe('In promotion order'),
          workloads: z
            .array(
              z.object({
                kind: z.string(),
                name: z.string(),
                environments: z.array(
                  z.object({
                    environment: z.string(),
                    state: z
                      .string()
                      .describe(
                        'Ready, Progressing, Failed, Suspended, Unknown or NotDeployed',
                      ),
                    version: z.string().optional(),
                    targetVersion: z
                      .string()
                      .optional()
                      .describe('Being rolled out'),
                    mixedVersions: z.boolean(),
                    readyClusters: z.number(),
                    totalClusters: z.number(),
                    staleClusters: z
                      .array(
                        z.object({
                          cluster: z.string(),
                          staleSince: z.string(),
                        }),
                      )
                      .describe(`The first ${MAX_LISTED}`),
                    staleClustersOmitted: z
                      .number()
                      .optional()
                      .describe('How many more stale clusters there are'),
                    unavailableIn: z
                      .array(z.string())
                      .describe(
                        `Clusters that never answered (state unknown there), the first ${MAX_LISTED}`,
                      ),
                    unavailableOmitted: z
                      .number()
                      .optional()
                      .describe('How many more clusters never answered'),
                  }),
                ),
                pendingPromotions: z.array(
                  z.object({
                    from: z.string(),
                    to: z.string(),
                    fromVersion: z.string().optional(),
                    toVersion: z.string().optional(),
                    behindBy: z.number().optional(),
                  }),
                ),
              }),
            )
            .describe(`The first ${MAX_WORKLOADS}, in the view's order`),
          workloadsOmitted: z
            .number()
            .optional()
            .describe(
              'How many more workloads the entity has; explain-workload-failure answers for one by name',
            ),
          clusterErrors: z
            .array(
              z.object({
                cluster: z.string(),
                type: z.string(),
                kind: z.string().optional(),
                message: z.string(),
                since: z.string(),
                lastSyncedAt: z.string().optional(),
              }),
            )
            .describe(`The first ${MAX_LISTED}`),
          clusterErrorsOmitted: z
            .number()
            .optional()
            .describe('How many more cluster errors there are'),
          generatedAt: z.string(),
        }),
    },
    action: async ({ input, credentials }) => {
      const view = requireSelectors(
        await service.view(
          callerOf(credentials),
          entityParamsOf(input.entityRef),
        ),
      );
      return { output: promotionStatusOf(view) };
    },
  });
}
