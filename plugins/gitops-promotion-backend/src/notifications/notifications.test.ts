import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import knexFactory, { Knex } from 'knex';
import { demoConfig, demoEntities } from '../__testUtils__/demoBackend';
import { NotificationsUnderTest } from '../__testUtils__/notifications';
import { sqliteAndPostgres } from '../__testUtils__/testDatabases';
import { gitopsPromotionPlugin } from '../plugin';
import { pluginDatabase } from '../__testUtils__/testDatabases';

const databases = sqliteAndPostgres();

/** The demo's platform team, whose members the notifications backend resolves. */
const org: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-platform', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [{ type: 'hasMember', targetRef: 'user:default/alice' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice', namespace: 'default' },
    spec: {},
    relations: [{ type: 'memberOf', targetRef: 'group:default/team-platform' }],
  },
];

/** The demo's config, notifying at once (its failures are hours old anyway). */
const config = (extra: object = {}) =>
  mockServices.rootConfig.factory({
    data: {
      app: { baseUrl: 'http://localhost:3000' },
      ...demoConfig({ notifications: { delay: '1s' } }),
      ...extra,
    },
  });

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise(r => setTimeout(r, 200));
  }
}

describe('notifications', () => {
  it("reach the owners through the real notifications backend: the demo's failing production workload, once, linking to its cell", async () => {
    const notifications = new NotificationsUnderTest();
    const { server } = await startTestBackend({
      features: [
        gitopsPromotionPlugin,
        pluginDatabase(),
        notificationsPlugin,
        catalogServiceMock.factory({ entities: [...demoEntities(), ...org] }),
        config(),
        ...notifications.features({ record: false }),
      ],
    });
    const alice = mockCredentials.user.header('user:default/alice');
    const inbox = async () =>
      (
        await request(server)
          .get('/api/notifications/notifications')
          .set('Authorization', alice)
      ).body as {
        totalCount: number;
        notifications: Array<{ origin: string; payload: any }>;
      };

    // The fixture clusters are read within milliseconds of the start.
    await new Promise(r => setTimeout(r, 1500));
    await notifications.check();
    const first = await eventually(inbox, b => b.totalCount > 0);
    const production = first.notifications.filter(
      n => n.payload.topic === 'gitops-promotion:production',
    );
    expect(production).toEqual([
      expect.objectContaining({
        origin: 'plugin:gitops-promotion',
        payload: expect.objectContaining({
          title: 'inventory-service is failing in Production',
          description: expect.stringMatching(
            /^Failing in prod-eu since \d{4}-\d\d-\d\d \d\d:\d\d UTC\. .*authentication required\.$/,
          ),
          link: '/catalog/default/component/inventory-service/promotion?workload=Kustomization%2Finventory-service&environment=production',
          severity: 'high',
          scope:
            'gitops-promotion:component:default/inventory-service:Kustomization/inventory-service:production',
        }),
      }),
    ]);
    // team-platform owns no failing workload in the sandbox: none is told.
    expect(
      first.notifications.some(
        n => n.payload.topic === 'gitops-promotion:sandbox',
      ),
    ).toBe(false);

    // A second check tells nothing again: not even an update of the same
    // scope (which would mark it unread and change its time).
    await notifications.check();
    expect(await inbox()).toEqual(first);
  }, 60_000);

  const postgres = databases
    .eachSupportedId()
    .filter(([id]) => id.startsWith('POSTGRES'));
  // Without scripts/postgres.sh there is no shared database to test (in
  // the test command, PromotionJournal.test.ts fails when it is missing).
  (postgres.length ? describe.each(postgres) : describe.skip.each([['none']]))(
    'two backends sharing one %p',
    databaseId => {
      let knex: Knex;
      let other: Knex;
      beforeAll(async () => {
        knex = await databases.init(databaseId as any);
        other = knexFactory(knex.client.config);
      });
      afterAll(async () => {
        await other?.destroy();
      });

      it('tell each failure once and record each change in the journal once', async () => {
        const replicas = [
          new NotificationsUnderTest(),
          new NotificationsUnderTest(),
        ];
        // Started one after the other, as a rolling deployment does (two
        // first migrations at once race on knex's own migrations table).
        for (const [i, client] of [knex, other].entries()) {
          await startTestBackend({
            features: [
              gitopsPromotionPlugin,
              catalogServiceMock.factory({ entities: demoEntities() }),
              config(),
              mockServices.database.factory({ knex: client }),
              ...replicas[i].features(),
            ],
          });
        }
        const sent = () => replicas.flatMap(r => r.sent);
        await new Promise(r => setTimeout(r, 1500));
        // Both replicas run the check at once, each with its own test
        // scheduler (no lock between them): the database keeps each
        // failure told once.
        await Promise.all(replicas.map(r => r.check()));
        expect(sent().length).toBeGreaterThan(0);
        // And once more: nothing is told twice.
        await Promise.all(replicas.map(r => r.check()));

        const scopes = sent().map(n => n.payload.scope);
        expect(scopes.length).toBeGreaterThan(0);
        expect(new Set(scopes).size).toBe(scopes.length);
        expect(scopes).toContain(
          'gitops-promotion:component:default/inventory-service:Kustomization/inventory-service:production',
        );

        // The journal: a change recorded twice would show as the same
        // state and version twice in a row for one workload.
        const rows: Array<{
          cluster: string;
          kind: string;
          namespace: string;
          name: string;
          state: string;
          version: string | null;
        }> = await knex('gitops_promotion_journal').orderBy([
          'cluster',
          'kind',
          'namespace',
          'name',
          'at',
        ]);
        expect(rows.length).toBeGreaterThan(0);
        const repeats = rows.filter((row, i) => {
          const before = rows[i - 1];
          return (
            before &&
            ['cluster', 'kind', 'namespace', 'name', 'state', 'version'].every(
              k => (before as any)[k] === (row as any)[k],
            )
          );
        });
        expect(repeats).toEqual([]);
      }, 60_000);
    },
  );
});
