import { PromotionView } from '@gitops-promotion/backstage-plugin-common';
import { workloadOf } from './shared';

describe('workloadOf', () => {
  it('names twenty of the workloads in its refusal, and counts the others', () => {
    const view = {
      entityRef: 'component:default/shop',
      workloads: Array.from({ length: 25 }, (_, i) => ({
        kind: 'HelmRelease',
        name: `w${i + 1}`,
      })),
    } as PromotionView;
    expect(() => workloadOf(view, 'nope')).toThrow(
      `component:default/shop has no workload "nope"; its workloads: ${Array.from(
        { length: 20 },
        (_, i) => `HelmRelease w${i + 1}`,
      ).join(', ')} and 5 more`,
    );
  });
});
