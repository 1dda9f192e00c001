import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CellDetail,
  ObjectDetails,
  PromotionViewSummary,
  WorkloadRowSummary,
} from '@gitops-promotion/backstage-plugin-common';
import { gitopsPromotionPlugin } from '../plugin';
import {
  decidingPermissions,
  demoConfig,
  demoEntities,
  startDemo,
} from '../__testUtils__/demoBackend';
import {
  Address,
  getCell,
  getObject,
  postAction,
} from '../__testUtils__/routes';
import { demoObjects } from '../__testUtils__/demoObjects';
import { pluginDatabase } from '../__testUtils__/testDatabases';

const BASE = '/api/gitops-promotion/v1';

async function view(
  server: any,
  entity: string,
): Promise<PromotionViewSummary> {
  // The fixture clusters sync within milliseconds; the unreachable one
  // reports its error at once, to the views that read it (podinfo's does).
  const get = async (name: string) => {
    const res = await request(server).get(
      `${BASE}/entities/default/component/${name}/promotion`,
    );
    expect(res.status).toBe(200);
    return res.body as PromotionViewSummary;
  };
  for (let i = 0; i < 100; i++) {
    if (
      (await get('podinfo')).clusterErrors.some(
        e => e.cluster === 'sandbox-carol',
      )
    )
      return get(entity);
    await new Promise(r => setTimeout(r, 20));
  }
  throw new Error('the demo never settled');
}

const cells = (row: WorkloadRowSummary) =>
  Object.fromEntries(
    row.cells.map(c => [
      c.environment,
      `${c.state}${c.version ? ` ${c.version}` : ''}`,
    ]),
  );
const steps = (row: WorkloadRowSummary) =>
  row.promotions.map(
    p =>
      `${p.from}→${p.to}: ${p.relation}${p.behindBy ? ` ${p.behindBy}` : ''}`,
  );
/** A cluster of a cell, from the cell route (the drill-down's answer). */
async function cluster(
  server: any,
  entity: string,
  row: WorkloadRowSummary,
  env: string,
  name: string,
) {
  const res = await getCell(server, entity, env, row.id);
  expect(res.status).toBe(200);
  return (res.body as CellDetail).cell.clusters.find(c => c.cluster === name)!;
}

describe('demo scenarios through the HTTP API', () => {
  let server: any;
  beforeAll(async () => {
    server = await startDemo();
  });

  it('web-frontend is green everywhere', async () => {
    const [row] = (await view(server, 'web-frontend')).workloads;
    expect(cells(row)).toEqual({
      sandbox: 'Ready 3.2.0-p01',
      development: 'Ready 3.2.0-p01',
      staging: 'Ready 3.2.0-p01',
      production: 'Ready 3.2.0-p01',
    });
    expect(row.cells.every(c => c.readyClusters === c.totalClusters)).toBe(
      true,
    );
  });

  it('payments-api: staging pending promotion, production two versions behind', async () => {
    const [row] = (await view(server, 'payments-api')).workloads;
    expect(cells(row)).toMatchObject({
      development: 'Ready 2.4.0',
      staging: 'Ready 2.3.0',
      production: 'Ready 2.1.0',
    });
    expect(steps(row)).toEqual([
      // Same version; dev-eu runs values neither sandbox runs.
      'sandbox→development: values-differ',
      'development→staging: behind 1',
      'staging→production: behind 2',
    ]);
  });

  it('podinfo: staging stuck in WAIT_OCI on a private image, production runs two versions', async () => {
    const [row] = (await view(server, 'podinfo')).workloads;
    const staging = await cluster(
      server,
      'podinfo',
      row,
      'staging',
      'staging-eu',
    );
    expect(staging).toMatchObject({
      state: 'Failed',
      phase: 'WAIT_OCI',
      version: '6.7.1-p01',
      targetVersion: '6.7.1-p02',
    });
    expect(staging.rootCause).toMatchObject({
      category: 'authentication',
      ref: { kind: 'OCIRepository', name: 'kcd-podinfo' },
    });
    expect(staging.rootCause!.summary).toContain(
      'OCIRepository apps/kcd-podinfo cannot pull oci://quay.io/kubodoc/packages/podinfo:6.7.1-p02 (credentials rejected)',
    );
    const production = row.cells.find(c => c.environment === 'production')!;
    expect(production).toMatchObject({
      mixedVersions: true,
      versions: ['6.7.1-p01', '6.6.3-p01'],
      readyClusters: 2,
      totalClusters: 2,
    });
  });

  it('ledger: InstallFailed only in development, a configuration problem', async () => {
    const [row] = (await view(server, 'ledger')).workloads;
    expect(cells(row)).toEqual({
      sandbox: 'Ready 1.8.0',
      development: 'Failed',
      staging: 'Ready 1.7.2',
      production: 'Ready 1.7.2',
    });
    const dev = await cluster(server, 'ledger', row, 'development', 'dev-eu');
    expect(dev.rootCause).toMatchObject({
      category: 'configuration',
      reason: 'InstallFailed',
    });
    expect(dev.rootCause!.summary).toMatch(
      /^HelmRelease finance\/ledger failed to install chart version 1\.8\.0 in this environment/,
    );
    expect(row.cells[0].notDeployedIn).toEqual(['sandbox-bob']);
  });

  it('inventory-service: prod-eu GitRepository fails with authentication required', async () => {
    const [row] = (await view(server, 'inventory-service')).workloads;
    const prodEu = await cluster(
      server,
      'inventory-service',
      row,
      'production',
      'prod-eu',
    );
    expect(prodEu.state).toBe('Failed');
    expect(prodEu.rootCause).toMatchObject({
      category: 'authentication',
      ref: { kind: 'GitRepository', name: 'inventory-service' },
    });
    expect(prodEu.rootCause!.message).toContain('authentication required');
    expect(cells(row).sandbox).toBe('NotDeployed');
    expect(steps(row)[2]).toBe('staging→production: differs');
  });

  it('notification-service (Kubernetes plugin annotation): suspended in prod-eu', async () => {
    const result = await view(server, 'notification-service');
    expect(result.selectors[0]).toMatchObject({
      annotation: 'backstage.io/kubernetes-id',
    });
    const [row] = result.workloads;
    expect(
      await cluster(
        server,
        'notification-service',
        row,
        'production',
        'prod-eu',
      ),
    ).toMatchObject({
      state: 'Suspended',
      rootCause: { category: 'suspended' },
    });
    expect(cells(row).production).toBe('Suspended 0.9.4');
  });

  it('shows the unreachable sandbox beside the other clusters’ data', async () => {
    const result = await view(server, 'podinfo');
    expect(result.clusterErrors).toEqual([
      expect.objectContaining({
        cluster: 'sandbox-carol',
        type: 'UNREACHABLE',
        message: expect.stringContaining('ECONNREFUSED'),
      }),
    ]);
    const sandbox = result.workloads[0].cells[0];
    expect(sandbox).toMatchObject({
      unavailableIn: ['sandbox-carol'],
      readyClusters: 2,
      totalClusters: 2,
    });
  });

  it('names a bad annotation value and sends nothing to clusters', async () => {
    const result = await view(server, 'misconfigured-service');
    expect(result.workloads).toEqual([]);
    expect(result.annotationProblems).toEqual([
      expect.objectContaining({
        annotation: 'gitops-promotion/kubocd-releases',
        value: 'Podinfo_Bad!',
      }),
    ]);
  });

  it('answers an entity without annotations with an empty view', async () => {
    const result = await view(server, 'legacy-billing');
    expect(result.selectors).toEqual([]);
    expect(result.workloads).toEqual([]);
  });

  it('sends an ETag and answers 304 when nothing changed', async () => {
    await view(server, 'podinfo');
    const first = await request(server).get(
      `${BASE}/entities/default/component/podinfo/promotion`,
    );
    expect(first.headers.etag).toMatch(/^"[\w-]+"$/);
    const second = await request(server)
      .get(`${BASE}/entities/default/component/podinfo/promotion`)
      .set('If-None-Match', first.headers.etag);
    expect(second.status).toBe(304);
    // As a compressing proxy hands it back (weak), or in a list: 304 too.
    for (const held of [
      `W/${first.headers.etag}`,
      `"other", ${first.headers.etag}`,
    ]) {
      const again = await request(server)
        .get(`${BASE}/entities/default/component/podinfo/promotion`)
        .set('If-None-Match', held);
      expect(again.status).toBe(304);
    }
    const changed = await request(server)
      .get(`${BASE}/entities/default/component/podinfo/promotion`)
      .set('If-None-Match', '"other"');
    expect(changed.status).toBe(200);
  });

  it('answers the page view without chains: per cell the clusters that need a look', async () => {
    const sandbox = (await view(server, 'podinfo')).workloads[0].cells[0];
    expect(sandbox).not.toHaveProperty('clusters');
    expect(sandbox).toMatchObject({ readyClusters: 2, attention: [] });
    const staging = (await view(server, 'podinfo')).workloads[0].cells[2];
    expect(staging.attention).toEqual([
      expect.objectContaining({
        cluster: 'staging-eu',
        state: 'Failed',
        cause: expect.stringContaining(
          'OCIRepository apps/kcd-podinfo cannot pull',
        ),
      }),
    ]);
    expect(staging.targetVersions).toEqual(['6.7.1-p02']);
  });

  it('answers a cell with its clusters’ chains, an ETag and 304 when nothing changed', async () => {
    await view(server, 'podinfo');
    const first = await getCell(
      server,
      'podinfo',
      'production',
      'Release/podinfo',
    );
    expect(first.status).toBe(200);
    const detail = first.body as CellDetail;
    expect(detail).toMatchObject({
      entityRef: 'component:default/podinfo',
      environment: 'production',
      workload: { id: 'Release/podinfo', kind: 'Release', name: 'podinfo' },
      cell: { mixedVersions: true, readyClusters: 2 },
    });
    expect(detail.cell.clusters.map(c => c.cluster).sort()).toEqual([
      'prod-eu',
      'prod-us',
    ]);
    expect(detail.cell.clusters[0].chain.length).toBeGreaterThan(1);
    expect(first.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const again = await getCell(
      server,
      'podinfo',
      'production',
      'Release/podinfo',
    ).set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
    // Another cell, another ETag.
    const staging = await getCell(
      server,
      'podinfo',
      'staging',
      'Release/podinfo',
    ).set('If-None-Match', first.headers.etag);
    expect(staging.status).toBe(200);
    expect(staging.headers.etag).not.toBe(first.headers.etag);
  });

  it('answers 404 naming an unknown environment, cluster or workload, 400 for a kind that is no workload', async () => {
    const env = await getCell(server, 'podinfo', 'qa', 'Release/podinfo');
    expect(env.status).toBe(404);
    expect(env.body.error.message).toBe(
      'No environment "qa" in gitopsPromotion.environments; the environments are sandbox, development, staging, production',
    );
    const workload = await getCell(
      server,
      'podinfo',
      'staging',
      'HelmRelease/podinfo',
    );
    expect(workload.status).toBe(404);
    expect(workload.body.error.message).toBe(
      'HelmRelease podinfo is not a workload of component:default/podinfo: its annotations select no HelmRelease of that name in any environment',
    );
    const kind = await getCell(
      server,
      'podinfo',
      'staging',
      'OCIRepository/kcd-podinfo',
    );
    expect(kind.status).toBe(400);
    expect(kind.body.error.message).toContain('workloadKind');
    const otherCluster = await getCell(
      server,
      'podinfo',
      'production',
      'Release/podinfo',
    ).query({ cluster: 'staging-eu' });
    expect(otherCluster.status).toBe(404);
    expect(otherCluster.body.error.message).toBe(
      'No cluster "staging-eu" in environment production; its clusters are prod-eu, prod-us',
    );
    const asked = await getCell(
      server,
      'podinfo',
      'production',
      'Release/podinfo',
    ).query({ cluster: 'prod-us' });
    expect(asked.status).toBe(200);
    expect(asked.body.inBrief).toEqual([]);
    const entity = await getCell(server, 'nope', 'staging', 'Release/podinfo');
    expect(entity.status).toBe(404);
    expect(entity.body.error.message).toContain('component:default/nope');
  });

  it('rejects bad parameters with 400 and unknown entities with 404', async () => {
    const bad = await request(server).get(
      `${BASE}/entities/default/component/Bad!Name/promotion`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual({
      name: 'InputError',
      message: expect.stringContaining(
        'request/params/name must match pattern',
      ),
    });
    expect(
      (
        await request(server).get(
          `${BASE}/entities/default/comp%20onent/podinfo/promotion`,
        )
      ).status,
    ).toBe(400);
    const missing = await request(server).get(
      `${BASE}/entities/default/component/nope/promotion`,
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('component:default/nope');
  });
});

const OCI_PODINFO: Address = {
  cluster: 'staging-eu',
  group: 'source.toolkit.fluxcd.io',
  version: 'v1',
  plural: 'ocirepositories',
  namespace: 'apps',
  name: 'kcd-podinfo',
};
const PAYMENTS_DEV: Address = {
  cluster: 'dev-eu',
  group: 'helm.toolkit.fluxcd.io',
  version: 'v2',
  plural: 'helmreleases',
  namespace: 'payments',
  name: 'payments-api',
};

describe('object details and actions', () => {
  let server: any;
  beforeAll(async () => {
    server = await startDemo();
    await view(server, 'podinfo');
  });

  it('returns the full object and its classification for an object of the entity’s chain', async () => {
    const res = await getObject(server, 'podinfo', OCI_PODINFO);
    expect(res.status).toBe(200);
    const details = res.body as ObjectDetails;
    expect(details.ref).toMatchObject({
      kind: 'OCIRepository',
      cluster: 'staging-eu',
    });
    expect(details.object.spec?.ref?.tag).toBe('6.7.1-p02');
    expect(details.classification.state).toBe('Failed');
    expect(Array.isArray(details.events)).toBe(true);
  });

  it('returns Helm values in full (the cache only keeps their digest)', async () => {
    const res = await getObject(server, 'payments-api', PAYMENTS_DEV);
    expect(res.status).toBe(200);
    const demo = demoObjects('dev-eu')
      .get('HelmRelease')!
      .find(o => o.metadata.name === 'payments-api')!;
    expect(Object.keys(demo.spec!.values as object).length).toBeGreaterThan(0);
    expect(res.body.object.spec.values).toEqual(demo.spec!.values);
    expect(res.body.hiddenFields).toEqual([]);
    expect(res.body.redactedPaths).toEqual([]);
  });

  it('refuses objects outside the entity’s view and bad parameters', async () => {
    const other = await getObject(server, 'payments-api', OCI_PODINFO);
    expect(other.status).toBe(404);
    expect(other.body.error.message).toContain(
      'is not part of the promotion view',
    );
    expect(
      (
        await getObject(server, 'podinfo', {
          ...OCI_PODINFO,
          group: 'apps',
          plural: 'deployments',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await getObject(server, 'podinfo', {
          ...OCI_PODINFO,
          namespace: 'Apps',
        })
      ).status,
    ).toBe(400);
    const version = await getObject(server, 'podinfo', {
      ...OCI_PODINFO,
      version: 'v9',
    });
    expect(version.status).toBe(400);
    expect(version.body.error.message).toBe(
      'OCIRepository is not read at version "v9"; use one of v1, v1beta2',
    );
  });

  it('suspends and resumes a HelmRelease; the view follows through the watch', async () => {
    const suspend = await postAction(
      server,
      'payments-api',
      'suspend',
      PAYMENTS_DEV,
    );
    expect(suspend.status).toBe(202);
    expect(suspend.body.message).toBe(
      'Suspended HelmRelease payments/payments-api in cluster dev-eu.',
    );
    let dev = (await view(server, 'payments-api')).workloads[0].cells[1];
    expect(dev.state).toBe('Suspended');

    const resume = await postAction(
      server,
      'payments-api',
      'resume',
      PAYMENTS_DEV,
    );
    expect(resume.status).toBe(202);
    dev = (await view(server, 'payments-api')).workloads[0].cells[1];
    expect(dev.state).toBe('Ready');
  });

  it('refuses a reconcile of a KuboCD Release and unknown actions', async () => {
    const ref: Address = {
      cluster: 'dev-eu',
      group: 'kubocd.kubotal.io',
      version: 'v1alpha1',
      plural: 'releases',
      namespace: 'apps',
      name: 'podinfo',
    };
    const release = await postAction(server, 'podinfo', 'reconcile', ref);
    expect(release.status).toBe(400);
    expect(release.body.error.message).toContain(
      'KuboCD has no reconcile request',
    );
    expect((await postAction(server, 'podinfo', 'delete', ref)).status).toBe(
      400,
    );
  });
});

describe('permissions and audit', () => {
  it('answers 403 without gitops-promotion.view, and for actions without gitops-promotion.reconcile', async () => {
    const server = await startDemo([
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    const denied = await request(server).get(
      `${BASE}/entities/default/component/podinfo/promotion`,
    );
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('gitops-promotion.view');
    const cell = await getCell(server, 'podinfo', 'staging', 'Release/podinfo');
    expect(cell.status).toBe(403);
    expect(cell.body.error.message).toBe(
      'Not allowed: gitops-promotion.view on component:default/podinfo',
    );
    expect((await getObject(server, 'podinfo', OCI_PODINFO)).status).toBe(403);
    const action = await postAction(
      server,
      'payments-api',
      'reconcile',
      PAYMENTS_DEV,
    );
    expect(action.status).toBe(403);
    expect(action.body.error.message).toBe(
      'Not allowed: gitops-promotion.view on component:default/payments-api',
    );

    const viewer = await startDemo([
      decidingPermissions(p => p === 'gitops-promotion.view'),
    ]);
    const viewOnly = await postAction(
      viewer,
      'payments-api',
      'reconcile',
      PAYMENTS_DEV,
    );
    expect(viewOnly.status).toBe(403);
    expect(viewOnly.body.error.message).toBe(
      'Not allowed: gitops-promotion.reconcile on component:default/payments-api',
    );
  });

  it('checks the permissions against the entity and the object, and audits who did what where', async () => {
    const authorize = jest.fn(async (requests: any[]) =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    );
    const authorizeConditional = jest.fn(async (requests: any[]) =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    );
    const success = jest.fn();
    const createEvent = jest.fn(async () => ({ success, fail: jest.fn() }));
    const server = await startDemo([
      mockServices.permissions.mock({
        authorize: authorize as any,
        authorizeConditional: authorizeConditional as any,
      }).factory,
      mockServices.auditor.mock({ createEvent: createEvent as any }).factory,
    ]);
    // As a user of its own: the decisions are the caller's, not the plugin's.
    const res = await postAction(
      server,
      'payments-api',
      'reconcile',
      PAYMENTS_DEV,
    ).set('Authorization', mockCredentials.user.header('user:default/alice'));
    expect(res.status).toBe(202);
    const asAlice = expect.objectContaining({
      credentials: expect.objectContaining({
        principal: { type: 'user', userEntityRef: 'user:default/alice' },
      }),
    });
    expect(authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({
            name: 'gitops-promotion.view',
          }),
          resourceRef: 'component:default/payments-api',
        },
        {
          permission: expect.objectContaining({
            name: 'gitops-promotion.reconcile',
          }),
          resourceRef: 'component:default/payments-api',
        },
      ],
      asAlice,
    );
    expect(authorizeConditional).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({
            name: 'gitops-promotion.object.reconcile',
            resourceType: 'gitops-promotion-object',
          }),
        },
      ],
      asAlice,
    );
    expect(createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'object-action',
        severityLevel: 'medium',
        meta: expect.objectContaining({
          action: 'reconcile',
          entityRef: 'component:default/payments-api',
          cluster: 'dev-eu',
          name: 'payments-api',
        }),
      }),
    );
    expect(success).toHaveBeenCalled();
  });
});

describe('startup configuration', () => {
  it.each([
    [
      { environments: [{ name: 'prod', clusters: ['nowhere'] }] },
      'unknown cluster "nowhere"',
    ],
    [{ environments: [{ name: 'prod', clusters: [] }] }, 'no clusters'],
    [
      {
        environments: [
          { name: 'prod', clusters: ['dev-eu'], namespaces: ['payments'] },
        ],
      },
      'unknown key namespaces; an environment has name, title, important, notify, severity, clusters (namespaces go on a cluster entry',
    ],
    [
      { environments: [{ name: 'prod', clusters: ['c'.repeat(254)] }] },
      'a cluster name of 254 characters: the promotion journal stores names of up to 253',
    ],
    [
      {
        environments: [
          { name: 'a', clusters: ['dev-eu'] },
          { name: 'a', clusters: ['prod-eu'] },
        ],
      },
      '"a" is used twice',
    ],
    [
      {
        environments: [
          {
            name: 'a',
            clusters: [{ cluster: 'dev-eu', namespaces: ['Bad_NS'] }],
          },
        ],
      },
      '"Bad_NS" is not a valid namespace name',
    ],
    [
      {
        environments: [
          { name: 'staging', clusters: ['dev-eu'] },
          { name: 'production', clusters: ['dev-eu'] },
        ],
      },
      'cluster "dev-eu" belongs to both "staging" and "production"',
    ],
    [
      {
        environments: [
          {
            name: 'staging',
            clusters: [{ cluster: 'dev-eu', namespaces: ['a', 'b'] }],
          },
          {
            name: 'production',
            clusters: [{ cluster: 'dev-eu', namespaces: ['b', 'c'] }],
          },
        ],
      },
      'namespaces b of cluster "dev-eu" belong to both "staging" and "production"',
    ],
    [
      {
        environments: [
          {
            name: 'staging',
            clusters: [{ cluster: 'dev-eu', namespace: ['team-staging'] }],
          },
        ],
      },
      'gitopsPromotion.environments[0] (staging).clusters[0]: unknown key namespace; a cluster entry has cluster and namespaces',
    ],
    [
      { environments: [{ name: 'staging', clusters: 'dev-eu' }] },
      'gitopsPromotion.environments[0] (staging): clusters must be a list',
    ],
    [
      { environments: [{ name: 'staging', clusters: [{ cluster: '' }] }] },
      'gitopsPromotion.environments[0] (staging).clusters[0]: expected a cluster name or { cluster, namespaces }',
    ],
  ])(
    'stops with a message naming the entry: %j',
    async (overrides, message) => {
      await expect(
        startTestBackend({
          features: [
            gitopsPromotionPlugin,
            catalogServiceMock.factory({ entities: [] }),
            mockServices.rootConfig.factory({ data: demoConfig(overrides) }),
          ],
        }),
      ).rejects.toThrow(message);
    },
  );

  it('accepts environments that are disjoint namespace sets of one cluster', async () => {
    const backend = await startTestBackend({
      features: [
        gitopsPromotionPlugin,
        pluginDatabase(),
        catalogServiceMock.factory({ entities: demoEntities() }),
        mockServices.rootConfig.factory({
          data: demoConfig({
            environments: [
              {
                name: 'staging',
                clusters: [{ cluster: 'dev-eu', namespaces: ['team-staging'] }],
              },
              {
                name: 'production',
                clusters: [{ cluster: 'dev-eu', namespaces: ['team-prod'] }],
              },
            ],
          }),
        }),
      ],
    });
    const res = await request(backend.server).get(
      `${BASE}/entities/default/component/podinfo/promotion`,
    );
    expect(res.status).toBe(200);
    expect(
      (res.body as PromotionViewSummary).environments.map(e => e.name),
    ).toEqual(['staging', 'production']);
    await backend.stop();
  });

  it('rejects a cluster url that is not a URL, naming the cluster', async () => {
    const data = demoConfig();
    (data.kubernetes as any).clusterLocatorMethods[0].clusters[0].url =
      'not a url';
    await expect(
      startTestBackend({
        features: [
          gitopsPromotionPlugin,
          pluginDatabase(),
          catalogServiceMock.factory({ entities: [] }),
          mockServices.rootConfig.factory({ data }),
        ],
      }),
    ).rejects.toThrow('(sandbox-carol): url "not a url" is not a valid URL');
  });
});
