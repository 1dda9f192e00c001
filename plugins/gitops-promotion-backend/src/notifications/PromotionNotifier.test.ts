import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { ClusterError } from '@gitops-promotion/backstage-plugin-common';
import {
  buildPromotionView,
  ClusterData,
  entitySelectors,
  kindOf,
  ObjectIndex,
} from '@gitops-promotion/backstage-plugin-common/server';
import {
  helmRelease,
  helmRepository,
  notReady,
  ready,
} from '@gitops-promotion/backstage-plugin-common/testUtils';
import knexFactory, { Knex } from 'knex';
import { readEnvironments } from '../config/environments';
import { readNotificationOptions } from '../config/notificationOptions';
import {
  databaseService,
  sqliteAndPostgres,
} from '../__testUtils__/testDatabases';
import { NotificationStore } from './NotificationStore';
import { PromotionNotifier } from './PromotionNotifier';

const databases = sqliteAndPostgres();

const config = new ConfigReader({
  gitopsPromotion: {
    environments: [
      { name: 'sandbox', title: 'Sandbox', clusters: ['sandbox-a'] },
      { name: 'development', title: 'Development', clusters: ['dev-eu'] },
      { name: 'staging', title: 'Staging', clusters: ['staging-eu'] },
      {
        name: 'production',
        title: 'Production',
        clusters: ['prod-eu', 'prod-us'],
      },
    ],
  },
});
const environments = readEnvironments(config);
const options = readNotificationOptions(config, environments, () => {});

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'gitops-promotion/helm-releases': 'apps/payments-api' },
  },
  spec: { owner: 'team-payments' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-payments' }],
};
const unrelated: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'website', namespace: 'default' },
};

const repo = () =>
  helmRepository('payments', 'flux-system', {
    url: 'https://charts.example.com',
  });
const source = {
  kind: 'HelmRepository',
  name: 'payments',
  namespace: 'flux-system',
};

function running(version: string, readyAt: string) {
  return helmRelease('payments-api', 'apps', {
    chart: 'payments-api',
    version,
    source,
    conditions: [ready('UpgradeSucceeded', 'Helm upgrade succeeded', readyAt)],
  });
}

function failing(version: string, attempt: string, failedAt: string) {
  return helmRelease('payments-api', 'apps', {
    chart: 'payments-api',
    version,
    failedAttempt: attempt,
    source,
    conditions: [
      notReady(
        'UpgradeFailed',
        `Helm upgrade failed for release apps/payments-api with chart payments-api@${attempt}: context deadline exceeded\n\u001b[31mreadiness probe failed:`,
        failedAt,
      ),
    ],
  });
}

/** The clusters' caches: each runs payments-api, replaced by `set`. */
class Clusters {
  readonly data = new Map<string, ClusterData & { errors: ClusterError[] }>();
  constructor() {
    for (const name of [
      'sandbox-a',
      'dev-eu',
      'staging-eu',
      'prod-eu',
      'prod-us',
    ]) {
      const store = new ObjectIndex();
      store.upsert('HelmRepository', repo());
      store.upsert('HelmRelease', running('2.3.0', '2026-12-01T08:00:00Z'));
      this.data.set(name, { store, errors: [], hasData: () => true });
    }
  }
  set(cluster: string, obj: ReturnType<typeof helmRelease>) {
    (this.data.get(cluster)!.store as ObjectIndex).upsert(kindOf(obj)!, obj);
  }
  remove(cluster: string) {
    (this.data.get(cluster)!.store as ObjectIndex).remove(
      'HelmRelease',
      'apps',
      'payments-api',
    );
  }
  view = (e: Entity) =>
    buildPromotionView({
      entityRef: stringifyEntityRef(e),
      environments,
      selectors: entitySelectors(e.metadata.annotations).selectors,
      clusters: this.data,
      now: new Date(),
    });
}

/** A notifications service that records what it is asked to send. */
function recordingService(): NotificationService & {
  sent: NotificationSendOptions[];
} {
  const sent: NotificationSendOptions[] = [];
  return {
    sent,
    send: jest.fn(async (n: NotificationSendOptions) => {
      sent.push(n);
    }),
  };
}

const at = (time: string) => new Date(`2026-12-05T${time}:00Z`);

/** A notifier that told prod-eu's failure (at 10:02), and how to break it again. */
async function toldFailure(knex: Knex) {
  const clusters = new Clusters();
  const notifications = recordingService();
  const subject = await notifier(knex, clusters, notifications);
  const broken = () => failing('2.3.0', '2.4.0', '2026-12-05T10:00:00Z');
  clusters.set('prod-eu', broken());
  await subject.check(at('10:00'));
  await subject.check(at('10:02'));
  return { clusters, notifications, subject, broken };
}

async function notifier(
  knex: Knex,
  clusters: Clusters,
  notifications: NotificationService,
  /** What the catalog holds at each check: a test may remove entities. */
  catalogEntities: Entity[] = [entity, unrelated],
) {
  const catalog: CatalogService = {
    ...catalogServiceMock(),
    queryEntities: (request, requestOptions) =>
      catalogServiceMock({ entities: catalogEntities }).queryEntities(
        request,
        requestOptions,
      ),
  };
  return new PromotionNotifier({
    auth: mockServices.auth(),
    catalog,
    notifications,
    store: await NotificationStore.create(databaseService(knex)),
    view: clusters.view,
    options,
  });
}

const scope = (environment: string) =>
  `gitops-promotion:component:default/payments-api:HelmRelease/payments-api:${environment}`;

describe('PromotionNotifier', () => {
  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });
    beforeEach(async () => {
      if (await knex.schema.hasTable('gitops_promotion_notifications')) {
        await knex('gitops_promotion_notifications').delete();
      }
    });

    it('checks the other entities when one cannot be checked', async () => {
      const clusters = new Clusters();
      const notifications = recordingService();
      const broken: Entity = {
        ...entity,
        metadata: { ...entity.metadata, name: 'broken' },
      };
      const subject = new PromotionNotifier({
        auth: mockServices.auth(),
        catalog: catalogServiceMock({ entities: [broken, entity] }),
        notifications,
        store: await NotificationStore.create(databaseService(knex)),
        view: e => {
          if (e.metadata.name === 'broken') throw new Error('unexpected shape');
          return clusters.view(e);
        },
        options,
      });
      clusters.set(
        'prod-eu',
        failing('2.3.0', '2.4.0', '2026-12-05T10:00:00Z'),
      );
      await subject.check(at('10:01'));
      expect(await subject.check(at('10:02'))).toEqual({
        entities: 2,
        sent: 1,
        lost: 0,
        failed: 0,
        unchecked: {
          count: 1,
          firstError: 'component:default/broken: unexpected shape',
        },
      });
      expect(notifications.sent.map(n => n.recipients)).toEqual([
        { type: 'entity', entityRef: 'component:default/payments-api' },
      ]);
    });

    it('tells the owners of a production failure once it has lasted the delay, never again while it lasts, and updates it on recovery', async () => {
      const clusters = new Clusters();
      const notifications = recordingService();
      const subject = await notifier(knex, clusters, notifications);
      clusters.set(
        'prod-eu',
        failing('2.3.0', '2.4.0', '2026-12-05T10:00:00Z'),
      );

      expect(await subject.check(at('10:01'))).toEqual({
        entities: 1,
        sent: 0,
        lost: 0,
        failed: 0,
      });
      expect(notifications.sent).toEqual([]);

      expect((await subject.check(at('10:02'))).sent).toBe(1);
      expect(notifications.sent).toEqual([
        {
          recipients: {
            type: 'entity',
            entityRef: 'component:default/payments-api',
          },
          payload: {
            title: 'payments-api is failing in Production',
            // The controller's message as one plain line, bounded.
            description:
              'Failing in prod-eu since 2026-12-05 10:00 UTC. HelmRelease apps/payments-api failed to upgrade to chart version 2.4.0 in this environment: Helm upgrade failed for release apps/payments-api with chart payments-api@2.4.0: context deadline exceeded [31mreadiness probe failed.',
            link: '/catalog/default/component/payments-api/promotion?workload=HelmRelease%2Fpayments-api&environment=production',
            severity: 'high',
            topic: 'gitops-promotion:production',
            scope: scope('production'),
          },
        },
      ]);
      expect(notifications.sent[0].payload.description).not.toMatch(
        // eslint-disable-next-line no-control-regex
        /[\u0000-\u001f]/,
      );

      for (const time of ['10:03', '10:10', '11:30']) {
        expect((await subject.check(at(time))).sent).toBe(0);
      }

      clusters.set('prod-eu', running('2.4.0', '2026-12-05T11:44:00Z'));
      expect((await subject.check(at('11:45'))).sent).toBe(0);
      expect((await subject.check(at('11:46'))).sent).toBe(1);
      expect(notifications.sent[1].payload).toEqual({
        title: 'payments-api recovered in Production after 1 h 44 min',
        description:
          'Ready again in prod-eu, prod-us since 2026-12-05 11:44 UTC, running 2.4.0, 2.3.0.',
        link: '/catalog/default/component/payments-api/promotion?workload=HelmRelease%2Fpayments-api&environment=production',
        severity: 'low',
        topic: 'gitops-promotion:production',
        scope: scope('production'),
      });
      expect((await subject.check(at('12:30'))).sent).toBe(0);
    });

    it('tells nothing of the first environment (sandboxes) by default; development is low, staging normal', async () => {
      const clusters = new Clusters();
      const notifications = recordingService();
      const subject = await notifier(knex, clusters, notifications);
      for (const cluster of ['sandbox-a', 'dev-eu', 'staging-eu']) {
        clusters.set(
          cluster,
          failing('2.3.0', '2.4.0', '2026-12-05T09:00:00Z'),
        );
      }
      expect((await subject.check(at('10:00'))).sent).toBe(2);
      expect(
        notifications.sent.map(n => [n.payload.topic, n.payload.severity]),
      ).toEqual([
        ['gitops-promotion:development', 'low'],
        ['gitops-promotion:staging', 'normal'],
      ]);
    });

    it('lets the event loop turn while it checks many entities', async () => {
      const clusters = new Clusters();
      const many = Array.from({ length: 45 }, (_, i) => ({
        ...entity,
        metadata: { ...entity.metadata, name: `payments-api-${i}` },
      }));
      const subject = new PromotionNotifier({
        auth: mockServices.auth(),
        catalog: catalogServiceMock({ entities: many }),
        notifications: recordingService(),
        store: await NotificationStore.create(databaseService(knex)),
        view: clusters.view,
        options,
      });
      // Counts the turns of the event loop the check leaves to others.
      let turns = 0;
      let checking = true;
      const turn = () => {
        if (!checking) return;
        turns++;
        setImmediate(turn);
      };
      const started = subject.check(at('10:00'));
      setImmediate(turn);
      expect((await started).entities).toBe(45);
      checking = false;
      expect(turns).toBeGreaterThanOrEqual(2);
    });

    it('ends the failure told of a workload removed from every cluster of the environment, then forgets it: its failure, redeployed, is told again', async () => {
      const { clusters, notifications, subject, broken } = await toldFailure(
        knex,
      );
      expect(notifications.sent.map(n => n.payload.title)).toEqual([
        'payments-api is failing in Production',
      ]);
      const rows = () =>
        knex('gitops_promotion_notifications')
          .where({ environment: 'production' })
          .count({ n: '*' })
          .first();

      // Removed for less than the delay: remembered as it was.
      clusters.remove('prod-eu');
      clusters.remove('prod-us');
      await subject.check(at('10:10'));
      await subject.check(at('10:11'));
      expect(Number((await rows())!.n)).toBe(1);
      expect(notifications.sent).toHaveLength(1);
      // Removed past the delay: the failure told is over, under its scope.
      expect((await subject.check(at('10:12'))).sent).toBe(1);
      expect(Number((await rows())!.n)).toBe(0);
      expect(notifications.sent[1]).toEqual({
        recipients: {
          type: 'entity',
          entityRef: 'component:default/payments-api',
        },
        payload: {
          title: 'payments-api is no longer deployed in Production',
          description:
            'No cluster of Production runs it since 2026-12-05 10:10 UTC: the failure told on 2026-12-05 10:02 UTC is over.',
          link: '/catalog/default/component/payments-api/promotion',
          severity: 'low',
          topic: 'gitops-promotion:production',
          scope: scope('production'),
        },
      });
      expect((await subject.check(at('10:13'))).sent).toBe(0);

      // Redeployed days later, failing the same way: told again.
      clusters.set('prod-eu', broken());
      clusters.set('prod-us', running('2.3.0', '2026-12-05T08:00:00Z'));
      await subject.check(at('13:00'));
      await subject.check(at('13:02'));
      expect(notifications.sent.map(n => n.payload.title)).toEqual([
        'payments-api is failing in Production',
        'payments-api is no longer deployed in Production',
        'payments-api is failing in Production',
      ]);
    });

    it('tries the end of a failure again when the notifications backend refused it', async () => {
      const { clusters, notifications, subject } = await toldFailure(knex);
      clusters.remove('prod-eu');
      clusters.remove('prod-us');
      await subject.check(at('10:10'));
      (notifications.send as jest.Mock).mockRejectedValueOnce(
        new Error('Request failed with status 503'),
      );
      expect(await subject.check(at('10:12'))).toMatchObject({
        sent: 0,
        failed: 1,
      });
      expect((await subject.check(at('10:13'))).sent).toBe(1);
      expect(notifications.sent.map(n => n.payload.title)).toEqual([
        'payments-api is failing in Production',
        'payments-api is no longer deployed in Production',
      ]);
      expect((await subject.check(at('10:14'))).sent).toBe(0);
    });

    it('ends, after a day, the failure told of a workload no environment shows any more, then forgets it: its failure, redeployed, is told again', async () => {
      const { clusters, notifications, subject, broken } = await toldFailure(
        knex,
      );
      const rows = async () =>
        Number(
          (await knex('gitops_promotion_notifications')
            .count({ n: '*' })
            .first())!.n,
        );
      expect(await rows()).toBe(1);

      // Removed from every cluster: its row leaves the view.
      for (const cluster of clusters.data.keys()) clusters.remove(cluster);
      await subject.check(at('10:10'));
      // Within the day (a cluster may not have answered yet): kept.
      await subject.check(new Date(at('10:10').getTime() + 23 * 3600_000));
      expect(await rows()).toBe(1);
      expect(notifications.sent).toHaveLength(1);
      await subject.check(new Date(at('10:10').getTime() + 24 * 3600_000));
      expect(await rows()).toBe(0);
      expect(notifications.sent[1].payload).toEqual({
        title: 'payments-api in Production is no longer followed',
        description:
          "No promotion view has shown it in Production since 2026-12-05 10:10 UTC (removed from every environment, or the entity, its annotations or the environment's notifications changed): the failure told on 2026-12-05 10:02 UTC is no longer followed.",
        link: '/catalog/default/component/payments-api/promotion',
        severity: 'low',
        topic: 'gitops-promotion:production',
        scope: scope('production'),
      });

      // Redeployed, failing the same way: told again.
      clusters.set('prod-eu', broken());
      clusters.set('prod-us', running('2.3.0', '2026-12-05T08:00:00Z'));
      const later = at('10:10').getTime() + 48 * 3600_000;
      await subject.check(new Date(later));
      await subject.check(new Date(later + 2 * 60_000));
      expect(notifications.sent.map(n => n.payload.title)).toEqual([
        'payments-api is failing in Production',
        'payments-api in Production is no longer followed',
        'payments-api is failing in Production',
      ]);
    });

    it('ends the failure told of an entity removed from the catalog, telling the owners it had', async () => {
      const clusters = new Clusters();
      const notifications = recordingService();
      const catalogEntities = [entity, unrelated];
      const subject = await notifier(
        knex,
        clusters,
        notifications,
        catalogEntities,
      );
      clusters.set(
        'prod-eu',
        failing('2.3.0', '2.4.0', '2026-12-05T10:00:00Z'),
      );
      await subject.check(at('10:00'));
      await subject.check(at('10:02'));
      expect(notifications.sent).toHaveLength(1);

      // Unregistered: its ref resolves to no owner any more.
      catalogEntities.splice(catalogEntities.indexOf(entity), 1);
      await subject.check(at('10:10'));
      // The notifications backend refuses the end once: the next check
      // tries it again, to the same owners.
      (notifications.send as jest.Mock).mockImplementationOnce(async () => {
        throw new Error('notifications backend unavailable');
      });
      const dayLater = at('10:10').getTime() + 24 * 3600_000;
      expect((await subject.check(new Date(dayLater))).failed).toBe(1);
      await subject.check(new Date(dayLater + 60_000));
      expect(notifications.sent.map(n => n.recipients)).toEqual([
        { type: 'entity', entityRef: 'component:default/payments-api' },
        { type: 'entity', entityRef: ['group:default/team-payments'] },
      ]);
      expect(notifications.sent[1].payload).toMatchObject({
        title: 'payments-api in Production is no longer followed',
        scope: scope('production'),
      });
    });

    it('sends nothing for a failure that recovers within the delay', async () => {
      const clusters = new Clusters();
      const notifications = recordingService();
      const subject = await notifier(knex, clusters, notifications);
      clusters.set(
        'prod-us',
        failing('2.3.0', '2.4.0', '2026-12-05T10:00:00Z'),
      );
      await subject.check(at('10:00'));
      await subject.check(at('10:01'));
      clusters.set('prod-us', running('2.4.0', '2026-12-05T10:01:30Z'));
      for (const time of ['10:02', '10:05', '10:30']) {
        await subject.check(at(time));
      }
      expect(notifications.sent).toEqual([]);
    });

    it('tells nothing of a failure on a cluster whose data is stale', async () => {
      const clusters = new Clusters();
      const notifications = recordingService();
      const subject = await notifier(knex, clusters, notifications);
      clusters.set(
        'prod-eu',
        failing('2.3.0', '2.4.0', '2026-12-05T09:00:00Z'),
      );
      clusters.data.get('prod-eu')!.errors.push({
        cluster: 'prod-eu',
        type: 'UNREACHABLE',
        message: 'connect ECONNREFUSED',
        since: '2026-12-05T09:30:00Z',
        lastSyncedAt: '2026-12-05T09:29:00Z',
      });
      expect((await subject.check(at('10:00'))).sent).toBe(0);
      clusters.data.get('prod-eu')!.errors.length = 0;
      expect((await subject.check(at('10:01'))).sent).toBe(1);
    });

    it('tries a notification the notifications backend refused again at the next check', async () => {
      const clusters = new Clusters();
      const notifications = recordingService();
      (notifications.send as jest.Mock).mockRejectedValueOnce(
        new Error(
          'Failed to send notifications: Request failed with status 404',
        ),
      );
      const subject = await notifier(knex, clusters, notifications);
      clusters.set(
        'prod-eu',
        failing('2.3.0', '2.4.0', '2026-12-05T09:00:00Z'),
      );
      expect(await subject.check(at('10:00'))).toEqual({
        entities: 1,
        sent: 0,
        lost: 0,
        failed: 1,
        error:
          '"payments-api is failing in Production" to the owners of component:default/payments-api: Error: Failed to send notifications: Request failed with status 404',
      });
      expect((await subject.check(at('10:01'))).sent).toBe(1);
      expect((await subject.check(at('10:02'))).sent).toBe(0);
    });

    it('two replicas sharing the database tell a failure once', async () => {
      const clusters = new Clusters();
      const notifications = recordingService();
      // A second client of the same database, as another replica has.
      // (SQLite here is one in-memory database: the same client.)
      const other = databaseId.startsWith('POSTGRES')
        ? knexFactory(knex.client.config)
        : knex;
      try {
        const [a, b] = [
          await notifier(knex, clusters, notifications),
          await notifier(other, clusters, notifications),
        ];
        clusters.set(
          'prod-eu',
          failing('2.3.0', '2.4.0', '2026-12-05T09:00:00Z'),
        );
        const [first, second] = await Promise.all([
          a.check(at('10:00')),
          b.check(at('10:00')),
        ]);
        expect(first.sent + second.sent).toBe(1);
        expect(notifications.sent).toHaveLength(1);
        // Later checks of either replica see the state the other wrote.
        expect((await b.check(at('10:05'))).sent).toBe(0);
        expect((await a.check(at('10:06'))).sent).toBe(0);
      } finally {
        if (other !== knex) await other.destroy();
      }
    });
  });
});
