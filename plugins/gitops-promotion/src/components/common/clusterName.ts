import { ClusterCell } from '@gitops-promotion/backstage-plugin-common';
import { GitopsPromotionT } from '../../translation';

/** Where a workload runs: a cluster, and its namespace there. */
export type ClusterPlace = Pick<ClusterCell, 'cluster' | 'namespace'>;

/** A place as a key: unique among a cell's clusters. */
export const clusterKey = (c: ClusterPlace) => `${c.cluster}/${c.namespace}`;

/**
 * A cluster's name, with the namespace when the cluster holds the workload
 * in several namespaces of the environment.
 */
export function clusterName(
  cell: ClusterPlace,
  all: ClusterPlace[],
  t: GitopsPromotionT,
): string {
  return all.filter(c => c.cluster === cell.cluster).length > 1
    ? t('compare.clusterInNamespace', {
        cluster: cell.cluster,
        namespace: cell.namespace,
      })
    : cell.cluster;
}

/**
 * Clusters a matrix cell or column header names before it counts the
 * rest: an environment may have fifty, and a header is read with each of
 * its cells. The drill-down lists them all.
 */
export const NAMED_CLUSTERS = 3;

/**
 * A few of `names` and, as a last item, how many more of `total` (the
 * backend may have sent only a few): for a `{{clusters, list}}` that stays
 * a sentence ("a, b, c, and 45 more").
 */
export function someClusters(
  names: string[],
  t: GitopsPromotionT,
  total = names.length,
): string[] {
  const shown = names.slice(0, NAMED_CLUSTERS);
  return total > shown.length
    ? [...shown, t('cell.moreClusters', { count: total - shown.length })]
    : shown;
}
