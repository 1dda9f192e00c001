import { useApi } from '@backstage/frontend-plugin-api';
import { PromotionOverview } from '@gitops-promotion/backstage-plugin-common';
import { useCallback } from 'react';
import { gitopsPromotionApiRef } from '../api';
import { usePolledAnswer } from './usePolledAnswer';

/** An overview reads many entities: it polls at most this often. */
const MIN_OVERVIEW_REFRESH_MS = 30_000;

export interface PromotionOverviewState {
  overview?: PromotionOverview;
  /** The last request's error; the previous overview, if any, stays shown. */
  error?: Error;
  /** When the backend last answered (a 304 included). */
  checkedAt?: number;
  refresh: () => void;
}

// Change signals name the clusters of the views a user opened, not the
// overview's: it polls.
const notSignalled = () => false;

/**
 * The promotion overview of a Group or System (`scopeRef`), or of every
 * component the user may view, kept fresh (usePolledAnswer) by polling
 * with its ETag, at least 30 s apart.
 */
export function usePromotionOverview(
  scopeRef?: string,
): PromotionOverviewState {
  const api = useApi(gitopsPromotionApiRef);
  const load = useCallback(() => api.getOverview(scopeRef), [api, scopeRef]);
  const { value, error, checkedAt, refresh } = usePolledAnswer(
    scopeRef ?? '',
    load,
    notSignalled,
    true,
    MIN_OVERVIEW_REFRESH_MS,
  );
  return { overview: value, error, checkedAt, refresh };
}
