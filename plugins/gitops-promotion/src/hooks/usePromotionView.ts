import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { coreApis, useApi, useApiHolder } from '@backstage/frontend-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  PROMOTION_CHANGES_CHANNEL,
  PromotionChangesSignal,
  PromotionView,
  viewAffectedBy,
} from '@gitops-promotion/backstage-plugin-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { gitopsPromotionApiRef } from '../api';
import { usePageVisible } from './usePageVisible';

const DEFAULT_REFRESH_SECONDS = 10;
// Zero or less would poll back to back.
const MIN_REFRESH_SECONDS = 1;

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
 * The entity's promotion view, kept fresh: asks the backend every
 * `gitopsPromotion.refreshIntervalSeconds` (at least 1) while the browser
 * tab is visible (an unchanged view costs a 304), at once
 * when the tab becomes visible again, and, where the app has Backstage
 * signals, at once when the backend signals a change in a cluster and
 * namespace the view reads.
 */
export function usePromotionView(entity: Entity): PromotionViewState {
  const api = useApi(gitopsPromotionApiRef);
  const signals = useApiHolder().get(signalApiRef);
  const intervalMs =
    Math.max(
      MIN_REFRESH_SECONDS,
      useApi(coreApis.config).getOptionalNumber(
        'gitopsPromotion.refreshIntervalSeconds',
      ) ?? DEFAULT_REFRESH_SECONDS,
    ) * 1000;
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
          ? { ...s, error: error as Error }
          : { entityRef, error: error as Error },
      );
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

  const shown = useRef<PromotionView>();
  shown.current = state.entityRef === entityRef ? state.view : undefined;
  useEffect(() => {
    if (!signals || !visible) return undefined;
    let loading = false;
    let again = false;
    const reload = async () => {
      loading = true;
      do {
        again = false;
        await load();
      } while (again);
      loading = false;
    };
    const subscription = signals.subscribe<PromotionChangesSignal>(
      PROMOTION_CHANGES_CHANNEL,
      message => {
        if (!shown.current || !viewAffectedBy(shown.current, message)) return;
        if (loading) again = true;
        else reload();
      },
    );
    return () => subscription.unsubscribe();
  }, [signals, visible, load]);

  if (state.entityRef !== entityRef) {
    return { refresh: load };
  }
  return {
    view: state.view,
    checkedAt: state.checkedAt,
    error: state.error,
    refresh: load,
  };
}
