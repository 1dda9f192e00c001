import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  PromotionChangesSignal,
  PromotionViewSummary,
  viewAffectedBy,
} from '@gitops-promotion/backstage-plugin-common';
import { useCallback } from 'react';
import { gitopsPromotionApiRef } from '../api';
import { usePolledAnswer } from './usePolledAnswer';

export interface PromotionViewState {
  view?: PromotionViewSummary;
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

// Before the first view, the request in flight may predate the change.
const affectedBy = (
  view: PromotionViewSummary | undefined,
  signal: PromotionChangesSignal,
) => !view || viewAffectedBy(view, signal);

/**
 * The entity's promotion view, kept fresh (usePolledAnswer): at once on a
 * signalled change in a cluster and namespace the view reads, else by
 * polling with its ETag.
 */
export function usePromotionView(entity: Entity): PromotionViewState {
  const api = useApi(gitopsPromotionApiRef);
  const entityRef = stringifyEntityRef(entity);
  const load = useCallback(
    () => api.getPromotionView(entityRef),
    [api, entityRef],
  );
  const { value, ...rest } = usePolledAnswer(entityRef, load, affectedBy, true);
  return { view: value, ...rest };
}
