import { LoggerService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  ChainLink,
  describeRef,
  gitopsPromotionReconcileActionPermission,
  objectRouteParams,
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
import { clip } from '../../service/auditing';
import { Caller } from '../../service/caller';
import { nameSome } from '../../text/nameSome';

/**
 * The most clusters one call acts on: each object is a patch, a policy
 * decision and an audit event, one after the other; a 50-cluster sandbox
 * is reconciled cluster by cluster.
 */
const MAX_CLUSTERS = 10;

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

interface ReconcileInput {
  entityRef: string;
  workload: string;
  kind?: 'HelmRelease' | 'Kustomization' | 'Release';
  environment: string;
  cluster?: string;
}

interface ReconcileOutput {
  requested: Array<{ cluster: string; object: string; message: string }>;
  failed: Array<{ cluster: string; object: string; error: string }>;
}

export function registerReconcileWorkload(
  registry: ActionsRegistryService,
  { service, actions, auditing }: PromotionActionsContext,
) {
  /** Asks each object of the workload's chains, through the route's audited path. */
  async function reconcile(
    caller: Caller,
    input: ReconcileInput,
    logger: LoggerService,
  ): Promise<ReconcileOutput> {
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
    if (clusters.length > MAX_CLUSTERS) {
      const failing = clusters
        .filter(c => c.state === 'Failed')
        .map(c => c.cluster);
      throw new InputError(
        `${row.kind} ${row.name} runs in ${clusters.length} clusters of ${
          cell.environment
        }; reconcile-workload acts on ${MAX_CLUSTERS} at most: name one with cluster${
          failing.length > 0
            ? ` (failing: ${nameSome(failing, MAX_CLUSTERS)})`
            : ''
        }`,
      );
    }
    const targets = clusters.flatMap(c =>
      reconcileOrder(c.chain).map(link => ({ cluster: c.cluster, link })),
    );
    // The caller is asked once: one refused is refused before any object.
    const results = await actions.reconcileObjects(
      caller,
      entity,
      targets.map(t => objectRouteParams(t.link.ref)),
    );
    const output: ReconcileOutput = { requested: [], failed: [] };
    const refusals: Error[] = [];
    results.forEach((result, i) => {
      const { cluster, link } = targets[i];
      const object = describeRef(link.ref);
      if ('message' in result) {
        output.requested.push({ cluster, object, message: result.message });
        return;
      }
      const e = result.error;
      if (e.name === NotAllowedError.name) refusals.push(e);
      else logger.warn(`reconcile of ${object} in ${cluster} failed`, e);
      output.failed.push({ cluster, object, error: bounded(e.message, 500)! });
    });
    if (output.requested.length === 0 && output.failed.length === 0) {
      throw new InputError(
        `No object of ${row.kind} ${row.name}'s chain was found in ${clusters
          .map(c => c.cluster)
          .join(', ')}: nothing to reconcile; see explain-workload-failure`,
      );
    }
    // Refused everywhere (no permission, not a user): say so, as the route does.
    if (
      output.requested.length === 0 &&
      refusals.length === output.failed.length
    ) {
      throw refusals[0];
    }
    return output;
  }

  registry.register({
    name: 'reconcile-workload',
    title: 'Reconcile a workload',
    description: `Asks Flux to reconcile a workload of a catalog entity in an environment, with its source (as flux reconcile --with-source): sets reconcile.fluxcd.io/requestedAt on the source, chart and workload objects of its chain in each cluster of the environment (at most ${MAX_CLUSTERS}; name one cluster when it runs in more). Only for a signed-in user with gitops-promotion.reconcile on the entity, as the permission policy allows on each object; audited like the UI action.`,
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
      // One event for the request as asked, refused or not, beside the
      // event of each object's reconcile request (the route's).
      const asked = {
        queryType: 'reconcile-workload',
        entityRef: clip(input.entityRef),
        workload: clip(input.workload),
        environment: clip(input.environment),
        ...(input.cluster ? { cluster: clip(input.cluster) } : {}),
      };
      return auditing.run(caller, 'runAction', asked, async note => {
        const output = await reconcile(caller, input, logger);
        note({
          requested: output.requested.length,
          failed: output.failed.length,
        });
        return { output };
      });
    },
  });
}
