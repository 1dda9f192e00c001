import request from 'supertest';
import { kindOf } from '@gitops-promotion/backstage-plugin-common/server';
import { releaseWithChildren } from '@gitops-promotion/backstage-plugin-common/testUtils';
import { setupClusterMsw } from '../__testUtils__/clusterMsw';
import { FakeKubeApi } from '../__testUtils__/FakeKubeApi';
import { startOneClusterBackend } from '../__testUtils__/oneClusterBackend';

const server = setupClusterMsw();
jest.setTimeout(30_000);

it('answers the allowed actions of one workload, not of an entity whose label selector finds thousands', async () => {
  const api = new FakeKubeApi('https://fleet.kube.test:6443');
  // 500 KuboCD Releases (a view shows up to 1,000 workloads), each with
  // the four Flux objects KuboCD makes for it: 2,500 found links.
  for (let i = 0; i < 500; i++) {
    for (const obj of releaseWithChildren(`app-${i}`, 'fleet', {
      tag: '1.0.0',
      labels: { team: 'fleet' },
    })) {
      api.add(kindOf(obj)!, obj);
    }
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
    'The actions of 2500 objects of component:default/fleet were asked, at most 2000 are answered: ask for one workload (workload=Kind/name) in one environment (environment=name), as the drill-down does',
  );
  const one = await actions({
    environment: 'production',
    workload: 'Release/app-7',
  });
  expect(one.status).toBe(200);
  expect(one.body.links.map((l: any) => `${l.ref.kind}/${l.ref.name}`)).toEqual(
    [
      'Release/app-7',
      'OCIRepository/kcd-app-7',
      'HelmRepository/kcd-app-7',
      'HelmRelease/app-7-main',
      'HelmChart/fleet-app-7-main',
    ],
  );
  const unknown = await actions({ workload: 'Release/nope' });
  expect(unknown.status).toBe(400);
  expect(unknown.body.error.message).toMatch(
    /; use one of Release\/app-\d+(, Release\/app-\d+){19} and 480 more$/,
  );
});
