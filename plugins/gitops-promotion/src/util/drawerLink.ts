import type { CellSelection } from '../components/PromotionMatrix/PromotionMatrix';

const WORKLOAD = 'workload';
const ENVIRONMENT = 'environment';

/** The query string that opens a cell's drill-down on the Promotion tab. */
export function drawerSearch(target: CellSelection): string {
  return `?${new URLSearchParams({
    [WORKLOAD]: target.rowId,
    [ENVIRONMENT]: target.environment,
  })}`;
}

/** The drill-down a Promotion tab's URL asks to open, if any. */
export function drawerFromSearch(
  params: URLSearchParams,
): CellSelection | undefined {
  const rowId = params.get(WORKLOAD);
  const environment = params.get(ENVIRONMENT);
  return rowId && environment ? { rowId, environment } : undefined;
}
