import { useApi } from '@backstage/frontend-plugin-api';
import { ActionDecision } from '@gitops-promotion/backstage-plugin-common';
import useAsyncRetry, { AsyncStateRetry } from 'react-use/esm/useAsyncRetry';
import { gitopsPromotionApiRef } from '../api';
import { refKey } from '../util/refKey';

/** Decisions per object, keyed by {@link refKey}. */
export type ActionDecisions = ReadonlyMap<string, ActionDecision[]>;

/**
 * What the signed-in user may do to each link of a cell (a workload in an
 * environment), and why not, as the backend decides it (its policy may
 * look at the environment, cluster, namespace and kind of each object).
 * Asked again when `links` (the cell's found links) changes, or on
 * `retry`; not asked while they are not known yet (undefined).
 */
export function useAllowedActions(
  entityRef: string,
  environment: string,
  workload: string,
  links: string | undefined,
): AsyncStateRetry<ActionDecisions | undefined> {
  const api = useApi(gitopsPromotionApiRef);
  return useAsyncRetry(async () => {
    if (links === undefined) return undefined;
    const allowed = await api.getAllowedActions(
      entityRef,
      environment,
      workload,
    );
    return new Map(allowed.links.map(l => [refKey(l.ref), l.actions]));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, entityRef, environment, workload, links]);
}
