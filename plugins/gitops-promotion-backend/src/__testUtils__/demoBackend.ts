import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { PromotionViewSummary } from '@gitops-promotion/backstage-plugin-common';
import { parseKubectlYaml } from '@gitops-promotion/backstage-plugin-common/server';
import { gitopsPromotionPlugin } from '../plugin';
import { DEMO_CLUSTERS } from './demoObjects';
import { pluginDatabase } from './testDatabases';

function readExample(name: string): Entity[] {
  const file = path.resolve(DEMO_CLUSTERS, '..', name);
  return parseKubectlYaml(fs.readFileSync(file, 'utf8'), file) as Entity[];
}

/**
 * The demo catalog's components (examples/entities.yaml), with the ownedBy
 * and partOf relations the catalog's processing gives them.
 */
export function demoEntities(): Entity[] {
  return readExample('entities.yaml')
    .filter(e => e.kind === 'Component')
    .map(e => ({
      ...e,
      relations: [
        { type: 'ownedBy', targetRef: `group:default/${e.spec?.owner}` },
        { type: 'partOf', targetRef: `system:default/${e.spec?.system}` },
      ],
    }));
}

/**
 * The demo's System and Groups (examples/entities.yaml, examples/org.yaml),
 * a child group with the childOf relation the catalog gives it.
 */
export function demoOrg(): Entity[] {
  return [
    ...readExample('entities.yaml').filter(e => e.kind === 'System'),
    ...readExample('org.yaml')
      .filter(e => e.kind === 'Group')
      .map(e => ({
        ...e,
        relations: e.spec?.parent
          ? [{ type: 'childOf', targetRef: `group:default/${e.spec.parent}` }]
          : [],
      })),
  ];
}

/** The demo's environments over the fixture clusters; sandbox-carol is a live cluster nobody listens for. */
export function demoConfig(overrides: JsonObject = {}): JsonObject {
  return {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'sandbox-carol',
              url: 'https://127.0.0.1:1',
              authProvider: 'serviceAccount',
              serviceAccountToken: 'x',
              skipTLSVerify: true,
            },
          ],
        },
      ],
    },
    gitopsPromotion: {
      environments: [
        {
          name: 'sandbox',
          title: 'Sandbox',
          clusters: ['sandbox-alice', 'sandbox-bob', 'sandbox-carol'],
        },
        { name: 'development', title: 'Development', clusters: ['dev-eu'] },
        { name: 'staging', title: 'Staging', clusters: ['staging-eu'] },
        {
          name: 'production',
          title: 'Production',
          clusters: ['prod-eu', 'prod-us'],
        },
      ],
      fixtures: { directory: DEMO_CLUSTERS },
      watch: {
        initialBackoff: { milliseconds: 50 },
        maxBackoff: { milliseconds: 200 },
      },
      ...overrides,
    },
  };
}

/**
 * The permissions service of a policy that decides by permission name (and
 * resource): ALLOW or DENY, conditional permissions unconditionally.
 */
export function decidingPermissions(
  decide: (permission: string, resourceRef?: string) => boolean,
) {
  const result = (allowed: boolean) =>
    allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
  return mockServices.permissions.mock({
    authorize: (async (requests: any[]) =>
      requests.map(r => ({
        result: result(decide(r.permission.name, r.resourceRef)),
      }))) as any,
    authorizeConditional: (async (queries: any[]) =>
      queries.map(q => ({ result: result(decide(q.permission.name)) }))) as any,
  }).factory;
}

/**
 * A test backend with the plugin on the demo fixtures, its catalog (and
 * `moreEntities`) and config (and `extra` features), once the fixture
 * clusters are read (they sync within milliseconds) when the view may be
 * read.
 */
export async function startDemo(
  extra: any[] = [],
  config = demoConfig(),
  moreEntities: Entity[] = [],
) {
  const { server } = await startTestBackend({
    features: [
      gitopsPromotionPlugin,
      pluginDatabase(),
      catalogServiceMock.factory({
        entities: [...demoEntities(), ...demoOrg(), ...moreEntities],
      }),
      mockServices.rootConfig.factory({ data: config }),
      ...extra,
    ],
  });
  for (let i = 0; i < 100; i++) {
    const res = await request(server).get(
      '/api/gitops-promotion/v1/entities/default/component/payments-api/promotion',
    );
    // A policy that denies the view leaves nothing to wait for.
    const view = res.body as PromotionViewSummary;
    if (
      res.status !== 200 ||
      view.workloads[0]?.cells.some(c => c.totalClusters > 0)
    )
      return server;
    await new Promise(r => setTimeout(r, 20));
  }
  throw new Error('the demo never settled');
}

/**
 * Runs `body` with a fixtures folder holding copies of the demo's clusters:
 * `copies` maps a demo cluster to the names of its copies.
 */
export async function withFleet(
  copies: Record<string, string[]>,
  body: (dir: string) => Promise<void>,
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-'));
  try {
    for (const [source, names] of Object.entries(copies)) {
      for (const name of names) {
        fs.cpSync(path.join(DEMO_CLUSTERS, source), path.join(dir, name), {
          recursive: true,
        });
      }
    }
    await body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
