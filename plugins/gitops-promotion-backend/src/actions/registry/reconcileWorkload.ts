import { LoggerService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  ChainLink,
  ClusterCell,
  describeRef,
  gitopsPromotionReconcileActionPermission,
  LINK_REASONS,
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

/** A link the view shows outside the environment's namespaces: refused, whoever asks. */
const outOfBounds = (l: ChainLink) =>
  l.classification.reason === LINK_REASONS.outOfBounds;

/** An object as the cluster knows it: one patch however many chains reach it. */
const objectKey = ({ ref }: ChainLink) =>
  JSON.stringify([ref.cluster, ref.group, ref.plural, ref.namespace, ref.name]);

/**
 * The links of a cluster's chains (one per namespace the workload runs
 * in) `flux reconcile --with-source` asks again, each once, in its order:
 * sources and charts first, then the HelmReleases and the workload; a
 * KuboCD Release has no reconcile request of its own.
 */
function reconcileOrder(chains: ChainLink[][]): ChainLink[] {
  const first = (l: ChainLink) =>
    l.role === 'source' || l.role === 'chart' ? 0 : 1;
  const links = new Map<string, ChainLink>();
  for (const link of chains.flat()) {
    if (!link.found || link.ref.kind === 'Release') continue;
    const key = objectKey(link);
    const known = links.get(key);
    // Out of one namespace's bounds, in another's: asked.
    if (!known || (outOfBounds(known) && !outOfBounds(link))) {
      links.set(key, link);
    }
  }
  return [...links.values()].sort((a, b) => first(a) - first(b));
}

/** Whose refusal tells the most: the workload's, then a Release's HelmRelease's. */
const refusalRank = (l: ChainLink) => {
  if (l.role === 'workload') return 0;
  return l.role === 'helmRelease' ? 1 : 2;
};

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
  skipped: Array<{ cluster: string; object: string; reason: string }>;
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
    // A cell per cluster and namespace: a cluster may hold several.
    const clusters = new Map<string, ClusterCell[]>();
    for (const c of cell.clusters) {
      if (input.cluster !== undefined && c.cluster !== input.cluster) continue;
      clusters.set(c.cluster, [...(clusters.get(c.cluster) ?? []), c]);
    }
    const names = [...clusters.keys()];
    if (clusters.size === 0) {
      throw new InputError(
        input.cluster
          ? `${row.kind} ${row.name} does not run in cluster "${bounded(
              input.cluster,
              200,
            )}" of ${cell.environment}; it runs in ${
              [...new Set(cell.clusters.map(c => c.cluster))].join(', ') ||
              'none'
            }`
          : `${row.kind} ${row.name} is not deployed in ${cell.environment}: nothing to reconcile`,
      );
    }
    if (clusters.size > MAX_CLUSTERS) {
      const failing = names.filter(name =>
        clusters.get(name)!.some(c => c.state === 'Failed'),
      );
      throw new InputError(
        `${row.kind} ${row.name} runs in ${clusters.size} clusters of ${
          cell.environment
        }; reconcile-workload acts on ${MAX_CLUSTERS} at most: name one with cluster${
          failing.length > 0
            ? ` (failing: ${nameSome(failing, MAX_CLUSTERS)})`
            : ''
        }`,
      );
    }
    const output: ReconcileOutput = { requested: [], failed: [], skipped: [] };
    const targets: Array<{ cluster: string; link: ChainLink }> = [];
    for (const [cluster, cells] of clusters) {
      for (const link of reconcileOrder(cells.map(c => c.chain))) {
        if (!outOfBounds(link)) {
          targets.push({ cluster, link });
          continue;
        }
        // Refused by the route whoever asks: not tried, nor audited.
        output.skipped.push({
          cluster,
          object: describeRef(link.ref),
          reason: `out of bounds: ${link.ref.namespace} is not a namespace of environment ${cell.environment} in cluster ${cluster}`,
        });
      }
    }
    // The caller is asked once: one refused is refused before any object.
    const results = await actions.reconcileObjects(
      caller,
      entity,
      targets.map(t => objectRouteParams(t.link.ref)),
    );
    const refusals: Array<{ link: ChainLink; error: Error }> = [];
    results.forEach((result, i) => {
      const { cluster, link } = targets[i];
      const object = describeRef(link.ref);
      if ('message' in result) {
        output.requested.push({ cluster, object, message: result.message });
        return;
      }
      const e = result.error;
      if (e.name === NotAllowedError.name) refusals.push({ link, error: e });
      else logger.warn(`reconcile of ${object} in ${cluster} failed`, e);
      output.failed.push({ cluster, object, error: bounded(e.message, 500)! });
    });
    if (targets.length === 0 && output.skipped.length > 0) {
      throw new NotAllowedError(
        `Every object of ${row.kind} ${row.name}'s chain is outside the namespaces of ${cell.environment}: ${output.skipped[0].object} is ${output.skipped[0].reason}`,
      );
    }
    if (targets.length === 0) {
      throw new InputError(
        `No object of ${row.kind} ${row.name}'s chain was found in ${names.join(
          ', ',
        )}: nothing to reconcile; see explain-workload-failure`,
      );
    }
    // Refused everywhere (no permission, not a user): say so, as the route
    // does, with the workload's own refusal before its sources'.
    if (
      output.requested.length === 0 &&
      refusals.length === output.failed.length
    ) {
      const [first] = [...refusals].sort(
        (a, b) => refusalRank(a.link) - refusalRank(b.link),
      );
      throw first.error;
    }
    return output;
  }

  registry.register({
    name: 'reconcile-workload',
    title: 'Reconcile a workload',
    description: `Asks Flux to reconcile a workload of a catalog entity in an environment, with its source (as flux reconcile --with-source): sets reconcile.fluxcd.io/requestedAt on the source, chart and workload objects of its chain in each cluster of the environment (at most ${MAX_CLUSTERS}; name one cluster when it runs in more). Objects outside the environment's namespaces are not asked (listed in skipped). Only for a signed-in user with gitops-promotion.view and gitops-promotion.reconcile on the entity, as the permission policy allows on each object (gitops-promotion.object.reconcile); audited like the UI action.`,
    attributes: { readOnly: false, idempotent: true, destructive: false },
    // Not listed to callers the policy does not let use it.
    visibilityPermission: gitopsPromotionReconcileActionPermission,
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefInput(z.string()),
          workload: z.string().min(1).max(253),
          kind: z
            .enum(['HelmRelease', 'Kustomization', 'Release'])
            .optional()
            .describe('Only when two workloads share the name'),
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
          skipped: z
            .array(
              z.object({
                cluster: z.string(),
                object: z.string(),
                reason: z.string(),
              }),
            )
            .describe(
              "Objects of the chain outside the environment's namespaces (a shared source in flux-system): refused whoever asks, so not asked",
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
          skipped: output.skipped.length,
        });
        return { output };
      });
    },
  });
}
