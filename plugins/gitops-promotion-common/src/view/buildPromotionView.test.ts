import { helmRelease, releaseWithChildren } from '../testUtils/objects';
import { kindOf, ObjectKind } from '../kinds';
import { ObjectIndex } from '../store/ObjectIndex';
import { KubeObject } from '../types/objects';
import { ClusterError } from '../types/view';
import {
  buildCellDetail,
  buildPromotionView,
  ClusterData,
  EnvironmentConfig,
  MAX_VIEW_WORKLOADS,
} from './buildPromotionView';

function cluster(
  objects: KubeObject[],
  errors: ClusterError[] = [],
  missingKinds: ObjectKind[] = [],
): ClusterData {
  const store = new ObjectIndex();
  for (const obj of objects) store.upsert(kindOf(obj)!, obj);
  return { store, errors, hasData: kind => !missingKinds.includes(kind) };
}

const environments: EnvironmentConfig[] = [
  { name: 'development', clusters: [{ cluster: 'dev-eu' }] },
  { name: 'staging', title: 'Staging', clusters: [{ cluster: 'staging-eu' }] },
  {
    name: 'production',
    clusters: [{ cluster: 'prod-eu' }, { cluster: 'prod-us' }],
  },
];

/** A cluster unreachable since 09:00, with the time of its last good data if any. */
function unreachable(name: string, lastSyncedAt?: string): ClusterError {
  return {
    cluster: name,
    type: 'UNREACHABLE',
    message: 'connect ECONNREFUSED 127.0.0.1:6443',
    since: '2026-11-21T09:00:00Z',
    ...(lastSyncedAt && { lastSyncedAt }),
  };
}

const podinfo = (tag: string, phase = 'READY') =>
  releaseWithChildren('podinfo', 'apps', { tag, phase });
const selector = {
  kind: 'Release' as const,
  name: 'podinfo',
  annotation: 'gitops-promotion/kubocd-releases',
};

/** podinfo's view over these clusters, in the three environments unless told otherwise. */
function podinfoView(
  clusters: Record<string, ClusterData>,
  options: Partial<Parameters<typeof buildPromotionView>[0]> = {},
) {
  return buildPromotionView({
    entityRef: 'component:default/podinfo',
    environments,
    selectors: [selector],
    clusters: new Map(Object.entries(clusters)),
    now: new Date(),
    ...options,
  });
}

describe('buildPromotionView', () => {
  it("shows a HelmRelease named too in its Release's chain only, not as a second row", () => {
    const objects = podinfo('6.7.1-p02');
    const owned = objects.find(o => o.kind === 'HelmRelease')!;
    const helmReleaseSelector = {
      kind: 'HelmRelease' as const,
      namespace: 'apps',
      name: owned.metadata.name,
      annotation: 'gitops-promotion/helm-releases',
    };
    const both = podinfoView(
      { 'dev-eu': cluster(objects) },
      { selectors: [selector, helmReleaseSelector] },
    );
    expect(both.workloads.map(w => w.id)).toEqual(['Release/podinfo']);
    // Without its Release selected, the HelmRelease named is a row.
    const alone = podinfoView(
      { 'dev-eu': cluster(objects) },
      { selectors: [helmReleaseSelector] },
    );
    expect(alone.workloads.map(w => w.id)).toEqual([
      `HelmRelease/${owned.metadata.name}`,
    ]);
  });

  it('builds one row with a cell per environment and the promotion steps', () => {
    const view = podinfoView(
      {
        'dev-eu': cluster(podinfo('6.7.1-p02')),
        'staging-eu': cluster(podinfo('6.7.1-p01')),
        'prod-eu': cluster(podinfo('6.7.1-p01')),
        'prod-us': cluster(podinfo('6.6.3-p01')),
      },
      { now: new Date('2026-11-21T10:00:00Z') },
    );
    expect(view.environments.map(e => e.title)).toEqual([
      'development',
      'Staging',
      'production',
    ]);
    expect(view.workloads).toHaveLength(1);
    const [row] = view.workloads;
    expect(row).toMatchObject({
      id: 'Release/podinfo',
      kind: 'Release',
      name: 'podinfo',
      namespaces: ['apps'],
    });
    expect(
      row.cells.map(c => [
        c.environment,
        c.state,
        c.version,
        c.mixedVersions,
        `${c.readyClusters}/${c.totalClusters}`,
      ]),
    ).toEqual([
      ['development', 'Ready', '6.7.1-p02', false, '1/1'],
      ['staging', 'Ready', '6.7.1-p01', false, '1/1'],
      ['production', 'Ready', '6.6.3-p01', true, '2/2'],
    ]);
    expect(
      row.promotions.map(p => [p.from, p.to, p.relation, p.behindBy]),
    ).toEqual([
      ['development', 'staging', 'behind', 1],
      ['staging', 'production', 'behind', 1],
    ]);
    expect(view.generatedAt).toBe('2026-11-21T10:00:00.000Z');
  });

  it('scopes an environment to namespaces of a shared cluster', () => {
    const devObjects = releaseWithChildren('podinfo', 'team-dev', {
      tag: '2.0.0',
    });
    const stagingObjects = releaseWithChildren('podinfo', 'team-staging', {
      tag: '1.0.0',
    });
    const view = buildPromotionView({
      entityRef: 'component:default/podinfo',
      environments: [
        {
          name: 'development',
          clusters: [{ cluster: 'shared', namespaces: ['team-dev'] }],
        },
        {
          name: 'staging',
          clusters: [{ cluster: 'shared', namespaces: ['team-staging'] }],
        },
      ],
      selectors: [selector],
      clusters: new Map([
        ['shared', cluster([...devObjects, ...stagingObjects])],
      ]),
      now: new Date(),
    });
    expect(
      view.workloads[0].cells.map(c => [c.version, c.clusters[0].namespace]),
    ).toEqual([
      ['2.0.0', 'team-dev'],
      ['1.0.0', 'team-staging'],
    ]);
    expect(view.workloads[0].promotions[0].relation).toBe('behind');
  });

  it('selects by label, leaving out HelmReleases a Release owns', () => {
    const labels = { 'app.kubernetes.io/name': 'ledger' };
    const ledger = helmRelease('ledger', 'finance', {
      chart: 'ledger',
      version: '1.7.2',
      source: { kind: 'HelmRepository', name: 'c' },
      labels,
    });
    const [rel, , , owned] = podinfo('1.0.0');
    owned.metadata.labels = labels;
    const view = buildPromotionView({
      entityRef: 'component:default/ledger',
      environments: [environments[0]],
      selectors: (['Release', 'HelmRelease', 'Kustomization'] as const).map(
        kind => ({
          kind,
          labelSelector: 'app.kubernetes.io/name=ledger',
          annotation: 'gitops-promotion/label-selector',
        }),
      ),
      clusters: new Map([['dev-eu', cluster([ledger, rel, owned])]]),
      now: new Date(),
    });
    expect(view.workloads.map(w => w.id)).toEqual(['HelmRelease/ledger']);
  });

  it('gives the same view through the label index as by walking every object', () => {
    const objects = ['a', 'b', 'c'].flatMap((name, i) =>
      releaseWithChildren(name, 'apps', { tag: `1.${i}.0` }).map(o =>
        o.kind === 'Release'
          ? {
              ...o,
              metadata: {
                ...o.metadata,
                labels: { team: i < 2 ? 'x' : 'y', tier: `t${i}` },
              },
            }
          : o,
      ),
    );
    const build = (data: ClusterData) =>
      buildPromotionView({
        entityRef: 'component:default/x',
        environments: [environments[0]],
        selectors: [
          {
            kind: 'Release',
            labelSelector: 'team=x,tier!=t0',
            annotation: 'gitops-promotion/label-selector',
          },
          {
            kind: 'Release',
            labelSelector: 'tier in (t0,t2)',
            annotation: 'gitops-promotion/label-selector',
          },
        ],
        clusters: new Map([['dev-eu', data]]),
        now: new Date('2026-11-21T10:00:00Z'),
      });
    const indexed = cluster(objects);
    const withLabel = jest.spyOn(indexed.store as ObjectIndex, 'withLabel');
    // The same objects behind a store without the label index.
    const scanning: ClusterData = {
      ...indexed,
      store: {
        get: (k, ns, n) => indexed.store.get(k, ns, n),
        ownedBy: uid => indexed.store.ownedBy(uid),
        byName: (k, n) => indexed.store.byName(k, n),
        list: k => indexed.store.list(k),
      },
    };
    const view = build(indexed);
    expect(view.workloads.map(w => w.id)).toEqual([
      'Release/b',
      'Release/a',
      'Release/c',
    ]);
    // The first selector's `team=x` narrows through the index; the second has no `key=value`.
    expect(withLabel.mock.calls).toEqual([['Release', 'team', 'x']]);
    expect(view).toEqual(build(scanning));
  });

  it('shows the first workloads of a selector that finds too many, complete in every cluster, and names the annotation', () => {
    const release = (i: number) =>
      helmRelease(`hr-${String(i).padStart(4, '0')}`, 'apps', {
        chart: 'app',
        version: '1.0.0',
        source: { kind: 'HelmRepository', name: 'charts' },
        labels: { team: 'x' },
      });
    const range = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => release(from + i));
    const options = {
      entityRef: 'component:default/everything',
      environments,
      // Each cluster holds more than a view shows, not the same ones.
      clusters: new Map([
        ['dev-eu', cluster(range(0, 1050))],
        ['prod-us', cluster(range(10, 1100))],
      ]),
      selectors: [
        {
          kind: 'HelmRelease' as const,
          labelSelector: 'team=x',
          annotation: 'gitops-promotion/label-selector',
        },
        {
          kind: 'HelmRelease' as const,
          name: 'hr-1090',
          annotation: 'gitops-promotion/helm-releases',
        },
      ],
      now: new Date('2026-11-21T10:00:00Z'),
    };
    const view = buildPromotionView(options);
    expect(view.workloads).toHaveLength(MAX_VIEW_WORKLOADS);
    const ids = view.workloads.map(w => w.id);
    // The one named keeps its place; the label selector's first others fill the rest.
    expect(ids).toContain('HelmRelease/hr-1090');
    expect(ids).toContain('HelmRelease/hr-0998');
    expect(ids).not.toContain('HelmRelease/hr-0999');
    // A row shown has its cells in every cluster that runs it.
    const row = view.workloads.find(w => w.id === 'HelmRelease/hr-0990')!;
    expect(row.cells.map(c => c.clusters.map(cc => cc.cluster))).toEqual([
      ['dev-eu'],
      [],
      ['prod-us'],
    ]);
    expect(view.annotationProblems).toEqual([
      {
        annotation: 'gitops-promotion/label-selector',
        value: 'team=x',
        message: `selects more than ${MAX_VIEW_WORKLOADS} workloads: the view shows the first ${MAX_VIEW_WORKLOADS} by kind and name. Narrow it to this component's workloads (a label only they carry, or a namespace).`,
      },
    ]);
    // A workload past the cap has no drill-down either.
    expect(
      buildCellDetail(options, 'production', 'HelmRelease/hr-0990'),
    ).toBeDefined();
    expect(
      buildCellDetail(options, 'production', 'HelmRelease/hr-1020'),
    ).toBeUndefined();
    // Under the cap, nothing is left out and nothing is said.
    const few = buildPromotionView({
      ...options,
      clusters: new Map([['dev-eu', cluster(range(0, 20))]]),
    });
    expect(few.workloads).toHaveLength(20);
    expect(few.annotationProblems).toEqual([]);
  });

  it('keeps a named workload complete past the cap, in a cluster that finds it only through a label', () => {
    const hr = (name: string, namespace: string) =>
      helmRelease(name, namespace, {
        chart: 'app',
        version: '1.0.0',
        source: { kind: 'HelmRepository', name: 'charts' },
        labels: { team: 'x' },
      });
    const many = Array.from({ length: 1001 }, (_, i) =>
      hr(`hr-${String(i).padStart(4, '0')}`, 'apps'),
    );
    const view = buildPromotionView({
      entityRef: 'component:default/everything',
      environments: [
        { name: 'development', clusters: [{ cluster: 'dev-eu' }] },
        { name: 'production', clusters: [{ cluster: 'prod-us' }] },
      ],
      clusters: new Map([
        // Named in other/ only, found here in apps/ through the label, and
        // last by name among more than the cap.
        ['dev-eu', cluster([...many, hr('zzz', 'apps')])],
        ['prod-us', cluster([hr('zzz', 'other')])],
      ]),
      selectors: [
        {
          kind: 'HelmRelease' as const,
          labelSelector: 'team=x',
          annotation: 'gitops-promotion/label-selector',
        },
        {
          kind: 'HelmRelease' as const,
          namespace: 'other',
          name: 'zzz',
          annotation: 'gitops-promotion/helm-releases',
        },
      ],
      now: new Date('2026-11-21T10:00:00Z'),
    });
    const row = view.workloads.find(w => w.id === 'HelmRelease/zzz')!;
    expect(row.cells.map(c => c.clusters.map(cc => cc.cluster))).toEqual([
      ['dev-eu'],
      ['prod-us'],
    ]);
    expect(row.cells[0].notDeployedIn).toEqual([]);
  });

  it('tells clusters without the workload from clusters that never answered, and keeps stale data visible', () => {
    const view = podinfoView({
      'dev-eu': cluster(podinfo('1.0.0')),
      'staging-eu': cluster([]),
      'prod-eu': cluster([], [unreachable('prod-eu')], ['Release']),
      'prod-us': cluster(podinfo('1.0.0'), [
        unreachable('prod-us', '2026-11-21T08:59:00Z'),
      ]),
    });
    const [dev, staging, prod] = view.workloads[0].cells;
    expect(dev.state).toBe('Ready');
    expect(staging).toMatchObject({
      state: 'NotDeployed',
      notDeployedIn: ['staging-eu'],
      unavailableIn: [],
    });
    expect(prod).toMatchObject({
      state: 'Ready',
      unavailableIn: ['prod-eu'],
      totalClusters: 1,
    });
    expect(prod.clusters[0].staleSince).toBe('2026-11-21T09:00:00Z');
    expect(view.clusterErrors.map(e => e.cluster)).toEqual([
      'prod-eu',
      'prod-us',
    ]);
  });

  it('calls an environment whose clusters never answered Unknown, not NotDeployed', () => {
    const down = (name: string) =>
      cluster([], [unreachable(name)], ['Release']);
    const view = podinfoView({
      'dev-eu': cluster(podinfo('1.0.0')),
      'staging-eu': cluster(podinfo('1.0.0')),
      'prod-eu': down('prod-eu'),
      'prod-us': down('prod-us'),
    });
    const { cells, promotions } = view.workloads[0];
    expect(cells[2]).toMatchObject({
      state: 'Unknown',
      unavailableIn: ['prod-eu', 'prod-us'],
      notDeployedIn: [],
      totalClusters: 0,
    });
    expect(promotions[1].relation).toBe('unknown');
  });

  it('counts a cluster holding the workload in two namespaces once, ready only when both are', () => {
    const shared: EnvironmentConfig[] = [
      { name: 'staging', clusters: [{ cluster: 'shared' }] },
    ];
    const twice = (phase: string) => [
      ...releaseWithChildren('podinfo', 'team-a', { tag: '1.0.0' }),
      ...releaseWithChildren('podinfo', 'team-b', { tag: '1.0.0', phase }),
    ];
    const build = (phase: string) =>
      podinfoView({ shared: cluster(twice(phase)) }, { environments: shared })
        .workloads[0].cells[0];
    expect(build('READY')).toMatchObject({
      readyClusters: 1,
      totalClusters: 1,
    });
    expect(build('WAIT_HREL').clusters).toHaveLength(2);
    expect(build('WAIT_HREL')).toMatchObject({
      readyClusters: 0,
      totalClusters: 1,
    });
  });

  it('shows an entity only the errors of the kinds its view reads in each cluster', () => {
    const kindError = (
      name: string,
      kind: ObjectKind,
      type: ClusterError['type'] = 'FORBIDDEN',
    ): ClusterError => ({
      cluster: name,
      type,
      kind,
      message: `Cluster ${name}: ${type} for ${kind}`,
      since: '2026-11-21T09:00:00Z',
    });
    const view = podinfoView({
      // Nothing of a Release's chain is a Kustomization or a GitRepository.
      'dev-eu': cluster(podinfo('1.0.0'), [
        kindError('dev-eu', 'Kustomization'),
        kindError('dev-eu', 'GitRepository', 'NOT_INSTALLED'),
        kindError('dev-eu', 'HelmRepository'),
      ]),
      // Not deployed here: the selector's kind is still read.
      'staging-eu': cluster(
        [],
        [
          kindError('staging-eu', 'Release', 'NOT_INSTALLED'),
          kindError('staging-eu', 'HelmChart'),
        ],
        ['Release'],
      ),
      'prod-eu': cluster([], [unreachable('prod-eu')], ['Release']),
      'prod-us': cluster(podinfo('1.0.0')),
    });
    expect(view.clusterErrors.map(e => [e.cluster, e.type, e.kind])).toEqual([
      ['dev-eu', 'FORBIDDEN', 'HelmRepository'],
      ['staging-eu', 'NOT_INSTALLED', 'Release'],
      ['prod-eu', 'UNREACHABLE', undefined],
    ]);
  });

  it('shows no errors of a cluster whose environment namespaces the selectors cannot match', () => {
    const qa: EnvironmentConfig[] = [
      {
        name: 'qa',
        clusters: [{ cluster: 'shared', namespaces: ['team-qa'] }],
      },
      { name: 'production', clusters: [{ cluster: 'prod-eu' }] },
    ];
    const clusters = {
      shared: cluster([], [unreachable('shared')], ['Release']),
      'prod-eu': cluster([], [unreachable('prod-eu')], ['Release']),
    };
    const inApps = podinfoView(clusters, {
      environments: qa,
      selectors: [{ ...selector, namespace: 'apps' }],
    });
    expect(inApps.clusterErrors.map(e => e.cluster)).toEqual(['prod-eu']);
    // A selector without a namespace may find the Release in team-qa.
    const anywhere = podinfoView(clusters, { environments: qa });
    expect(anywhere.clusterErrors.map(e => e.cluster)).toEqual([
      'shared',
      'prod-eu',
    ]);
  });

  it('marks a cell stale when a kind its chain read data of fails, not when one it never read does', () => {
    const failing = (kind: ObjectKind, since: string): ClusterError => ({
      cluster: 'dev-eu',
      type: 'TIMEOUT',
      kind,
      message: `Cluster dev-eu did not answer list ${kind} in time.`,
      since,
    });
    const stale = (errors: ClusterError[], missing: ObjectKind[] = []) =>
      podinfoView(
        { 'dev-eu': cluster(podinfo('1.0.0'), errors, missing) },
        { environments: [environments[0]] },
      ).workloads[0].cells[0].clusters[0].staleSince;
    // The OCIRepository of podinfo's chain, read before its kind failed.
    expect(stale([failing('OCIRepository', '2026-11-21T09:05:00Z')])).toBe(
      '2026-11-21T09:05:00Z',
    );
    // Never read: its link is Unknown, the rest of the data is current.
    expect(
      stale(
        [failing('OCIRepository', '2026-11-21T09:05:00Z')],
        ['OCIRepository'],
      ),
    ).toBeUndefined();
    // Not a kind of this chain.
    expect(
      stale([failing('Kustomization', '2026-11-21T09:05:00Z')]),
    ).toBeUndefined();
  });

  it('does not mark data stale for a degraded kind still served at a beta version', () => {
    const degraded: ClusterError = {
      cluster: 'dev-eu',
      type: 'VERSION_NOT_SERVED',
      kind: 'Release',
      message: 'served at v1beta1 only',
      since: '2026-11-21T09:00:00Z',
      degraded: true,
    };
    const view = podinfoView(
      { 'dev-eu': cluster(podinfo('1.0.0'), [degraded]) },
      { environments: [environments[0]] },
    );
    expect(view.workloads[0].cells[0].clusters[0].staleSince).toBeUndefined();
  });

  it('returns no rows and the searched environments when nothing matches', () => {
    const view = buildPromotionView({
      entityRef: 'e',
      environments,
      selectors: [selector],
      annotationProblems: [
        {
          annotation: 'gitops-promotion/helm-releases',
          value: 'X',
          message: 'bad',
        },
      ],
      clusters: new Map(),
      now: new Date(),
    });
    expect(view.workloads).toEqual([]);
    expect(view.environments[2].clusters).toEqual([
      { cluster: 'prod-eu' },
      { cluster: 'prod-us' },
    ]);
    expect(view.annotationProblems).toHaveLength(1);
  });

  it('does not count a workload twice when two selectors pick it', () => {
    const view = podinfoView(
      { 'dev-eu': cluster(podinfo('1.0.0')) },
      {
        environments: [environments[0]],
        selectors: [selector, { ...selector, namespace: 'apps' }],
      },
    );
    expect(view.workloads[0].cells[0].clusters).toHaveLength(1);
  });

  it('marks, in important environments only, the HelmReleases whose failed upgrade would stay failed', () => {
    const remediated = podinfo('6.7.1-p01').map(o =>
      o.kind === 'HelmRelease'
        ? {
            ...o,
            spec: { ...o.spec, upgrade: { remediation: { retries: 3 } } },
          }
        : o,
    );
    const view = podinfoView(
      {
        'dev-eu': cluster(podinfo('6.7.1-p01')),
        'staging-eu': cluster(podinfo('6.7.1-p01')),
        'prod-eu': cluster(podinfo('6.7.1-p01')),
        'prod-us': cluster(remediated),
      },
      {
        environments: environments.map(e => ({
          ...e,
          important: e.name !== 'development',
        })),
      },
    );
    expect(view.environments.map(e => e.important)).toEqual([
      false,
      true,
      true,
    ]);
    const [dev, staging, prod] = view.workloads[0].cells;
    expect(dev.missingRemediation).toBeUndefined();
    expect(staging.missingRemediation).toEqual(['apps/podinfo-main']);
    // Named once although only prod-eu lacks it; prod-us has it.
    expect(prod.missingRemediation).toEqual(['apps/podinfo-main']);
    const fixed = podinfoView(
      {
        'dev-eu': cluster(remediated),
        'staging-eu': cluster(remediated),
        'prod-eu': cluster(remediated),
        'prod-us': cluster(remediated),
      },
      {
        environments: environments.map(e => ({ ...e, important: true })),
      },
    );
    expect(fixed.workloads[0].cells.map(c => c.missingRemediation)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});
