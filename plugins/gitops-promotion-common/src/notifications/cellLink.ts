/**
 * The query parameters of the Promotion tab that open a cell's drill-down:
 * a workload row's id and an environment's name. Notifications link to it.
 * @public
 */
export const PROMOTION_CELL_PARAMS = {
  workload: 'workload',
  environment: 'environment',
} as const;
