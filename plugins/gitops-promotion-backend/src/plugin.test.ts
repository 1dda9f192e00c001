import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { gitopsPromotionAuthStrategyExtensionPoint } from '@gitops-promotion/backstage-plugin-node';
import { gitopsPromotionPlugin } from './plugin';
import { demoEntities } from './__testUtils__/demoBackend';
import { demoObjects } from './__testUtils__/demoObjects';
import {
  setupClusterMsw,
  untilWatchingEveryKind,
} from './__testUtils__/clusterMsw';
import { FakeKubeApi } from './__testUtils__/FakeKubeApi';
import { pluginDatabase } from './__testUtils__/testDatabases';

const server = setupClusterMsw();

const api = new FakeKubeApi('https://staging.kube.test:6443');
for (const [kind, objects] of demoObjects('staging-eu'))
  api.add(kind, ...objects);

/** Config with two Kubernetes-plugin clusters; only staging-eu is in an environment. */
function config(authProvider: string, credentials: object = {}) {
  return mockServices.rootConfig.factory({
    data: {
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'staging-eu',
                url: api.baseUrl,
                authProvider,
                ...credentials,
              },
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
        pluginDatabase(),
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
    expect(res.body.workloads[0].cells[0].attention[0]).toMatchObject({
      cluster: 'staging-eu',
      state: 'Failed',
    });
  });

  it('stops at startup when a watched cluster authenticates as the signed-in user', async () => {
    await expect(
      startTestBackend({
        features: [
          gitopsPromotionPlugin,
          pluginDatabase(),
          catalogServiceMock.factory({ entities: [] }),
          config('oidc'),
        ],
      }),
    ).rejects.toThrow(
      `gitopsPromotion: cannot use cluster "staging-eu": authProvider "oidc" sends the signed-in user's token`,
    );
  });
});

describe('change signals', () => {
  it('tells the user who viewed an entity when objects it reads change, and nobody else', async () => {
    server.use(...api.handlers());
    const sent: SignalPayload[] = [];
    const { server: backend } = await startTestBackend({
      features: [
        gitopsPromotionPlugin,
        pluginDatabase(),
        createServiceFactory({
          service: signalsServiceRef,
          deps: {},
          factory: () => ({
            publish: async (signal: SignalPayload<any>) => {
              sent.push(signal);
            },
          }),
        }),
        catalogServiceMock.factory({ entities: demoEntities() }),
        config('serviceAccount', { serviceAccountToken: 'reader' }),
      ],
    });
    await untilWatchingEveryKind(api);
    // The initial sync changed every cluster; nobody was looking.
    await new Promise(r => setTimeout(r, 1200));
    expect(sent).toEqual([]);

    const res = await request(backend)
      .get(
        '/api/gitops-promotion/v1/entities/default/component/podinfo/promotion',
      )
      .set('authorization', mockCredentials.user.header('user:default/alice'));
    expect(res.status).toBe(200);
    const releases = demoObjects('staging-eu').get('Release')!;
    for (const name of ['podinfo', 'web-frontend']) {
      api.emit(
        'Release',
        'MODIFIED',
        releases.find(r => r.metadata.name === name)!,
      );
    }
    // Sent once the second of coalescing has passed: wait for it, however
    // slow the machine, rather than for a fixed time.
    for (let waited = 0; sent.length === 0 && waited < 10_000; waited += 50) {
      await new Promise(r => setTimeout(r, 50));
    }
    // And no second one after another window (one signal per user per second).
    await new Promise(r => setTimeout(r, 1200));
    expect(sent).toEqual([
      {
        recipients: { type: 'user', entityRef: ['user:default/alice'] },
        channel: 'gitops-promotion:changes',
        message: { changes: [{ cluster: 'staging-eu', namespaces: ['apps'] }] },
      },
    ]);
  });
});
