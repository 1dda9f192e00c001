import { notReady, releaseWithChildren } from '../testUtils/objects';
import { kindOf, ObjectKind } from '../kinds';
import { ObjectIndex } from '../store/ObjectIndex';
import { ClusterError } from '../types/view';
import { BuildPromotionViewOptions, ClusterData } from './buildPromotionView';
import { memoizedPromotionView } from './viewMemo';

function storeOf() {
  const store = new ObjectIndex();
  for (const obj of releaseWithChildren('podinfo', 'apps', { tag: '1.0.0' })) {
    store.upsert(kindOf(obj)!, obj);
  }
  return store;
}

const environments = [
  { name: 'development', clusters: [{ cluster: 'dev-eu' }] },
];
const selectors: BuildPromotionViewOptions['selectors'] = [
  {
    kind: 'Release',
    name: 'podinfo',
    annotation: 'gitops-promotion/kubocd-releases',
  },
];

/** A fleet of one cluster whose store, errors and readable kinds a test changes. */
function fleet() {
  const data = {
    store: storeOf(),
    errors: [] as ClusterError[],
    unreadable: new Set<ObjectKind>(),
  };
  const cluster: ClusterData = {
    get store() {
      return data.store;
    },
    get errors() {
      return data.errors;
    },
    hasData: kind => !data.unreadable.has(kind),
  };
  const clusters = new Map([['dev-eu', cluster]]);
  const view = (
    options: Partial<BuildPromotionViewOptions> = {},
    now = new Date(),
  ) =>
    memoizedPromotionView({
      entityRef: 'component:default/podinfo',
      environments,
      selectors,
      clusters,
      now,
      ...options,
    });
  return { data, view };
}

describe('memoizedPromotionView', () => {
  it('gives the same rows between changes, with the time of each call', () => {
    const { view } = fleet();
    const first = view({}, new Date('2026-12-05T10:00:00Z'));
    const second = view({}, new Date('2026-12-05T10:00:10Z'));
    expect(second.workloads).toBe(first.workloads);
    expect(first.generatedAt).toBe('2026-12-05T10:00:00.000Z');
    expect(second.generatedAt).toBe('2026-12-05T10:00:10.000Z');
  });

  it('builds again when the store changes', () => {
    const { data, view } = fleet();
    const first = view();
    const [, failing] = releaseWithChildren('podinfo', 'apps', {
      tag: '1.0.0',
      ociConditions: [notReady('OCIArtifactPullFailed', 'UNAUTHORIZED')],
    });
    data.store.upsert('OCIRepository', failing);
    const second = view();
    expect(second.workloads).not.toBe(first.workloads);
    expect(second.workloads[0].cells[0].state).toBe('Failed');
  });

  it('builds again when the cluster is replaced by another cache', () => {
    const { data, view } = fleet();
    const first = view();
    // A new store whose revision counts the same changes.
    data.store = storeOf();
    expect(view().workloads).not.toBe(first.workloads);
  });

  it('builds again when the errors or the readable kinds change', () => {
    const { data, view } = fleet();
    const first = view();
    data.errors = [
      {
        cluster: 'dev-eu',
        type: 'TIMEOUT',
        message: 'Cluster dev-eu: list got no answer in time.',
        since: '2026-12-05T09:00:00.000Z',
      },
    ];
    const stale = view();
    expect(stale.workloads).not.toBe(first.workloads);
    expect(stale.workloads[0].cells[0].clusters[0].staleSince).toBe(
      '2026-12-05T09:00:00.000Z',
    );
    data.unreadable.add('Release');
    expect(view().workloads).toEqual([]);
  });

  it('keeps the views of other entities, selectors and environments apart', () => {
    const { view } = fleet();
    const first = view();
    const other = view({
      selectors: [{ ...selectors[0], name: 'ledger' }],
    });
    expect(other.workloads).toEqual([]);
    expect(
      view({ environments: [{ ...environments[0], title: 'Dev' }] })
        .environments[0].title,
    ).toBe('Dev');
    expect(view({ entityRef: 'component:default/other' }).entityRef).toBe(
      'component:default/other',
    );
    expect(view().workloads).not.toBe(first.workloads);
  });
});
