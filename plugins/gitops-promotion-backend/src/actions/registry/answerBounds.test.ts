import { PromotionView } from '@gitops-promotion/backstage-plugin-common';
import { promotionStatusOf } from './getPromotionStatus';
import { pendingPromotionsOf } from './listPendingPromotions';

/** A workload one version behind from development to production, ready upstream since `since`. */
const behind = (name: string, since: string) => ({
  kind: 'HelmRelease',
  name,
  promotions: [
    {
      from: 'development',
      to: 'production',
      relation: 'behind' as const,
      fromVersion: '2.0.0',
      toVersion: '1.0.0',
    },
  ],
  cells: [{ environment: 'development', since }],
});

describe('the answers of the actions stay bounded', () => {
  it('lists the 100 promotions waiting longest and counts the others', () => {
    const views = Array.from({ length: 150 }, (_, i) => ({
      entityRef: `component:default/svc-${i}`,
      workloads: [
        behind(
          `svc-${i}`,
          new Date(Date.UTC(2026, 0, 1, 0, 150 - i)).toISOString(),
        ),
      ],
    }));
    const { pending, pendingOmitted } = pendingPromotionsOf(views);
    expect(pending).toHaveLength(100);
    expect(pendingOmitted).toBe(50);
    // The oldest first: svc-149 has waited longest.
    expect(pending[0].entityRef).toBe('component:default/svc-149');
    expect(pending[99].entityRef).toBe('component:default/svc-50');
    expect(pendingPromotionsOf(views.slice(0, 3))).toEqual({
      pending: expect.any(Array),
    });
  });

  it('gives the status of 50 workloads of an entity and counts the others', () => {
    const view = {
      entityRef: 'component:default/shop',
      environments: [],
      workloads: Array.from({ length: 60 }, (_, i) => ({
        kind: 'HelmRelease',
        name: `w${i}`,
        cells: [],
        promotions: [],
      })),
      clusterErrors: [],
      generatedAt: '2026-12-06T00:00:00Z',
    } as unknown as PromotionView;
    const status = promotionStatusOf(view);
    expect(status.workloads.map(w => w.name)).toEqual(
      Array.from({ length: 50 }, (_, i) => `w${i}`),
    );
    expect(status.workloadsOmitted).toBe(10);
    expect(
      promotionStatusOf({ ...view, workloads: view.workloads.slice(0, 2) }),
    ).not.toHaveProperty('workloadsOmitted');
  });
});
