import { toError } from '@backstage/errors';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { coreApis, useApi } from '@backstage/frontend-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  PROMOTION_CHANGES_CHANNEL,
  PromotionChangesSignal,
  PromotionView,
  viewAffectedBy,
} from '@gitops-promotion/backstage-plugin-common';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { gitopsPromotionApiRef } from '../api';
import { readRefreshIntervalMs } from '../util/refreshInterval';
import { usePageVisible } from './usePageVisible';

/**
 * With signals, polling only makes up for a lost message (a WebSocket
 * reconnecting) and keeps the backend sending them: it forgets a viewer
 * 10 minutes after their last request.
 */
const SIGNALLED_REFRESH_MS = 60_000;

interface State {
  entityRef: string;
  view?: PromotionView;
  checkedAt?: number;
  error?: Error;
}

export interface PromotionViewState {
  view?: PromotionView;
  /**
   * When the backend last answered (ms since the epoch). An unchanged view
   * keeps its `generatedAt`, but a 304 means it is still current: this is
   * how fresh the data shown is.
   */
  checkedAt?: number;
  /** The last request's error; the previous view, if any, stays available. */
  error?: Error;
  refresh: () => void;
}

/**
 * The entity's promotion view, kept fresh while the browser tab is visible
 * (an unchanged view costs a 304), and asked for at once when the tab
 * becomes visible again. Where the app has Backstage signals, a change the
 * backend signals in a cluster and namespace the view reads brings the view
 * at once, and polling is the fallback: every
 * `gitopsPromotion.refreshInterval` (default 10 s, at least 1 s), or
 * with signals every 60 s (or that interval, if longer).
 */
export function usePromotionView(entity: Entity): PromotionViewState {
  const api = useApi(gitopsPromotionApiRef);
  const { lastSignal, isSignalsAvailable } = useSignal<PromotionChangesSignal>(
    PROMOTION_CHANGES_CHANNEL,
  );
  const configApi = useApi(coreApis.config);
  // Read once per config: the deprecated key's warning is given once.
  const configuredMs = useMemo(
    () => readRefreshIntervalMs(configApi),
    [configApi],
  );
  const intervalMs = isSignalsAvailable
    ? Math.max(configuredMs, SIGNALLED_REFRESH_MS)
    : configuredMs;
  const visible = usePageVisible();
  const entityRef = stringifyEntityRef(entity);
  const [state, setState] = useState<State>({ entityRef });
  // Answers for an entity the tab no longer shows are dropped.
  const current = useRef(entityRef);
  current.current = entityRef;

  const load = useCallback(async () => {
    try {
      const view = await api.getPromotionView(entityRef);
      if (current.current !== entityRef) return;
      setState({ entityRef, view, checkedAt: Date.now() });
    } catch (error) {
      if (current.current !== entityRef) return;
      setState(s =>
        s.entityRef === entityRef
          ? { ...s, error: toError(error) }
          : { entityRef, error: toError(error) },
      );
    }
  }, [api, entityRef]);

  // Asks now, unless a request is in flight: then once more after it.
  // Undefined while the browser tab is hidden.
  const askNow = useRef<() => void>();
  useEffect(() => {
    if (!visible) return undefined;
    let stopped = false;
    let loading = false;
    let again = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Chained: a slow answer never overlaps the next request.
    const poll = async () => {
      clearTimeout(timer);
      if (loading) {
        again = true;
        return;
      }
      loading = true;
      do {
        again = false;
        await load();
      } while (again && !stopped);
      loading = false;
      if (!stopped) timer = setTimeout(poll, intervalMs);
    };
    askNow.current = poll;
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
      askNow.current = undefined;
    };
  }, [visible, intervalMs, load]);

  const shown = state.entityRef === entityRef ? state.view : undefined;
  const shownRef = useRef(shown);
  shownRef.current = shown;
  // Before the first view, the request in flight may predate the change.
  useEffect(() => {
    const view = shownRef.current;
    if (lastSignal && (!view || viewAffectedBy(view, lastSignal))) {
      askNow.current?.();
    }
  }, [lastSignal]);

  const refresh = useCallback(() => {
    if (askNow.current) askNow.current();
    else load();
  }, [load]);

  if (state.entityRef !== entityRef) {
    return { refresh };
  }
  return {
    view: state.view,
    checkedAt: state.checkedAt,
    error: state.error,
    refresh,
  };
}
