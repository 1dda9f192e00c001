import request from 'supertest';
import { mockServices } from '@backstage/backend-test-utils';
import { KubeObject } from '@gitops-promotion/backstage-plugin-common';
import { demoEntities } from '../__testUtils__/demoBackend';
import { demoObjects } from '../__testUtils__/demoObjects';
import { setupClusterMsw } from '../__testUtils__/clusterMsw';
import { FakeKubeApi } from '../__testUtils__/FakeKubeApi';
import { startOneClusterBackend } from '../__testUtils__/oneClusterBackend';

const server = setupClusterMsw();

/**
 * The fields the rules read, with types no CRD schema allows: what a
 * broken or hostile API server (or a CRD without a schema) can send.
 */
function withHostileTypes(obj: KubeObject): KubeObject {
  const o = structuredClone(obj) as any;
  o.apiVersion = 3;
  o.metadata.ownerReferences = o.metadata.ownerReferences
    ? 'controller'
    : undefined;
  o.metadata.generation = '2';
  o.spec = { ...o.spec, suspend: 'no', sourceRef: { name: 5 }, chartRef: [] };
  if (o.spec.package) o.spec.package = { repository: {}, tag: 101 };
  o.status = {
    ...o.status,
    observedGeneration: '1',
    lastAppliedRevision: 42,
    lastAttemptedRevision: {},
    artifact: { revision: 42 },
    helmChart: 5,
    history: [null, { chartVersion: 7, configDigest: [], metadata: 'x' }],
    helmReleaseStates: 'ready',
    conditions: [
      null,
      'Ready',
      { type: 7, status: 'False' },
      ...(o.status?.conditions ?? []).map((c: any) => ({ ...c, message: 9 })),
    ],
  };
  return o;
}

it('answers views and overviews for clusters whose objects have fields of the wrong type, and leaves out objects it cannot name', async () => {
  const api = new FakeKubeApi('https://staging.kube.test:6443');
  let named = 0;
  for (const [kind, objects] of demoObjects('staging-eu')) {
    api.add(kind, ...objects.map(withHostileTypes));
    named += objects.length;
  }
  const [any] = demoObjects('staging-eu').get('HelmRelease')!;
  api.add('HelmRelease', {
    ...structuredClone(any),
    metadata: { ...any.metadata, name: 404 as unknown as string },
  });
  server.use(...api.handlers());
  const logger = mockServices.logger.mock();

  const backend = await startOneClusterBackend({
    api,
    cluster: 'staging-eu',
    environment: 'staging',
    entities: demoEntities(),
    features: [logger.factory],
  });

  const overview = await request(backend).get(
    '/api/gitops-promotion/v1/overview',
  );
  expect(overview.status).toBe(200);
  expect(overview.body.rows.length).toBeGreaterThan(0);
  for (const entity of ['podinfo', 'payments-api', 'ledger', 'web-frontend']) {
    const view = await request(backend).get(
      `/api/gitops-promotion/v1/entities/default/component/${entity}/promotion`,
    );
    expect([entity, view.status]).toEqual([entity, 200]);
    // Every named object was cached: the kinds read, nothing reported unreachable.
    expect(view.body.clusterErrors ?? []).toEqual([]);
  }
  expect(named).toBeGreaterThan(10);
  expect(logger.warn).toHaveBeenCalledWith(
    expect.stringContaining(
      'Cluster staging-eu: a HelmRelease is left out of the cache, views do not show it: its metadata.name or metadata.namespace is missing or not a valid Kubernetes name',
    ),
  );
});
