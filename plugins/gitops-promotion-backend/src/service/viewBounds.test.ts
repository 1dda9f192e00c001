import request from 'supertest';
import { Entity } from '@backstage/catalog-model';
import { helmRelease } from '@gitops-promotion/backstage-plugin-common/testUtils';
import { setupClusterMsw } from '../__testUtils__/clusterMsw';
import { FakeKubeApi } from '../__testUtils__/FakeKubeApi';
import { startOneClusterBackend } from '../__testUtils__/oneClusterBackend';

const server = setupClusterMsw();
jest.setTimeout(60_000);

/** A component whose label selector finds every HelmRelease of the fleet. */
const everything = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'gitops-promotion/label-selector': 'team=fleet' },
  },
  spec: { type: 'service', owner: 'team-fleet' },
});

it('bounds what an annotation that selects a whole fleet makes a view and an overview answer', async () => {
  const api = new FakeKubeApi('https://fleet.kube.test:6443');
  for (let i = 0; i < 1100; i++) {
    api.add(
      'HelmRelease',
      helmRelease(`app-${String(i).padStart(4, '0')}`, 'fleet', {
        chart: 'app',
        version: '1.0.0',
        source: { kind: 'HelmRepository', name: 'charts' },
        labels: { team: 'fleet' },
      }),
    );
  }
  server.use(...api.handlers());
  const backend = await startOneClusterBackend({
    api,
    cluster: 'fleet-eu',
    environment: 'production',
    entities: ['a', 'b', 'c', 'd', 'e', 'f'].map(everything),
  });

  // The tab: the first 1,000 workloads by name, and why not the others.
  const view = await request(backend).get(
    '/api/gitops-promotion/v1/entities/default/component/a/promotion',
  );
  expect(view.status).toBe(200);
  expect(view.body.workloads).toHaveLength(1000);
  expect(view.body.workloads.at(-1).id).toBe('HelmRelease/app-0999');
  expect(view.body.annotationProblems).toEqual([
    {
      annotation: 'gitops-promotion/label-selector',
      value: 'team=fleet',
      message:
        "selects more than 1000 workloads: the view shows the first 1000 by kind and name. Narrow it to this component's workloads (a label only they carry, or a namespace).",
    },
  ]);

  // The overview reads no further component once it holds 5,000 rows.
  const overview = await request(backend).get(
    '/api/gitops-promotion/v1/overview',
  );
  expect(overview.status).toBe(200);
  expect(overview.body.rows).toHaveLength(5000);
  expect(overview.body.entitiesChecked).toBe(5);
  expect(overview.body.truncated).toBe(true);
});
