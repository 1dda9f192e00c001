import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  OverviewCell,
  OverviewRow,
  OverviewUnavailableEntity,
  PromotionOverview,
} from '../types/overview';
import {
  ClusterError,
  EnvironmentCell,
  PromotionView,
  WorkloadRow,
} from '../types/view';
import {
  EnvironmentConfig,
  environmentSummaries,
} from '../view/buildPromotionView';

/** `spec.owner` / `spec.system` as a full ref; undefined when absent or not a ref. */
function refOf(value: unknown, defaultKind: string, namespace: string) {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: namespace }),
    );
  } catch {
    return undefined;
  }
}

function overviewCell(cell: EnvironmentCell): OverviewCell {
  return {
    environment: cell.environment,
    state: cell.state,
    since: cell.since,
    version: cell.version,
    mixedVersions: cell.mixedVersions,
    stale:
      cell.unavailableIn.length > 0 || cell.clusters.some(c => !!c.staleSince),
  };
}

/** The errors of the views, once per cluster and kind (every view of a cluster reports the same). */
function distinctClusterErrors(views: PromotionView[]): ClusterError[] {
  const errors = new Map<string, ClusterError>();
  for (const view of views) {
    for (const error of view.clusterErrors) {
      const key = `${error.cluster}\n${error.kind ?? ''}\n${error.type}`;
      if (!errors.has(key)) errors.set(key, error);
    }
  }
  return [...errors.values()];
}

/** An entity's title as the overview shows it. @public */
export const entityTitle = (entity: Entity) =>
  entity.metadata.title ?? entity.metadata.name;

function overviewRow(entity: Entity, row: WorkloadRow): OverviewRow {
  const namespace = entity.metadata.namespace ?? 'default';
  const cells = row.cells.map(overviewCell);
  return {
    entityRef: stringifyEntityRef(entity),
    title: entityTitle(entity),
    owner: refOf(entity.spec?.owner, 'group', namespace),
    system: refOf(entity.spec?.system, 'system', namespace),
    workload: { id: row.id, kind: row.kind, name: row.name },
    cells,
    promotions: row.promotions,
    failingIn: cells.filter(c => c.state === 'Failed').map(c => c.environment),
    pendingIn: row.promotions
      .filter(p => p.relation === 'behind')
      .map(p => p.to),
    mixedVersions: cells.some(c => c.mixedVersions),
    stale: cells.some(c => c.stale),
  };
}

/**
 * The overview of many entities' promotion views: one compact row per
 * entity and workload (no chains: a row links to the entity's tab for
 * those), ordered by entity title then workload, and the counts shown
 * above it.
 * @public
 */
export function buildPromotionOverview(options: {
  environments: EnvironmentConfig[];
  entries: Array<{ entity: Entity; view: PromotionView }>;
  /** Entities allowed and checked whose view could not be built. */
  unavailable?: OverviewUnavailableEntity[];
  truncated: boolean;
  now: Date;
}): PromotionOverview {
  const unavailable = options.unavailable ?? [];
  const rows = options.entries
    .flatMap(({ entity, view }) =>
      view.workloads.map(row => overviewRow(entity, row)),
    )
    .sort(
      (a, b) =>
        a.title.localeCompare(b.title) ||
        a.entityRef.localeCompare(b.entityRef) ||
        a.workload.id.localeCompare(b.workload.id),
    );
  return {
    environments: environmentSummaries(options.environments),
    rows,
    counts: {
      entities: new Set(rows.map(r => r.entityRef)).size,
      environments: options.environments.map(env => ({
        environment: env.name,
        failing: rows.filter(r => r.failingIn.includes(env.name)).length,
        pending: rows.filter(r => r.pendingIn.includes(env.name)).length,
      })),
      mixedVersions: rows.filter(r => r.mixedVersions).length,
      stale: rows.filter(r => r.stale).length,
    },
    entitiesChecked: options.entries.length + unavailable.length,
    truncated: options.truncated,
    clusterErrors: distinctClusterErrors(options.entries.map(e => e.view)),
    unavailable,
    generatedAt: options.now.toISOString(),
  };
}
