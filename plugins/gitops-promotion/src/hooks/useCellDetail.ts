import { useApi } from '@backstage/frontend-plugin-api';
import {
  CellDetail,
  PromotionChangesSignal,
  viewAffectedBy,
  ViewScope,
} from '@gitops-promotion/backstage-plugin-common';
import { useCallback } from 'react';
import { gitopsPromotionApiRef } from '../api';
import { PolledAnswer, usePolledAnswer } from './usePolledAnswer';

/**
 * One cell of the entity's view, with the chains of its clusters that
 * need a look and of `cluster` when given, loaded when the drill-down (or
 * the comparison) shows it and kept fresh as the page view is: at once on
 * a signalled change the page view reads (`scope`), else by polling with
 * its own ETag. `workload` is the row's id.
 */
export function useCellDetail(
  entityRef: string,
  scope: ViewScope,
  environment: string,
  workload: string,
  cluster?: string,
): PolledAnswer<CellDetail> {
  const api = useApi(gitopsPromotionApiRef);
  const load = useCallback(
    () => api.getCellDetail(entityRef, environment, workload, cluster),
    [api, entityRef, environment, workload, cluster],
  );
  const affectedBy = useCallback(
    (_: CellDetail | undefined, signal: PromotionChangesSignal) =>
      viewAffectedBy(scope, signal),
    [scope],
  );
  return usePolledAnswer(
    `${entityRef} ${environment} ${workload} ${cluster ?? ''}`,
    load,
    affectedBy,
  );
}
