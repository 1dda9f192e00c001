import { toError } from '@backstage/errors';
import { coreApis, useApi } from '@backstage/frontend-plugin-api';
import { PromotionOverview } from '@gitops-promotion/backstage-plugin-common';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { gitopsPromotionApiRef } from '../api';
import { readRefreshIntervalMs } from '../util/refreshInterval';
import { usePageVisible } from './usePageVisible';

/** An overview reads many entities: it polls at most this often. */
const MIN_OVERVIEW_REFRESH_MS = 30_000;

export interface PromotionOverviewState {
  overview?: PromotionOverview;
  /** The last request's error; the previous overview, if any, stays shown. */
  error?: Error;
  refresh: () => void;
}

/**
 * The promotion overview of a Group or System (`scopeRef`), or of every
 * component the user may view, kept fresh while the browser tab is
 * visible: every `gitopsPromotion.refreshInterval`, at least 30 s (an
 * unchanged overview costs a 304).
 */
export function usePromotionOverview(
  scopeRef?: string,
): PromotionOverviewState {
  const api = useApi(gitopsPromotionApiRef);
  const configApi = useApi(coreApis.config);
  const intervalMs = useMemo(
    () => Math.max(MIN_OVERVIEW_REFRESH_MS, readRefreshIntervalMs(configApi)),
    [configApi],
  );
  const visible = usePageVisible();
  const [state, setState] = useState<{
    scopeRef?: string;
    overview?: PromotionOverview;
    error?: Error;
  }>({ scopeRef });
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    if (!visible) return undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Chained: a slow answer never overlaps the next request.
    const poll = async () => {
      try {
        const overview = await api.getOverview(scopeRef);
        if (!stopped) setState({ scopeRef, overview });
      } catch (error) {
        if (!stopped) {
          setState(s => ({
            ...(s.scopeRef === scopeRef ? s : { scopeRef }),
            error: toError(error),
          }));
        }
      }
      if (!stopped) timer = setTimeout(poll, intervalMs);
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, scopeRef, visible, intervalMs, asked]);

  const refresh = useCallback(() => setAsked(n => n + 1), []);
  return state.scopeRef === scopeRef
    ? { overview: state.overview, error: state.error, refresh }
    : { refresh };
}
