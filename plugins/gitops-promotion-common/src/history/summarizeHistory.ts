import { PromotionHistoryEntry } from '../types/history';

/** Where and when a version first ran Ready in one cluster. @public */
export interface ClusterArrival {
  cluster: string;
  reachedAt: string;
  /**
   * It already ran there, not Ready, when the journal first recorded the
   * cluster (a failing upgrade from it, say): it got there before
   * `reachedAt`, how long before is not known.
   */
  before?: boolean;
  /** When another version replaced it there; absent while it still runs. */
  leftAt?: string;
}

/** One version in one environment. @public */
export interface VersionInEnvironment {
  environment: string;
  /** First Ready in any cluster of the environment. */
  reachedAt?: string;
  /**
   * A cluster's arrival is only known to precede its record
   * (ClusterArrival.before): the environment was reached at reachedAt or
   * earlier, and stayedMs is a lower bound.
   */
  reachedBefore?: boolean;
  clusters: ClusterArrival[];
  /** Times a rollout of this version failed there. */
  failedAttempts: number;
  /** How long it ran there: from reachedAt until the last cluster moved on; absent while it still runs. */
  stayedMs?: number;
  /** Still running in a cluster of the environment. */
  current: boolean;
}

/** A version of a workload across the environments. @public */
export interface VersionHistory {
  version: string;
  /** One per environment, in the configured order. */
  environments: VersionInEnvironment[];
  /**
   * From its first arrival anywhere to its arrival in the last environment;
   * absent when an arrival is only known to precede a record.
   */
  leadTimeMs?: number;
}

/** A failure of a workload in one cluster and its recovery. @public */
export interface FailureSpan {
  cluster: string;
  failedAt: string;
  summary?: string;
  /** The next Ready; absent while it still fails. */
  recoveredAt?: string;
  /** Time to restore. */
  restoreMs?: number;
}

/** The failures of a workload in one environment. @public */
export interface EnvironmentFailures {
  environment: string;
  failures: FailureSpan[];
  /** Mean time to restore of the recovered ones. */
  meanRestoreMs?: number;
}

/** The history of one workload. @public */
export interface WorkloadHistory {
  workload: string;
  /** Newest first: by when they first arrived anywhere. */
  versions: VersionHistory[];
  environments: EnvironmentFailures[];
}

const ms = (iso: string) => new Date(iso).getTime();

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Walks one cluster's entries, oldest first; `cut` when older entries may
 * exist that were not read.
 */
function walkCluster(entries: PromotionHistoryEntry[], cut: boolean) {
  const arrivals = new Map<string, ClusterArrival[]>();
  const attempts = new Map<string, number>();
  const failures: FailureSpan[] = [];
  let running: { version: string; arrival: ClusterArrival } | undefined;
  let failing: FailureSpan | undefined;
  // The version the open failure span last counted a failed attempt of.
  let counted: string | undefined;
  for (const [i, e] of entries.entries()) {
    if (running && e.version !== running.version) {
      running.arrival.leftAt ??= e.at;
      running = undefined;
    }
    // The first record of a cluster names what already runs there, Ready or not.
    if (e.version && !running && (e.state === 'Ready' || i === 0)) {
      // Not Ready at its first record, or a record past a cut: it got
      // there earlier, how much earlier is not known.
      const known = e.state === 'Ready' && !(i === 0 && cut);
      const arrival: ClusterArrival = {
        cluster: e.cluster,
        reachedAt: e.at,
        ...(known ? {} : { before: true }),
      };
      running = { version: e.version, arrival };
      arrivals.set(e.version, [...(arrivals.get(e.version) ?? []), arrival]);
    }
    if (e.state === 'Failed') {
      if (!failing) {
        failing = { cluster: e.cluster, failedAt: e.at, summary: e.summary };
        failures.push(failing);
        counted = undefined;
      }
      // A rollout of another version that fails while the first still
      // does is an attempt of its own; the span (time to restore) goes on.
      const attempted = e.targetVersion ?? e.version;
      if (attempted && attempted !== counted) {
        attempts.set(attempted, (attempts.get(attempted) ?? 0) + 1);
        counted = attempted;
      }
    } else if (e.state === 'Ready' && failing) {
      failing.recoveredAt = e.at;
      failing.restoreMs = ms(e.at) - ms(failing.failedAt);
      failing = undefined;
    }
  }
  return { arrivals, attempts, failures };
}

/**
 * Reads the journal's entries of an entity as a promotion history: per
 * workload, each version newest first with when it reached each
 * environment (first Ready in any of its clusters), its failed rollouts
 * there and how long it stayed, its lead time from the first environment
 * to the last; per environment, the failures and their time to restore.
 * `environments` in the configured order; entries in any order;
 * `truncated` when they are the newest of more (older ones not read): each
 * cluster's first entry is then only known to follow its arrival.
 * @public
 */
export function summarizeHistory(
  entries: PromotionHistoryEntry[],
  environments: string[],
  now: Date,
  options: { truncated?: boolean } = {},
): WorkloadHistory[] {
  const result: WorkloadHistory[] = [];
  for (const [workload, ofWorkload] of groupBy(entries, e => e.workload)) {
    // version → environment → what happened there
    const perVersion = new Map<string, Map<string, VersionInEnvironment>>();
    const failures = new Map<string, FailureSpan[]>();
    const cellOf = (version: string, environment: string) => {
      const envs = perVersion.get(version) ?? new Map();
      perVersion.set(version, envs);
      const cell: VersionInEnvironment = envs.get(environment) ?? {
        environment,
        clusters: [],
        failedAttempts: 0,
        current: false,
      };
      envs.set(environment, cell);
      return cell;
    };
    // One timeline per copy: a row may run in several namespaces of a cluster.
    const byCluster = groupBy(
      ofWorkload,
      e => `${e.environment}/${e.cluster}/${e.namespace}`,
    );
    for (const clusterEntries of byCluster.values()) {
      const sorted = [...clusterEntries].sort((a, b) => ms(a.at) - ms(b.at));
      const { environment } = sorted[0];
      const walked = walkCluster(sorted, options.truncated ?? false);
      for (const [version, arrivals] of walked.arrivals) {
        cellOf(version, environment).clusters.push(...arrivals);
      }
      for (const [version, count] of walked.attempts) {
        cellOf(version, environment).failedAttempts += count;
      }
      failures.set(environment, [
        ...(failures.get(environment) ?? []),
        ...walked.failures,
      ]);
    }

    const versions: VersionHistory[] = [...perVersion].map(
      ([version, envs]) => {
        const cells = environments.map(environment => {
          const cell = envs.get(environment) ?? {
            environment,
            clusters: [],
            failedAttempts: 0,
            current: false,
          };
          cell.clusters.sort((a, b) => ms(a.reachedAt) - ms(b.reachedAt));
          const first = cell.clusters[0];
          if (!first) return cell;
          const current = cell.clusters.some(c => !c.leftAt);
          const left = Math.max(...cell.clusters.map(c => ms(c.leftAt ?? '')));
          return {
            ...cell,
            reachedAt: first.reachedAt,
            ...(cell.clusters.some(c => c.before)
              ? { reachedBefore: true }
              : {}),
            current,
            ...(current ? {} : { stayedMs: left - ms(first.reachedAt) }),
          };
        });
        const reached = cells.filter(c => c.reachedAt);
        const last = cells[cells.length - 1];
        // An arrival only known to precede a record could be the first.
        const known = !reached.some(c => c.reachedBefore);
        const firstArrival = Math.min(...reached.map(c => ms(c.reachedAt!)));
        return {
          version,
          environments: cells,
          ...(last?.reachedAt && reached.length > 1 && known
            ? { leadTimeMs: ms(last.reachedAt) - firstArrival }
            : {}),
        };
      },
    );
    const firstSeen = (v: VersionHistory) =>
      Math.min(
        ...v.environments.map(c =>
          c.reachedAt ? ms(c.reachedAt) : now.getTime(),
        ),
      );
    versions.sort((a, b) => firstSeen(b) - firstSeen(a));

    result.push({
      workload,
      versions,
      environments: environments.map(environment => {
        const spans = (failures.get(environment) ?? []).sort(
          (a, b) => ms(b.failedAt) - ms(a.failedAt),
        );
        const restored = spans.filter(s => s.restoreMs !== undefined);
        return {
          environment,
          failures: spans,
          ...(restored.length > 0
            ? {
                meanRestoreMs:
                  restored.reduce((sum, s) => sum + s.restoreMs!, 0) /
                  restored.length,
              }
            : {}),
        };
      }),
    });
  }
  return result.sort((a, b) => a.workload.localeCompare(b.workload));
}
