/**
 * The query parameters of the Promotion tab that open a cell's drill-down:
 * a workload row's id and an environment's name. Notifications link to it.
 * @public
 */
export const PROMOTION_CELL_PARAMS = {
  workload: 'workload',
  environment: 'environment',
} as const;

/**
 * The query string (without `?`) that opens a workload row's cell in an
 * environment on the Promotion tab.
 * @public
 */
export function promotionCellQuery(rowId: string, environment: string): string {
  return new URLSearchParams({
    [PROMOTION_CELL_PARAMS.workload]: rowId,
    [PROMOTION_CELL_PARAMS.environment]: environment,
  }).toString();
}
