import { ClusterCell } from '@gitops-promotion/backstage-plugin-common';

/**
 * A cluster's name, with the namespace when the cluster holds the workload
 * in several namespaces of the environment.
 */
export function clusterName(cell: ClusterCell, all: ClusterCell[]): string {
  return all.filter(c => c.cluster === cell.cluster).length > 1
    ? `${cell.cluster}, namespace ${cell.namespace}`
    : cell.cluster;
}
