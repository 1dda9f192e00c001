import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError, NotAllowedError, toError } from '@backstage/errors';
import {
  ChainLink,
  describeRef,
  gitopsPromotionReconcileActionPermission,
} from '@gitops-promotion/backstage-plugin-common';
import {
  bounded,
  callerOf,
  cellOf,
  entityParamsOf,
  PromotionActionsContext,
  requireSelectors,
  workloadOf,
  entityRefInput,
} from './shared';

/**
 * The links `flux reconcile --with-source` asks again, in its order:
 * sources and charts first, then the HelmReleases and the workload; a
 * KuboCD Release has no reconcile request of its own.
 */
function reconcileOrder(chain: ChainLink[]): ChainLink[] {
  const first = (l: ChainLink) =>
    l.role === 'source' || l.role === 'chart' ? 0 : 1;
  return chain
    .filter(l => l.found && l.ref.kind !== 'Release')
    .sort((a, b) => first(a) - first(b));
}

export function registerReconcileWorkload(
  registry: ActionsRegistryService,
  { service, actions }: PromotionActionsContext,
) {
  registry.register({
    name: 'reconcile-workload',
    title: 'Reconcile a workload',
    description:
      'Asks Flux to reconcile a workload of a catalog entity in an environment, with its source (as flux reconcile --with-source): sets reconcile.fluxcd.io/requestedAt on the source, chart and workload objects of its chain in each cluster of the environment (or one cluster). Only for a signed-in user with gitops-promotion.reconcile on the entity, as the permission policy allows on each object; audited like the UI action.',
    attributes: { readOnly: false, idempotent: true, destructive: false },
    // Not listed to callers the policy does not let use it.
    visibilityPermission: gitopsPromotionReconcileActionPermission,
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefInput(z.string()),
          workload: z.string().min(1).max(253),
          kind: z.enum(['HelmRelease', 'Kustomization', 'Release']).optional(),
          environment: z.string().min(1).max(100),
          cluster: z
            .string()
            .min(1)
            .max(253)
            .optional()
            .describe('Only this cluster of the environment'),
        }),
      output: z =>
        z.object({
          requested: z.array(
            z.object({
              cluster: z.string(),
              object: z.string(),
              message: z.string(),
            }),
          ),
          failed: z.array(
            z.object({
              cluster: z.string(),
              object: z.string(),
              error: z.string(),
            }),
          ),
        }),
    },
    action: async ({ input, credentials, logger }) => {
      const caller = callerOf(credentials);
      const entity = entityParamsOf(input.entityRef);
      const view = requireSelectors(await service.view(caller, entity));
      const row = workloadOf(view, input.workload, input.kind);
      const cell = cellOf(view, row, input.environment);
      const clusters = cell.clusters.filter(
        c => input.cluster === undefined || c.cluster === input.cluster,
      );
      if (clusters.length === 0) {
        throw new InputError(
          input.cluster
            ? `${row.kind} ${row.name} does not run in cluster "${bounded(
                input.cluster,
                200,
              )}" of ${cell.environment}; it runs in ${
                cell.clusters.map(c => c.cluster).join(', ') || 'none'
              }`
            : `${row.kind} ${row.name} is not deployed in ${cell.environment}: nothing to reconcile`,
        );
      }
      const requested: Array<{
        cluster: string;
        object: string;
        message: string;
      }> = [];
      const failed: Array<{ cluster: string; object: string; error: string }> =
        [];
      const refusals: Error[] = [];
      for (const c of clusters) {
        for (const link of reconcileOrder(c.chain)) {
          const object = describeRef(link.ref);
          try {
            // The HTTP action route's path: same checks, same audit event.
            const { message } = await actions.runAction(caller, {
              ...entity,
              action: 'reconcile',
              cluster: link.ref.cluster,
              group: link.ref.group,
              version: link.ref.version,
              plural: link.ref.plural,
              objectNamespace: link.ref.namespace,
              objectName: link.ref.name,
            });
            requested.push({ cluster: c.cluster, object, message });
          } catch (error) {
            const e = toError(error);
            if (e.name === NotAllowedError.name) refusals.push(e);
            else
              logger.warn(`reconcile of ${object} in ${c.cluster} failed`, e);
            failed.push({
              cluster: c.cluster,
              object,
              error: bounded(toError(error).message, 500)!,
            });
          }
        }
      }
      // Refused everywhere (no permission, not a user): say so, as the route does.
      if (requested.length === 0 && refusals.length === failed.length) {
        throw refusals[0];
      }
      return { output: { requested, failed } };
    },
  });
}
