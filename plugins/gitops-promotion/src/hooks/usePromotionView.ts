import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import { PromotionView } from '@gitops-promotion/backstage-plugin-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { gitopsPromotionApiRef } from '../api';
import { usePageVisible } from './usePageVisible';

const DEFAULT_REFRESH_SECONDS = 10;

interface State {
  entityRef: string;
  view?: PromotionView;
  error?: Error;
}

export interface PromotionViewState {
  view?: PromotionView;
  /** The last request's error; the previous view, if any, stays available. */
  error?: Error;
  refresh: () => void;
}

/**
 * The entity's promotion view, kept fresh: asks the backend every
 * `gitopsPromotion.refreshIntervalSeconds` while the browser tab is visible
 * (an unchanged view is a 304 and no re-render), and at once when the tab
 * becomes visible again.
 */
export function usePromotionView(entity: Entity): PromotionViewState {
  const api = useApi(gitopsPromotionApiRef);
  const intervalMs =
    (useApi(configApiRef).getOptionalNumber(
      'gitopsPromotion.refreshIntervalSeconds',
    ) ?? DEFAULT_REFRESH_SECONDS) * 1000;
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
      // A 304 gives back the same view: keeping the state skips a render.
      setState(s =>
        s.entityRef === entityRef && s.view === view && !s.error
          ? s
          : { entityRef, view },
      );
    } catch (error) {
      if (current.current !== entityRef) return;
      setState(s => ({
        entityRef,
        view: s.entityRef === entityRef ? s.view : undefined,
        error: error as Error,
      }));
    }
  }, [api, entityRef]);

  useEffect(() => {
    if (!visible) return undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Chained timeouts: a slow answer never overlaps the next poll.
    const poll = async () => {
      await load();
      if (!stopped) timer = setTimeout(poll, intervalMs);
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [visible, intervalMs, load]);

  if (state.entityRef !== entityRef) {
    return { refresh: load };
  }
  return { view: state.view, error: state.error, refresh: load };
}
