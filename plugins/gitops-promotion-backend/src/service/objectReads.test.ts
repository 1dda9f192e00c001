import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CellDetail,
  ObjectRef,
  PromotionViewSummary,
  ValuesComparison,
} from '@gitops-promotion/backstage-plugin-common';
import { gitopsPromotionPlugin } from '../plugin';
import { demoEntities } from '../__testUtils__/demoBackend';
import { demoObjects } from '../__testUtils__/demoObjects';
import {
  setupClusterMsw,
  untilWatchingEveryKind,
} from '../__testUtils__/clusterMsw';
import { FakeKubeApi } from '../__testUtils__/FakeKubeApi';
import {
  Address,
  getCell,
  getObject,
  objectQuery,
  postAction,
} from '../__testUtils__/routes';
import { pluginDatabase } from '../__testUtils__/testDatabases';

// Each test starts its own backend and clusters: seconds on a loaded machine.
jest.setTimeout(20_000);

const server = setupClusterMsw();

const PAYMENTS_HR: Address = {
  cluster: 'staging-eu',
  group: 'helm.toolkit.fluxcd.io',
  version: 'v2',
  plural: 'helmreleases',
  namespace: 'payments',
  name: 'payments-api',
};

/**
 * A demo cluster behind a live, msw-backed API server; in staging-eu,
 * payments-api carries credentials in its values, as real ones often do.
 */
function demoCluster(name = 'staging-eu'): FakeKubeApi {
  const api = new FakeKubeApi(`https://${name}.kube.test:6443`);
  for (const [kind, objects] of demoObjects(name)) {
    for (const obj of objects) {
      if (
        name === 'staging-eu' &&
        kind === 'HelmRelease' &&
        obj.metadata.name === 'payments-api'
      ) {
        obj.spec!.values = {
          ...(obj.spec!.values as object),
          database: {
            host: 'payments-db.internal',
            password: 'hunter2',
            url: 'postgres://payments:s3cr3t@payments-db.internal:5432/payments',
          },
          stripeApiKey: 'sk_live_123',
        };
        obj.spec!.valuesFrom = [
          { kind: 'Secret', name: 'payments-db', valuesKey: 'password' },
        ];
      }
    }
    api.add(kind, ...objects);
  }
  return api;
}
const stagingCluster = () => demoCluster();

/**
 * A backend reading the clusters (staging-eu in staging, prod-eu in
 * production), with a policy that may deny gitops-promotion.values.read.
 */
async function startBackend(
  api: FakeKubeApi | FakeKubeApi[],
  options: { values: boolean; onDemand?: object },
) {
  const apis = Array.isArray(api) ? api : [api];
  const nameOf = (a: FakeKubeApi) => new URL(a.baseUrl).hostname.split('.')[0];
  for (const a of apis) server.use(...a.handlers());
  const { server: backend } = await startTestBackend({
    features: [
      gitopsPromotionPlugin,
      pluginDatabase(),
      catalogServiceMock.factory({ entities: demoEntities() }),
      mockServices.permissions.mock({
        authorize: (async (requests: any[]) =>
          requests.map(r => ({
            result:
              r.permission.name === 'gitops-promotion.values.read' &&
              !options.values
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }))) as any,
        authorizeConditional: (async (queries: any[]) =>
          queries.map(() => ({ result: AuthorizeResult.ALLOW }))) as any,
      }).factory,
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: apis.map(a => ({
                  name: nameOf(a),
                  url: a.baseUrl,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: 'reader',
                })),
              },
            ],
          },
          gitopsPromotion: {
            environments: apis.map(a => ({
              name: nameOf(a).startsWith('prod') ? 'production' : 'staging',
              clusters: [nameOf(a)],
            })),
            ...(options.onDemand ? { onDemand: options.onDemand } : {}),
          },
        },
      }),
    ],
  });
  for (const a of apis) await untilWatchingEveryKind(a);
  return backend;
}

/** Every found link of an entity's chains, from its page view and its cells. */
async function foundLinks(backend: any, entity: string): Promise<ObjectRef[]> {
  const view: PromotionViewSummary = (
    await request(backend).get(
      `/api/gitops-promotion/v1/entities/default/component/${entity}/promotion`,
    )
  ).body;
  const refs: ObjectRef[] = [];
  for (const row of view.workloads) {
    for (const { environment } of row.cells) {
      const detail: CellDetail = (
        await getCell(backend, entity, environment, row.id)
      ).body;
      for (const cluster of detail.cell.clusters) {
        refs.push(...cluster.chain.filter(l => l.found).map(l => l.ref));
      }
    }
  }
  return refs;
}

describe('Helm values and KuboCD parameters', () => {
  it('hides values, parameters and their sources from users without gitops-promotion.values.read, with a digest in their place', async () => {
    const api = stagingCluster();
    const backend = await startBackend(api, { values: false });
    const res = await getObject(backend, 'payments-api', PAYMENTS_HR);
    expect(res.status).toBe(200);
    expect(res.body.object.spec.values).toBeUndefined();
    expect(res.body.object.spec.valuesFrom).toBeUndefined();
    expect(res.body.object.spec.chart.spec.chart).toBe('payments-api');
    expect(res.body.hiddenFields).toEqual([
      {
        path: 'spec.values',
        digest: expect.stringMatching(/^spec-sha256:[0-9a-f]{64}$/),
      },
      {
        path: 'spec.valuesFrom',
        digest: expect.stringMatching(/^spec-sha256:[0-9a-f]{64}$/),
      },
    ]);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');

    const release = await getObject(backend, 'podinfo', {
      ...PAYMENTS_HR,
      group: 'kubocd.kubotal.io',
      version: 'v1alpha1',
      plural: 'releases',
      namespace: 'apps',
      name: 'podinfo',
    });
    expect(release.status).toBe(200);
    expect(release.body.object.spec.parameters).toBeUndefined();
    expect(release.body.hiddenFields.map((f: any) => f.path)).toEqual([
      'spec.parameters',
    ]);
  });

  it('redacts secret-looking keys and URL passwords even for users who may read values', async () => {
    const api = stagingCluster();
    const backend = await startBackend(api, { values: true });
    const res = await getObject(backend, 'payments-api', PAYMENTS_HR);
    expect(res.status).toBe(200);
    // Values are not kept by a browser or proxy, and carry no undeclared ETag.
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.etag).toBeUndefined();
    const { values } = res.body.object.spec;
    expect(values.replicaCount).toBe(2);
    expect(values.database).toEqual({
      host: 'payments-db.internal',
      password: '<redacted>',
      url: 'postgres://payments:<redacted>@payments-db.internal:5432/payments',
    });
    expect(values.stripeApiKey).toBe('<redacted>');
    expect(res.body.redactedPaths).toEqual([
      'spec.values.database.password',
      'spec.values.database.url',
      'spec.values.stripeApiKey',
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/hunter2|s3cr3t|sk_live/);
  });
});

describe('objects nested deeper than the stack allows', () => {
  it('shows their first levels in the drill-down and the values diff, instead of failing', async () => {
    // The API server accepts a schema-less spec.values nested 10,000 deep.
    const deep: Record<string, unknown> = {};
    let at = deep;
    for (let i = 0; i < 4_000; i++) at = (at.a = {}) as typeof deep;
    const apis = [demoCluster('staging-eu'), demoCluster('prod-eu')];
    for (const [i, api] of apis.entries()) {
      const hr = demoObjects(['staging-eu', 'prod-eu'][i])
        .get('HelmRelease')!
        .find(o => o.metadata.name === 'payments-api')!;
      hr.spec!.values = { ...(hr.spec!.values as object), deep };
      api.emit('HelmRelease', 'MODIFIED', hr);
    }
    const backend = await startBackend(apis, { values: true });
    const details = await getObject(backend, 'payments-api', PAYMENTS_HR);
    expect(details.status).toBe(200);
    expect(details.text).toContain(
      '"a":"(nested deeper than 100 levels: not shown)"',
    );
    const diff = await request(backend)
      .get(
        '/api/gitops-promotion/v1/entities/default/component/payments-api/values-diff',
      )
      .query({
        fromObject: objectQuery(PAYMENTS_HR),
        toObject: objectQuery({ ...PAYMENTS_HR, cluster: 'prod-eu' }),
      });
    expect(diff.status).toBe(200);
    // Both sides shown down to the bound, and equal there.
    for (const side of [diff.body.from, diff.body.to]) {
      expect(JSON.stringify(side.document)).toContain(
        '"a":"(nested deeper than 100 levels: not shown)"',
      );
    }
    expect(diff.body.changedKeys).not.toContain('deep');
  });
});

describe('text from a cluster', () => {
  it('reaches no answer with bidirectional controls or a URL password', async () => {
    const api = new FakeKubeApi('https://staging-eu.kube.test:6443');
    for (const [kind, objects] of demoObjects('staging-eu')) {
      for (const obj of objects) {
        if (kind === 'HelmRelease' && obj.metadata.name === 'payments-api') {
          // Shown as "pulled from evil.com, verified" without the stripping.
          obj.status!.conditions![0].message =
            'pulled from \u202Emoc.live\u202C, verified \u2067x\u2069';
        }
        if (
          kind === 'HelmRepository' &&
          obj.metadata.name === 'payments-charts'
        ) {
          // Flux's controllers take the user info as basic auth.
          obj.spec!.url =
            'https://deploy:S3cr3tT0ken@charts.example.com/payments';
        }
      }
      api.add(kind, ...objects);
    }
    const backend = await startBackend(api, { values: true });
    const cell = await getCell(
      backend,
      'payments-api',
      'staging',
      'HelmRelease/payments-api',
    );
    const repository = await getObject(backend, 'payments-api', {
      ...PAYMENTS_HR,
      group: 'source.toolkit.fluxcd.io',
      version: 'v1',
      plural: 'helmrepositories',
      namespace: 'flux-system',
      name: 'payments-charts',
    });
    const release = await getObject(backend, 'payments-api', PAYMENTS_HR);
    for (const res of [cell, repository, release]) {
      expect(res.status).toBe(200);
      expect(res.text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
      expect(res.text).not.toContain('S3cr3tT0ken');
    }
    expect(cell.text).toContain('pulled from moc.live, verified x');
    expect(cell.text).toContain(
      'https://deploy:<redacted>@charts.example.com/payments',
    );
    expect(repository.body.object.spec.url).toBe(
      'https://deploy:<redacted>@charts.example.com/payments',
    );
  });
  it('lets no part of a URL password out where a long message is cut', async () => {
    const url =
      'https://deploy:S3cr3tT0kenABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghij@charts.example.com/payments';
    const api = new FakeKubeApi('https://staging-eu.kube.test:6443');
    for (const [kind, objects] of demoObjects('staging-eu')) {
      for (const obj of objects) {
        if (kind === 'HelmRelease' && obj.metadata.name === 'payments-api') {
          // The summary (300 characters) and the cell's message are cut
          // inside the password, whatever the summary's lead-in.
          obj.status!.conditions = [
            {
              type: 'Ready',
              status: 'False',
              reason: 'UpgradeFailed',
              message: `${'x'.repeat(230)} GET ${url}`,
              lastTransitionTime: '2026-12-01T10:00:00Z',
            },
          ];
        }
      }
      api.add(kind, ...objects);
    }
    const backend = await startBackend(api, { values: true });
    const view = await request(backend).get(
      '/api/gitops-promotion/v1/entities/default/component/payments-api/promotion',
    );
    const cell = await getCell(
      backend,
      'payments-api',
      'staging',
      'HelmRelease/payments-api',
    );
    for (const res of [view, cell]) {
      expect(res.status).toBe(200);
      expect(res.text).toContain('x'.repeat(230));
      expect(res.text).not.toMatch(/deploy:S3c|T0ken/);
    }
  });
});

describe('on-demand reads under load', () => {
  it('coalesces identical reads: 200 concurrent requests for one object cost one get and one event list', async () => {
    const api = stagingCluster();
    api.onDemandLatencyMs = 50;
    const backend = await startBackend(api, { values: true });
    const before = api.requests.length;
    const answers = await Promise.all(
      Array.from({ length: 200 }, () =>
        getObject(backend, 'payments-api', PAYMENTS_HR),
      ),
    );
    expect(answers.every(a => a.status === 200)).toBe(true);
    const calls = api.requests.slice(before);
    expect(
      calls.filter(c => c.path.endsWith('/helmreleases/payments-api')),
    ).toHaveLength(1);
    expect(calls.filter(c => c.path.endsWith('/events'))).toHaveLength(1);
    expect(calls).toHaveLength(2);
  });

  it('caps the calls in flight per cluster, whatever the number of objects asked for', async () => {
    const api = stagingCluster();
    api.onDemandLatencyMs = 30;
    const backend = await startBackend(api, { values: true });
    // Every found link of every demo entity's view, each asked for twice.
    const targets: Array<[string, Address]> = [];
    for (const entity of demoEntities().map(e => e.metadata.name)) {
      for (const ref of await foundLinks(backend, entity)) {
        targets.push([entity, ref]);
      }
    }
    expect(targets.length).toBeGreaterThanOrEqual(20);
    const before = api.requests.length;
    const answers = await Promise.all(
      [...targets, ...targets].map(([entity, ref]) =>
        getObject(backend, entity, ref),
      ),
    );
    expect(answers.map(a => a.status)).toEqual(answers.map(() => 200));
    const objects = new Set(targets.map(([, r]) => JSON.stringify(r)));
    expect(
      api.requests.slice(before).filter(c => !c.path.endsWith('/events')),
    ).toHaveLength(objects.size);
    expect(api.maxOnDemandInFlight).toBeLessThanOrEqual(4);
  });

  it('reads again once the watch brings a change, or an action patched the object', async () => {
    const api = stagingCluster();
    const backend = await startBackend(api, { values: true });
    const gets = () =>
      api.requests
        .filter(c => c.path.endsWith('/helmreleases/payments-api'))
        .filter(c => c.method === 'GET').length;
    await getObject(backend, 'payments-api', PAYMENTS_HR);
    await getObject(backend, 'payments-api', PAYMENTS_HR);
    expect(gets()).toBe(1);

    const [hr] = demoObjects('staging-eu')
      .get('HelmRelease')!
      .filter(o => o.metadata.name === 'payments-api');
    api.emit('HelmRelease', 'MODIFIED', {
      ...hr,
      spec: { ...hr.spec, suspend: true },
    });
    let state: string | undefined;
    for (let i = 0; i < 500 && state !== 'Suspended'; i++) {
      const view: PromotionViewSummary = (
        await request(backend).get(
          '/api/gitops-promotion/v1/entities/default/component/payments-api/promotion',
        )
      ).body;
      state = view.workloads[0].cells[0].state;
      if (state !== 'Suspended') await new Promise(r => setTimeout(r, 20));
    }
    // The watch delivered the change before the object is read again.
    expect(state).toBe('Suspended');
    const changed = await getObject(backend, 'payments-api', PAYMENTS_HR);
    expect(changed.body.object.spec.suspend).toBe(true);
    expect(gets()).toBe(2);

    expect(
      (await postAction(backend, 'payments-api', 'resume', PAYMENTS_HR)).status,
    ).toBe(202);
    await getObject(backend, 'payments-api', PAYMENTS_HR);
    expect(gets()).toBe(3);
  });

  it('refuses a request, with 503, when too many calls already wait for the cluster', async () => {
    const api = stagingCluster();
    api.onDemandLatencyMs = 100;
    const backend = await startBackend(api, {
      values: true,
      onDemand: { concurrency: 1, maxQueued: 2 },
    });
    const links = await foundLinks(backend, 'podinfo');
    const answers = await Promise.all(
      links.map(ref => getObject(backend, 'podinfo', ref)),
    );
    const refused = answers.filter(a => a.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0].body.error.message).toMatch(
      /^Too many requests are running or waiting for cluster staging-eu \(\d+\); try again in a few seconds$/,
    );
    expect(answers.filter(a => a.status === 200).length).toBeGreaterThan(0);
    expect(api.maxOnDemandInFlight).toBe(1);
  });

  it('answers at once while a slot is free, with no queue at all', async () => {
    const api = stagingCluster();
    const backend = await startBackend(api, {
      values: true,
      onDemand: { concurrency: 2, maxQueued: 0 },
    });
    // The object and its events: two calls, two slots.
    const res = await getObject(backend, 'payments-api', PAYMENTS_HR);
    expect(res.status).toBe(200);
  });

  it('bounds each event list with a limit', async () => {
    const api = stagingCluster();
    const backend = await startBackend(api, { values: true });
    await getObject(backend, 'payments-api', PAYMENTS_HR);
    const [events] = api.requests.filter(c => c.path.endsWith('/events'));
    expect(new URLSearchParams(events.query).get('limit')).toBe('500');
  });
});

describe('values diff', () => {
  const diffOf = (backend: any) =>
    request(backend)
      .get(
        '/api/gitops-promotion/v1/entities/default/component/payments-api/values-diff',
      )
      .query({
        fromObject: objectQuery(PAYMENTS_HR),
        toObject: objectQuery({ ...PAYMENTS_HR, cluster: 'prod-eu' }),
      });

  it('compares what two environments run with, redacted, and reads no events', async () => {
    const apis = [demoCluster('staging-eu'), demoCluster('prod-eu')];
    const backend = await startBackend(apis, { values: true });
    const before = apis.map(a => a.requests.length);
    const res = await diffOf(backend);
    expect(res.status).toBe(200);
    const diff = res.body as ValuesComparison;
    expect(diff.from).toMatchObject({
      environment: 'staging',
      ref: { cluster: 'staging-eu', kind: 'HelmRelease' },
      digest: expect.stringMatching(/^spec-sha256:/),
    });
    expect((diff.from.document as any).database.password).toBe('<redacted>');
    expect((diff.to.document as any).replicaCount).toBe(4);
    expect(diff.changedKeys).toEqual(
      expect.arrayContaining(['replicaCount', 'database', 'stripeApiKey']),
    );
    expect(diff.redactedPaths).toEqual([
      'database.password',
      'database.url',
      'stripeApiKey',
    ]);
    expect(diff.valuesHidden).toBeUndefined();
    const calls = apis.flatMap((a, i) => a.requests.slice(before[i]));
    expect(calls.map(c => c.path)).toEqual([
      '/apis/helm.toolkit.fluxcd.io/v2/namespaces/payments/helmreleases/payments-api',
      '/apis/helm.toolkit.fluxcd.io/v2/namespaces/payments/helmreleases/payments-api',
    ]);
  });

  it('names only the keys that differ to users without gitops-promotion.values.read', async () => {
    const apis = [demoCluster('staging-eu'), demoCluster('prod-eu')];
    const backend = await startBackend(apis, { values: false });
    const res = await diffOf(backend);
    expect(res.status).toBe(200);
    const diff = res.body as ValuesComparison;
    expect(diff.from.document).toBeUndefined();
    expect(diff.to.document).toBeUndefined();
    expect(diff.changedKeys).toContain('database');
    expect(diff.valuesHidden).toBe(
      'Values are shown only with the permission gitops-promotion.values.read on component:default/payments-api; the keys that differ are listed instead.',
    );
    expect(JSON.stringify(res.body)).not.toMatch(
      /hunter2|s3cr3t|sk_live|nginx/,
    );
  });

  it('compares workloads only, named as the object routes name them', async () => {
    const backend = await startBackend(stagingCluster(), { values: true });
    const source = await request(backend)
      .get(
        '/api/gitops-promotion/v1/entities/default/component/payments-api/values-diff',
      )
      .query({
        fromObject: objectQuery(PAYMENTS_HR),
        toObject:
          'staging-eu/source.toolkit.fluxcd.io/v1/helmrepositories/flux-system/payments-charts',
      });
    expect(source.status).toBe(400);
    expect(source.body.error.message).toContain(
      'values are compared between workloads',
    );
    const malformed = await request(backend)
      .get(
        '/api/gitops-promotion/v1/entities/default/component/payments-api/values-diff',
      )
      .query({
        fromObject: objectQuery(PAYMENTS_HR),
        toObject: 'staging-eu/x',
      });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain(
      'request/query/toObject must match pattern',
    );
    const badName = await request(backend)
      .get(
        '/api/gitops-promotion/v1/entities/default/component/payments-api/values-diff',
      )
      .query({
        fromObject: objectQuery(PAYMENTS_HR),
        toObject: objectQuery({ ...PAYMENTS_HR, name: 'Bad_Name' }),
      });
    expect(badName.status).toBe(400);
    expect(badName.body.error.message).toBe(
      'Query parameter "toObject": "Bad_Name" is not a valid object name',
    );
    // Bounded before anything reads them or a message repeats them.
    const long = 'x'.repeat(12_000);
    const longObject = await request(backend)
      .get(
        '/api/gitops-promotion/v1/entities/default/component/payments-api/values-diff',
      )
      .query({
        fromObject: objectQuery(PAYMENTS_HR),
        toObject: objectQuery({ ...PAYMENTS_HR, cluster: long }),
      });
    const longCluster = await getObject(backend, 'payments-api', {
      ...PAYMENTS_HR,
      cluster: long,
    });
    for (const res of [longObject, longCluster]) {
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /must NOT have more than (1024|253) characters/,
      );
      // Not echoed in the message (Backstage's handler gives the URL back).
      expect(res.body.error.message.length).toBeLessThan(300);
    }
  });
});
