import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { gitopsPromotionPlugin } from '../plugin';
import { untilWatchingEveryKind } from './clusterMsw';
import { FakeKubeApi } from './FakeKubeApi';
import { pluginDatabase } from './testDatabases';

/**
 * A test backend whose plugin reads one msw-served cluster, the only
 * cluster of one environment, with these catalog entities; resolves once
 * the cluster's kinds are listed and watched.
 */
export async function startOneClusterBackend(options: {
  api: FakeKubeApi;
  cluster: string;
  environment: string;
  entities: Entity[];
  features?: Parameters<typeof startTestBackend>[0]['features'];
}) {
  const { server } = await startTestBackend({
    features: [
      gitopsPromotionPlugin,
      pluginDatabase(),
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: options.cluster,
                    url: options.api.baseUrl,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: 'reader',
                  },
                ],
              },
            ],
          },
          gitopsPromotion: {
            environments: [
              { name: options.environment, clusters: [options.cluster] },
            ],
          },
        },
      }),
      ...(options.features ?? []),
    ],
  });
  await untilWatchingEveryKind(options.api);
  return server;
}
