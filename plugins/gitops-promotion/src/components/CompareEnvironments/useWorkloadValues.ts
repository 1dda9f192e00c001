import { useApi } from '@backstage/frontend-plugin-api';
import { ClusterCell } from '@gitops-promotion/backstage-plugin-common';
import useAsync from 'react-use/esm/useAsync';
import { gitopsPromotionApiRef } from '../../api';
import { refKey } from '../../util/refKey';
import { valuesDocument, valuesYaml } from './helmValues';

/**
 * The values a workload runs with in one cluster, as YAML: the full objects
 * come from the backend (the view only carries their digests). Fetched
 * again when the deployed version or values digest changes.
 */
export function useWorkloadValues(
  cluster: ClusterCell | undefined,
  entityRef: string,
) {
  const api = useApi(gitopsPromotionApiRef);
  const links = (cluster?.chain ?? []).filter(
    l => l.role === 'workload' || (l.role === 'helmRelease' && l.found),
  );
  const key = cluster
    ? [
        cluster.version,
        cluster.configDigest,
        ...links.map(l => refKey(l.ref)),
      ].join('|')
    : undefined;
  return useAsync(async () => {
    if (!cluster) return undefined;
    const [workload, ...helmReleases] = await Promise.all(
      links.map(l => api.getObjectDetails(l.ref, entityRef)),
    );
    return valuesYaml(valuesDocument(workload, helmReleases));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key, entityRef]);
}
