import { notReady, releaseWithChildren } from '../testUtils/objects';
import { kindOf, ObjectKind } from '../kinds';
import { ObjectIndex } from '../store/ObjectIndex';
import { buildPromotionView } from './buildPromotionView';
import { memoizedClusterCell } from './cellMemo';

const PULL_401 =
  'GET https://quay.io/v2/kubodoc/packages/podinfo: UNAUTHORIZED';

function storeOf(
  objects = releaseWithChildren('podinfo', 'apps', { tag: '1.0.0' }),
) {
  const store = new ObjectIndex();
  for (const obj of objects) store.upsert(kindOf(obj)!, obj);
  return store;
}
const root = (store: ObjectIndex) => store.get('Release', 'apps', 'podinfo')!;
const cellOf = (store: ObjectIndex) =>
  memoizedClusterCell(store, 'Release', root(store), store, 'dev-eu');

describe('memoizedClusterCell', () => {
  it('gives the same cell while every object the walk read is the same', () => {
    const store = storeOf();
    const first = cellOf(store);
    expect(first.state).toBe('Ready');
    expect(cellOf(store)).toBe(first);
  });

  it('walks again when a link other than the workload changes', () => {
    const store = storeOf();
    const first = cellOf(store);
    const [, failing] = releaseWithChildren('podinfo', 'apps', {
      tag: '1.0.0',
      ociConditions: [notReady('OCIArtifactPullFailed', PULL_401)],
    });
    expect(kindOf(failing)).toBe('OCIRepository');
    store.upsert('OCIRepository', failing);
    const second = cellOf(store);
    expect(second).not.toBe(first);
    expect(second.state).toBe('Failed');
    expect(second.rootCause?.ref.kind).toBe('OCIRepository');
  });

  it('walks again when a link appears or goes, or a child is added', () => {
    const objects = releaseWithChildren('podinfo', 'apps', { tag: '1.0.0' });
    const withoutSource = objects.filter(o => kindOf(o) !== 'OCIRepository');
    const store = storeOf(withoutSource);
    const missing = cellOf(store);
    expect(missing.chain.some(l => !l.found)).toBe(true);
    store.upsert(
      'OCIRepository',
      objects.find(o => kindOf(o) === 'OCIRepository')!,
    );
    const found = cellOf(store);
    expect(found).not.toBe(missing);
    expect(found.chain.every(l => l.found)).toBe(true);
    store.remove('HelmRelease', 'apps', 'podinfo-main');
    expect(cellOf(store)).not.toBe(found);
  });
});

describe('buildPromotionView over stores that did not change', () => {
  const view = (
    store: ObjectIndex,
    readable: (kind: ObjectKind) => boolean = () => true,
  ) =>
    buildPromotionView({
      entityRef: 'component:default/podinfo',
      environments: [
        { name: 'development', clusters: [{ cluster: 'dev-eu' }] },
      ],
      selectors: [
        {
          kind: 'Release',
          name: 'podinfo',
          annotation: 'gitops-promotion/kubocd-releases',
        },
      ],
      clusters: new Map([['dev-eu', { store, errors: [], hasData: readable }]]),
      now: new Date(),
    }).workloads[0]?.cells[0];

  it('reuses what it found, and sees any change of the store or of what is readable', () => {
    const store = storeOf();
    const first = view(store)!;
    expect(view(store)!.clusters[0]).toBe(first.clusters[0]);

    const [, failing] = releaseWithChildren('podinfo', 'apps', {
      tag: '1.0.0',
      ociConditions: [notReady('OCIArtifactPullFailed', PULL_401)],
    });
    store.upsert('OCIRepository', failing);
    expect(view(store)!.state).toBe('Failed');

    // Releases not read (yet) in that cluster: nothing found there.
    expect(view(store, kind => kind !== 'Release')).toBeUndefined();
    expect(view(store)!.state).toBe('Failed');
  });

  it("remembers, for an overview of thousands of components, what each found in a small fleet's clusters", () => {
    const stores = [storeOf(), storeOf()];
    const clusters = new Map(
      stores.map((store, i) => [
        `dev-${i}`,
        { store, errors: [], hasData: () => true },
      ]),
    );
    const components = Array.from({ length: 3000 }, (_, i) => `svc-${i}`);
    const viewOf = (name: string) =>
      buildPromotionView({
        entityRef: `component:default/${name}`,
        environments: [
          {
            name: 'development',
            clusters: [...clusters.keys()].map(cluster => ({ cluster })),
          },
        ],
        selectors: [
          {
            kind: 'Release',
            name,
            annotation: 'gitops-promotion/kubocd-releases',
          },
        ],
        clusters,
        now: new Date(),
      });
    components.forEach(viewOf);
    const searched = stores.map(store => jest.spyOn(store, 'byName'));
    // The overview again, nothing changed: no cluster is searched again.
    components.forEach(viewOf);
    expect(searched.map(s => s.mock.calls.length)).toEqual([0, 0]);
  });
});
