import fs from 'node:fs/promises';
import path from 'node:path';
import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { EnvironmentConfig } from '@gitops-promotion/backstage-plugin-common/server';
import { ClusterCredentials } from '../clusters/ClusterCredentials';
import { FixtureClusterSource } from '../clusters/FixtureClusterSource';
import { KubernetesClusterSource } from '../clusters/KubernetesClusterSource';
import { ClusterSource } from '../clusters/types';
import { readKubernetesClusters } from '../config/clusters';
import { checkClustersExist, readEnvironments } from '../config/environments';
import { readWatchOptions, WatchOptions } from '../config/watchOptions';
import { ChangeListener, ClusterCache } from './ClusterCache';

/**
 * Every cluster the environments name, each with its watch cache. Built
 * from config at startup: a configuration mistake stops the backend with a
 * message naming the entry, a cluster that cannot be reached does not.
 */
export class Fleet {
  readonly caches: ReadonlyMap<string, ClusterCache>;

  constructor(
    readonly environments: EnvironmentConfig[],
    sources: ClusterSource[],
    options: WatchOptions,
    logger: LoggerService,
    onChange?: ChangeListener,
  ) {
    this.caches = new Map(
      sources.map(s => [
        s.name,
        new ClusterCache(s, options, logger, onChange),
      ]),
    );
  }

  static async fromConfig(
    config: Config,
    logger: LoggerService,
    credentials: ClusterCredentials,
    onChange?: ChangeListener,
  ): Promise<Fleet> {
    const environments = readEnvironments(config);
    const options = readWatchOptions(config);
    const wanted = new Set(
      environments.flatMap(e => e.clusters.map(c => c.cluster)),
    );

    const { clusters, skippedLocators } = readKubernetesClusters(config);
    if (skippedLocators.length > 0) {
      logger.warn(
        `kubernetes.clusterLocatorMethods of type ${[
          ...new Set(skippedLocators),
        ].join(
          ', ',
        )} are not read by gitops-promotion yet; only types config and localKubectlProxy are`,
      );
    }
    const sources = new Map<string, () => ClusterSource>();
    const add = (name: string, where: string, make: () => ClusterSource) => {
      if (sources.has(name)) {
        throw new Error(
          `Cluster "${name}" is defined twice (${where}); cluster names must be unique`,
        );
      }
      sources.set(name, make);
    };
    for (const cluster of clusters) {
      add(
        cluster.name,
        'kubernetes.clusterLocatorMethods',
        () =>
          new KubernetesClusterSource(
            cluster,
            credentials.sourceFor(cluster),
            options,
            logger,
          ),
      );
    }
    const fixtures = await readFixtureClusters(config);
    for (const [name, source] of fixtures) {
      add(name, 'gitopsPromotion.fixtures', () => source);
    }
    checkClustersExist(environments, new Set(sources.keys()));

    const used = [...wanted].map(name => {
      try {
        return sources.get(name)!();
      } catch (e) {
        throw new Error(
          `gitopsPromotion: cannot use cluster "${name}": ${
            (e as Error).message
          }`,
        );
      }
    });
    logger.info(
      `Watching ${used.length} clusters for ${
        environments.length
      } environments: ${environments
        .map(e => `${e.name} (${e.clusters.map(c => c.cluster).join(', ')})`)
        .join(', ')}`,
    );
    return new Fleet(environments, used, options, logger, onChange);
  }

  start(): void {
    this.caches.forEach(c => c.start());
  }

  async stop(): Promise<void> {
    await Promise.all([...this.caches.values()].map(c => c.stop()));
  }

  /** Resolves when every cluster has synced or failed at least once. */
  async whenSettled(): Promise<void> {
    await Promise.all([...this.caches.values()].map(c => c.whenSettled()));
  }
}

async function readFixtureClusters(
  config: Config,
): Promise<Map<string, FixtureClusterSource>> {
  const directory = config.getOptionalString(
    'gitopsPromotion.fixtures.directory',
  );
  const result = new Map<string, FixtureClusterSource>();
  if (!directory) return result;
  const root = path.resolve(directory);
  let entries;
  try {
    entries = await fs.readdir(root, { withFileTypes: true });
  } catch (e) {
    throw new Error(
      `gitopsPromotion.fixtures.directory: cannot read ${root} (${
        (e as NodeJS.ErrnoException).code
      }); the path is relative to the backend's working directory`,
    );
  }
  for (const entry of entries
    .filter(e => e.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))) {
    result.set(
      entry.name,
      await FixtureClusterSource.fromDirectory(
        entry.name,
        path.join(root, entry.name),
      ),
    );
  }
  return result;
}
