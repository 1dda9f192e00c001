import { WorkloadRowSummary } from '@gitops-promotion/backstage-plugin-common';

/**
 * The environments to compare first: the last neighbours with a pending
 * promotion (the step closest to production), else the first two.
 */
export function defaultPair(row: WorkloadRowSummary): [string, string] {
  const pending = [...row.promotions]
    .reverse()
    .find(p => p.relation === 'behind');
  return pending
    ? [pending.from, pending.to]
    : [row.cells[0].environment, row.cells[1].environment];
}
