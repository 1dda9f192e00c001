import { notReady, releaseWithChildren } from '../testUtils/objects';
import { kindOf, ObjectKind } from '../kinds';
import { ObjectIndex } from '../store/ObjectIndex';
import { KubeObject } from '../types/objects';
import { ClusterCell, ClusterError } from '../types/view';
import { aggregateEnvironment } from './aggregateEnvironment';
import {
  buildCellDetail,
  buildPromotionView,
  BuildPromotionViewOptions,
  ClusterData,
  EnvironmentConfig,
  MAX_IN_FULL,
} from './buildPromotionView';
import { MAX_ATTENTION, summarizeCell, summarizeView } from './summarizeView';

/** The page and drawer answers' budget (issue 18). */
const ANSWER_BUDGET = 64 * 1024;

const PULL_401 =
  'failed to determine artifact digest: GET https://quay.io/v2/kubodoc/packages/podinfo/manifests/2.0.0: UNAUTHORIZED: access to the requested resource is not authorized; map[]';

/** A cluster's cache, counting the reads that walk chains (get, ownedBy). */
function cluster(objects: KubeObject[], errors: ClusterError[] = []) {
  const index = new ObjectIndex();
  for (const obj of objects) index.upsert(kindOf(obj)!, obj);
  const walked = { count: 0 };
  const store = Object.create(index) as ObjectIndex;
  store.get = (kind: ObjectKind, namespace: string, name: string) => {
    walked.count++;
    return index.get(kind, namespace, name);
  };
  store.ownedBy = (uid: string) => {
    walked.count++;
    return index.ownedBy(uid);
  };
  const data: ClusterData = { store, errors, hasData: () => true };
  return { data, walked };
}

const podinfo = (
  tag: string,
  extra: Parameters<typeof releaseWithChildren>[2] = { tag },
) => releaseWithChildren('podinfo', 'apps', { ...extra, tag });
const failing = () =>
  podinfo('2.0.0', {
    tag: '2.0.0',
    pulledTag: '1.0.0',
    phase: 'WAIT_OCI',
    ociConditions: [
      notReady('OCIArtifactPullFailed', PULL_401, '2026-11-21T06:00:00Z'),
    ],
  });

/** A sandbox of `n` clusters, staging and production of one each. */
function fleet(sandbox: Record<string, KubeObject[]>) {
  const environments: EnvironmentConfig[] = [
    {
      name: 'sandbox',
      clusters: Object.keys(sandbox).map(c => ({ cluster: c })),
    },
    { name: 'staging', clusters: [{ cluster: 'staging-eu' }] },
    {
      name: 'production',
      important: true,
      clusters: [{ cluster: 'prod-eu' }],
    },
  ];
  const clusters = new Map(
    Object.entries({
      ...sandbox,
      'staging-eu': podinfo('1.0.0'),
      'prod-eu': [],
    }).map(([name, objects]) => [name, cluster(objects)]),
  );
  const options: BuildPromotionViewOptions = {
    entityRef: 'component:default/podinfo',
    environments,
    selectors: [
      {
        kind: 'Release',
        name: 'podinfo',
        annotation: 'gitops-promotion/kubocd-releases',
      },
    ],
    clusters: new Map([...clusters].map(([name, c]) => [name, c.data])),
    now: new Date('2026-11-21T10:00:00Z'),
  };
  return { options, walked: (name: string) => clusters.get(name)!.walked };
}

const sandboxOf = (n: number, tag = '1.0.0', objects = () => podinfo(tag)) =>
  Object.fromEntries(
    Array.from({ length: n }, (_, i) => [
      `sandbox-${String(i).padStart(3, '0')}`,
      objects(),
    ]),
  );

/** A sandbox of `n` clusters where a bad version fails in every one. */
const failingSandboxOf = (n: number) => sandboxOf(n, '2.0.0', failing);

/** Makes a cluster of the fleet stale. */
function unreachable(options: BuildPromotionViewOptions, name: string) {
  (options.clusters.get(name) as ClusterData).errors.push({
    cluster: name,
    type: 'UNREACHABLE',
    message: 'connect ECONNREFUSED',
    since: '2026-11-21T09:00:00Z',
  });
}

describe('summarizeView', () => {
  it('keeps the aggregate of each cell and names only the clusters that need a look, worst first', () => {
    const { options } = fleet({
      ...sandboxOf(3),
      'sandbox-stale': podinfo('1.0.0'),
      'sandbox-failing': failing(),
    });
    unreachable(options, 'sandbox-stale');
    const view = buildPromotionView(options);
    const summary = summarizeView(view);
    const [sandbox, staging, production] = summary.workloads[0].cells;
    const { clusters: _, ...aggregate } = view.workloads[0].cells[0];
    expect(sandbox).toMatchObject(aggregate);
    expect(sandbox).not.toHaveProperty('clusters');
    expect(sandbox.attention).toEqual([
      expect.objectContaining({
        cluster: 'sandbox-failing',
        state: 'Failed',
        version: '1.0.0',
        targetVersion: '2.0.0',
        cause: expect.stringMatching(
          /^OCIRepository apps\/kcd-podinfo cannot pull/,
        ),
      }),
      expect.objectContaining({
        cluster: 'sandbox-stale',
        state: 'Ready',
        staleSince: '2026-11-21T09:00:00Z',
      }),
    ]);
    expect(sandbox).not.toHaveProperty('attentionLeftOut');
    expect(sandbox.targetVersions).toEqual(['2.0.0']);
    expect(sandbox.retry).toBe(
      view.workloads[0].cells[0].clusters.find(c => c.retry)?.retry,
    );
    expect(staging.attention).toEqual([]);
    expect(production).toMatchObject({ state: 'NotDeployed', attention: [] });
    expect(summary.workloads[0].promotions).toEqual(
      view.workloads[0].promotions,
    );
    expect(summary.linkedNamespaces).toEqual(['apps']);
    // generatedAt last: the backend's ETag cuts it off the JSON.
    expect(Object.keys(summary).pop()).toBe('generatedAt');
  });

  it('counts the clusters of each version of a mixed cell, naming the first three', () => {
    const { options } = fleet({
      ...sandboxOf(5, '1.0.0'),
      'sandbox-new': podinfo('1.1.0'),
    });
    const [sandbox] = summarizeView(buildPromotionView(options)).workloads[0]
      .cells;
    expect(sandbox.versionSpread).toEqual([
      { version: '1.1.0', count: 1, clusters: ['sandbox-new'] },
      {
        version: '1.0.0',
        count: 5,
        clusters: ['sandbox-000', 'sandbox-001', 'sandbox-002'],
      },
    ]);
  });

  it('does not grow with the Ready clusters of an environment', () => {
    const size = (n: number) =>
      JSON.stringify(
        summarizeView(buildPromotionView(fleet(sandboxOf(n)).options))
          .workloads,
      ).length;
    // Only the counts' digits differ.
    expect(size(50) - size(5)).toBeLessThanOrEqual(4);
  });

  it('names the worst clusters that need a look when a bad version fails in 200, and counts the others', () => {
    const { options } = fleet(failingSandboxOf(200));
    const summary = summarizeView(buildPromotionView(options));
    expect(JSON.stringify(summary).length).toBeLessThanOrEqual(ANSWER_BUDGET);
    const [sandbox] = summary.workloads[0].cells;
    expect(sandbox.attention).toHaveLength(MAX_ATTENTION);
    expect(sandbox.attentionLeftOut).toBe(200 - MAX_ATTENTION);
    expect(sandbox.attention.map(c => c.cluster)).toEqual(
      Array.from(
        { length: MAX_ATTENTION },
        (_, i) => `sandbox-${String(i).padStart(3, '0')}`,
      ),
    );
    for (const c of sandbox.attention) {
      expect(c).toMatchObject({
        state: 'Failed',
        cause: expect.stringMatching(/^OCIRepository apps\/kcd-podinfo/),
      });
    }
  });

  it('names the failed clusters before the stale ones when it cannot name them all', () => {
    const { options } = fleet({
      ...failingSandboxOf(MAX_ATTENTION),
      'sandbox-a-stale': podinfo('1.0.0'),
    });
    unreachable(options, 'sandbox-a-stale');
    const [sandbox] = summarizeView(buildPromotionView(options)).workloads[0]
      .cells;
    expect(sandbox.attention.every(c => c.state === 'Failed')).toBe(true);
    expect(sandbox.attentionLeftOut).toBe(1);
    // Still counted, so that the cell says its data is partly stale.
    expect(sandbox.staleLeftOut).toBe(1);
  });

  it('says on one line why a cluster without a root cause needs a look', () => {
    const stale: ClusterCell = {
      cluster: 'sandbox-000',
      namespace: 'apps',
      state: 'Ready',
      message: `Helm upgrade succeeded for release apps/podinfo-main.v3 with chart main@1.0.0\n\n${'NOTES: '.repeat(
        100,
      )}`,
      history: [],
      chain: [],
      staleSince: '2026-11-21T09:00:00Z',
    };
    const [attention] = summarizeCell(
      aggregateEnvironment('sandbox', [stale], [], []),
    ).attention;
    expect(attention.cause).not.toMatch(/\n/);
    expect(attention.cause).toMatch(
      /^Helm upgrade succeeded for release apps\/podinfo-main\.v3 with chart main@1\.0\.0 NOTES: NOTES: .*…$/,
    );
    expect(attention.cause!.length).toBeLessThanOrEqual(300);
  });
});

describe('buildCellDetail', () => {
  it('gives the cell of the full view, walking only the chains of that environment', () => {
    const { options, walked } = fleet({
      ...sandboxOf(3),
      'sandbox-failing': failing(),
    });
    const full = buildPromotionView(options);
    for (const name of ['sandbox', 'staging', 'production']) {
      for (const c of options.clusters.keys()) walked(c).count = 0;
      const detail = buildCellDetail(options, name, 'Release/podinfo')!;
      const i = options.environments.findIndex(e => e.name === name);
      const { clusters, ...aggregate } = full.workloads[0].cells[i];
      expect(detail).toMatchObject({
        entityRef: 'component:default/podinfo',
        environment: name,
        workload: { id: 'Release/podinfo', kind: 'Release', name: 'podinfo' },
        cell: aggregate,
        generatedAt: '2026-11-21T10:00:00.000Z',
      });
      // Every cluster once: in full or in brief.
      expect(
        [
          ...detail.cell.clusters.map(c => c.cluster),
          ...detail.inBrief.map(c => c.cluster),
        ].sort(),
      ).toEqual(clusters.map(c => c.cluster).sort());
      for (const c of detail.cell.clusters) {
        expect(c).toEqual(clusters.find(f => f.cluster === c.cluster));
      }
      const inEnv = new Set(
        options.environments[i].clusters.map(c => c.cluster),
      );
      const outside = [...options.clusters.keys()].filter(c => !inEnv.has(c));
      expect(outside.map(c => walked(c).count)).toEqual(outside.map(() => 0));
    }
  });

  it('gives in full the clusters that need a look and the one asked for, the other Ready ones in brief', () => {
    const { options } = fleet({
      ...sandboxOf(5),
      'sandbox-failing': failing(),
    });
    const detail = buildCellDetail(options, 'sandbox', 'Release/podinfo')!;
    expect(detail.cell.clusters.map(c => c.cluster)).toEqual([
      'sandbox-failing',
    ]);
    expect(detail.cell.readyClusters).toBe(5);
    expect(detail.inBrief).toEqual(
      [
        'sandbox-000',
        'sandbox-001',
        'sandbox-002',
        'sandbox-003',
        'sandbox-004',
      ].map(name => ({
        cluster: name,
        namespace: 'apps',
        state: 'Ready',
        version: '1.0.0',
      })),
    );
    const asked = buildCellDetail(
      options,
      'sandbox',
      'Release/podinfo',
      'sandbox-003',
    )!;
    expect(asked.cell.clusters.map(c => c.cluster)).toEqual([
      'sandbox-003',
      'sandbox-failing',
    ]);
    expect(asked.cell.clusters[0].chain.length).toBeGreaterThan(1);
    expect(asked.inBrief).toHaveLength(4);
  });

  it('does not grow with the Ready clusters of an environment', () => {
    const size = (n: number) =>
      JSON.stringify(
        buildCellDetail(
          fleet(sandboxOf(n)).options,
          'sandbox',
          'Release/podinfo',
        ),
      ).length;
    // Each Ready cluster adds one line in brief, not a chain.
    expect((size(50) - size(10)) / 40).toBeLessThan(100);
  });

  it('gives the worst few clusters that need a look in full when a bad version fails in 50, the others in brief with their cause', () => {
    const { options } = fleet({
      ...failingSandboxOf(50),
      'sandbox-a-stale': podinfo('1.0.0'),
      'sandbox-ready': podinfo('1.0.0'),
    });
    unreachable(options, 'sandbox-a-stale');
    const detail = buildCellDetail(options, 'sandbox', 'Release/podinfo')!;
    expect(JSON.stringify(detail).length).toBeLessThanOrEqual(ANSWER_BUDGET);
    expect(detail.cell.clusters.map(c => c.cluster)).toEqual(
      ['000', '001', '002', '003', '004'].map(i => `sandbox-${i}`),
    );
    expect(detail.cell.clusters).toHaveLength(MAX_IN_FULL);
    for (const c of detail.cell.clusters) {
      expect(c.rootCause).toBeDefined();
      expect(c.chain.length).toBeGreaterThan(1);
    }
    // Worst first: the other failed ones, the stale one, then the Ready one.
    expect(detail.inBrief.map(c => c.cluster)).toEqual([
      ...Array.from(
        { length: 50 - MAX_IN_FULL },
        (_, i) => `sandbox-${String(i + MAX_IN_FULL).padStart(3, '0')}`,
      ),
      'sandbox-a-stale',
      'sandbox-ready',
    ]);
    expect(detail.inBrief[0]).toEqual({
      cluster: 'sandbox-005',
      namespace: 'apps',
      state: 'Failed',
      version: '1.0.0',
      cause: detail.cell.clusters[0].rootCause!.summary,
    });
    expect(detail.inBrief.at(-2)).toMatchObject({
      state: 'Ready',
      staleSince: '2026-11-21T09:00:00Z',
    });
    expect(detail.inBrief.at(-1)).toEqual({
      cluster: 'sandbox-ready',
      namespace: 'apps',
      state: 'Ready',
      version: '1.0.0',
    });

    // One in brief in full on demand, on top of the worst ones.
    const asked = buildCellDetail(
      options,
      'sandbox',
      'Release/podinfo',
      'sandbox-042',
    )!;
    expect(asked.cell.clusters.map(c => c.cluster)).toEqual([
      ...['000', '001', '002', '003', '004'].map(i => `sandbox-${i}`),
      'sandbox-042',
    ]);
    expect(asked.inBrief.map(c => c.cluster)).not.toContain('sandbox-042');
    expect(JSON.stringify(asked).length).toBeLessThanOrEqual(ANSWER_BUDGET);
  });

  it('gives a cell not deployed for a workload found only in other environments', () => {
    const { options } = fleet(sandboxOf(2));
    expect(
      buildCellDetail(options, 'production', 'Release/podinfo')?.cell,
    ).toMatchObject({
      state: 'NotDeployed',
      notDeployedIn: ['prod-eu'],
      clusters: [],
    });
  });

  it('finds nothing for an environment not configured or a workload the selectors find nowhere', () => {
    const { options } = fleet(sandboxOf(2));
    expect(buildCellDetail(options, 'qa', 'Release/podinfo')).toBeUndefined();
    expect(
      buildCellDetail(options, 'sandbox', 'Release/other'),
    ).toBeUndefined();
    expect(
      buildCellDetail(options, 'sandbox', 'HelmRelease/podinfo'),
    ).toBeUndefined();
  });
});
