import { KubernetesValidatorFunctions } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { EnvironmentConfig } from '@gitops-promotion/backstage-plugin-common/server';

/** The keys of an environment entry (config.d.ts). */
const ENVIRONMENT_KEYS = [
  'name',
  'title',
  'important',
  'notify',
  'severity',
  'clusters',
];

/**
 * Reads `gitopsPromotion.environments`. Every mistake stops startup with a
 * message naming the entry: a portal with a silently dropped environment
 * shows a wrong promotion story.
 */
export function readEnvironments(config: Config): EnvironmentConfig[] {
  const entries = config.getConfigArray('gitopsPromotion.environments');
  if (entries.length === 0) {
    throw new Error(
      'gitopsPromotion.environments is empty: list the environments in promotion order',
    );
  }
  const names = new Set<string>();
  const environments = entries.map((entry, i) => {
    const name = entry.getString('name');
    const where = `gitopsPromotion.environments[${i}] (${name})`;
    if (names.has(name)) {
      throw new Error(`${where}: environment name "${name}" is used twice`);
    }
    names.add(name);
    // A misplaced key (`namespaces:` beside `clusters:`) or a misspelt one
    // (`notfy:`) would silently claim whole clusters or keep the default.
    const unknown = entry.keys().filter(k => !ENVIRONMENT_KEYS.includes(k));
    if (unknown.length > 0) {
      throw new Error(
        `${where}: unknown key ${unknown.join(
          ', ',
        )}; an environment has ${ENVIRONMENT_KEYS.join(
          ', ',
        )} (namespaces go on a cluster entry: - cluster: prod-eu with namespaces)`,
      );
    }
    const listed = entry.getOptional('clusters') ?? [];
    if (!Array.isArray(listed)) {
      throw new Error(
        `${where}: clusters must be a list (- prod-eu, or - cluster: prod-eu with namespaces)`,
      );
    }
    const clusters = listed.map((c, j) =>
      readClusterEntry(c, `${where}.clusters[${j}]`),
    );
    if (clusters.length === 0) {
      throw new Error(
        `${where}: no clusters; an environment needs at least one cluster`,
      );
    }
    const seen = new Set<string>();
    for (const c of clusters) {
      if (seen.has(c.cluster)) {
        throw new Error(`${where}: cluster "${c.cluster}" is listed twice`);
      }
      seen.add(c.cluster);
    }
    return {
      name,
      title: entry.getOptionalString('title'),
      // The last two (staging and production in the usual flow) unless said otherwise.
      important:
        entry.getOptionalBoolean('important') ?? i >= entries.length - 2,
      clusters,
    };
  });
  rejectOverlaps(environments);
  return environments;
}

/**
 * A cluster (or namespace of one) in two environments would show the same
 * workload on both sides of a promotion step, always "equal".
 */
function rejectOverlaps(environments: EnvironmentConfig[]) {
  const claimed = new Map<
    string,
    Array<{ env: string; namespaces?: string[] }>
  >();
  for (const env of environments) {
    for (const { cluster, namespaces } of env.clusters) {
      const before = claimed.get(cluster) ?? [];
      for (const other of before) {
        const overlap =
          namespaces && other.namespaces
            ? namespaces.filter(ns => other.namespaces!.includes(ns))
            : undefined;
        if (overlap?.length === 0) continue;
        const what = overlap
          ? `namespaces ${overlap.join(', ')} of cluster "${cluster}" belong`
          : `cluster "${cluster}" belongs`;
        throw new Error(
          `gitopsPromotion.environments: ${what} to both "${other.env}" and "${env.name}"; environments must not share a cluster, or a namespace of a shared cluster`,
        );
      }
      claimed.set(cluster, [...before, { env: env.name, namespaces }]);
    }
  }
}

/** The journal's column, as for names and namespaces (the API server's bound). */
const MAX_CLUSTER_NAME = 253;

function readClusterEntry(
  value: unknown,
  where: string,
): EnvironmentConfig['clusters'][number] {
  const named = (cluster: string) => {
    if (cluster.length > MAX_CLUSTER_NAME) {
      throw new Error(
        `${where}: a cluster name of ${cluster.length} characters: the promotion journal stores names of up to ${MAX_CLUSTER_NAME}; give the cluster a shorter name`,
      );
    }
    return cluster;
  };
  if (typeof value === 'string' && value !== '') {
    return { cluster: named(value) };
  }
  if (
    value &&
    typeof value === 'object' &&
    'cluster' in value &&
    typeof value.cluster === 'string' &&
    value.cluster !== ''
  ) {
    // A misspelt key (`namespace:`) would silently claim the whole cluster.
    const unknown = Object.keys(value).filter(
      k => k !== 'cluster' && k !== 'namespaces',
    );
    if (unknown.length > 0) {
      throw new Error(
        `${where}: unknown key ${unknown.join(
          ', ',
        )}; a cluster entry has cluster and namespaces`,
      );
    }
    const cluster = named(value.cluster);
    const namespaces = 'namespaces' in value ? value.namespaces : undefined;
    if (namespaces === undefined) {
      return { cluster };
    }
    if (!Array.isArray(namespaces) || namespaces.length === 0) {
      throw new Error(
        `${where}: namespaces must be a non-empty list of namespace names`,
      );
    }
    for (const ns of namespaces) {
      if (
        typeof ns !== 'string' ||
        !KubernetesValidatorFunctions.isValidNamespace(ns)
      ) {
        throw new Error(`${where}: "${ns}" is not a valid namespace name`);
      }
    }
    return { cluster, namespaces: namespaces as string[] };
  }
  throw new Error(
    `${where}: expected a cluster name or { cluster, namespaces }`,
  );
}

/** Fails startup when an environment names a cluster no source provides. */
export function checkClustersExist(
  environments: EnvironmentConfig[],
  known: Set<string>,
): void {
  for (const env of environments) {
    for (const { cluster } of env.clusters) {
      if (!known.has(cluster)) {
        const list = [...known].sort().join(', ') || 'none';
        throw new Error(
          `gitopsPromotion.environments (${env.name}): unknown cluster "${cluster}". Known clusters: ${list}. ` +
            'Add it to kubernetes.clusterLocatorMethods (type config), to the fixtures directory, or add a locator of type catalog and a Resource of spec.type kubernetes-cluster named so.',
        );
      }
    }
  }
}
