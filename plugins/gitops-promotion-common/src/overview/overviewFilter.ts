import { OverviewFilter, OverviewRow } from '../types/overview';

/** The filters in the order the overview offers them. @public */
export const OVERVIEW_FILTERS: readonly OverviewFilter[] = [
  'failing',
  'pending',
  'mixed-versions',
  'stale',
];

/**
 * Whether a row shows under a filter, in one environment when given
 * (mixed versions and stale data: in any environment when not).
 * @public
 */
export function matchesOverviewFilter(
  row: OverviewRow,
  filter: OverviewFilter,
  environment?: string,
): boolean {
  const inScope = (environments: string[]) =>
    environment === undefined
      ? environments.length > 0
      : environments.includes(environment);
  switch (filter) {
    case 'failing':
      return inScope(row.failingIn);
    case 'pending':
      return inScope(row.pendingIn);
    case 'mixed-versions':
      return inScope(
        row.cells.filter(c => c.mixedVersions).map(c => c.environment),
      );
    case 'stale':
      return inScope(row.cells.filter(c => c.stale).map(c => c.environment));
    default:
      return true;
  }
}
