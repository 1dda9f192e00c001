/*
 * yarn bench:notify: what one notification check costs (the global task
 * that runs every 30 s, architecture.md "Notifications"), without clusters
 * or a backend: the bench fleet's objects (objects.ts) in the backend's
 * ObjectIndex, one catalog entity per standalone HelmRelease name of the
 * first cluster (selected in every environment), the notifier's state in
 * SQLite in memory, and a notifications service that only counts.
 * Side by side: the same entities' views alone (what as many page views
 * cost), so the figures say what the rules and the state add.
 * - steady check: everything as before, nothing written or sent;
 * - failing check: `failing` HelmReleases of the first production cluster
 *   fail (states written, notifications sent).
 */
import { performance } from 'node:perf_hooks';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  buildPromotionView,
  ClusterData,
  entitySelectors,
  ObjectIndex,
} from '@gitops-promotion/backstage-plugin-common/server';
import { notReady } from '@gitops-promotion/backstage-plugin-common/testUtils';
import knexFactory from 'knex';
// The backend's notifier, which is what this measures, not a public API.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { readEnvironments } from '../../plugins/gitops-promotion-backend/src/config/environments';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { readNotificationOptions } from '../../plugins/gitops-promotion-backend/src/config/notificationOptions';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { NotificationStore } from '../../plugins/gitops-promotion-backend/src/notifications/NotificationStore';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { PromotionNotifier } from '../../plugins/gitops-promotion-backend/src/notifications/PromotionNotifier';
import { environmentsOf, fleetLayout, indexedFleet } from './fleet';
import { percentiles } from './measure';

async function main() {
  const count = Number(process.argv[2] ?? 20);
  const releases = Number(process.argv[3] ?? 500);
  const entityCount = Number(process.argv[4] ?? 200);
  const failing = 50;
  const specs = fleetLayout(count);
  const clusters = new Map<string, ClusterData>();
  for (const [name, store] of indexedFleet(count, releases)) {
    clusters.set(name, { store, errors: [], hasData: () => true });
  }
  const config = new ConfigReader({
    gitopsPromotion: { environments: environmentsOf(specs) },
  });
  const environments = readEnvironments(config);
  const options = readNotificationOptions(config, environments, () => {});

  const first = clusters.get(specs[0].name)!.store;
  const names = [
    ...new Set(
      [...first.list('HelmRelease')]
        .filter(hr => !hr.metadata.ownerReferences?.length)
        .map(hr => `${hr.metadata.namespace}/${hr.metadata.name}`),
    ),
  ].slice(0, entityCount);
  const entities: Entity[] = names.map((ref, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `service-${i}`,
      namespace: 'default',
      annotations: { 'gitops-promotion/helm-releases': ref },
    },
    spec: { owner: 'team' },
  }));
  const view = (entity: Entity) =>
    buildPromotionView({
      entityRef: stringifyEntityRef(entity),
      environments,
      selectors: entitySelectors(entity.metadata.annotations).selectors,
      clusters,
      now: new Date(),
    });

  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  let sent = 0;
  type Deps = ConstructorParameters<typeof PromotionNotifier>[0];
  // The catalog answers every entity in one page; the credentials are not read.
  const catalog = {
    queryEntities: async () => ({
      items: entities,
      totalItems: entities.length,
      pageInfo: {},
    }),
  } as unknown as Deps['catalog'];
  const auth = {
    getOwnServiceCredentials: async () => ({}),
  } as unknown as Deps['auth'];
  const notifier = new PromotionNotifier({
    auth,
    catalog,
    notifications: {
      send: async () => {
        sent++;
      },
    },
    store: await NotificationStore.create({ getClient: async () => knex }),
    view,
    options,
  });

  const rounds = 15;
  const viewsOnly: number[] = [];
  const steady: number[] = [];
  let now = Date.parse('2026-12-05T10:00:00Z');
  let firstSent = 0;
  for (let i = 0; i < rounds; i++) {
    const v0 = performance.now();
    entities.forEach(view);
    viewsOnly.push(performance.now() - v0);
    const c0 = performance.now();
    await notifier.check(new Date((now += 30_000)));
    steady.push(performance.now() - c0);
    if (i === 0) firstSent = sent;
  }

  // Failures in the first production cluster, told after the delay.
  const prod = specs.find(s => s.environment === 'production')!;
  const prodStore = clusters.get(prod.name)!.store as ObjectIndex;
  const failedAt = new Date(now).toISOString();
  for (const ref of names.slice(0, failing)) {
    const [namespace, name] = ref.split('/');
    const hr = prodStore.get('HelmRelease', namespace, name);
    if (!hr) continue;
    prodStore.upsert('HelmRelease', {
      ...hr,
      status: {
        ...hr.status,
        conditions: [
          notReady(
            'UpgradeFailed',
            'Helm upgrade failed: context deadline exceeded',
            failedAt,
          ),
        ],
      },
    });
  }
  const seen0 = performance.now();
  await notifier.check(new Date((now += 30_000)));
  const seenMs = performance.now() - seen0;
  now += options.delayMs;
  const told0 = performance.now();
  const told = await notifier.check(new Date(now));
  const toldMs = performance.now() - told0;
  await knex.destroy();

  const s = percentiles(steady.slice(3));
  const v = percentiles(viewsOnly.slice(3));
  const objects = [...clusters.values()].reduce(
    (n, c) => n + (c.store as ObjectIndex).size(),
    0,
  );
  process.stdout.write(
    `${[
      `fleet: ${count} clusters, ${objects} objects; ${entities.length} entities, each one HelmRelease in ${environments.length} environments`,
      `first check: ${steady[0].toFixed(
        1,
      )} ms, ${firstSent} sent (the failures the fleet has, hours old)`,
      `steady check (nothing to write or send): p50 ${s.p50.toFixed(
        1,
      )} p95 ${s.p95.toFixed(1)} ms | the same ${
        entities.length
      } views alone: p50 ${v.p50.toFixed(1)} p95 ${v.p95.toFixed(1)} ms (n=${
        rounds - 3
      })`,
      `${failing} workloads fail in ${
        prod.name
      }: the check that first sees them (states written) ${seenMs.toFixed(
        1,
      )} ms; the check that tells them (${told.sent} sent) ${toldMs.toFixed(
        1,
      )} ms`,
    ].join('\n')}\n`,
  );
}

main().catch(e => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
