import {
  CellSummary,
  ClusterAttention,
  ClusterCell,
  EnvironmentCell,
  PromotionView,
  PromotionViewSummary,
  RetryState,
  VersionSpread,
} from '../types/view';
import { causeOf, worstFirst } from './attention';
import { needsALook } from './needsALook';
import { sortVersionsDesc } from './versions';

/** Cluster names a mixed version names; the rest are counted. */
const SPREAD_NAMES = 3;

/**
 * Clusters a cell's `attention` names at most, worst first; the others are
 * counted. A bad version failing in every cluster would otherwise grow the
 * page answer with the fleet (issue 18: ≤ 64 KiB at 200 clusters); the
 * drawer lists them all.
 */
export const MAX_ATTENTION = 10;

/**
 * Whether Flux still retries the cell's failures: given up (stalled) wins,
 * as it needs someone to act.
 */
function retryOf(clusters: ClusterCell[]): RetryState | undefined {
  const states = new Set(clusters.map(c => c.retry));
  if (states.has('stalled')) return 'stalled';
  return states.has('retrying') ? 'retrying' : undefined;
}

function attentionOf(c: ClusterCell): ClusterAttention {
  return {
    cluster: c.cluster,
    namespace: c.namespace,
    state: c.state,
    cause: causeOf(c),
    since: c.since,
    version: c.version,
    targetVersion: c.targetVersion,
    retry: c.retry,
    staleSince: c.staleSince,
  };
}

/** Clusters per version, newest first, those without a version last. */
function versionSpread(clusters: ClusterCell[]): VersionSpread[] {
  const byVersion = new Map<string | undefined, Set<string>>();
  for (const c of clusters) {
    const names = byVersion.get(c.version) ?? new Set<string>();
    names.add(c.cluster);
    byVersion.set(c.version, names);
  }
  const versions = sortVersionsDesc(
    [...byVersion.keys()].filter((v): v is string => !!v),
  );
  return [...versions, ...(byVersion.has(undefined) ? [undefined] : [])].map(
    version => {
      const names = [...byVersion.get(version)!].sort();
      return {
        version,
        count: names.length,
        clusters: names.slice(0, SPREAD_NAMES),
      };
    },
  );
}

/**
 * A cell without its clusters' chains: its aggregate, and of its clusters
 * only those that need a look (not Ready, or stale), each in one line, the
 * worst `MAX_ATTENTION` (ten) of them and a count of the others.
 * @public
 */
export function summarizeCell(cell: EnvironmentCell): CellSummary {
  const { clusters, ...aggregate } = cell;
  const needing = clusters.filter(needsALook).sort(worstFirst);
  const leftOut = needing.length - MAX_ATTENTION;
  // Stale data sorts after every failure, yet the cell must still say so.
  const staleLeftOut = needing
    .slice(MAX_ATTENTION)
    .filter(c => c.staleSince).length;
  return {
    ...aggregate,
    targetVersions: sortVersionsDesc([
      ...new Set(
        clusters.map(c => c.targetVersion).filter((v): v is string => !!v),
      ),
    ]),
    retry: retryOf(clusters),
    attention: needing.slice(0, MAX_ATTENTION).map(attentionOf),
    ...(leftOut > 0 ? { attentionLeftOut: leftOut } : {}),
    ...(staleLeftOut > 0 ? { staleLeftOut } : {}),
    ...(cell.mixedVersions ? { versionSpread: versionSpread(clusters) } : {}),
  };
}

/**
 * The page view of a full view: the same rows, promotions, environments
 * and errors, each cell summarized. Its size grows with environments and
 * workloads (and the clusters that need a look), not with the chains of
 * every cluster.
 * @public
 */
export function summarizeView(view: PromotionView): PromotionViewSummary {
  const linked = new Set<string>();
  for (const row of view.workloads) {
    for (const cell of row.cells) {
      for (const c of cell.clusters) {
        linked.add(c.namespace);
        c.chain.forEach(l => linked.add(l.ref.namespace));
      }
    }
  }
  return {
    entityRef: view.entityRef,
    environments: view.environments,
    selectors: view.selectors,
    annotationProblems: view.annotationProblems,
    workloads: view.workloads.map(row => ({
      ...row,
      cells: row.cells.map(summarizeCell),
    })),
    clusterErrors: view.clusterErrors,
    linkedNamespaces: [...linked].sort(),
    // Last: the backend's ETag leaves it out by cutting it off the JSON.
    generatedAt: view.generatedAt,
  };
}
