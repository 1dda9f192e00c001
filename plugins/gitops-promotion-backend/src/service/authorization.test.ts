import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AllowedActions } from '@gitops-promotion/backstage-plugin-common';
import {
  createGitopsPromotionObjectConditionalDecision,
  gitopsPromotionObjectConditions,
} from '@gitops-promotion/backstage-plugin-node';
import {
  decidingPermissions,
  demoConfig,
  startDemo,
} from '../__testUtils__/demoBackend';
import { DEMO_CLUSTERS } from '../__testUtils__/demoObjects';
import {
  Address,
  getCell,
  getObject,
  postAction,
} from '../__testUtils__/routes';

// Most tests start their own backend: seconds on a loaded machine.
jest.setTimeout(20_000);

// dev-eu: payments-api's HelmRelease pulls its chart from a HelmRepository
// in flux-system, which other teams' releases may share.
const PAYMENTS_HR: Address = {
  cluster: 'dev-eu',
  group: 'helm.toolkit.fluxcd.io',
  version: 'v2',
  plural: 'helmreleases',
  namespace: 'payments',
  name: 'payments-api',
};
const SHARED_SOURCE: Address = {
  cluster: 'dev-eu',
  group: 'source.toolkit.fluxcd.io',
  version: 'v1',
  plural: 'helmrepositories',
  namespace: 'flux-system',
  name: 'payments-charts',
};
// podinfo's KuboCD Release and the HelmRelease it owns.
const PODINFO_RELEASE_HR: Address = {
  cluster: 'dev-eu',
  group: 'helm.toolkit.fluxcd.io',
  version: 'v2',
  plural: 'helmreleases',
  namespace: 'apps',
  name: 'podinfo-main',
};
const PODINFO_OCI: Address = {
  cluster: 'dev-eu',
  group: 'source.toolkit.fluxcd.io',
  version: 'v1',
  plural: 'ocirepositories',
  namespace: 'apps',
  name: 'kcd-podinfo',
};

/** The auditor's events as they are told: initiated, then succeeded or failed. */
function recordingAuditor() {
  const events: Array<{
    eventId: string;
    severityLevel?: string;
    meta?: Record<string, unknown>;
    status: 'initiated' | 'succeeded' | 'failed';
    error?: string;
  }> = [];
  const createEvent = jest.fn(async (options: any) => {
    events.push({ ...options, request: undefined, status: 'initiated' });
    return {
      success: async (params?: any) => {
        events.push({
          eventId: options.eventId,
          meta: { ...options.meta, ...params?.meta },
          status: 'succeeded',
        });
      },
      fail: async (params: any) => {
        events.push({
          eventId: options.eventId,
          meta: { ...options.meta, ...params?.meta },
          status: 'failed',
          error: `${params.error.name}: ${params.error.message}`,
        });
      },
    };
  });
  return {
    events,
    factory: mockServices.auditor.mock({ createEvent: createEvent as any })
      .factory,
  };
}

/** What the UI may offer: GET …/actions of an entity, in one environment or all. */
const actionsOf = (server: any, entity: string, environment?: string) =>
  request(server)
    .get(
      `/api/gitops-promotion/v1/entities/default/component/${entity}/actions`,
    )
    .query(environment ? { environment } : {});

/** Each action's decision on one link of an answer: 'allowed' or the reason. */
const decisions = (body: AllowedActions, name: string, cluster = 'dev-eu') =>
  Object.fromEntries(
    body.links
      .find(l => l.ref.name === name && l.ref.cluster === cluster)!
      .actions.map(a => [a.action, a.allowed ? 'allowed' : a.reason]),
  );

describe('what an action may act on', () => {
  let server: any;
  beforeAll(async () => {
    server = await startDemo();
  });

  it('refuses to suspend or resume a source the workload shares with others, and says why', async () => {
    for (const action of ['suspend', 'resume']) {
      const res = await postAction(
        server,
        'payments-api',
        action,
        SHARED_SOURCE,
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(
        'HelmRepository flux-system/payments-charts',
      );
      expect(res.body.error.message).toContain('only on the workload');
    }
    const cell = await getCell(
      server,
      'payments-api',
      'development',
      'HelmRelease/payments-api',
    );
    const source = cell.body.cell.clusters[0].chain.find(
      (l: any) => l.ref.name === 'payments-charts',
    );
    expect(source.classification.state).not.toBe('Suspended');
  });

  it('reconciles any link of the chain, the shared source included', async () => {
    const res = await postAction(
      server,
      'payments-api',
      'reconcile',
      SHARED_SOURCE,
    );
    expect(res.status).toBe(202);
    expect(res.body.message).toBe(
      'Requested a reconcile of HelmRepository flux-system/payments-charts in cluster dev-eu.',
    );
    // An action's answer is not a resource to revalidate or keep.
    expect(res.headers.etag).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('suspends and resumes the workload, and a KuboCD Release’s own HelmRelease', async () => {
    for (const [entity, target] of [
      ['payments-api', PAYMENTS_HR],
      ['podinfo', PODINFO_RELEASE_HR],
    ] as const) {
      expect((await postAction(server, entity, 'suspend', target)).status).toBe(
        202,
      );
      expect((await postAction(server, entity, 'resume', target)).status).toBe(
        202,
      );
    }
    const res = await postAction(server, 'podinfo', 'suspend', PODINFO_OCI);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('OCIRepository apps/kcd-podinfo');
  });
});

describe('a Release’s children are the objects it owns', () => {
  let server: any;
  let dir: string;
  beforeAll(async () => {
    // dev-eu as in the demo, but the HelmRelease with the name KuboCD would
    // give podinfo's module belongs to another Release.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'not-owned-'));
    fs.cpSync(DEMO_CLUSTERS, dir, { recursive: true });
    const file = path.join(dir, 'dev-eu', 'podinfo.yaml');
    const yaml = fs.readFileSync(file, 'utf8');
    const owner = 'uid: 0e51c288-5f7b-4f5b-b095-93d521b197f0';
    const hrStart = yaml.indexOf('kind: HelmRelease');
    const at = yaml.indexOf(owner, hrStart);
    if (hrStart < 0 || at < 0) throw new Error('dev-eu/podinfo.yaml changed');
    fs.writeFileSync(
      file,
      `${yaml.slice(
        0,
        at,
      )}uid: 11111111-2222-4333-8444-555555555555${yaml.slice(
        at + owner.length,
      )}`,
    );
    server = await startDemo([], demoConfig({ fixtures: { directory: dir } }));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('neither shows nor suspends a same-named HelmRelease the Release does not own', async () => {
    const cell = await getCell(
      server,
      'podinfo',
      'development',
      'Release/podinfo',
    );
    expect(cell.status).toBe(200);
    const [dev] = cell.body.cell.clusters;
    const hr = dev.chain.find((l: any) => l.ref.kind === 'HelmRelease');
    expect(hr).toMatchObject({
      role: 'helmRelease',
      found: false,
      conditions: [],
      classification: { state: 'Unknown', reason: 'NotOwned' },
    });
    expect(hr.classification.message).toContain(
      'Release apps/podinfo does not own it',
    );
    for (const action of ['suspend', 'resume', 'reconcile']) {
      const res = await postAction(
        server,
        'podinfo',
        action,
        PODINFO_RELEASE_HR,
      );
      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain(
        'is not part of the promotion view of this entity',
      );
    }
    expect(
      (await getObject(server, 'podinfo', PODINFO_RELEASE_HR)).status,
    ).toBe(404);
    // What it does own is still its chain.
    expect(
      (await postAction(server, 'podinfo', 'reconcile', PODINFO_OCI)).status,
    ).toBe(202);
  });
});

describe('resume of an object the reconcile-disabled annotation stops', () => {
  let server: any;
  let dir: string;
  beforeAll(async () => {
    // dev-eu as in the demo, but payments-api's HelmRelease is switched off
    // by the Flux Operator's annotation, not by spec.suspend.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reconcile-disabled-'));
    fs.cpSync(DEMO_CLUSTERS, dir, { recursive: true });
    const file = path.join(dir, 'dev-eu', 'payments-api.yaml');
    const yaml = fs.readFileSync(file, 'utf8');
    const labels = '  labels:\n';
    if (!yaml.includes(labels)) throw new Error('payments-api.yaml changed');
    fs.writeFileSync(
      file,
      yaml.replace(
        labels,
        `  annotations:\n    fluxcd.controlplane.io/reconcile: disabled\n${labels}`,
      ),
    );
    server = await startDemo([], demoConfig({ fixtures: { directory: dir } }));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is refused with 409 and what to do instead, as the drawer is told before it offers it', async () => {
    const res = await postAction(server, 'payments-api', 'resume', PAYMENTS_HR);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      'HelmRelease payments/payments-api is not suspended by spec.suspend: its reconciliation is disabled by the annotation fluxcd.controlplane.io/reconcile: disabled, which resume does not remove; remove the annotation where it is set',
    );
    const allowed = await actionsOf(server, 'payments-api', 'development');
    expect(allowed.status).toBe(200);
    expect(decisions(allowed.body, 'payments-api')).toEqual({
      reconcile: 'allowed',
      suspend: 'allowed',
      resume: res.body.error.message,
    });
  });
});

describe('environments scoped to namespaces', () => {
  let server: any;
  beforeAll(async () => {
    server = await startDemo(
      [],
      demoConfig({
        environments: [
          {
            name: 'development',
            clusters: [{ cluster: 'dev-eu', namespaces: ['payments'] }],
          },
        ],
      }),
    );
  });

  it('neither reads nor acts on a link outside the environment’s namespaces', async () => {
    const read = await getObject(server, 'payments-api', SHARED_SOURCE);
    expect(read.status).toBe(403);
    expect(read.body.error.message).toContain(
      'flux-system is not a namespace of environment development',
    );
    const reconcile = await postAction(
      server,
      'payments-api',
      'reconcile',
      SHARED_SOURCE,
    );
    expect(reconcile.status).toBe(403);
    expect(reconcile.body.error.message).toContain(
      'flux-system is not a namespace of environment development',
    );
    expect((await getObject(server, 'payments-api', PAYMENTS_HR)).status).toBe(
      200,
    );
  });

  it('shows of a link outside them its name and state only, in the view, the cell and the journal', async () => {
    const cell = await getCell(
      server,
      'payments-api',
      'development',
      'HelmRelease/payments-api',
    );
    expect(cell.status).toBe(200);
    const source = cell.body.cell.clusters[0].chain.find(
      (l: any) => l.ref.name === 'payments-charts',
    );
    expect(source).toEqual({
      ref: expect.objectContaining({ namespace: 'flux-system' }),
      role: 'source',
      found: true,
      classification: {
        state: 'Ready',
        reason: 'OutOfBounds',
        message:
          "outside this environment's namespaces (payments): only its state is shown, not its conditions, events or spec",
        since: expect.any(String),
      },
      conditions: [],
      facts: [],
    });
    // The shared HelmRepository's artifact digest is in its status and in
    // its HelmChart's (flux-system too), nowhere in payments.
    const digest = '44017696ea100b235d87649279c950918cd8cf059e69a003';
    expect(JSON.stringify(cell.body)).not.toContain(digest);
    const page = await request(server).get(
      '/api/gitops-promotion/v1/entities/default/component/payments-api/promotion',
    );
    expect(page.status).toBe(200);
    expect(JSON.stringify(page.body)).not.toContain(digest);
    expect(JSON.stringify(page.body)).not.toContain('stored artifact');
  });
});

describe('who may read a cell', () => {
  it('asks gitops-promotion.view on the entity the cell belongs to, as the page view does', async () => {
    const authorize = jest.fn(async (requests: any[]) =>
      requests.map(r => ({
        result:
          r.permission.name === 'gitops-promotion.view' &&
          r.resourceRef === 'component:default/payments-api'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
    );
    const server = await startDemo([
      mockServices.permissions.mock({ authorize: authorize as any }).factory,
    ]);
    const allowed = await getCell(
      server,
      'payments-api',
      'development',
      'HelmRelease/payments-api',
    );
    expect(allowed.status).toBe(200);
    expect(allowed.body.cell.clusters[0].cluster).toBe('dev-eu');
    authorize.mockClear();
    const denied = await getCell(
      server,
      'podinfo',
      'development',
      'Release/podinfo',
    ).set('Authorization', mockCredentials.user.header('user:default/alice'));
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'Not allowed: gitops-promotion.view on component:default/podinfo',
    );
    expect(authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({
            name: 'gitops-promotion.view',
          }),
          resourceRef: 'component:default/podinfo',
        },
      ],
      // The caller's decision, not the plugin's.
      expect.objectContaining({
        credentials: expect.objectContaining({
          principal: { type: 'user', userEntityRef: 'user:default/alice' },
        }),
      }),
    );
  });
});

describe('who may read an entity’s view', () => {
  it('answers a denial the same whether the entity exists or not (the catalog is read beside the decision)', async () => {
    const decide = (result: AuthorizeResult) =>
      mockServices.permissions.mock({
        authorize: (async (requests: unknown[]) =>
          requests.map(() => ({ result }))) as any,
      }).factory;
    const page = (server: any, name: string) =>
      request(server).get(
        `/api/gitops-promotion/v1/entities/default/component/${name}/promotion`,
      );
    const denying = await startDemo([decide(AuthorizeResult.DENY)]);
    const [existing, missing] = await Promise.all([
      page(denying, 'payments-api'),
      page(denying, 'no-such-service'),
    ]);
    expect([existing.status, missing.status]).toEqual([403, 403]);
    expect(missing.body.error.message).toBe(
      'Not allowed: gitops-promotion.view on component:default/no-such-service',
    );
    const allowing = await startDemo([decide(AuthorizeResult.ALLOW)]);
    expect((await page(allowing, 'payments-api')).status).toBe(200);
    const absent = await page(allowing, 'no-such-service');
    expect(absent.status).toBe(404);
    expect(absent.body.error.message).toBe(
      'No entity component:default/no-such-service in the catalog',
    );
  });
});

describe('who may act', () => {
  it('refuses actions to service principals (other plugins, external access tokens)', async () => {
    const auditor = recordingAuditor();
    const server = await startDemo([auditor.factory]);
    const res = await postAction(
      server,
      'payments-api',
      'reconcile',
      PAYMENTS_HR,
    ).set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('signed-in user');
    expect(auditor.events.map(e => `${e.eventId} ${e.status}`)).toEqual([
      'object-action initiated',
      'object-action failed',
    ]);
  });

  it('refuses actions without gitops-promotion.view, even with gitops-promotion.reconcile, before looking for the object', async () => {
    const auditor = recordingAuditor();
    const server = await startDemo([
      auditor.factory,
      decidingPermissions(p => p !== 'gitops-promotion.view'),
    ]);
    const existing = await postAction(
      server,
      'payments-api',
      'suspend',
      PAYMENTS_HR,
    );
    expect(existing.status).toBe(403);
    expect(existing.body.error.message).toBe(
      'Not allowed: gitops-promotion.view on component:default/payments-api',
    );
    // An object that is not the entity's answers the same: no 404 to tell them apart.
    const other = await postAction(server, 'payments-api', 'suspend', {
      ...PAYMENTS_HR,
      name: 'not-there',
    });
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe(existing.body.error.message);
  });

  it('applies the policy’s conditions on the object acted on: environment, cluster, namespace, kind', async () => {
    const authorizeConditional = jest.fn(async (queries: any[]) =>
      queries.map(q =>
        createGitopsPromotionObjectConditionalDecision(q.permission, {
          allOf: [
            gitopsPromotionObjectConditions.isInEnvironment({
              environments: ['sandbox', 'development', 'staging'],
            }),
            {
              not: gitopsPromotionObjectConditions.isOfKind({
                kinds: ['HelmRepository'],
              }),
            },
          ],
        }),
      ),
    );
    const authorize = jest.fn(async (requests: any[]) =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    );
    const server = await startDemo([
      mockServices.permissions.mock({
        authorize: authorize as any,
        authorizeConditional: authorizeConditional as any,
      }).factory,
    ]);
    expect(
      (await postAction(server, 'payments-api', 'reconcile', PAYMENTS_HR))
        .status,
    ).toBe(202);
    const production = await postAction(server, 'payments-api', 'reconcile', {
      ...PAYMENTS_HR,
      cluster: 'prod-eu',
    });
    expect(production.status).toBe(403);
    expect(production.body.error.message).toBe(
      'The permission policy does not allow gitops-promotion.object.reconcile on HelmRelease payments/payments-api in cluster prod-eu (environment production)',
    );
    const kind = await postAction(
      server,
      'payments-api',
      'reconcile',
      SHARED_SOURCE,
    );
    expect(kind.status).toBe(403);
  });
});

describe('audit', () => {
  it('audits every action attempt first: invalid, refused, failed and done', async () => {
    const auditor = recordingAuditor();
    let allow = true;
    const server = await startDemo([
      auditor.factory,
      mockServices.permissions.mock({
        authorize: (async (requests: any[]) =>
          requests.map(() => ({
            result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
          }))) as any,
        authorizeConditional: (async (queries: any[]) =>
          queries.map(() => ({ result: AuthorizeResult.ALLOW }))) as any,
      }).factory,
    ]);
    const seen = () =>
      auditor.events.map(
        e =>
          `${e.meta?.action} ${e.status}${
            e.error ? ` ${e.error.split(':')[0]}` : ''
          }`,
      );

    // The spec rejects a malformed request before any handler: 400, audited as refused input.
    const unknown = await postAction(
      server,
      'payments-api',
      'delete',
      PAYMENTS_HR,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain(
      'request/params/action must be equal to one of the allowed values: reconcile, suspend, resume',
    );
    const malformed = await postAction(server, 'payments-api', 'suspend', {
      ...PAYMENTS_HR,
      name: 'Bad_Name',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain(
      'request/params/objectName must match pattern',
    );
    // A well-formed request the service finds invalid is audited.
    expect(
      (
        await postAction(server, 'payments-api', 'suspend', {
          ...PAYMENTS_HR,
          version: 'v9',
        })
      ).status,
    ).toBe(400);
    allow = false;
    expect(
      (await postAction(server, 'payments-api', 'suspend', PAYMENTS_HR)).status,
    ).toBe(403);
    allow = true;
    expect(
      (await postAction(server, 'payments-api', 'reconcile', PAYMENTS_HR))
        .status,
    ).toBe(202);
    expect(auditor.events.every(e => e.eventId === 'object-action')).toBe(true);
    expect(auditor.events[0].severityLevel).toBe('medium');
    const rejected = auditor.events.slice(0, 4);
    expect(rejected.map(e => [e.status, e.meta?.queryType])).toEqual([
      ['initiated', 'rejected'],
      ['failed', 'rejected'],
      ['initiated', 'rejected'],
      ['failed', 'rejected'],
    ]);
    expect(rejected[3].meta?.path).toBe(
      '/v1/entities/default/component/payments-api/objects/dev-eu/helm.toolkit.fluxcd.io/v2/helmreleases/payments/Bad_Name/actions/suspend',
    );
    expect(rejected[3].error).toContain(
      'request/params/objectName must match pattern',
    );
    expect(seen().slice(4)).toEqual([
      'suspend initiated',
      'suspend failed InputError',
      'suspend initiated',
      'suspend failed NotAllowedError',
      'reconcile initiated',
      'reconcile succeeded',
    ]);
    const done = auditor.events[auditor.events.length - 1];
    expect(done.meta).toMatchObject({
      entityRef: 'component:default/payments-api',
      cluster: 'dev-eu',
      namespace: 'payments',
      name: 'payments-api',
      kind: 'HelmRelease',
      environment: 'development',
    });
  });

  it('audits object reads, as the catalog audits entity reads', async () => {
    const auditor = recordingAuditor();
    const server = await startDemo([auditor.factory]);
    expect((await getObject(server, 'payments-api', PAYMENTS_HR)).status).toBe(
      200,
    );
    expect((await getObject(server, 'podinfo', PAYMENTS_HR)).status).toBe(404);
    expect(
      auditor.events.map(e =>
        [e.eventId, e.severityLevel, e.status].filter(Boolean).join(' '),
      ),
    ).toEqual([
      'object-read low initiated',
      'object-read succeeded',
      'object-read low initiated',
      'object-read failed',
    ]);
    expect(auditor.events[0].meta).toMatchObject({
      entityRef: 'component:default/payments-api',
      cluster: 'dev-eu',
      object: 'helmreleases.helm.toolkit.fluxcd.io/v2',
      namespace: 'payments',
      name: 'payments-api',
    });
  });
});

describe('what the UI may offer (GET …/actions)', () => {
  it('says which actions each link allows, and why not', async () => {
    const server = await startDemo();
    const res = await actionsOf(server, 'payments-api', 'development');
    expect(res.status).toBe(200);
    const body = res.body as AllowedActions;
    expect(body.links.every(l => l.environment === 'development')).toBe(true);
    expect(decisions(body, 'payments-api')).toEqual({
      reconcile: 'allowed',
      suspend: 'allowed',
      resume: 'allowed',
    });
    expect(decisions(body, 'payments-charts')).toEqual({
      reconcile: 'allowed',
      suspend: expect.stringMatching(/^Suspend acts only on the workload/),
      resume: expect.stringMatching(/^Resume acts only on the workload/),
    });
    const unknown = await actionsOf(server, 'payments-api', 'qa');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe(
      'Unknown environment "qa"; use one of sandbox, development, staging, production',
    );
  });

  it("answers for one workload's chains when asked, as a drill-down asks", async () => {
    const server = await startDemo(undefined, undefined, [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'finance-apps',
          annotations: {
            'gitops-promotion/helm-releases':
              'payments/payments-api, finance/ledger',
          },
        },
        spec: { type: 'service', owner: 'team-payments' },
      },
    ]);
    const names = (res: request.Response) =>
      [
        ...new Set((res.body as AllowedActions).links.map(l => l.ref.name)),
      ].sort();
    const all = await actionsOf(server, 'finance-apps', 'development');
    expect(names(all)).toEqual(
      expect.arrayContaining(['ledger', 'payments-api']),
    );
    const one = await request(server)
      .get(
        '/api/gitops-promotion/v1/entities/default/component/finance-apps/actions',
      )
      .query({ environment: 'development', workload: 'HelmRelease/ledger' });
    expect(one.status).toBe(200);
    expect(names(one)).toContain('ledger');
    expect(names(one)).not.toContain('payments-api');
    expect(names(one).length).toBeLessThan(names(all).length);
    const unknown = await request(server)
      .get(
        '/api/gitops-promotion/v1/entities/default/component/finance-apps/actions',
      )
      .query({ workload: 'HelmRelease/nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe(
      'Unknown workload "HelmRelease/nope" of component:default/finance-apps; use one of HelmRelease/payments-api, HelmRelease/ledger',
    );
  });

  it('gives the policy’s reason per environment, and refuses everything to service principals', async () => {
    const server = await startDemo([
      mockServices.permissions.mock({
        authorize: (async (requests: any[]) =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW }))) as any,
        authorizeConditional: (async (queries: any[]) =>
          queries.map(q =>
            createGitopsPromotionObjectConditionalDecision(q.permission, {
              not: gitopsPromotionObjectConditions.isInEnvironment({
                environments: ['production'],
              }),
            }),
          )) as any,
      }).factory,
    ]);
    const all = (await actionsOf(server, 'payments-api')).body;
    expect(decisions(all, 'payments-api', 'staging-eu').reconcile).toBe(
      'allowed',
    );
    expect(decisions(all, 'payments-api', 'prod-eu')).toEqual({
      reconcile:
        'The permission policy does not allow gitops-promotion.object.reconcile on HelmRelease payments/payments-api in cluster prod-eu (environment production)',
      suspend: expect.stringContaining('gitops-promotion.object.suspend'),
      resume: expect.stringContaining('gitops-promotion.object.resume'),
    });
    const service = await actionsOf(server, 'payments-api').set(
      'Authorization',
      mockCredentials.service.header(),
    );
    expect(service.status).toBe(200);
    expect(
      (service.body as AllowedActions).links.flatMap(l =>
        l.actions.map(a => a.reason),
      ),
    ).toEqual(
      expect.arrayContaining([expect.stringContaining('signed-in user')]),
    );
    expect(
      (service.body as AllowedActions).links.some(l =>
        l.actions.some(a => a.allowed),
      ),
    ).toBe(false);
  });

  it('refuses every action on a link outside the environment’s namespaces', async () => {
    const server = await startDemo(
      [],
      demoConfig({
        environments: [
          {
            name: 'development',
            clusters: [{ cluster: 'dev-eu', namespaces: ['payments'] }],
          },
        ],
      }),
    );
    const body = (await actionsOf(server, 'payments-api')).body;
    expect(decisions(body, 'payments-charts').reconcile).toBe(
      'HelmRepository flux-system/payments-charts is out of bounds: flux-system is not a namespace of environment development in cluster dev-eu (payments)',
    );
    expect(decisions(body, 'payments-api').suspend).toBe('allowed');
  });
});
