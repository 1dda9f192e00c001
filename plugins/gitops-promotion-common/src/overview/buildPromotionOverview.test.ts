import { Entity } from '@backstage/catalog-model';
import { kindOf } from '../kinds';
import { ObjectIndex } from '../store/ObjectIndex';
import { notReady, releaseWithChildren } from '../testUtils/objects';
import { KubeObject } from '../types/objects';
import { ClusterError } from '../types/view';
import {
  buildPromotionView,
  ClusterData,
  EnvironmentConfig,
} from '../view/buildPromotionView';
import { buildPromotionOverview } from './buildPromotionOverview';
import { matchesOverviewFilter } from './overviewFilter';

function cluster(objects: KubeObject[], errors: ClusterError[] = []) {
  const store = new ObjectIndex();
  for (const obj of objects) store.upsert(kindOf(obj)!, obj);
  return { store, errors, hasData: () => true } as ClusterData;
}

const environments: EnvironmentConfig[] = [
  { name: 'development', clusters: [{ cluster: 'dev' }] },
  { name: 'staging', clusters: [{ cluster: 'staging' }] },
  {
    name: 'production',
    important: true,
    clusters: [{ cluster: 'prod-eu' }, { cluster: 'prod-us' }],
  },
];

const upgradeFailed = [
  notReady(
    'UpgradeFailed',
    'Helm upgrade failed for release shop/payments-main with chart main@2.1.0: context deadline exceeded',
  ),
];

// payments: 2.1.0 waits in development for staging; production fails.
// checkout: 1.4.0 everywhere, prod-us unreachable since 09:00 (stale),
// and prod-eu runs 1.3.0 (mixed versions in production, so 1.4.0 still
// waits to reach all of it).
const clusters = new Map<string, ClusterData>([
  [
    'dev',
    cluster([
      ...releaseWithChildren('payments', 'shop', { tag: '2.1.0' }),
      ...releaseWithChildren('checkout', 'shop', { tag: '1.4.0' }),
    ]),
  ],
  [
    'staging',
    cluster([
      ...releaseWithChildren('payments', 'shop', { tag: '2.0.0' }),
      ...releaseWithChildren('checkout', 'shop', { tag: '1.4.0' }),
    ]),
  ],
  [
    'prod-eu',
    cluster([
      ...releaseWithChildren('payments', 'shop', {
        tag: '2.0.0',
        hrConditions: upgradeFailed,
      }),
      ...releaseWithChildren('checkout', 'shop', { tag: '1.3.0' }),
    ]),
  ],
  [
    'prod-us',
    cluster(
      [
        ...releaseWithChildren('payments', 'shop', { tag: '2.0.0' }),
        ...releaseWithChildren('checkout', 'shop', { tag: '1.4.0' }),
      ],
      [
        {
          cluster: 'prod-us',
          type: 'UNREACHABLE',
          message: 'connect ECONNREFUSED 127.0.0.1:6443',
          since: '2026-12-05T09:00:00Z',
        },
      ],
    ),
  ],
]);

function component(name: string, spec: Record<string, unknown>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'gitops-promotion/kubocd-releases': `shop/${name}` },
    },
    spec: { type: 'service', lifecycle: 'production', ...spec },
  };
}

function entry(entity: Entity) {
  const ref = `component:default/${entity.metadata.name}`;
  return {
    entity,
    view: buildPromotionView({
      entityRef: ref,
      environments,
      selectors: [
        {
          kind: 'Release',
          namespace: 'shop',
          name: entity.metadata.name,
          annotation: 'gitops-promotion/kubocd-releases',
        },
      ],
      clusters,
      now: new Date('2026-12-05T10:00:00Z'),
    }),
  };
}

const payments = component('payments', { owner: 'team-a', system: 'shop' });
const checkout = {
  ...component('checkout', { owner: 'group:ops/team-b' }),
  metadata: { ...component('checkout', {}).metadata, title: 'Checkout' },
};

describe('buildPromotionOverview', () => {
  const overview = buildPromotionOverview({
    environments,
    entries: [entry(payments), entry(checkout)],
    truncated: false,
    now: new Date('2026-12-05T10:00:00Z'),
  });
  const [checkoutRow, paymentsRow] = overview.rows;

  it('gives one compact row per entity and workload, ordered by title', () => {
    expect(overview.rows.map(r => [r.title, r.workload.id])).toEqual([
      ['Checkout', 'Release/checkout'],
      ['payments', 'Release/payments'],
    ]);
    expect(paymentsRow).toMatchObject({
      entityRef: 'component:default/payments',
      owner: 'group:default/team-a',
      system: 'system:default/shop',
      workload: { kind: 'Release', name: 'payments' },
    });
    expect(checkoutRow.owner).toBe('group:ops/team-b');
    expect(checkoutRow.system).toBeUndefined();
    expect(paymentsRow.cells.map(c => [c.environment, c.version])).toEqual([
      ['development', '2.1.0'],
      ['staging', '2.0.0'],
      ['production', '2.0.0'],
    ]);
    // No chains, conditions or facts: a row is for the overview only.
    expect(JSON.stringify(overview.rows)).not.toMatch(
      /"(chain|clusters|conditions)"/,
    );
  });

  it('marks failing, pending, mixed versions and stale data per environment', () => {
    expect(paymentsRow.failingIn).toEqual(['production']);
    expect(paymentsRow.pendingIn).toEqual(['staging']);
    expect(paymentsRow.mixedVersions).toBe(false);
    expect(paymentsRow.stale).toBe(true);
    expect(checkoutRow.failingIn).toEqual([]);
    expect(checkoutRow.pendingIn).toEqual(['production']);
    expect(checkoutRow.mixedVersions).toBe(true);
    expect(checkoutRow.cells.map(c => c.stale)).toEqual([false, false, true]);
  });

  it('counts rows per environment and in all', () => {
    expect(overview.counts).toEqual({
      entities: 2,
      environments: [
        { environment: 'development', failing: 0, pending: 0 },
        { environment: 'staging', failing: 0, pending: 1 },
        { environment: 'production', failing: 1, pending: 1 },
      ],
      mixedVersions: 1,
      stale: 2,
    });
    expect(overview.entitiesChecked).toBe(2);
  });

  it('filters rows, in one environment or any', () => {
    const kept = (
      f: Parameters<typeof matchesOverviewFilter>[1],
      env?: string,
    ) =>
      overview.rows
        .filter(r => matchesOverviewFilter(r, f, env))
        .map(r => r.title);
    expect(kept('failing')).toEqual(['payments']);
    expect(kept('failing', 'staging')).toEqual([]);
    expect(kept('pending', 'staging')).toEqual(['payments']);
    expect(kept('pending', 'production')).toEqual(['Checkout']);
    expect(kept('mixed-versions')).toEqual(['Checkout']);
    expect(kept('mixed-versions', 'development')).toEqual([]);
    expect(kept('stale', 'production')).toEqual(['Checkout', 'payments']);
  });

  it('leaves out an owner that is not an entity ref', () => {
    const odd = buildPromotionOverview({
      environments: [],
      entries: [entry(component('payments', { owner: 'group:' }))],
      truncated: true,
      now: new Date(),
    });
    expect(odd.rows[0].owner).toBeUndefined();
    expect(odd.truncated).toBe(true);
  });

  it('names the clusters it could not read once, and the entities it could not build, and counts them as checked', () => {
    const withUnavailable = buildPromotionOverview({
      environments,
      entries: [entry(payments), entry(checkout)],
      unavailable: [
        {
          entityRef: 'component:default/ledger',
          title: 'ledger',
          message: 'Its promotion view could not be built',
        },
      ],
      truncated: false,
      now: new Date('2026-12-05T10:00:00Z'),
    });
    // Both views read prod-us: its error is named once.
    expect(withUnavailable.clusterErrors).toEqual([
      {
        cluster: 'prod-us',
        type: 'UNREACHABLE',
        message: 'connect ECONNREFUSED 127.0.0.1:6443',
        since: '2026-12-05T09:00:00Z',
      },
    ]);
    expect(withUnavailable.unavailable.map(u => u.entityRef)).toEqual([
      'component:default/ledger',
    ]);
    expect(withUnavailable.entitiesChecked).toBe(3);
    expect(withUnavailable.counts.entities).toBe(2);
    expect(overview.unavailable).toEqual([]);
  });
});
