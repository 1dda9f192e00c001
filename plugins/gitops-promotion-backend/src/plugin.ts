import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceRef,
  metricsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  gitopsPromotionObjectPermissions,
  gitopsPromotionReconcilePermission,
  gitopsPromotionValuesReadPermission,
  gitopsPromotionViewPermission,
} from '@gitops-promotion/backstage-plugin-common';
import {
  gitopsPromotionAuthStrategyExtensionPoint,
  gitopsPromotionObjectPermissionResourceRef,
  gitopsPromotionObjectRules,
} from '@gitops-promotion/backstage-plugin-node';
import { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';
import { ObjectActions } from './actions/ObjectActions';
import { registerPromotionActions } from './actions/registry';
import { CatalogClusterPins } from './cache/CatalogClusterPins';
import { CatalogClusterSync } from './cache/CatalogClusterSync';
import { Fleet } from './cache/Fleet';
import { ClusterCredentials } from './clusters/ClusterCredentials';
import { OnDemandCalls } from './clusters/OnDemandCalls';
import { readPluginConfig } from './config/pluginConfig';
import { ObjectPolicy } from './permissions/ObjectPolicy';
import { PromotionAuditing } from './service/auditing';
import { AuthorizedObjectActions } from './service/AuthorizedObjectActions';
import { AuthorizedPromotionService } from './service/AuthorizedPromotionService';
import { EntityAccess } from './service/EntityAccess';
import { createRouter } from './service/router';
import { openJournal } from './journal/openJournal';
import { scheduleNotifications } from './notifications/scheduleNotifications';
import { ChangeSignals } from './signals/ChangeSignals';
import { ObjectDetailsService } from './view/ObjectDetailsService';
import { PromotionService } from './view/PromotionService';

/**
 * The GitOps promotion backend plugin: watches Flux and KuboCD objects in
 * the clusters of `gitopsPromotion.environments`, serves promotion views
 * of catalog entities from memory, signals where the caches changed, and
 * notifies the owners of workloads that fail in the environments that say so.
 * @public
 */
export const gitopsPromotionPlugin = createBackendPlugin({
  pluginId: 'gitops-promotion',
  register(env) {
    const authStrategies = new Map<string, AuthenticationStrategy>();
    env.registerExtensionPoint(gitopsPromotionAuthStrategyExtensionPoint, {
      addAuthStrategy(key, strategy) {
        if (authStrategies.has(key)) {
          throw new Error(
            `gitops-promotion: an auth strategy for "${key}" was added twice`,
          );
        }
        authStrategies.set(key, strategy);
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        logger: coreServices.logger,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        actionsRegistry: actionsRegistryServiceRef,
        metrics: metricsServiceRef,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
      },
      async init({
        config,
        auth,
        logger,
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
        auditor,
        lifecycle,
        database,
        scheduler,
        actionsRegistry,
        metrics,
        catalog,
        signals,
        notifications,
      }) {
        permissionsRegistry.addPermissions([
          gitopsPromotionViewPermission,
          gitopsPromotionValuesReadPermission,
          gitopsPromotionReconcilePermission,
        ]);
        permissionsRegistry.addResourceType({
          resourceRef: gitopsPromotionObjectPermissionResourceRef,
          permissions: Object.values(gitopsPromotionObjectPermissions),
          rules: Object.values(gitopsPromotionObjectRules),
        });
        const changes = new ChangeSignals(signals, logger);
        const pluginConfig = await readPluginConfig(config, logger);
        const { store: journalStore, journal } = await openJournal({
          database,
          scheduler,
          logger,
          metrics,
          journal: pluginConfig.journal,
          environments: pluginConfig.environments,
        });
        const credentials = ClusterCredentials.fromConfig(
          config,
          logger,
          authStrategies,
        );
        const fleet = await Fleet.create(
          pluginConfig,
          logger,
          credentials,
          (cluster, ns) => {
            changes.record(cluster, ns);
            journal.record(cluster, ns);
          },
        );
        await journal.start(fleet.caches);
        fleet.onClusterReplaced((name, cache) =>
          journal.watchCluster(name, cache),
        );
        fleet.start();
        if (pluginConfig.catalogClusters) {
          const sync = new CatalogClusterSync({
            catalog,
            auth,
            logger,
            fleet,
            credentials,
            watch: pluginConfig.watch,
            clusters: pluginConfig.catalogClusters,
            pins: await CatalogClusterPins.create(database),
          });
          // Local: every replica keeps its own caches.
          await scheduler.scheduleTask({
            id: 'gitops-promotion-catalog-clusters',
            scope: 'local',
            frequency: { milliseconds: pluginConfig.catalogClusters.refreshMs },
            timeout: { minutes: 5 },
            fn: () => sync.sync(),
          });
        }
        lifecycle.addShutdownHook(async () => {
          await journal.stop();
          await fleet.stop();
          changes.stop();
        });

        const promotion = new PromotionService(fleet);
        await scheduleNotifications({
          auth,
          catalog,
          notifications,
          database,
          scheduler,
          logger,
          view: entity => promotion.view(entity),
          options: pluginConfig.notifications,
        });

        const calls = new OnDemandCalls(fleet.caches, pluginConfig.onDemand);
        fleet.onClusterReplaced(name => calls.forget(name));
        const access = new EntityAccess({
          auth,
          httpAuth,
          permissions,
          catalog,
          promotion,
        });
        const auditing = new PromotionAuditing(auditor);
        const service = new AuthorizedPromotionService({
          access,
          auditing,
          permissions,
          logger,
          catalog,
          promotion,
          objects: new ObjectDetailsService(calls),
          changes,
        });
        const actions = new AuthorizedObjectActions({
          access,
          auditing,
          objectPolicy: new ObjectPolicy(permissions, permissionsRegistry),
          promotion,
          actions: new ObjectActions(calls),
        });
        httpRouter.use(
          await createRouter({
            service,
            actions,
            auditing,
            journal: journalStore,
            logger,
          }),
        );
        registerPromotionActions(actionsRegistry, {
          service,
          actions,
          auditing,
        });
      },
    });
  },
});
