import request from 'supertest';
import {
  helmRelease,
  helmRepository,
} from '@gitops-promotion/backstage-plugin-common/testUtils';
import { setupClusterMsw } from '../__testUtils__/clusterMsw';
import { FakeKubeApi } from '../__testUtils__/FakeKubeApi';
import { startOneClusterBackend } from '../__testUtils__/oneClusterBackend';

const server = setupClusterMsw();
jest.setTimeout(30_000);

it('answers the allowed actions of one workload, not of an entity whose label selector finds thousands', async () => {
  const api = new FakeKubeApi('https://fleet.kube.test:6443');
  api.add(
    'HelmRepository',
    helmRepository('charts', 'fleet', { url: 'https://charts.example.com' }),
  );
  // 2,100 HelmReleases and the repository they share: 2,101 found links.
  for (let i = 0; i < 2100; i++) {
    api.add(
      'HelmRelease',
      helmRelease(`app-${i}`, 'fleet', {
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
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'fleet',
          namespace: 'default',
          annotations: { 'gitops-promotion/label-selector': 'team=fleet' },
        },
        spec: { type: 'service', owner: 'team-fleet' },
      },
    ],
  });
  const actions = (query: Record<string, string>) =>
    request(backend)
      .get('/api/gitops-promotion/v1/entities/default/component/fleet/actions')
      .query(query);

  const all = await actions({ environment: 'production' });
  expect(all.status).toBe(400);
  expect(all.body.error.message).toBe(
    'The actions of 2101 objects of component:default/fleet were asked, at most 2000 are answered: ask for one workload (workload=Kind/name) in one environment (environment=name), as the drill-down does',
  );
  const one = await actions({
    environment: 'production',
    workload: 'HelmRelease/app-7',
  });
  expect(one.status).toBe(200);
  expect(one.body.links.map((l: any) => l.ref.name)).toEqual([
    'app-7',
    'charts',
  ]);
  const unknown = await actions({ workload: 'HelmRelease/nope' });
  expect(unknown.status).toBe(400);
  expect(unknown.body.error.message).toMatch(
    /; use one of HelmRelease\/app-\d+(, HelmRelease\/app-\d+){19} and 2080 more$/,
  );
});
