import request from 'supertest';
import { demoEntities } from '../__testUtils__/demoBackend';
import { demoObjects } from '../__testUtils__/demoObjects';
import { setupClusterMsw } from '../__testUtils__/clusterMsw';
import { FakeKubeApi } from '../__testUtils__/FakeKubeApi';
import { getCell } from '../__testUtils__/routes';
import { startOneClusterBackend } from '../__testUtils__/oneClusterBackend';

const server = setupClusterMsw();

it('answers page views and drill-down cells from memory: no request reaches a cluster', async () => {
  const api = new FakeKubeApi('https://staging.kube.test:6443');
  for (const [kind, objects] of demoObjects('staging-eu'))
    api.add(kind, ...objects);
  server.use(...api.handlers());

  const backend = await startOneClusterBackend({
    api,
    cluster: 'staging-eu',
    environment: 'staging',
    entities: demoEntities(),
  });
  const before = api.requests.length;
  expect(before).toBeGreaterThanOrEqual(1 + 7 * 2); // discovery, then a list and a watch per kind

  for (const entity of [
    'podinfo',
    'payments-api',
    'ledger',
    'inventory-service',
    'web-frontend',
  ]) {
    for (let i = 0; i < 10; i++) {
      const res = await request(backend).get(
        `/api/gitops-promotion/v1/entities/default/component/${entity}/promotion`,
      );
      expect(res.status).toBe(200);
      expect(res.body.workloads.length).toBeGreaterThan(0);
    }
  }
  const podinfo = await request(backend).get(
    '/api/gitops-promotion/v1/entities/default/component/podinfo/promotion',
  );
  expect(podinfo.body.workloads[0].cells[0].attention[0]).toMatchObject({
    cluster: 'staging-eu',
    state: 'Failed',
  });
  for (let i = 0; i < 10; i++) {
    const cell = await getCell(
      backend,
      'podinfo',
      'staging',
      'Release/podinfo',
    );
    expect(cell.status).toBe(200);
    expect(cell.body.cell.clusters[0]).toMatchObject({
      cluster: 'staging-eu',
      state: 'Failed',
      chain: expect.arrayContaining([
        expect.objectContaining({ role: 'source', found: true }),
      ]),
    });
  }

  expect(api.requests.slice(before)).toEqual([]);
});
