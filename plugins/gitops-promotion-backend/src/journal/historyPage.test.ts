import request from 'supertest';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  PromotionHistoryEntry,
  PromotionHistoryPage,
} from '@gitops-promotion/backstage-plugin-common';
import { gitopsPromotionPlugin } from '../plugin';
import {
  demoConfig,
  demoEntities,
  startDemo,
} from '../__testUtils__/demoBackend';
import { databaseService } from '../__testUtils__/testDatabases';

const HISTORY =
  '/api/gitops-promotion/v1/entities/default/component/payments-api/history';

/** The journal writes the fixture clusters' states at its first flush. */
async function firstPage(server: any): Promise<PromotionHistoryPage> {
  for (let i = 0; i < 150; i++) {
    const res = await request(server).get(HISTORY);
    expect(res.status).toBe(200);
    if (res.body.entries.length > 0) return res.body;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error('the journal recorded nothing from the demo clusters');
}

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('GET /v1/entities/:namespace/:kind/:name/history', () => {
  let server: any;
  beforeAll(async () => {
    server = await startDemo();
  });

  it("answers the journal of the entity's workloads, newest first, placed in their environments", async () => {
    const { entries } = await firstPage(server);
    const environments: Record<string, string> = {
      'sandbox-alice': 'sandbox',
      'sandbox-bob': 'sandbox',
      'dev-eu': 'development',
      'staging-eu': 'staging',
      'prod-eu': 'production',
      'prod-us': 'production',
    };
    for (const e of entries) {
      expect(e.environment).toBe(environments[e.cluster]);
      expect(e.workload).toBe(`${e.kind}/${e.name}`);
    }
    const times = entries.map(e => e.at);
    expect(times).toEqual([...times].sort().reverse());
    // payments-api runs in every environment; its production clusters are among them.
    expect(new Set(entries.map(e => e.environment))).toContain('production');
    // Only the entity's workloads: podinfo's are not in payments-api's view.
    expect(entries.some(e => e.name === 'podinfo')).toBe(false);
  }, 20_000);

  it('pages with the cursor it gives, without gaps or repeats', async () => {
    const { entries: all } = await firstPage(server);
    const seen: PromotionHistoryEntry[] = [];
    let cursor: string | undefined;
    do {
      const res = await request(server)
        .get(HISTORY)
        .query({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      expect(res.body.entries.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.entries);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it('refuses a cursor it did not give and a bad limit, naming them', async () => {
    const cursor = await request(server).get(HISTORY).query({ cursor: 'x' });
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.message).toContain('cursor');
    // Well formed, but at a time no entry has: a database cannot store it.
    const key = '0'.repeat(64);
    for (const at of ['-271821-04-20T00:00:00.000Z', '2026-12-06']) {
      const forged = await request(server)
        .get(HISTORY)
        .query({
          cursor: Buffer.from(JSON.stringify([at, key])).toString('base64url'),
        });
      expect(forged.status).toBe(400);
      expect(forged.body.error.message).toContain('cursor');
    }
    const limit = await request(server).get(HISTORY).query({ limit: '0' });
    expect(limit.status).toBe(400);
    expect(limit.body.error.message).toContain('limit');
  });

  it("answers 503 without the database driver's words when the journal cannot be read, which go to the log", async () => {
    const knex = await databases.init('SQLITE_3');
    const logger = mockServices.logger.mock();
    const { server: broken } = await startTestBackend({
      features: [
        logger.factory,
        gitopsPromotionPlugin,
        createServiceFactory({
          service: coreServices.database,
          deps: {},
          factory: async () => databaseService(knex),
        }),
        catalogServiceMock.factory({ entities: demoEntities() }),
        mockServices.rootConfig.factory({ data: demoConfig() }),
      ],
    });
    await knex.schema.renameTable('gitops_promotion_journal', 'aside');
    // Once the fixture clusters are read, the history has workloads to read.
    let res = await request(broken).get(HISTORY);
    for (let i = 0; res.status === 200 && i < 100; i++) {
      await new Promise(r => setTimeout(r, 20));
      res = await request(broken).get(HISTORY);
    }
    expect(res.status).toBe(503);
    // A driver's words may name the database's user, host or address.
    expect(res.body.error).toEqual({
      name: 'ServiceUnavailableError',
      message:
        "The promotion history cannot be read from the plugin's database; the backend's log has the cause. Check the plugin's database connection (backend.database).",
    });
    expect(logger.error).toHaveBeenCalledWith(
      "The promotion history of component:default/payments-api cannot be read from the plugin's database: no such table: gitops_promotion_journal",
    );
  });

  it('answers 403 without gitops-promotion.view', async () => {
    const denied = await startDemo([
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    const res = await request(denied).get(HISTORY);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('gitops-promotion.view');
  });
});
