/*
 * Clusters from the catalog: an environment names a cluster that only a
 * Resource of spec.type kubernetes-cluster provides, as the Kubernetes
 * plugin's catalog locator reads it. The cluster appears when the entity is
 * registered, is refused while its auth provider is serviceAccount, and is
 * gone when the entity is removed, all on one backend never restarted,
 * against a real API server.
 */
import {
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import {
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { gitopsPromotionAuthStrategyExtensionPoint } from '@gitops-promotion/backstage-plugin-node';
import {
  ControlPlane,
  createMany,
  installCrds,
  startControlPlane,
} from '@internal/kube-testbed';
import { gitopsPromotionPlugin } from '../plugin';
import {
  AssembledView,
  clusterCell,
  component,
  linkDetails,
  requireBinaries,
  stopAll,
  TIMEOUT_MS,
  waitForView,
} from './__testUtils__/harness';
import { pluginDatabase } from '../__testUtils__/testDatabases';

jest.setTimeout(TIMEOUT_MS);

const CLUSTER = 'catalog-prod';

/** The Resource the platform team registers for the cluster. */
function clusterEntity(cp: ControlPlane, authProvider: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: CLUSTER,
      namespace: 'default',
      annotations: {
        'kubernetes.io/api-server': cp.url,
        'kubernetes.io/api-server-certificate-authority': cp.caData,
        'kubernetes.io/auth-provider': authProvider,
      },
    },
    spec: { type: 'kubernetes-cluster', owner: 'team-platform' },
  };
}

describe('clusters from the catalog, against a real API server', () => {
  let cp: ControlPlane | undefined;
  let backend: TestBackend | undefined;
  // What the catalog holds now: the test registers and removes entities.
  let entities: Entity[] = [
    component('shop', {
      'gitops-promotion/label-selector': 'app.kubernetes.io/part-of=shop',
    }),
  ];

  beforeAll(async () => {
    requireBinaries();
    cp = await startControlPlane({ name: CLUSTER });
    await installCrds(cp);
    await createMany(cp, {
      namespace: 'shop',
      count: 3,
      labels: { 'app.kubernetes.io/part-of': 'shop' },
      status: { phase: 'READY', readyReleases: '1/1' },
    });
    const token = cp.tokens.reader;
    // The catalog as it is at each call: what the plugin reads of it.
    const live = () => catalogServiceMock({ entities });
    const catalog = {
      getEntities: (...a: Parameters<CatalogService['getEntities']>) =>
        live().getEntities(...a),
      getEntityByRef: (...a: Parameters<CatalogService['getEntityByRef']>) =>
        live().getEntityByRef(...a),
      queryEntities: (...a: Parameters<CatalogService['queryEntities']>) =>
        live().queryEntities(...a),
    } as CatalogService;
    backend = await startTestBackend({
      features: [
        gitopsPromotionPlugin,
        pluginDatabase(),
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalog,
        }),
        // A backend identity the catalog can name: the testbed's reader token.
        createBackendModule({
          pluginId: 'gitops-promotion',
          moduleId: 'testbed-auth',
          register(env) {
            env.registerInit({
              deps: { strategies: gitopsPromotionAuthStrategyExtensionPoint },
              async init({ strategies }) {
                strategies.addAuthStrategy('testbed', {
                  getCredential: async () => ({ type: 'bearer token', token }),
                  validateCluster: () => [],
                  presentAuthMetadata: () => ({}),
                });
              },
            });
          },
        }),
        mockServices.rootLogger.factory({ level: 'error' }),
        // The real scheduler: the test one runs each task once, at start.
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              clusterLocatorMethods: [
                // The testbed listens on the loopback, which the guards refuse unless allowed.
                { type: 'catalog', dangerouslyAllowClusterUrls: ['127.0.0.1'] },
              ],
            },
            gitopsPromotion: {
              environments: [{ name: 'production', clusters: [CLUSTER] }],
              catalogClusters: { refreshInterval: { milliseconds: 200 } },
              // Every drill-down read goes to the cluster.
              onDemand: { cache: { milliseconds: 0 } },
              watch: {
                initialBackoff: { milliseconds: 100 },
                maxBackoff: { milliseconds: 500 },
              },
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await stopAll(
      () => backend?.stop(),
      () => cp?.stop(),
    );
  });

  it('watches the cluster once registered, refuses it with serviceAccount auth, drops it when removed, and reads the new one when registered again', async () => {
    const errorOf = (v: {
      clusterErrors: Array<{ cluster: string; message: string }>;
    }) => v.clusterErrors.find(e => e.cluster === CLUSTER)?.message;

    // Not in the catalog yet: said so, no rows, the backend keeps running.
    await waitForView(backend!, 'shop', v => {
      expect(errorOf(v)).toBe(
        `Cluster ${CLUSTER} is not in the catalog: register a Resource of spec.type kubernetes-cluster named ${CLUSTER} with the annotations kubernetes.io/api-server, kubernetes.io/api-server-certificate-authority, kubernetes.io/auth-provider.`,
      );
      expect(v.workloads).toEqual([]);
    });

    // Registered with a token in the catalog: refused.
    entities = [...entities, clusterEntity(cp!, 'serviceAccount')];
    await waitForView(backend!, 'shop', v =>
      expect(errorOf(v)).toContain(
        `Cluster ${CLUSTER} (resource:default/${CLUSTER}) is refused: catalog clusters may not use the serviceAccount auth provider`,
      ),
    );

    // With a backend identity: its three Releases appear, without a restart.
    entities = [
      ...entities.filter(e => e.kind !== 'Resource'),
      clusterEntity(cp!, 'testbed'),
    ];
    const { view } = await waitForView(backend!, 'shop', v => {
      expect(v.workloads.map(w => w.id)).toEqual([
        'Release/bulk-00001',
        'Release/bulk-00002',
        'Release/bulk-00003',
      ]);
      expect(v.clusterErrors).toEqual([]);
    });
    expect(view.workloads[0].cells[0]).toMatchObject({
      environment: 'production',
      state: 'Ready',
      readyClusters: 1,
    });

    // The drill-down reads the object from the cluster.
    const readRelease = async (v: AssembledView) =>
      (
        await linkDetails(
          backend!,
          'shop',
          clusterCell(v, 'Release/bulk-00001', 'production'),
          'Release',
        )
      ).object.metadata.uid;
    const uid = await readRelease(view);
    expect(uid).toBeTruthy();

    // Removed from the catalog: its data goes with it.
    entities = entities.filter(e => e.kind !== 'Resource');
    await waitForView(backend!, 'shop', v => {
      expect(errorOf(v)).toContain('is not in the catalog');
      expect(v.workloads).toEqual([]);
    });

    // Registered again: reads go to the new cluster source, not the stopped one.
    entities = [...entities, clusterEntity(cp!, 'testbed')];
    const { view: again } = await waitForView(backend!, 'shop', v =>
      expect(v.workloads).toHaveLength(3),
    );
    expect(await readRelease(again)).toBe(uid);
  });
});
