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
