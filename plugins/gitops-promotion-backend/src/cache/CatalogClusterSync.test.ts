import { lookup } from 'node:dns/promises';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ClusterCredentials } from '../clusters/ClusterCredentials';
import { ClusterSource } from '../clusters/types';
import { databaseService } from '../__testUtils__/testDatabases';
import { CatalogClusterPins } from './CatalogClusterPins';
import { CatalogClusterSync } from './CatalogClusterSync';
import { Fleet } from './Fleet';

jest.mock('node:dns/promises', () => ({ lookup: jest.fn() }));

/** A kubernetes-cluster Resource as a platform team (or anyone) registers it. */
function resource(namespace: string, url: string, name = 'prod-eu'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace,
      annotations: {
        'kubernetes.io/api-server': url,
        'kubernetes.io/auth-provider': 'aws',
        'kubernetes.io/api-server-certificate-authority':
          'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t',
      },
    },
    spec: { type: 'kubernetes-cluster', owner: 'team-platform' },
  };
}

describe('CatalogClusterSync', () => {
  let registered: Entity[];
  const replaced: ClusterSource[] = [];
  const logger = mockServices.logger.mock();

  let knex: Knex;
  let pins: CatalogClusterPins;
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  beforeEach(async () => {
    // One database per test: what replicas and restarts share.
    knex = await databases.init('SQLITE_3');
    pins = await CatalogClusterPins.create(databaseService(knex));
  });

  /** The names each catalog request asked for. */
  const askedFor: string[][] = [];

  function sync(names = ['prod-eu']) {
    // The catalog as its in-memory client answers, with what is registered now.
    const catalog: CatalogService = {
      ...catalogServiceMock(),
      getEntities: (request, options) => {
        const filter = request?.filter as Record<string, string[]>;
        askedFor.push(filter['metadata.name']);
        return catalogServiceMock({ entities: registered }).getEntities(
          request,
          options,
        );
      },
    };
    return new CatalogClusterSync({
      catalog,
      auth: mockServices.auth(),
      logger,
      fleet: {
        replace: async (source: ClusterSource) => {
          replaced.push(source);
        },
      } as unknown as Fleet,
      credentials: {
        sourceFor: () => ({ headers: async () => ({}) }),
      } as unknown as ClusterCredentials,
      watch: { requestTimeoutMs: 1000 } as any,
      clusters: {
        names,
        locator: {
          dangerouslyAllowClusterUrls: [],
          dangerouslyAllowSkipTLSVerify: false,
        },
        refreshMs: 60_000,
      },
      pins,
    });
  }

  const urlOf = (source: ClusterSource) =>
    (
      source as unknown as { kc?: { getCurrentCluster(): { server: string } } }
    ).kc?.getCurrentCluster()?.server;

  beforeEach(() => {
    replaced.length = 0;
    askedFor.length = 0;
    jest.clearAllMocks();
    // A test's DNS answers do not reach the next one.
    (lookup as unknown as jest.Mock).mockReset();
  });

  it('reads the Resources of 250 cluster names in requests of 100 names, whose query strings stay short', async () => {
    // 500 names in one GET query string passed Node's 16 KiB header limit:
    // the catalog answered 431, and no catalog cluster was ever read.
    const names = Array.from(
      { length: 250 },
      (_, i) => `sandbox-engineer-${String(i).padStart(3, '0')}`,
    );
    registered = [
      resource('infra', 'https://1.1.1.1', names[0]),
      resource('infra', 'https://8.8.8.8', names[249]),
    ];
    await sync(names).sync();
    expect(askedFor.map(asked => asked.length)).toEqual([100, 100, 50]);
    expect(askedFor.flat()).toEqual(names);
    expect(replaced.map(urlOf)).toContain('https://8.8.8.8');
    expect(replaced.map(urlOf)).toContain('https://1.1.1.1');
  });

  it('keeps the Resource in place when another of its name is registered, and logs the newcomer once', async () => {
    const real = resource('infra', 'https://1.1.1.1');
    registered = [real];
    const clusters = sync();
    await clusters.sync();
    expect(replaced.map(urlOf)).toEqual(['https://1.1.1.1']);

    // Anyone may register a Resource: one of the same name elsewhere.
    registered = [real, resource('sandbox', 'https://8.8.8.8')];
    await clusters.sync();
    await clusters.sync();
    expect(replaced).toHaveLength(1);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      'Cluster prod-eu keeps resource:infra/prod-eu; resource:sandbox/prod-eu of the same name is not used: cluster names must be unique',
    );

    // Its own changes still apply.
    registered = [resource('infra', 'https://1.0.0.1'), registered[1]];
    await clusters.sync();
    expect(replaced.map(urlOf)).toEqual(['https://1.1.1.1', 'https://1.0.0.1']);
  });

  it('takes only a kubernetes-cluster Resource of the name, not another entity that carries the annotations', async () => {
    const real = resource('infra', 'https://1.1.1.1');
    const database = resource('infra', 'https://8.8.8.8');
    database.metadata.name = 'prod-eu';
    database.metadata.namespace = 'data';
    database.spec = { ...database.spec, type: 'database' };
    const component = {
      ...resource('apps', 'https://9.9.9.9'),
      kind: 'Component',
      spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
    };
    registered = [database, component, real];
    await sync().sync();
    expect(replaced.map(urlOf)).toEqual(['https://1.1.1.1']);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('keeps the Resource in place on another replica and after a restart, when a newcomer of its name is registered', async () => {
    registered = [resource('infra', 'https://1.1.1.1')];
    await sync().sync();
    registered = [
      resource('infra', 'https://1.1.1.1'),
      resource('sandbox', 'https://8.8.8.8'),
    ];
    // A replica (or this one restarted) that never watched it.
    await sync().sync();
    expect(replaced.map(urlOf)).toEqual(['https://1.1.1.1', 'https://1.1.1.1']);
    expect(logger.warn).toHaveBeenCalledWith(
      'Cluster prod-eu keeps resource:infra/prod-eu; resource:sandbox/prod-eu of the same name is not used: cluster names must be unique',
    );
    // The one in place deleted: the other is the cluster now, and stays.
    registered = [resource('sandbox', 'https://8.8.8.8')];
    await sync().sync();
    registered = [
      resource('infra', 'https://1.1.1.1'),
      resource('sandbox', 'https://8.8.8.8'),
    ];
    await sync().sync();
    expect(replaced.map(urlOf).slice(2)).toEqual([
      'https://8.8.8.8',
      'https://8.8.8.8',
    ]);
  });

  it('says what is at stake when the database cannot tell which Resource is in place', async () => {
    await knex.schema.dropTable('gitops_promotion_catalog_clusters');
    registered = [resource('infra', 'https://1.1.1.1')];
    await sync().sync();
    expect(replaced.map(urlOf)).toEqual(['https://1.1.1.1']);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Cannot read which Resource each catalog cluster is watched from \(.*\); until the plugin's database answers, a second Resource of a cluster's name registered before this replica watched it makes the cluster ambiguous$/,
      ),
    );
  });

  it('uses none of two Resources of one name when neither was in place', async () => {
    registered = [
      resource('infra', 'https://1.1.1.1'),
      resource('sandbox', 'https://8.8.8.8'),
    ];
    await sync().sync();
    expect(replaced).toHaveLength(1);
    await expect(replaced[0].discover([])).rejects.toThrow(
      'Cluster prod-eu is ambiguous: the catalog has resource:infra/prod-eu, resource:sandbox/prod-eu; cluster names must be unique.',
    );
  });

  it('keeps a watched cluster while its host does not resolve for a moment', async () => {
    const resolves = lookup as unknown as jest.Mock;
    resolves.mockResolvedValue([{ address: '1.1.1.1', family: 4 }]);
    registered = [resource('infra', 'https://prod-eu.example.com')];
    const clusters = sync();
    await clusters.sync();
    expect(replaced.map(urlOf)).toEqual(['https://prod-eu.example.com']);

    resolves.mockRejectedValue(
      Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' }),
    );
    await clusters.sync();
    expect(replaced).toHaveLength(1);
    expect(logger.warn).toHaveBeenCalledWith(
      "Cluster prod-eu (resource:infra/prod-eu): the API server URL's host prod-eu.example.com cannot be resolved (EAI_AGAIN): check the backend's DNS. The cluster is kept as it is until its host resolves again.",
    );

    // A cluster never watched is not waited for: it says why.
    const fresh = sync();
    await fresh.sync();
    await expect(replaced[1].discover([])).rejects.toThrow(
      "prod-eu.example.com cannot be resolved (EAI_AGAIN): check the backend's DNS",
    );
  });
});
