import { assertError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import { EnvironmentConfig } from '@gitops-promotion/backstage-plugin-common/server';
import { ClusterCredentials } from '../clusters/ClusterCredentials';
import { FixtureClusterSource } from '../clusters/FixtureClusterSource';
import { KubernetesClusterSource } from '../clusters/KubernetesClusterSource';
import { ClusterSource } from '../clusters/types';
import { GitopsPromotionConfig } from '../config/pluginConfig';
import { WatchOptions } from '../config/watchOptions';
import { ChangeListener, ClusterCache } from './ClusterCache';

/**
 * Every cluster the environments name, each with its watch cache, built
 * from the configuration read once (config/pluginConfig.ts).
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

  /**
   * The caches of the configured clusters. A cluster whose credentials
   * cannot be set up (an unknown auth provider) stops the backend, naming
   * it; one that cannot be reached does not.
   */
  static async create(
    config: GitopsPromotionConfig,
    logger: LoggerService,
    credentials: ClusterCredentials,
    onChange?: ChangeListener,
  ): Promise<Fleet> {
    const usable = (name: string, make: () => ClusterSource) => {
      try {
        return make();
      } catch (error) {
        assertError(error);
        throw new Error(
          `gitopsPromotion: cannot use cluster "${name}": ${error.message}`,
        );
      }
    };
    const sources: ClusterSource[] = config.kubernetesClusters.map(cluster =>
      usable(
        cluster.name,
        () =>
          new KubernetesClusterSource(
            cluster,
            credentials.sourceFor(cluster),
            config.watch,
            logger,
          ),
      ),
    );
    for (const fixture of config.fixtureClusters) {
      sources.push(
        await FixtureClusterSource.fromDirectory(
          fixture.name,
          fixture.directory,
        ),
      );
    }
    const { environments } = config;
    logger.info(
      `Watching ${sources.length} clusters for ${
        environments.length
      } environments: ${environments
        .map(e => `${e.name} (${e.clusters.map(c => c.cluster).join(', ')})`)
        .join(', ')}`,
    );
    return new Fleet(environments, sources, config.watch, logger, onChange);
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
