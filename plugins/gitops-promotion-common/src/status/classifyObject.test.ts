import {
  gitRepository,
  helmRelease,
  helmRepository,
  kustomization,
  notReady,
  ociRepository,
  ready,
  release,
} from '../testUtils/objects';
import { KubeObject } from '../types/objects';
import { classifyObject } from './classifyObject';

const hr = (over: Partial<Parameters<typeof helmRelease>[2]> = {}) =>
  helmRelease('payments-api', 'payments', {
    chart: 'payments-api',
    version: '2.4.0',
    source: {
      kind: 'HelmRepository',
      name: 'payments-charts',
      namespace: 'flux-system',
    },
    ...over,
  });

describe('classifyObject: Flux objects', () => {
  it('reports Ready with the Ready condition and the deployed chart version', () => {
    expect(classifyObject(hr())).toEqual({
      state: 'Ready',
      reason: 'UpgradeSucceeded',
      message:
        'Helm upgrade succeeded for release payments/payments-api.v1 with chart payments-api@2.4.0',
      since: '2026-11-20T08:00:00Z',
      revision: '2.4.0',
    });
  });

  it('puts suspension first, whatever the conditions say', () => {
    const suspended = hr({
      suspend: true,
      conditions: [notReady('UpgradeFailed', 'boom')],
    });
    expect(classifyObject(suspended).state).toBe('Suspended');
  });

  it('gives no time to a suspension or a new generation: Flux records neither, and the Ready condition changed for another reason', () => {
    const suspended = classifyObject(hr({ suspend: true }));
    expect(suspended.state).toBe('Suspended');
    expect(suspended.since).toBeUndefined();
    const disabled = hr();
    disabled.metadata.annotations = {
      'fluxcd.controlplane.io/reconcile': 'disabled',
    };
    expect(classifyObject(disabled).since).toBeUndefined();
    const newGeneration = classifyObject(
      hr({ generation: 3, observedGeneration: 2 }),
    );
    expect(newGeneration.reason).toBe('NewGeneration');
    expect(newGeneration.since).toBeUndefined();
  });

  it('treats the Flux Operator annotation reconcile: disabled as suspended', () => {
    const obj = hr();
    obj.metadata.annotations = {
      'fluxcd.controlplane.io/reconcile': 'disabled',
    };
    expect(classifyObject(obj).state).toBe('Suspended');
  });

  it('reports Progressing while observedGeneration lags metadata.generation, even if Ready=True', () => {
    const result = classifyObject(hr({ generation: 3, observedGeneration: 2 }));
    expect(result.state).toBe('Progressing');
    expect(result.message).toContain('generation 3');
  });

  it('reports Failed when a new generation keeps failing: the Ready condition is current though observedGeneration lags', () => {
    // source-controller after a tag change to an image it cannot pull (staging-eu demo).
    const message =
      'failed to determine artifact digest: GET https://quay.io/v2/kubodoc/packages/podinfo/manifests/6.7.1-p02: UNAUTHORIZED: access to the requested resource is not authorized; map[]';
    const obj = ociRepository('kcd-podinfo', 'apps', {
      url: 'oci://quay.io/kubodoc/packages/podinfo',
      tag: '6.7.1-p02',
      revision:
        '6.7.1-p01@sha256:d5cd219b8be371706799abcdbf84add245e3fbc5df1ca7921d2a2bc3509ddb9f',
      conditions: [
        {
          type: 'Reconciling',
          status: 'True',
          reason: 'ProgressingWithRetry',
          message: 'processing object: new generation 6 -> 7',
          observedGeneration: 7,
        },
        notReady('OCIArtifactPullFailed', message, '2026-11-20T15:12:09Z', 7),
      ],
    });
    obj.metadata.generation = 7;
    obj.status!.observedGeneration = 6;
    expect(classifyObject(obj)).toMatchObject({
      state: 'Failed',
      reason: 'OCIArtifactPullFailed',
      message,
    });
  });

  it('reports Failed when Stalled=True, with the failing Ready reason', () => {
    const obj = hr({
      deployed: [],
      failedAttempt: '1.8.0',
      conditions: [
        notReady(
          'InstallFailed',
          'Helm install failed for release finance/ledger with chart ledger@1.8.0: database.url is required',
          '2026-11-21T07:00:00Z',
        ),
        {
          type: 'Stalled',
          status: 'True',
          reason: 'RetriesExceeded',
          message: 'Failed to install after 1 attempt(s)',
          lastTransitionTime: '2026-11-21T07:05:00Z',
        },
      ],
    });
    expect(classifyObject(obj)).toMatchObject({
      state: 'Failed',
      reason: 'InstallFailed',
      since: '2026-11-21T07:05:00Z',
    });
  });

  it('reports Failed from Stalled alone when Ready is not False', () => {
    const obj = hr({
      conditions: [
        {
          type: 'Stalled',
          status: 'True',
          reason: 'InvalidChartReference',
          message: 'invalid chart reference',
        },
      ],
    });
    expect(classifyObject(obj)).toMatchObject({
      state: 'Failed',
      reason: 'InvalidChartReference',
    });
  });

  it('reports Progressing for Ready=False with reason DependencyNotReady', () => {
    const obj = kustomization('apps', 'flux-system', {
      source: { kind: 'GitRepository', name: 'flux-system' },
      applied: 'main@sha1:06a5a134c3b4d1a0f6fb4c1e5f9b7a2d8e3c1f00',
      conditions: [
        notReady(
          'DependencyNotReady',
          "dependency 'flux-system/infra' is not ready",
        ),
      ],
    });
    expect(classifyObject(obj).state).toBe('Progressing');
  });

  it('reports Failed for Ready=False with any other reason', () => {
    const obj = gitRepository('inventory-service', 'flux-system', {
      url: 'https://github.com/example/inventory-service',
      revision: 'main@sha1:4b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c',
      conditions: [
        notReady(
          'GitOperationFailed',
          "failed to checkout and determine revision: unable to list remote for 'https://github.com/example/inventory-service': authentication required",
        ),
      ],
    });
    expect(classifyObject(obj)).toMatchObject({
      state: 'Failed',
      reason: 'GitOperationFailed',
      revision: 'main@sha1:4b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c',
    });
  });

  it.each([
    ['Progressing', 'Progressing'],
    ['ProgressingWithRetry', 'Progressing'],
    ['Reconciling', 'Progressing'],
    [undefined, 'Progressing'],
    ['SomethingElse', 'Unknown'],
  ])('maps Ready=Unknown with reason %s to %s', (reason, state) => {
    const obj = hr({
      conditions: [
        {
          type: 'Ready',
          status: 'Unknown',
          reason,
          message: 'Running upgrade action',
        } as any,
      ],
    });
    expect(classifyObject(obj).state).toBe(state);
  });

  it('reports Unknown when there is no Ready condition yet', () => {
    const obj = ociRepository('kcd-podinfo', 'apps', {
      url: 'oci://quay.io/x',
      tag: '1.0.0',
      conditions: [],
    });
    expect(classifyObject(obj)).toMatchObject({
      state: 'Unknown',
      reason: 'NoReadyCondition',
    });
  });

  it('reports an OCI HelmRepository without status as Ready: it is not reconciled', () => {
    const obj = helmRepository('ledger-charts', 'flux-system', {
      url: 'oci://ghcr.io/example/charts',
      type: 'oci',
    });
    expect(obj.status).toBeUndefined();
    expect(classifyObject(obj).state).toBe('Ready');
  });

  it('reports a default HelmRepository without status as Unknown', () => {
    const obj = helmRepository('charts', 'flux-system', {
      url: 'https://charts.example.com',
    });
    delete obj.status;
    expect(classifyObject(obj).state).toBe('Unknown');
  });

  it('gives each source kind its artifact revision', () => {
    const oci = ociRepository('kcd-podinfo', 'apps', {
      url: 'oci://quay.io/x',
      tag: '6.7.1-p01',
    });
    expect(classifyObject(oci).revision).toMatch(/^6\.7\.1-p01@sha256:/);
    const git = gitRepository('flux-system', 'flux-system', {
      url: 'https://x',
      revision: 'sha1:06a5a134c3b4d1a0f6fb4c1e5f9b7a2d8e3c1f00',
    });
    expect(classifyObject(git).revision).toBe(
      'sha1:06a5a134c3b4d1a0f6fb4c1e5f9b7a2d8e3c1f00',
    );
  });

  it('reads the deployed version, not a newer failed attempt, from the Helm history', () => {
    const obj = hr({
      deployed: ['2.3.0', '2.2.0'],
      failedAttempt: '2.4.0',
      conditions: [notReady('UpgradeFailed', 'timeout')],
    });
    expect(classifyObject(obj)).toMatchObject({
      state: 'Failed',
      revision: '2.3.0',
    });
  });

  it('reads older API versions: a v2beta1 HelmRelease and a v1beta2 GitRepository', () => {
    const beta: KubeObject = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
      kind: 'HelmRelease',
      metadata: { name: 'old', namespace: 'default', generation: 4 },
      spec: {
        chart: {
          spec: {
            chart: 'old',
            sourceRef: { kind: 'HelmRepository', name: 'r' },
          },
        },
      },
      status: {
        observedGeneration: 4,
        lastAppliedRevision: '1.2.3',
        conditions: [
          ready('ReconciliationSucceeded', 'Release reconciliation succeeded'),
        ],
      },
    };
    expect(classifyObject(beta)).toMatchObject({
      state: 'Ready',
      revision: '1.2.3',
    });
    const git = gitRepository('x', 'flux-system', {
      url: 'https://x',
      revision: 'main/06a5a134c3b4d1a0f6fb4c1e5f9b7a2d8e3c1f00',
    });
    git.apiVersion = 'source.toolkit.fluxcd.io/v1beta2';
    expect(classifyObject(git)).toMatchObject({
      state: 'Ready',
      revision: 'main/06a5a134c3b4d1a0f6fb4c1e5f9b7a2d8e3c1f00',
    });
  });

  it('ignores objects of other API groups that share a kind name', () => {
    const other: KubeObject = {
      apiVersion: 'example.com/v1',
      kind: 'HelmRelease',
      metadata: { name: 'x' },
      status: { conditions: [ready('Succeeded', 'ok')] },
    };
    expect(classifyObject(other).revision).toBeUndefined();
  });
});

describe('classifyObject: KuboCD Release', () => {
  const rel = (
    phase?: string,
    extra: Partial<Parameters<typeof release>[2]> = {},
  ) =>
    release('podinfo', 'apps', {
      repository: 'quay.io/kubodoc/packages/podinfo',
      tag: '6.7.1-p01',
      phase,
      ...extra,
    });

  it.each([
    ['READY', 'Ready'],
    ['ERROR', 'Failed'],
    ['SUSPENDED', 'Suspended'],
    ['WAIT_OCI', 'Progressing'],
    ['WAIT_REPO', 'Progressing'],
    ['WAIT_DEPS', 'Progressing'],
    ['WAIT_HREL', 'Progressing'],
    ['SOMETHING_NEW', 'Unknown'],
  ])('maps phase %s to %s, with the tag as revision', (phase, state) => {
    expect(classifyObject(rel(phase))).toMatchObject({
      state,
      reason: phase,
      revision: '6.7.1-p01',
    });
  });

  it('reports Unknown before the controller sets a phase', () => {
    const obj = rel();
    delete obj.status;
    expect(classifyObject(obj)).toMatchObject({
      state: 'Unknown',
      reason: 'NoPhase',
    });
  });

  it('reports Suspended for spec.suspended, whatever the phase', () => {
    expect(classifyObject(rel('WAIT_HREL', { suspended: true })).state).toBe(
      'Suspended',
    );
  });

  it('names the missing dependency while waiting for it', () => {
    const obj = rel('WAIT_DEPS');
    obj.status!.missingDependency = 'apps/redis';
    expect(classifyObject(obj).message).toContain('apps/redis');
  });

  it('gives the same answer for the same object every time (browser and server share it)', () => {
    const obj = rel('WAIT_OCI');
    expect(classifyObject(JSON.parse(JSON.stringify(obj)))).toEqual(
      classifyObject(obj),
    );
  });
});
