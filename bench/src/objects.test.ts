import { KubeObject } from '@gitops-promotion/backstage-plugin-common';
import { classifyObject } from '@gitops-promotion/backstage-plugin-common/server';
import {
  BENCH_NAMESPACE,
  BENCH_SERVICE,
  KUBERNETES_ID_LABEL,
  planCluster,
  SYNC_LABEL,
  SYNC_WORKLOAD,
} from './objects';

const plan = (environment: string) =>
  planCluster({
    cluster: `${environment}-01`,
    environment,
    clusterIndex: 3,
    releases: 500,
    now: new Date('2026-11-21T12:00:00Z'),
  });

const stateOf = (manifest: object) =>
  classifyObject(manifest as KubeObject).state;

describe('planCluster', () => {
  it('plans 3,000 objects per cluster in the documented mix', () => {
    expect(plan('staging').counts).toEqual({
      Release: 500,
      OCIRepository: 500,
      HelmRepository: 510,
      HelmRelease: 650,
      HelmChart: 650,
      GitRepository: 90,
      Kustomization: 100,
    });
  });

  it('plans what create accepts: no server-set metadata, owners first and in the plan', () => {
    const { objects } = plan('development');
    const serverSet = [
      'uid',
      'resourceVersion',
      'creationTimestamp',
      'generation',
    ];
    expect(
      objects.filter(({ manifest }) =>
        serverSet.some(field => field in manifest.metadata),
      ),
    ).toEqual([]);
    // Each owner is created before what it owns.
    const created = new Set<string>();
    const orphans: string[] = [];
    for (const { manifest, ownerRelease } of objects) {
      const { namespace, name } = manifest.metadata;
      if (ownerRelease && !created.has(`${namespace}/${ownerRelease}`)) {
        orphans.push(`${manifest.kind} ${namespace}/${name}`);
      }
      if (manifest.kind === 'Release') created.add(`${namespace}/${name}`);
    }
    expect(orphans).toEqual([]);
    // OCIRepository, HelmRepository and HelmRelease of each Release.
    expect(objects.filter(o => o.ownerRelease)).toHaveLength(3 * 500);
  });

  it.each([
    ['sandbox', 0.06],
    ['development', 0.1],
    ['staging', 0.04],
    ['production', 0.02],
  ])(
    'fails about the share of workloads %s is meant to (%s)',
    (environment, rate) => {
      const { objects } = plan(environment);
      const manifests = objects.map(o => o.manifest);
      const releases = manifests.filter(m => m.kind === 'Release');
      // A Release fails at its package source or at its HelmRelease.
      const failed = releases.filter(r =>
        manifests.some(
          m =>
            m.metadata.ownerReferences?.some(o => o.name === r.metadata.name) &&
            m.metadata.namespace === r.metadata.namespace &&
            stateOf(m) === 'Failed',
        ),
      );
      expect(
        releases
          .filter(r => failed.includes(r))
          .every(r => stateOf(r) === 'Progressing'),
      ).toBe(true);
      expect(failed.length / releases.length).toBeGreaterThan(rate - 0.03);
      expect(failed.length / releases.length).toBeLessThan(rate + 0.03);
    },
  );

  it('keeps the page-view and sync-check workloads Ready, labelled for their entities', () => {
    const manifests = plan('development').objects.map(o => o.manifest);
    const service = manifests.filter(
      m => m.metadata.labels?.[KUBERNETES_ID_LABEL] === BENCH_SERVICE,
    );
    expect(service.map(m => m.kind).sort()).toEqual([
      'HelmChart',
      'HelmRelease',
      'HelmRepository',
      'OCIRepository',
      'Release',
    ]);
    expect(service.every(m => m.metadata.namespace === BENCH_NAMESPACE)).toBe(
      true,
    );
    expect(service.map(stateOf)).toEqual(Array(5).fill('Ready'));
    const sync = manifests.filter(
      m =>
        m.metadata.labels?.[SYNC_LABEL] === 'true' &&
        m.metadata.name === SYNC_WORKLOAD,
    );
    expect(sync.map(m => [m.kind, stateOf(m)])).toEqual([
      ['Release', 'Ready'],
      ['Kustomization', 'Ready'],
    ]);
  });
});
