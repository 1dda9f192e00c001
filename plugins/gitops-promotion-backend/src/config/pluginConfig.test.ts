import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { loadConfigSchema } from '@backstage/config-loader';
import { readPluginConfig } from './pluginConfig';
import { SECTION_KEYS } from './unknownKeys';

const environments = [{ name: 'dev', clusters: ['dev-eu'] }];
const kubernetes = {
  clusterLocatorMethods: [
    {
      type: 'config',
      clusters: [
        {
          name: 'dev-eu',
          url: 'https://dev-eu.example:6443',
          authProvider: 'serviceAccount',
        },
        {
          name: 'unused',
          url: 'https://unused.example:6443',
          authProvider: 'serviceAccount',
        },
      ],
    },
  ],
};

function read(gitopsPromotion: object, extra: object = {}) {
  const logger = mockServices.logger.mock();
  const result = readPluginConfig(
    new ConfigReader({ kubernetes, gitopsPromotion, ...extra }),
    logger,
  );
  const warnings = () => logger.warn.mock.calls.map(([m]) => m);
  return { result, warnings };
}

describe('readPluginConfig', () => {
  it('reads everything once into one value: environments, the clusters they name, watch and on-demand options', async () => {
    const { result, warnings } = read({
      environments,
      watch: { requestTimeout: '20s', idleProbe: { minutes: 1 } },
      onDemand: { cache: { seconds: 0 }, concurrency: 2 },
    });
    const config = await result;
    expect(config.environments).toEqual([
      { name: 'dev', important: true, clusters: [{ cluster: 'dev-eu' }] },
    ]);
    expect(config.kubernetesClusters.map(c => c.name)).toEqual(['dev-eu']);
    expect(config.fixtureClusters).toEqual([]);
    expect(config.watch).toMatchObject({
      requestTimeoutMs: 20_000,
      idleProbeMs: 60_000,
      initialBackoffMs: 1_000,
    });
    expect(config.onDemand).toEqual({
      concurrency: 2,
      maxQueued: 100,
      cacheMs: 0,
    });
    expect(warnings()).toEqual([]);
  });

  it('by default reports a hung API server within 60 s: a probe after 30 s of silence, answered within 15 s', async () => {
    const { watch } = await read({ environments }).result;
    expect(watch).toMatchObject({
      idleProbeMs: 30_000,
      requestTimeoutMs: 15_000,
    });
    expect(watch.idleProbeMs + watch.requestTimeoutMs).toBeLessThan(60_000);
  });

  it('expects from the catalog the clusters config does not define, when a catalog locator is configured', async () => {
    const withCatalog = {
      clusterLocatorMethods: [
        ...kubernetes.clusterLocatorMethods,
        {
          type: 'catalog',
          dangerouslyAllowClusterUrls: ['*.internal.example'],
        },
      ],
    };
    const { result } = read(
      {
        environments: [
          { name: 'dev', clusters: ['dev-eu'] },
          { name: 'prod', clusters: ['prod-us', 'prod-eu'] },
        ],
        catalogClusters: { refreshInterval: '30s' },
      },
      { kubernetes: withCatalog },
    );
    const config = await result;
    expect(config.kubernetesClusters.map(c => c.name)).toEqual(['dev-eu']);
    expect(config.catalogClusters).toEqual({
      names: ['prod-eu', 'prod-us'],
      locator: {
        dangerouslyAllowClusterUrls: ['*.internal.example'],
        dangerouslyAllowSkipTLSVerify: false,
      },
      refreshMs: 30_000,
    });
    // Without a catalog locator, an unknown name stops the backend.
    await expect(
      read({ environments: [{ name: 'prod', clusters: ['prod-us'] }] }).result,
    ).rejects.toThrow(
      'unknown cluster "prod-us". Known clusters: dev-eu, unused. Add it to kubernetes.clusterLocatorMethods (type config), to the fixtures directory, or add a locator of type catalog and a Resource of spec.type kubernetes-cluster named so.',
    );
  });

  it('marks the last two environments important unless an environment says otherwise', async () => {
    const four = ['sandbox', 'development', 'staging', 'production'].map(
      name => ({ name, clusters: [{ cluster: 'dev-eu', namespaces: [name] }] }),
    );
    const byDefault = await read({ environments: four }).result;
    expect(byDefault.environments.map(e => e.important)).toEqual([
      false,
      false,
      true,
      true,
    ]);
    const told = await read({
      environments: four.map(e =>
        e.name === 'staging' || e.name === 'development'
          ? { ...e, important: e.name === 'development' }
          : e,
      ),
    }).result;
    expect(told.environments.map(e => e.important)).toEqual([
      false,
      true,
      false,
      true,
    ]);
  });

  it('notifies failures in every environment but the first (sandboxes), loudest in the last, unless told otherwise', async () => {
    const four = ['sandbox', 'development', 'staging', 'production'].map(
      name => ({ name, clusters: [{ cluster: 'dev-eu', namespaces: [name] }] }),
    );
    const byDefault = (await read({ environments: four }).result).notifications;
    expect(byDefault).toEqual({
      enabled: true,
      delayMs: 120_000,
      minIntervalMs: 1_800_000,
      tabPath: 'promotion',
      environments: new Map([
        ['sandbox', { mode: 'none', severity: 'low', title: 'sandbox' }],
        [
          'development',
          { mode: 'failures', severity: 'low', title: 'development' },
        ],
        ['staging', { mode: 'failures', severity: 'normal', title: 'staging' }],
        [
          'production',
          { mode: 'failures', severity: 'high', title: 'production' },
        ],
      ]),
    });
    const told = (
      await read({
        environments: [
          { ...four[0], notify: 'changes', severity: 'normal' },
          { ...four[1], notify: 'none' },
          { ...four[2], important: false },
          { ...four[3], severity: 'critical', title: 'Production' },
        ],
        notifications: {
          enabled: false,
          delay: '5m',
          minInterval: { hours: 1 },
          tabPath: '/deploy/gitops/',
        },
      }).result
    ).notifications;
    expect(told).toEqual({
      enabled: false,
      delayMs: 300_000,
      minIntervalMs: 3_600_000,
      tabPath: 'deploy/gitops',
      environments: new Map([
        ['sandbox', { mode: 'changes', severity: 'normal', title: 'sandbox' }],
        [
          'development',
          { mode: 'none', severity: 'low', title: 'development' },
        ],
        ['staging', { mode: 'failures', severity: 'low', title: 'staging' }],
        [
          'production',
          { mode: 'failures', severity: 'critical', title: 'Production' },
        ],
      ]),
    });
  });

  it('still reads the deprecated *Seconds keys for one release, warning through the logger', async () => {
    const { result, warnings } = read({
      environments,
      watch: { requestTimeoutSeconds: 7, maxBackoffSeconds: 30 },
      onDemand: { cacheSeconds: 2 },
    });
    const config = await result;
    expect(config.watch).toMatchObject({
      requestTimeoutMs: 7_000,
      maxBackoffMs: 30_000,
    });
    expect(config.onDemand.cacheMs).toBe(2_000);
    expect(warnings()).toEqual([
      'gitopsPromotion.watch.requestTimeoutSeconds is deprecated and will be removed in the next release; write gitopsPromotion.watch.requestTimeout: { seconds: 7 } instead',
      'gitopsPromotion.watch.maxBackoffSeconds is deprecated and will be removed in the next release; write gitopsPromotion.watch.maxBackoff: { seconds: 30 } instead',
      'gitopsPromotion.onDemand.cacheSeconds is deprecated and will be removed in the next release; write gitopsPromotion.onDemand.cache: { seconds: 2 } instead',
    ]);
  });

  it('warns of a misspelt tuning key, which would leave its default in place without a word', async () => {
    const { result, warnings } = read({
      environments,
      watch: { requestTimeoutMs: 5000, idleprobe: '5s', pageSize: 100 },
      onDemand: { concurency: 1 },
    });
    const config = await result;
    expect(config.watch.pageSize).toBe(100);
    expect(config.onDemand.concurrency).toBe(4);
    expect(warnings()).toEqual([
      'gitopsPromotion.watch: unknown keys requestTimeoutMs, idleprobe ignored; the keys are pageSize, requestTimeout, initialBackoff, maxBackoff, discoveryInterval, idleProbe',
      'gitopsPromotion.onDemand: unknown key concurency ignored; the keys are concurrency, maxQueued, cache',
    ]);
  });

  it('knows the keys config.d.ts declares for each tuning section, no more and no fewer', async () => {
    const schema = await loadConfigSchema({
      dependencies: ['@gitops-promotion/backstage-plugin-backend'],
    });
    const { schemas } = schema.serialize() as {
      schemas: Array<{ value: any }>;
    };
    const declared = schemas.find(
      s => s.value.properties?.gitopsPromotion?.properties?.watch,
    )!.value.properties.gitopsPromotion.properties;
    for (const [section, keys] of Object.entries(SECTION_KEYS)) {
      expect([...keys].sort()).toEqual(
        Object.keys(declared[section].properties).sort(),
      );
    }
  });

  it('stops on a mistake, naming the entry', async () => {
    await expect(
      read({ environments: [{ name: 'dev', clusters: ['nope'] }] }).result,
    ).rejects.toThrow(
      'gitopsPromotion.environments (dev): unknown cluster "nope". Known clusters: dev-eu, unused.',
    );
    await expect(
      read({ environments, watch: { idleProbe: 'soon' } }).result,
    ).rejects.toThrow(/^gitopsPromotion\.watch\.idleProbe is not a duration/);
    await expect(
      read({ environments: [{ ...environments[0], notify: 'always' }] }).result,
    ).rejects.toThrow(
      'gitopsPromotion.environments[0] (dev).notify must be one of failures, changes, none; got "always"',
    );
    await expect(
      read({ environments: [{ ...environments[0], severity: 'urgent' }] })
        .result,
    ).rejects.toThrow(
      'gitopsPromotion.environments[0] (dev).severity must be one of critical, high, normal, low; got "urgent"',
    );
    await expect(
      read({ environments, notifications: { minInterval: 'often' } }).result,
    ).rejects.toThrow(
      /^gitopsPromotion\.notifications\.minInterval is not a duration/,
    );
    for (const tabPath of ['../admin', 'promotion?x=1', 'a//b', '/']) {
      await expect(
        read({ environments, notifications: { tabPath } }).result,
      ).rejects.toThrow(
        `gitopsPromotion.notifications.tabPath must be the path of the Promotion tab under an entity's page, such as "promotion" or "deployments/promotion" (letters, digits, '.', '_', '~', '-' between slashes); got "${tabPath}"`,
      );
    }
    await expect(
      read({ environments, watch: { initialBackoff: '2m' } }).result,
    ).rejects.toThrow(
      'gitopsPromotion.watch.initialBackoff (120 s) must not be longer than gitopsPromotion.watch.maxBackoff (60 s): raise maxBackoff or lower initialBackoff',
    );
    await expect(
      read({ environments, fixtures: { directory: '/no/such/folder' } }).result,
    ).rejects.toThrow(
      "gitopsPromotion.fixtures.directory: cannot read /no/such/folder (ENOENT); the path is relative to the backend's working directory",
    );
  });
});
