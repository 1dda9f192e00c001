import { helmRelease, kustomization } from '../testUtils';
import { KubeObject } from '../types/objects';
import { objectHistory } from './history';

const chart = {
  chart: 'podinfo',
  version: '6.7.1',
  source: { kind: 'HelmRepository', name: 'podinfo' },
};

/** The object with `status.history` replaced by what a hostile cluster wrote. */
function withHistory(obj: KubeObject, history: unknown): KubeObject {
  return { ...obj, status: { ...obj.status, history } } as KubeObject;
}

describe('objectHistory', () => {
  it('reads a HelmRelease history newest Helm revision first', () => {
    const hr = helmRelease('podinfo', 'apps', {
      ...chart,
      deployed: ['6.7.1', '6.7.0'],
    });
    // helm-controller leaves it unsorted after a rollback.
    const unsorted = [...(hr.status!.history as unknown[])].reverse();
    expect(
      objectHistory(withHistory(hr, unsorted)).map(h => h.revision),
    ).toEqual(['podinfo@6.7.1', 'podinfo@6.7.0']);
  });

  it('reads no history from a status.history that is not a list', () => {
    const hr = helmRelease('podinfo', 'apps', chart);
    expect(objectHistory(withHistory(hr, 'x'))).toEqual([]);
    expect(objectHistory(withHistory(hr, { 0: { version: 1 } }))).toEqual([]);
  });

  it('skips entries that are not objects and leaves out fields of another type', () => {
    const hr = helmRelease('podinfo', 'apps', chart);
    const entries = objectHistory(
      withHistory(hr, [
        null,
        5,
        ['nested'],
        {
          chartName: { a: 1 },
          chartVersion: '6.7.1',
          version: 'two',
          status: {},
          firstDeployed: 7,
          appVersion: ['6.7.1'],
        },
        { chartName: 'podinfo', chartVersion: '6.7.0', version: 3 },
      ]),
    );
    expect(entries).toEqual([
      expect.objectContaining({ revision: 'podinfo@6.7.0', helmRevision: 3 }),
      {
        revision: 'chart@6.7.1',
        status: undefined,
        first: undefined,
        last: undefined,
        helmRevision: undefined,
        appVersion: undefined,
        configDigest: undefined,
      },
    ]);
    // What React renders from it is text or nothing.
    for (const entry of entries) {
      for (const value of Object.values(entry)) {
        expect(['string', 'number', 'undefined']).toContain(typeof value);
      }
    }
  });

  it('reads a Kustomization revision only from a metadata object', () => {
    const ks = kustomization('apps', 'flux-system', {
      source: { kind: 'GitRepository', name: 'apps' },
      applied: 'main@sha1:06a5a13',
    });
    const entries = objectHistory(
      withHistory(ks, [
        {
          metadata: 'main@sha1:1',
          digest: 'sha256:abc',
          totalReconciliations: 'many',
        },
        { metadata: { revision: { x: 1 } }, lastReconciledStatus: 42 },
      ]),
    );
    expect(entries).toEqual([
      expect.objectContaining({
        revision: 'sha256:abc',
        reconciliations: undefined,
      }),
      expect.objectContaining({ revision: 'unknown', status: undefined }),
    ]);
  });

  it('reads at most 50 entries', () => {
    const hr = helmRelease('podinfo', 'apps', chart);
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      chartName: 'podinfo',
      chartVersion: `1.0.${i}`,
      version: i,
    }));
    expect(objectHistory(withHistory(hr, many))).toHaveLength(50);
  });
});
