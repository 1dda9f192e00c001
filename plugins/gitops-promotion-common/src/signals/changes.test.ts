import {
  gitRepository,
  helmRelease,
  releaseWithChildren,
} from '../testUtils/objects';
import { kindOf } from '../kinds';
import { ObjectIndex } from '../store/ObjectIndex';
import { KubeObject } from '../types/objects';
import { WorkloadSelector } from '../types/view';
import {
  buildPromotionView,
  EnvironmentConfig,
} from '../view/buildPromotionView';
import { summarizeView } from '../view/summarizeView';
import {
  changesWithin,
  ClusterChange,
  PromotionChangesSignal,
  readsOfView,
  viewAffectedBy,
} from './changes';

function view(
  selectors: WorkloadSelector[],
  objects: Record<string, KubeObject[]>,
  environments: EnvironmentConfig[] = [
    { name: 'staging', clusters: [{ cluster: 'staging-eu' }] },
    { name: 'production', clusters: [{ cluster: 'prod-eu' }] },
  ],
) {
  return buildPromotionView({
    entityRef: 'component:default/podinfo',
    environments,
    selectors,
    clusters: new Map(
      Object.entries(objects).map(([name, list]) => {
        const store = new ObjectIndex();
        for (const obj of list) store.upsert(kindOf(obj)!, obj);
        return [name, { store, errors: [], hasData: () => true }];
      }),
    ),
    now: new Date('2026-11-21T10:00:00Z'),
  });
}

const inApps: WorkloadSelector = {
  kind: 'Release',
  namespace: 'apps',
  name: 'podinfo',
  annotation: 'gitops-promotion/kubocd-releases',
};
const anywhere: WorkloadSelector = { ...inApps, namespace: undefined };
/** A HelmRelease in apps whose chart comes from a GitRepository in flux-system. */
const hr = helmRelease('web', 'apps', {
  chart: 'web',
  version: '1.2.0',
  source: { kind: 'GitRepository', name: 'charts', namespace: 'flux-system' },
});
const sharedSource = gitRepository('charts', 'flux-system', {
  url: 'https://example.com/charts.git',
  revision: 'main@sha1:0123456789abcdef0123456789abcdef01234567',
});
const podinfo = releaseWithChildren('podinfo', 'apps', { tag: '6.7.1-p01' });
/** Whether the page view of `v` (what the browser holds) is affected. */
const affected = (v: ReturnType<typeof view>, ...changes: ClusterChange[]) =>
  viewAffectedBy(summarizeView(v), { changes });

describe('viewAffectedBy', () => {
  const v = view([inApps], { 'staging-eu': podinfo, 'prod-eu': podinfo });

  it('is affected by a change in a namespace it selects, in one of its clusters', () => {
    expect(affected(v, { cluster: 'prod-eu', namespaces: ['apps'] })).toBe(
      true,
    );
    expect(
      affected(v, { cluster: 'prod-eu', namespaces: ['shop', 'apps'] }),
    ).toBe(true);
  });

  it('ignores other namespaces and clusters outside its environments', () => {
    expect(affected(v, { cluster: 'prod-eu', namespaces: ['shop'] })).toBe(
      false,
    );
    expect(affected(v, { cluster: 'sandbox-alice' })).toBe(false);
  });

  it('is affected by a cluster-wide change (relist, cluster error) of its clusters', () => {
    expect(affected(v, { cluster: 'staging-eu' })).toBe(true);
  });

  it('follows chains into other namespaces: a shared source in flux-system', () => {
    const web = view([{ ...inApps, kind: 'HelmRelease', name: 'web' }], {
      'staging-eu': [hr, sharedSource],
      'prod-eu': [hr, sharedSource],
    });
    expect(
      affected(web, { cluster: 'prod-eu', namespaces: ['flux-system'] }),
    ).toBe(true);
    expect(affected(web, { cluster: 'prod-eu', namespaces: ['shop'] })).toBe(
      false,
    );
  });

  it("follows a chain out of an environment's namespaces: the shared source still decides the cell", () => {
    const web = view(
      [{ ...inApps, kind: 'HelmRelease', name: 'web' }],
      { shared: [hr, sharedSource] },
      [
        {
          name: 'production',
          clusters: [{ cluster: 'shared', namespaces: ['apps'] }],
        },
      ],
    );
    const change = { cluster: 'shared', namespaces: ['flux-system'] };
    expect(affected(web, change)).toBe(true);
    expect(changesWithin(readsOfView(web), [change])).toEqual([change]);
    expect(affected(web, { cluster: 'shared', namespaces: ['shop'] })).toBe(
      false,
    );
  });

  it('is affected anywhere in its clusters when a selector names no namespace', () => {
    const any = view([anywhere], { 'staging-eu': [], 'prod-eu': [] });
    expect(any.workloads).toHaveLength(0);
    // The Release may appear in any namespace: the tab must ask again.
    expect(affected(any, { cluster: 'prod-eu', namespaces: ['shop'] })).toBe(
      true,
    );
  });

  it('keeps to the namespaces an environment is restricted to', () => {
    const shared = view([anywhere], { shared: [] }, [
      {
        name: 'development',
        clusters: [{ cluster: 'shared', namespaces: ['dev'] }],
      },
      {
        name: 'staging',
        clusters: [{ cluster: 'shared', namespaces: ['stg'] }],
      },
    ]);
    expect(affected(shared, { cluster: 'shared', namespaces: ['stg'] })).toBe(
      true,
    );
    expect(affected(shared, { cluster: 'shared', namespaces: ['prod'] })).toBe(
      false,
    );
  });

  it('is never affected when its annotations select nothing', () => {
    const none = view([], { 'prod-eu': podinfo, 'staging-eu': podinfo });
    expect(affected(none, { cluster: 'prod-eu', namespaces: ['apps'] })).toBe(
      false,
    );
  });

  it('counts a message it cannot read as a change', () => {
    expect(viewAffectedBy(summarizeView(v), {} as PromotionChangesSignal)).toBe(
      true,
    );
  });
});

describe('readsOfView and changesWithin', () => {
  it('reads, per cluster, the selected namespaces and those its chains link to', () => {
    const v = view([inApps], { 'staging-eu': podinfo, 'prod-eu': [] });
    expect(readsOfView(v)).toEqual(
      new Map([
        ['staging-eu', new Set(['apps'])],
        ['prod-eu', new Set(['apps'])],
      ]),
    );
    expect(readsOfView(view([anywhere], { 'staging-eu': [] }))).toEqual(
      new Map([
        ['staging-eu', undefined],
        ['prod-eu', undefined],
      ]),
    );
  });

  it('narrows changes to what a view reads, and drops the rest', () => {
    const reads = readsOfView(
      view([inApps], { 'staging-eu': podinfo, 'prod-eu': podinfo }),
    );
    expect(
      changesWithin(reads, [
        { cluster: 'prod-eu', namespaces: ['apps', 'payments', 'shop'] },
        { cluster: 'staging-eu', namespaces: ['shop'] },
        { cluster: 'staging-eu' },
        { cluster: 'sandbox-alice', namespaces: ['apps'] },
      ]),
    ).toEqual([
      { cluster: 'prod-eu', namespaces: ['apps'] },
      { cluster: 'staging-eu' },
    ]);
  });
});
