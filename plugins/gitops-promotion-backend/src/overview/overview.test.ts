import request from 'supertest';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PromotionOverview } from '@gitops-promotion/backstage-plugin-common';
import { startDemo } from '../__testUtils__/demoBackend';
import { PromotionService } from '../view/PromotionService';

const BASE = '/api/gitops-promotion/v1';

// A backend per describe: seconds on a loaded machine.
jest.setTimeout(30_000);

const entities = (o: PromotionOverview) => [
  ...new Set(o.rows.map(r => r.entityRef.replace('component:default/', ''))),
];

describe('promotion overview', () => {
  let server: any;
  beforeAll(async () => {
    server = await startDemo();
  });

  async function overview(path: string): Promise<PromotionOverview> {
    const res = await request(server).get(`${BASE}${path}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  it("covers a Group's components and its child groups' ones", async () => {
    const engineering = await overview(
      '/entities/default/group/engineering/overview',
    );
    const payments = await overview(
      '/entities/default/group/team-payments/overview',
    );
    expect(entities(payments).sort()).toEqual(['ledger', 'payments-api']);
    // engineering owns nothing itself: its three teams' components.
    expect(entities(engineering)).toEqual(
      expect.arrayContaining([
        'ledger',
        'payments-api',
        'podinfo',
        'web-frontend',
      ]),
    );
    expect(entities(engineering)).toHaveLength(engineering.counts.entities);
    expect(
      (await overview('/entities/default/group/team-web/overview')).rows.map(
        r => r.entityRef,
      ),
    ).toEqual(['component:default/web-frontend']);
  });

  it('tells what fails and what waits, per environment, with counts', async () => {
    const o = await overview('/entities/default/system/commerce/overview');
    expect(o.environments.map(e => e.name)).toEqual([
      'sandbox',
      'development',
      'staging',
      'production',
    ]);
    const row = (name: string) =>
      o.rows.find(r => r.entityRef === `component:default/${name}`)!;
    expect(row('payments-api')).toMatchObject({
      title: 'payments-api',
      owner: 'group:default/team-payments',
      system: 'system:default/commerce',
      pendingIn: ['staging', 'production'],
      failingIn: [],
    });
    expect(row('payments-api').cells.map(c => c.version)).toEqual([
      '2.4.0',
      '2.4.0',
      '2.3.0',
      '2.1.0',
    ]);
    expect(row('ledger').failingIn).toEqual(['development']);
    expect(row('podinfo').failingIn).toEqual(['staging']);
    expect(row('podinfo').mixedVersions).toBe(true);
    const counts = Object.fromEntries(
      o.counts.environments.map(c => [c.environment, c]),
    );
    expect(counts.development.failing).toBe(
      o.rows.filter(r => r.failingIn.includes('development')).length,
    );
    expect(counts.staging.pending).toBeGreaterThanOrEqual(1);
    expect(o.truncated).toBe(false);
  });

  it('answers 304 to a caller that holds the current overview', async () => {
    const first = await request(server).get(`${BASE}/overview`);
    expect(first.status).toBe(200);
    expect(first.headers.etag).toMatch(/^".+"$/);
    const again = await request(server)
      .get(`${BASE}/overview`)
      .set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
    expect(entities(first.body)).toEqual(
      expect.arrayContaining(['ledger', 'payments-api', 'web-frontend']),
    );
  });

  it('names the clusters it could not read, and the component whose view could not be built, answering the others', async () => {
    const all = await overview('/overview');
    // The demo's sandbox-carol never answers.
    expect(all.clusterErrors.map(e => e.cluster)).toEqual(['sandbox-carol']);
    expect(all.unavailable).toEqual([]);

    const build = PromotionService.prototype.view;
    const spy = jest
      .spyOn(PromotionService.prototype, 'view')
      .mockImplementation(function view(this: PromotionService, entity) {
        if (entity.metadata.name === 'ledger') {
          throw new TypeError('a bug the hostile data found');
        }
        return build.call(this, entity);
      });
    try {
      const without = await overview('/overview');
      expect(without.unavailable).toEqual([
        {
          entityRef: 'component:default/ledger',
          title: 'ledger',
          message:
            "Its promotion view could not be built (TypeError); the backend's log has the cause.",
        },
      ]);
      expect(entities(without).sort()).toEqual(
        entities(all)
          .filter(e => e !== 'ledger')
          .sort(),
      );
      expect(without.entitiesChecked).toBe(all.entitiesChecked);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses kinds that have no overview, and unknown entities', async () => {
    const component = await request(server).get(
      `${BASE}/entities/default/component/ledger/overview`,
    );
    expect(component.status).toBe(400);
    expect(component.body.error.message).toContain(
      'component:default/ledger is a Component: the promotion overview covers the components of a Group or a System',
    );
    const missing = await request(server).get(
      `${BASE}/entities/default/group/nobody/overview`,
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(
      'No entity group:default/nobody in the catalog',
    );
  });
});

describe('promotion overview under a permission policy', () => {
  it('neither shows nor counts a component the user may not view', async () => {
    const server = await startDemo([
      mockServices.permissions.mock({
        authorize: (async (requests: any[]) =>
          requests.map(r => ({
            result:
              r.resourceRef === 'component:default/ledger'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }))) as any,
      }).factory,
    ]);
    const res = await request(server).get(
      `${BASE}/entities/default/group/team-payments/overview`,
    );
    expect(res.status).toBe(200);
    const o = res.body as PromotionOverview;
    expect(entities(o)).toEqual(['payments-api']);
    expect(o.counts.entities).toBe(1);
    expect(o.counts.environments.every(c => c.failing === 0)).toBe(true);
    expect(o.entitiesChecked).toBe(1);
  });
});
