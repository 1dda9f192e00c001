import { useApi } from '@backstage/frontend-plugin-api';
import {
  ClusterCell,
  ValuesComparison,
} from '@gitops-promotion/backstage-plugin-common';
import useAsyncRetry, { AsyncStateRetry } from 'react-use/esm/useAsyncRetry';
import { gitopsPromotionApiRef } from '../api';
import { refKey } from '../util/refKey';

const workloadOf = (cell?: ClusterCell) =>
  cell?.chain.find(l => l.role === 'workload');

/**
 * What a workload runs with in two clusters, compared by the backend (the
 * view only carries digests; values may be hidden from the user). Asked
 * again when either side's version or values digest changes, or on
 * `retry`.
 */
export function useValuesComparison(
  left: ClusterCell | undefined,
  right: ClusterCell | undefined,
  entityRef: string,
): AsyncStateRetry<ValuesComparison | undefined> {
  const api = useApi(gitopsPromotionApiRef);
  const [from, to] = [workloadOf(left), workloadOf(right)];
  const key = [left, right]
    .map(c =>
      c
        ? [refKey(workloadOf(c)!.ref), c.version, c.configDigest].join('|')
        : '',
    )
    .join(' ');
  return useAsyncRetry(
    async () =>
      from && to ? api.compareValues(entityRef, from.ref, to.ref) : undefined,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, entityRef],
  );
}
