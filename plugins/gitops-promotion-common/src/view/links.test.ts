import {
  helmRelease,
  helmRepository,
  releaseWithChildren,
} from '../testUtils/objects';
import { kindOf } from '../kinds';
import { ObjectIndex } from '../store/ObjectIndex';
import { KubeObject } from '../types/objects';
import {
  buildPromotionView,
  ClusterData,
  EnvironmentConfig,
} from './buildPromotionView';
import { linksOfView, locateLink } from './links';

function cluster(objects: KubeObject[]): ClusterData {
  const store = new ObjectIndex();
  for (const obj of objects) store.upsert(kindOf(obj)!, obj);
  return { store, errors: [], hasData: () => true };
}

// A shared cluster: team-a's HelmRelease pulls its chart from flux-system.
const shared = cluster([
  helmRelease('api', 'team-a', {
    chart: 'api',
    version: '1.0.0',
    source: {
      kind: 'HelmRepository',
      name: 'charts',
      namespace: 'flux-system',
    },
  }),
  helmRepository('charts', 'flux-system', {
    url: 'https://charts.example.com',
  }),
  ...releaseWithChildren('podinfo', 'team-a', { tag: '6.7.1-p01' }),
]);
const environments: EnvironmentConfig[] = [
  {
    name: 'qa',
    clusters: [{ cluster: 'shared', namespaces: ['team-a'] }],
  },
];
const selectors = [
  { kind: 'HelmRelease' as const, name: 'api', annotation: 'a' },
  { kind: 'Release' as const, name: 'podinfo', annotation: 'b' },
];
const address = (
  group: string,
  plural: string,
  namespace: string,
  name: string,
) => ({
  cluster: 'shared',
  group,
  plural,
  namespace,
  name,
});

const CHARTS = address(
  'source.toolkit.fluxcd.io',
  'helmrepositories',
  'flux-system',
  'charts',
);

describe('locateLink', () => {
  it('finds a workload, its sources and a Release’s HelmRelease, with their environment and role', () => {
    const api = locateLink({
      environments,
      selectors,
      data: shared,
      ref: address('helm.toolkit.fluxcd.io', 'helmreleases', 'team-a', 'api'),
    })!;
    expect(api).toMatchObject({
      environment: 'qa',
      link: { role: 'workload', ref: { kind: 'HelmRelease' } },
    });
    expect(api.outside).toBeUndefined();
    const owned = locateLink({
      environments,
      selectors,
      data: shared,
      ref: address(
        'helm.toolkit.fluxcd.io',
        'helmreleases',
        'team-a',
        'podinfo-main',
      ),
    })!;
    expect(owned.link.role).toBe('helmRelease');
    expect(owned.workload.ref.kind).toBe('Release');
  });

  it('says why a link outside the environment’s namespaces is out of bounds', () => {
    const source = locateLink({
      environments,
      selectors,
      data: shared,
      ref: CHARTS,
    })!;
    expect(source.outside).toBe(
      'HelmRepository flux-system/charts is out of bounds: flux-system is not a namespace of environment qa in cluster shared (team-a)',
    );
    // The same source is in bounds where the environment is the whole cluster.
    expect(
      locateLink({
        environments: [{ name: 'qa', clusters: [{ cluster: 'shared' }] }],
        selectors,
        data: shared,
        ref: CHARTS,
      })!.outside,
    ).toBeUndefined();
  });

  it('finds nothing the entity’s chains do not hold, or in another cluster', () => {
    const ref = address(
      'helm.toolkit.fluxcd.io',
      'helmreleases',
      'team-a',
      'other',
    );
    expect(
      locateLink({ environments, selectors, data: shared, ref }),
    ).toBeUndefined();
    expect(
      locateLink({
        environments,
        selectors,
        data: shared,
        ref: { ...ref, cluster: 'elsewhere', name: 'api' },
      }),
    ).toBeUndefined();
  });

  it('agrees with the view on every link (linksOfView)', () => {
    const view = buildPromotionView({
      entityRef: 'component:default/x',
      environments,
      selectors,
      clusters: new Map([['shared', shared]]),
      now: new Date(),
    });
    const links = linksOfView(view);
    expect(links.length).toBe(7);
    for (const l of links) {
      const located = locateLink({
        environments,
        selectors,
        data: shared,
        ref: l.link.ref,
      })!;
      expect(located.link).toEqual(l.link);
      expect(located.outside).toEqual(l.outside);
      expect(located.environment).toBe(l.environment);
    }
  });
});
