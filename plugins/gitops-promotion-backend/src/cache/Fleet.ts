import { assertError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import { EnvironmentConfig } from '@gitops-promotion/backstage-plugin-common/server';
import { ClusterCredentials } from '../clusters/ClusterCredentials';
import { FixtureClusterSource } from '../clusters/FixtureClusterSource';
import { KubernetesClusterSource } from '../clusters/KubernetesClusterSource';
import { ClusterSource } from '../clusters/types';
import { UnresolvedClusterSource } from '../clusters/UnresolvedClusterSource';
import { GitopsPromotionConfig } from '../config/pluginConfig';
import { WatchOptions } from '../config/watchOptions';
import { ChangeListener, ClusterCache } from './ClusterCache';

/** Told when a cluster's cache was put in place of another (a catalog cluster added, changed or gone). */
export type ClusterReplacedListener = (
  name: string,
  cache: ClusterCache,
) => void;

/**
 * Every cluster the environments name, each with its watch cache, built
 * from the configuration read once (config/pluginConfig.ts). Clusters from
 * the catalog are replaced while the backend runs (CatalogClusterSync);
 * `caches` is the one map everything reads, so views, actions and the
 * journal see a replacement at once.
 */
export class Fleet {
  private readonly map: Map<string, ClusterCache>;
  private readonly replacedListeners: ClusterReplacedListener[] = [];
  private started = false;

  constructor(
    readonly environments: EnvironmentConfig[],
    sources: ClusterSource[],
    private readonly options: WatchOptions,
    private readonly logger: LoggerService,
    private readonly onChange?: ChangeListener,
  ) {
    this.map = new Map(sources.map(s => [s.name, this.cacheOf(s)]));
  }

  get caches(): ReadonlyMap<string, ClusterCache> {
    return this.map;
  }

  private cacheOf(source: ClusterSource) {
    return new ClusterCache(source, this.options, this.logger, this.onChange);
  }

  onClusterReplaced(listener: ClusterReplacedListener): void {
    this.replacedListeners.push(listener);
  }

  /**
   * Puts a cache of `source` in place of the cluster's (stopping the old
   * one), started if the fleet is: its views show the new cluster's data
   * once it has synced.
   */
  async replace(source: ClusterSource): Promise<void> {
    const old = this.map.get(source.name);
    const cache = this.cacheOf(source);
    this.map.set(source.name, cache);
    if (this.started) cache.start();
    this.replacedListeners.forEach(l => l(source.name, cache));
    this.onChange?.(source.name);
    await old?.stop();
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
    for (const name of config.catalogClusters?.names ?? []) {
      sources.push(
        new UnresolvedClusterSource(
          name,
          `Cluster ${name} comes from the catalog, which was not read yet.`,
        ),
      );
    }
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
    this.started = true;
    this.map.forEach(c => c.start());
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.map.values()].map(c => c.stop()));
  }

  /** Resolves when every cluster has synced or failed at least once. */
  async whenSettled(): Promise<void> {
    await Promise.all([...this.caches.values()].map(c => c.whenSettled()));
  }
}
