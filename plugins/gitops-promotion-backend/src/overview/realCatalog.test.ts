/*
 * The overview against Backstage's real catalog backend over HTTP (the
 * other tests use its in-memory client, which sends no request): a Group
 * with many child groups is read as the caller, through the catalog's
 * processing (spec.parent → childOf, spec.owner → ownedBy) and its routes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import { PromotionOverview } from '@gitops-promotion/backstage-plugin-common';
import { gitopsPromotionPlugin } from '../plugin';
import { demoConfig } from '../__testUtils__/demoBackend';
import { pluginDatabase } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const TEAMS = 80;

function catalogFile(dir: string): string {
  const team = (i: number) => `team-number-${String(i).padStart(3, '0')}`;
  const docs = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'engineering' },
      spec: { type: 'department', children: [] },
    },
    ...Array.from({ length: TEAMS }, (_, i) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: team(i + 1) },
      spec: { type: 'team', parent: 'engineering', children: [] },
    })),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'payments-api',
        annotations: {
          'gitops-promotion/helm-releases': 'payments/payments-api',
        },
      },
      // Owned by the last team: its ref is the last of the owner list.
      spec: { type: 'service', lifecycle: 'production', owner: team(TEAMS) },
    },
  ];
  const file = path.join(dir, 'catalog.json');
  // JSON documents are YAML documents: one per `---`.
  fs.writeFileSync(file, docs.map(d => `---\n${JSON.stringify(d)}`).join('\n'));
  return file;
}

describe('promotion overview on the real catalog', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-'));
  let server: any;
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        gitopsPromotionPlugin,
        catalogBackend,
        pluginDatabase(),
        mockServices.rootConfig.factory({
          data: {
            ...demoConfig(),
            catalog: {
              rules: [{ allow: ['Component', 'Group', 'Location'] }],
              locations: [{ type: 'file', target: catalogFile(dir) }],
              processingInterval: { seconds: 1 },
            },
          },
        }),
      ],
    }));
  });

  it(`covers a Group with ${TEAMS} child groups (their refs do not fit a GET query string)`, async () => {
    let res: request.Response | undefined;
    // The catalog processes the file's entities (and their relations) first.
    for (let i = 0; i < 200; i++) {
      res = await request(server).get(
        '/api/gitops-promotion/v1/entities/default/group/engineering/overview',
      );
      if (res.status === 200 && (res.body as PromotionOverview).rows.length)
        break;
      await new Promise(r => setTimeout(r, 200));
    }
    expect(res!.status).toBe(200);
    expect((res!.body as PromotionOverview).rows.map(r => r.entityRef)).toEqual(
      ['component:default/payments-api'],
    );
  });
});
