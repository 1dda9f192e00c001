import { PROMOTION_CELL_PARAMS } from '@gitops-promotion/backstage-plugin-common';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import { CellSelection } from '../components/PromotionMatrix/PromotionMatrix';

/**
 * The open drawer, in the URL (`?workload=&environment=`): a notification
 * or a shared link opens the tab on the cell it names.
 */
export function useCellSelection(): [
  CellSelection | undefined,
  (selection: CellSelection | undefined) => void,
] {
  const [params, setParams] = useSearchParams();
  const rowId = params.get(PROMOTION_CELL_PARAMS.workload);
  const environment = params.get(PROMOTION_CELL_PARAMS.environment);
  const selection = rowId && environment ? { rowId, environment } : undefined;
  // Stable while the URL is: the matrix is not rendered again for a poll.
  const select = useCallback(
    (next: CellSelection | undefined) =>
      setParams(
        current => {
          const updated = new URLSearchParams(current);
          if (next) {
            updated.set(PROMOTION_CELL_PARAMS.workload, next.rowId);
            updated.set(PROMOTION_CELL_PARAMS.environment, next.environment);
          } else {
            updated.delete(PROMOTION_CELL_PARAMS.workload);
            updated.delete(PROMOTION_CELL_PARAMS.environment);
          }
          return updated;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [selection, select];
}
