import {
  CellState,
  ClusterCell,
  EnvironmentCell,
  ObjectState,
} from '../types/view';
import { sortVersionsDesc } from './versions';

/**
 * How bad a state is for an environment's summary: one failed cluster makes
 * the environment Failed; work in progress outranks not knowing; a
 * deliberate suspension outranks only Ready.
 */
const SEVERITY: Record<ObjectState, number> = {
  Failed: 4,
  Progressing: 3,
  Unknown: 2,
  Suspended: 1,
  Ready: 0,
};

/** @public */
export function worstState(states: ObjectState[]): ObjectState | undefined {
  return states.reduce<ObjectState | undefined>(
    (worst, s) =>
      worst === undefined || SEVERITY[s] > SEVERITY[worst] ? s : worst,
    undefined,
  );
}

/**
 * A workload in one environment, from its clusters: the worst state
 * (Unknown when no cluster that could hold it answered), N/M clusters
 * ready, the versions and whether they are mixed. The version used for
 * promotion is the oldest: an environment is not promoted until every
 * cluster is. `since` is when the environment entered its state:
 * the last cluster to become ready, or the first to go wrong.
 * @public
 */
export function aggregateEnvironment(
  environment: string,
  clusters: ClusterCell[],
  notDeployedIn: string[],
  unavailableIn: string[],
): EnvironmentCell {
  // No cell and no cluster that answered: nothing is known, not "not deployed".
  const state: CellState =
    worstState(clusters.map(c => c.state)) ??
    (notDeployedIn.length === 0 && unavailableIn.length > 0
      ? 'Unknown'
      : 'NotDeployed');
  // A cluster can hold the workload in several namespaces: it is ready when all are.
  const names = new Set(clusters.map(c => c.cluster));
  const notReady = new Set(
    clusters.filter(c => c.state !== 'Ready').map(c => c.cluster),
  );
  const readyClusters = [...names].filter(name => !notReady.has(name)).length;
  const versions = sortVersionsDesc(
    clusters.map(c => c.version).filter((v): v is string => !!v),
  );
  const oldest = versions[versions.length - 1];
  const targets = sortVersionsDesc(
    clusters.map(c => c.targetVersion).filter((v): v is string => !!v),
  );
  const digests = new Set(clusters.map(c => c.configDigest));
  const times = clusters
    .filter(c => c.state === state && c.since)
    .map(c => c.since!)
    .sort();
  return {
    environment,
    state,
    since: state === 'Ready' ? times[times.length - 1] : times[0],
    version: oldest,
    revision: clusters.find(c => c.version === oldest)?.revision,
    versions,
    targetVersion: targets[0],
    mixedVersions: versions.length > 1,
    configDigest: digests.size === 1 ? [...digests][0] : undefined,
    readyClusters,
    totalClusters: names.size,
    notDeployedIn,
    unavailableIn,
    clusters,
  };
}

/** Orders states worst first, as an environment's summary weighs them. */
export function worseFirst(a: ObjectState, b: ObjectState): number {
  return SEVERITY[b] - SEVERITY[a];
}
