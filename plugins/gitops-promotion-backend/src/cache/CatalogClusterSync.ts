import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { toError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CATALOG_CLUSTER_ANNOTATIONS,
  catalogClusterDetails,
} from '../clusters/catalogClusterDetails';
import { ClusterCredentials } from '../clusters/ClusterCredentials';
import { KubernetesClusterSource } from '../clusters/KubernetesClusterSource';
import { ClusterSource } from '../clusters/types';
import { UnresolvedClusterSource } from '../clusters/UnresolvedClusterSource';
import { CatalogClusters } from '../config/pluginConfig';
import { WatchOptions } from '../config/watchOptions';
import { CatalogClusterPins } from './CatalogClusterPins';
import { Fleet } from './Fleet';

/** What is in place stays as it is. */
const KEEP = Symbol('keep');

/** What a cluster name resolves to in the catalog, and a key that changes when it does. */
interface Resolved {
  key: string;
  source: () => ClusterSource;
  /** Why it cannot be watched; absent when it can. */
  problem?: string;
  /** The Resource watched. */
  ref?: string;
  /** Resources of the same name left aside. */
  aside?: string[];
}

/**
 * Cluster names per catalog request: they go in a GET query string, and
 * 500 names of 20 characters pass Node's 16 KiB header limit (the catalog
 * answers 431, and no catalog cluster would ever be read).
 */
const NAMES_PER_REQUEST = 100;

/**
 * Keeps the clusters the environments expect from the catalog in step
 * with its Resources of spec.type kubernetes-cluster, as the Kubernetes
 * plugin's catalog locator reads them: one catalog query per check (every
 * `refreshMs`, on each replica: each holds its own caches) for the names
 * the environments use; a cluster added, changed (URL, CA, auth, TLS) or
 * removed replaces its cache without a restart. A cluster missing,
 * ambiguous or refused by the guards shows in the views as not answering,
 * with why. A second Resource of a watched cluster's name (anyone may
 * register one, in any namespace) does not take it away: the one in place
 * stays, and the others are logged; which one is in place is kept in the
 * plugin's database, for every replica and across restarts.
 */
export class CatalogClusterSync {
  /** Name → key of what is in place, and the Resource watched when one is. */
  private readonly inPlace = new Map<string, { key: string; ref?: string }>();
  /** Name → the Resources of its name left aside, as last logged. */
  private readonly asideLogged = new Map<string, string>();

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      fleet: Fleet;
      credentials: ClusterCredentials;
      watch: WatchOptions;
      clusters: CatalogClusters;
      pins: CatalogClusterPins;
    },
  ) {}

  async sync(): Promise<void> {
    const { catalog, auth, logger, fleet, clusters } = this.deps;
    const entities: Entity[] = [];
    try {
      const credentials = await auth.getOwnServiceCredentials();
      for (let i = 0; i < clusters.names.length; i += NAMES_PER_REQUEST) {
        const { items } = await catalog.getEntities(
          {
            filter: {
              kind: 'Resource',
              'spec.type': 'kubernetes-cluster',
              'metadata.name': clusters.names.slice(i, i + NAMES_PER_REQUEST),
            },
          },
          { credentials },
        );
        entities.push(...items);
      }
    } catch (error) {
      logger.warn(
        `Cannot read the catalog's kubernetes-cluster Resources (${
          toError(error).message
        }); the catalog clusters keep their current state until the next check`,
      );
      return;
    }
    const pinned = await this.readPins();
    for (const name of clusters.names) {
      const resolved = await this.resolve(
        name,
        entities.filter(e => e.metadata.name === name),
        this.inPlace.get(name)?.ref ?? pinned.get(name),
      );
      if (resolved === KEEP) continue;
      this.logAside(name, resolved);
      if (resolved.ref && resolved.ref !== pinned.get(name)) {
        await this.pin(name, resolved.ref);
      }
      const before = this.inPlace.get(name);
      this.inPlace.set(name, { key: resolved.key, ref: resolved.ref });
      if (before?.key === resolved.key) continue;
      if (resolved.problem) logger.warn(resolved.problem);
      else logger.info(`Watching catalog cluster ${name}`);
      await fleet.replace(resolved.source());
    }
  }

  /**
   * The Resources other replicas and earlier starts watched; without the
   * database, what this replica watched (a warning says what is at stake).
   */
  private async readPins(): Promise<Map<string, string>> {
    try {
      return await this.deps.pins.read();
    } catch (error) {
      this.deps.logger.warn(
        `Cannot read which Resource each catalog cluster is watched from (${
          toError(error).message
        }); until the plugin's database answers, a second Resource of a cluster's name registered before this replica watched it makes the cluster ambiguous`,
      );
      return new Map();
    }
  }

  private async pin(name: string, ref: string) {
    try {
      await this.deps.pins.pin(name, ref);
    } catch (error) {
      this.deps.logger.warn(
        `Cannot record that cluster ${name} is watched from ${ref} (${
          toError(error).message
        }); the next check tries again`,
      );
    }
  }

  /** Says once which Resources of a watched cluster's name are not used. */
  private logAside(name: string, resolved: Resolved) {
    const aside = resolved.aside?.join(', ') ?? '';
    if (this.asideLogged.get(name) === aside) return;
    this.asideLogged.set(name, aside);
    if (aside) {
      this.deps.logger.warn(
        `Cluster ${name} keeps ${resolved.ref}; ${aside} of the same name ${
          resolved.aside!.length > 1 ? 'are' : 'is'
        } not used: cluster names must be unique`,
      );
    }
  }

  private async resolve(
    name: string,
    found: Entity[],
    /** The Resource in place (here, on another replica or before a restart). */
    watched: string | undefined,
  ): Promise<Resolved | typeof KEEP> {
    // The Resource in place wins over newcomers of its name.
    const kept = found.find(e => stringifyEntityRef(e) === watched);
    const matches = kept && found.length > 1 ? [kept] : found;
    const aside = matches === found ? undefined : found.filter(e => e !== kept);
    const unresolved = (reason: string): Resolved => ({
      key: `unresolved ${reason}`,
      source: () => new UnresolvedClusterSource(name, reason),
      problem: reason,
    });
    if (matches.length === 0) {
      return unresolved(
        `Cluster ${name} is not in the catalog: register a Resource of spec.type kubernetes-cluster named ${name} with the annotations ${CATALOG_CLUSTER_ANNOTATIONS.join(
          ', ',
        )}.`,
      );
    }
    if (matches.length > 1) {
      return unresolved(
        `Cluster ${name} is ambiguous: the catalog has ${matches
          .map(e => stringifyEntityRef(e))
          .join(', ')}; cluster names must be unique.`,
      );
    }
    const ref = stringifyEntityRef(matches[0]);
    const details = await catalogClusterDetails(
      matches[0],
      this.deps.clusters.locator,
    );
    if ('refused' in details) {
      return unresolved(
        `Cluster ${name} (${ref}) is refused: ${details.refused}.`,
      );
    }
    if ('unresolved' in details) {
      const problem = `Cluster ${name} (${ref}): ${details.unresolved}.`;
      // DNS failing for a moment must not stop a cluster this replica watches.
      if (this.inPlace.get(name)?.ref === ref) {
        this.deps.logger.warn(
          `${problem} The cluster is kept as it is until its host resolves again.`,
        );
        return KEEP;
      }
      return unresolved(problem);
    }
    const { cluster, publicOnly } = details;
    let credential;
    try {
      credential = this.deps.credentials.sourceFor(cluster);
    } catch (error) {
      return unresolved(
        `Cluster ${name} (${ref}) cannot be used: ${toError(error).message}.`,
      );
    }
    return {
      key: `cluster ${JSON.stringify([
        ref,
        cluster.url,
        cluster.authMetadata,
        cluster.caData,
        cluster.skipTLSVerify,
      ])}`,
      ref,
      ...(aside ? { aside: aside.map(e => stringifyEntityRef(e)) } : {}),
      source: () =>
        new KubernetesClusterSource(
          cluster,
          credential,
          { ...this.deps.watch, publicOnly },
          this.deps.logger,
        ),
    };
  }
}
