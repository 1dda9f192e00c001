import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { toError } from '@backstage/errors';
import {
  ClusterCell,
  describeRef,
  EnvironmentCell,
  WorkloadRow,
  objectRouteParams,
} from '@gitops-promotion/backstage-plugin-common';
import { worstFirst } from '@gitops-promotion/backstage-plugin-common/server';
import { EntityParams } from '../../service/params';
import { nameSome } from '../../text/nameSome';
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

/** Recent events of the failing link, at most this many. */
const MAX_EVENTS = 10;
/** Conditions of the failing link, at most this many. */
const MAX_CONDITIONS = 10;

/**
 * Failing clusters explained at most, worst first: each costs an audited
 * cluster read and a few KiB of answer, so a version failing across a
 * 50-cluster sandbox would mean 50 reads and hundreds of KiB for the
 * assistant. The others are only named (`omittedClusters`).
 */
const MAX_EXPLAINED = 5;

/** Names of the failing clusters left out, at most this many (the rest are counted). */
const MAX_OMITTED_NAMES = 20;

/**
 * Clusters without a failure listed at most, worst first (progressing and
 * stale before Ready): a 200-cluster sandbox environment would otherwise
 * list 200 Ready lines. The others are counted by state (`unlistedClusters`).
 */
const MAX_LISTED_OTHERS = 20;

export function registerExplainWorkloadFailure(
  registry: ActionsRegistryService,
  { service }: PromotionActionsContext,
) {
  registry.register({
    name: 'explain-workload-failure',
    title: 'Explain a workload failure',
    description:
      'Why a Flux or KuboCD workload of a catalog entity is not ready in an environment: per cluster, the root cause in plain words, the failing object of its chain (source, chart, HelmRelease, Kustomization), its conditions and recent events, and the kubectl/flux commands to look further (shell-quoted). Needs gitops-promotion.view on the entity; reads the events from the cluster.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefInput(z.string()),
          workload: z
            .string()
            .min(1)
            .max(253)
            .describe('The workload name, as get-promotion-status lists it'),
          kind: z
            .enum(['HelmRelease', 'Kustomization', 'Release'])
            .optional()
            .describe('Only when two workloads share the name'),
          environment: z.string().min(1).max(100),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          workload: z.object({ kind: z.string(), name: z.string() }),
          environment: z.string(),
          state: z.string(),
          summary: z
            .string()
            .describe('One sentence for the whole environment'),
          omittedClusters: z
            .object({
              count: z
                .number()
                .describe(
                  'Counted as clusters lists them, by cluster and namespace',
                ),
              names: z
                .array(z.string())
                .describe(
                  `The first ${MAX_OMITTED_NAMES} cluster names, worst first, each once, none of those explained`,
                ),
            })
            .optional()
            .describe(
              `Failing clusters not explained: only the ${MAX_EXPLAINED} worst are, to keep the answer small; absent when none is left out`,
            ),
          unlistedClusters: z
            .object({
              count: z.number(),
              states: z
                .record(z.string(), z.number())
                .describe('How many of them are in each state'),
            })
            .optional()
            .describe(
              `Clusters without a failure not listed: only the ${MAX_LISTED_OTHERS} worst are; absent when none is left out`,
            ),
          clusters: z.array(
            z.object({
              cluster: z.string(),
              namespace: z.string(),
              state: z.string(),
              retry: z
                .string()
                .optional()
                .describe('retrying, or stalled when Flux gave up'),
              staleSince: z.string().optional(),
              rootCause: z
                .object({
                  category: z.string(),
                  summary: z.string(),
                  reason: z.string().optional(),
                  message: z.string().optional(),
                })
                .optional(),
              failingLink: z
                .object({
                  object: z.string(),
                  role: z.string(),
                  conditions: z.array(
                    z.object({
                      type: z.string(),
                      status: z.string(),
                      reason: z.string().optional(),
                      message: z.string().optional(),
                      lastTransitionTime: z.string().optional(),
                    }),
                  ),
                  events: z.array(
                    z.object({
                      type: z.string(),
                      reason: z.string(),
                      message: z.string(),
                      count: z.number(),
                      lastTimestamp: z.string().optional(),
                    }),
                  ),
                  eventsError: z.string().optional(),
                })
                .optional(),
              nextCommands: z.array(z.string()),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const caller = callerOf(credentials);
      const entity = entityParamsOf(input.entityRef);
      const view = requireSelectors(await service.view(caller, entity));
      const row = workloadOf(view, input.workload, input.kind);
      const cell = cellOf(view, row, input.environment);
      // Worst first, as the page view's attention and the drawer list them.
      const ordered = [...cell.clusters].sort(worstFirst);
      const failing = ordered.filter(c => c.rootCause);
      const others = ordered.filter(c => !c.rootCause);
      const explained = failing.slice(0, MAX_EXPLAINED);
      const listed = new Set([
        ...explained,
        ...others.slice(0, MAX_LISTED_OTHERS),
      ]);
      // Only failing clusters read events: MAX_EXPLAINED reads at most, at once.
      const clusters = await Promise.all(
        ordered
          .filter(c => listed.has(c))
          .map(c => explainCluster(service, caller, entity, c)),
      );
      // Counted as `clusters` lists them, by cluster and namespace; a
      // cluster is named once, and not when one of its namespaces is explained.
      const omitted = failing.slice(MAX_EXPLAINED);
      const explainedNames = new Set(explained.map(c => c.cluster));
      const omittedNames = [
        ...new Set(
          omitted.map(c => c.cluster).filter(n => !explainedNames.has(n)),
        ),
      ];
      const unlisted = others.slice(MAX_LISTED_OTHERS);
      return {
        output: {
          entityRef: view.entityRef,
          workload: { kind: row.kind, name: row.name },
          environment: cell.environment,
          state: cell.state,
          summary: summaryOf(
            row,
            cell,
            input.environment,
            explained,
            omitted.length,
          ),
          ...(omitted.length > 0
            ? {
                omittedClusters: {
                  count: omitted.length,
                  names: omittedNames.slice(0, MAX_OMITTED_NAMES),
                },
              }
            : {}),
          ...(unlisted.length > 0
            ? {
                unlistedClusters: {
                  count: unlisted.length,
                  states: countBy(unlisted, c => c.state),
                },
              }
            : {}),
          clusters,
        },
      };
    },
  });
}

function countBy<T>(items: T[], key: (item: T) => string) {
  const counts: Record<string, number> = {};
  for (const item of items) {
    counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  }
  return counts;
}

/**
 * One sentence for the environment: what fails in the explained clusters,
 * with a count of the others, or that nothing does.
 */
function summaryOf(
  row: WorkloadRow,
  cell: EnvironmentCell,
  environment: string,
  explained: ClusterCell[],
  omitted: number,
): string {
  const what = `${row.kind} ${row.name}`;
  if (cell.clusters.length === 0) {
    const silent = nameSome(cell.unavailableIn, 20);
    // Not found where a cluster never answered is not "not deployed".
    if (cell.notDeployedIn.length === 0 && silent) {
      return `${what} is in an unknown state in ${environment}: no answer from ${silent}, so what runs there is not known`;
    }
    return `${what} is not deployed in ${environment}${
      silent ? ` (no answer from ${silent})` : ''
    }`;
  }
  if (explained.length === 0) {
    return `${what} is ${cell.state} in ${environment}: nothing is failing`;
  }
  const causes = explained
    .map(c => `${c.cluster}: ${bounded(c.rootCause!.summary)}`)
    .join(' ');
  return omitted > 0
    ? `${causes} (and ${omitted} more failing cluster${
        omitted === 1 ? '' : 's'
      }, see omittedClusters)`
    : causes;
}

async function explainCluster(
  service: PromotionActionsContext['service'],
  caller: ReturnType<typeof callerOf>,
  entity: EntityParams,
  cell: ClusterCell,
) {
  const base = {
    cluster: cell.cluster,
    namespace: cell.namespace,
    state: cell.state,
    retry: cell.retry,
    staleSince: cell.staleSince,
  };
  const cause = cell.rootCause;
  if (!cause) return { ...base, nextCommands: [] };
  const link = cell.chain.find(
    l =>
      l.ref.cluster === cause.ref.cluster &&
      l.ref.kind === cause.ref.kind &&
      l.ref.namespace === cause.ref.namespace &&
      l.ref.name === cause.ref.name,
  );
  let events: Array<{
    type: string;
    reason: string;
    message: string;
    count: number;
    lastTimestamp?: string;
  }> = [];
  let eventsError: string | undefined;
  if (link?.found) {
    // Its events only (not the object, nor its values): audited, within
    // the environment's namespaces.
    try {
      const read = await service.objectEvents(caller, {
        ...entity,
        ...objectRouteParams(link.ref),
      });
      events = read.slice(0, MAX_EVENTS).map(e => ({
        type: bounded(e.type, 40)!,
        reason: bounded(e.reason, 200)!,
        message: bounded(e.message)!,
        count: e.count,
        lastTimestamp: e.lastTimestamp,
      }));
    } catch (error) {
      eventsError = `Events of ${describeRef(
        link.ref,
      )} could not be read: ${bounded(toError(error).message, 500)}`;
    }
  }
  return {
    ...base,
    rootCause: {
      category: cause.category,
      summary: bounded(cause.summary)!,
      reason: bounded(cause.reason, 200),
      message: bounded(cause.message),
    },
    ...(link
      ? {
          failingLink: {
            object: describeRef(link.ref),
            role: link.role,
            // Flux writes a handful; an object may hold any number.
            conditions: link.conditions.slice(0, MAX_CONDITIONS).map(c => ({
              type: bounded(c.type, 100)!,
              status: c.status,
              reason: bounded(c.reason, 200),
              message: bounded(c.message),
              lastTransitionTime: c.lastTransitionTime,
            })),
            events,
            ...(eventsError ? { eventsError } : {}),
          },
        }
      : {}),
    nextCommands: cause.nextSteps,
  };
}
