import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { gitopsPromotionAuthStrategyExtensionPoint } from './extensions';
import { gitopsPromotionPlugin } from './plugin';
import { demoEntities } from './__testUtils__/demoBackend';
import { demoObjects } from './__testUtils__/demoObjects';
import {
  setupClusterMsw,
  untilWatchingEveryKind,
} from './__testUtils__/clusterMsw';
import { FakeKubeApi } from './__testUtils__/FakeKubeApi';

const server = setupClusterMsw();

const api = new FakeKubeApi('https://staging.kube.test:6443');
for (const [kind, objects] of demoObjects('staging-eu'))
  api.add(kind, ...objects);

/** Config with two Kubernetes-plugin clusters; only staging-eu is in an environment. */
function config(authProvider: string) {
  return mockServices.rootConfig.factory({
    data: {
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              { name: 'staging-eu', url: api.baseUrl, authProvider },
              // The Kubernetes plugin may act as the user on clusters gitops-promotion does not watch.
              {
                name: 'dev-gke',
                url: 'https://dev.gke.example.com',
                authProvider: 'google',
              },
            ],
          },
        ],
      },
      gitopsPromotion: {
        environments: [{ name: 'staging', clusters: ['staging-eu'] }],
      },
    },
  });
}

describe('cluster authentication', () => {
  it('uses an auth strategy a backend module adds', async () => {
    server.use(...api.handlers());
    const vaultModule = createBackendModule({
      pluginId: 'gitops-promotion',
      moduleId: 'vault-auth',
      register(env) {
        env.registerInit({
          deps: { auth: gitopsPromotionAuthStrategyExtensionPoint },
          async init({ auth }) {
            auth.addAuthStrategy('vault', {
              getCredential: async cluster => ({
                type: 'bearer token',
                token: `vault-token-for-${cluster.name}`,
              }),
              validateCluster: () => [],
              presentAuthMetadata: () => ({}),
            });
          },
        });
      },
    });
    const { server: backend } = await startTestBackend({
      features: [
        gitopsPromotionPlugin,
        vaultModule,
        catalogServiceMock.factory({ entities: demoEntities() }),
        config('vault'),
      ],
    });

    await untilWatchingEveryKind(api);
    expect(new Set(api.requests.map(r => r.authorization))).toEqual(
      new Set(['Bearer vault-token-for-staging-eu']),
    );
    const res = await request(backend).get(
      '/api/gitops-promotion/v1/entities/default/component/podinfo/promotion',
    );
    expect(res.status).toBe(200);
    expect(res.body.clusterErrors).toEqual([]);
    expect(res.body.workloads[0].cells[0].clusters[0]).toMatchObject({
      cluster: 'staging-eu',
      state: 'Failed',
    });
  });

  it('stops at startup when a watched cluster authenticates as the signed-in user', async () => {
    await expect(
      startTestBackend({
        features: [
          gitopsPromotionPlugin,
          catalogServiceMock.factory({ entities: [] }),
          config('oidc'),
        ],
      }),
    ).rejects.toThrow(
      `gitopsPromotion: cannot use cluster "staging-eu": authProvider "oidc" sends the signed-in user's token`,
    );
  });
});
