import { actionRefusal } from './actions';
import { objectRef } from './chain/refs';
import { classifyObject } from './status/classifyObject';
import { LinkRole } from './types/view';

const link = (
  kind: Parameters<typeof objectRef>[1],
  namespace: string,
  name: string,
  role: LinkRole,
  found = true,
) => ({
  ref: objectRef('dev-eu', kind, namespace, name),
  role,
  found,
  classification: { state: 'Ready' as const },
});

const hr = link('HelmRelease', 'payments', 'payments-api', 'workload');
const release = link('Release', 'apps', 'podinfo', 'workload');

describe('actionRefusal', () => {
  it('lets reconcile target any found link but a KuboCD Release', () => {
    expect(actionRefusal('reconcile', hr, hr)).toBeUndefined();
    const shared = link('HelmRepository', 'flux-system', 'charts', 'source');
    expect(actionRefusal('reconcile', shared, hr)).toBeUndefined();
    expect(actionRefusal('reconcile', release, release)).toEqual({
      reason: expect.stringContaining('KuboCD has no reconcile request'),
      invalid: true,
    });
  });

  it('lets suspend and resume target only the workload and a Release’s own HelmReleases', () => {
    for (const action of ['suspend', 'resume'] as const) {
      expect(actionRefusal(action, hr, hr)).toBeUndefined();
      expect(actionRefusal(action, release, release)).toBeUndefined();
      const owned = link('HelmRelease', 'apps', 'podinfo-main', 'helmRelease');
      expect(actionRefusal(action, owned, release)).toBeUndefined();
    }
    const shared = link('HelmRepository', 'flux-system', 'charts', 'source');
    expect(actionRefusal('suspend', shared, hr)).toEqual({
      reason:
        "Suspend acts only on the workload (HelmRelease payments/payments-api, and a KuboCD Release's own HelmReleases): HelmRepository flux-system/charts is a source of its chain, which other workloads may share; reconcile it instead",
    });
    const chart = link('HelmChart', 'flux-system', 'payments-x', 'chart');
    expect(actionRefusal('resume', chart, hr)?.reason).toMatch(/^Resume acts/);
  });

  it('refuses every action on a link the cluster does not have', () => {
    const missing = link(
      'OCIRepository',
      'apps',
      'kcd-podinfo',
      'source',
      false,
    );
    expect(actionRefusal('reconcile', missing, release)?.reason).toBe(
      'OCIRepository apps/kcd-podinfo does not exist in cluster dev-eu',
    );
  });

  it('refuses resume on an object the reconcile-disabled annotation stops, which resume would not restart', () => {
    type Obj = Parameters<typeof classifyObject>[0];
    const helmRelease = (
      metadata: Partial<Obj['metadata']>,
      spec: Obj['spec'],
    ): Obj => ({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'payments-api', namespace: 'payments', ...metadata },
      spec,
    });
    const disabled = {
      ...hr,
      classification: classifyObject(
        helmRelease(
          { annotations: { 'fluxcd.controlplane.io/reconcile': 'disabled' } },
          {},
        ),
      ),
    };
    expect(disabled.classification.state).toBe('Suspended');
    expect(actionRefusal('resume', disabled, disabled)).toEqual({
      reason:
        'HelmRelease payments/payments-api is not suspended by spec.suspend: its reconciliation is disabled by the annotation fluxcd.controlplane.io/reconcile: disabled, which resume does not remove; remove the annotation where it is set',
      conflict: true,
    });
    expect(actionRefusal('suspend', disabled, disabled)).toBeUndefined();
    const suspended = {
      ...hr,
      classification: classifyObject(helmRelease({}, { suspend: true })),
    };
    expect(suspended.classification.state).toBe('Suspended');
    expect(actionRefusal('resume', suspended, suspended)).toBeUndefined();
  });
});
