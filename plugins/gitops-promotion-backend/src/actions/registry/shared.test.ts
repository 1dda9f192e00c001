import { PromotionView } from '@gitops-promotion/backstage-plugin-common';
import { bounded, workloadOf } from './shared';

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

describe('bounded', () => {
  it('replaces a URL password before the cut, so none of it goes to an assistant', () => {
    const url = 'https://deploy:S3cr3tT0kenABCDEFGHIJ@quay.io/v2/app';
    for (let pad = 1000; pad < 1024; pad++) {
      const text = bounded(`${'x'.repeat(pad)} GET ${url}`)!;
      expect(text).not.toMatch(/deploy:S|T0ken/);
      expect(text.length).toBeLessThanOrEqual(1024);
    }
    expect(bounded(undefined)).toBeUndefined();
  });
});
