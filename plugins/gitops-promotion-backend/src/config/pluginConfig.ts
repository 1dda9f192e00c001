import { assertError } from '@backstage/errors';
import fs from 'node:fs/promises';
import path from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import { EnvironmentConfig } from '@gitops-promotion/backstage-plugin-common/server';
import { readDurationMs } from '@gitops-promotion/backstage-plugin-common';
import { CatalogLocatorOptions, readKubernetesClusters } from './clusters';
import { checkClustersExist, readEnvironments } from './environments';
import { JournalOptions, readJournalOptions } from './journalOptions';
import {
  NotificationOptions,
  readNotificationOptions,
} from './notificationOptions';
import { OnDemandOptions, readOnDemandOptions } from './onDemandOptions';
import { unknownKeyWarnings } from './unknownKeys';
import { readWatchOptions, WatchOptions } from './watchOptions';

/** A cluster read from YAML files: its folder under `gitopsPromotion.fixtures.directory`. */
export interface FixtureCluster {
  name: string;
  directory: string;
}

/** Clusters expected from the catalog, and how they are read. */
export interface CatalogClusters {
  names: string[];
  locator: CatalogLocatorOptions;
  refreshMs: number;
}

const DEFAULT_CATALOG_REFRESH_MS = 60_000;

/**
 * The plugin's whole configuration, read and validated once at startup
 * (plugin.ts), then handed to what uses it: nothing else reads app-config.
 */
export interface GitopsPromotionConfig {
  environments: EnvironmentConfig[];
  /** The clusters the environments name, from kubernetes.clusterLocatorMethods. */
  kubernetesClusters: ClusterDetails[];
  /** The clusters the environments name, from the fixtures directory. */
  fixtureClusters: FixtureCluster[];
  /**
   * With a `catalog` locator: the clusters the environments name that
   * neither config nor fixtures define, looked for among the catalog's
   * kubernetes-cluster Resources every `refreshMs`.
   */
  catalogClusters?: CatalogClusters;
  watch: WatchOptions;
  onDemand: OnDemandOptions;
  journal: JournalOptions;
  notifications: NotificationOptions;
}

/**
 * Reads `gitopsPromotion.*` and the clusters of `kubernetes.*`: a mistake
 * stops the backend with a message naming the entry (an unknown or
 * twice-defined cluster, a bad duration, an unreadable fixtures folder);
 * deprecated keys and locator types this plugin skips are logged.
 */
export async function readPluginConfig(
  config: Config,
  logger: LoggerService,
): Promise<GitopsPromotionConfig> {
  const environments = readEnvironments(config);
  unknownKeyWarnings(config).forEach(m => logger.warn(m));
  const { clusters, catalogLocator, skippedLocators } =
    readKubernetesClusters(config);
  if (skippedLocators.length > 0) {
    logger.warn(
      `kubernetes.clusterLocatorMethods of type ${[
        ...new Set(skippedLocators),
      ].join(
        ', ',
      )} are not read by gitops-promotion yet; only types config, localKubectlProxy and catalog are`,
    );
  }
  const fixtures = await readFixtureClusters(config);
  const defined = new Set<string>();
  const define = (name: string, where: string) => {
    if (defined.has(name)) {
      throw new Error(
        `Cluster "${name}" is defined twice (${where}); cluster names must be unique`,
      );
    }
    defined.add(name);
  };
  clusters.forEach(c => define(c.name, 'kubernetes.clusterLocatorMethods'));
  fixtures.forEach(c => define(c.name, 'gitopsPromotion.fixtures'));
  const wanted = new Set(
    environments.flatMap(e => e.clusters.map(c => c.cluster)),
  );
  if (!catalogLocator) checkClustersExist(environments, defined);
  const fromCatalog = [...wanted].filter(name => !defined.has(name)).sort();
  return {
    environments,
    kubernetesClusters: clusters.filter(c => wanted.has(c.name)),
    fixtureClusters: fixtures.filter(c => wanted.has(c.name)),
    catalogClusters:
      catalogLocator && fromCatalog.length > 0
        ? {
            names: fromCatalog,
            locator: catalogLocator,
            refreshMs: readDurationMs(
              config.getOptionalConfig('gitopsPromotion.catalogClusters'),
              {
                path: 'gitopsPromotion.catalogClusters',
                key: 'refreshInterval',
                defaultMs: DEFAULT_CATALOG_REFRESH_MS,
                timer: true,
                warn: m => logger.warn(m),
              },
            ),
          }
        : undefined,
    watch: readWatchOptions(config, logger),
    onDemand: readOnDemandOptions(config, logger),
    journal: readJournalOptions(config, m => logger.warn(m)),
    notifications: readNotificationOptions(config, environments, m =>
      logger.warn(m),
    ),
  };
}

/** One cluster per folder of `gitopsPromotion.fixtures.directory`, named after it. */
async function readFixtureClusters(config: Config): Promise<FixtureCluster[]> {
  const directory = config.getOptionalString(
    'gitopsPromotion.fixtures.directory',
  );
  if (!directory) return [];
  const root = path.resolve(directory);
  let entries;
  try {
    entries = await fs.readdir(root, { withFileTypes: true });
  } catch (error) {
    assertError(error);
    throw new Error(
      `gitopsPromotion.fixtures.directory: cannot read ${root} (${
        'code' in error ? error.code : error.message
      }); the path is relative to the backend's working directory`,
    );
  }
  return entries
    .filter(e => e.isDirectory())
    .map(e => ({ name: e.name, directory: path.join(root, e.name) }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}
