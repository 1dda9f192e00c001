import { EnvironmentCell } from '../types/view';

/**
 * A git tag as the plugin wrote it before (`v1.3.0`) and as it writes it
 * now, with its commit (`v1.3.0@06a5a13`): the same version, not one to
 * tell. The baseline then takes the new form, so a tag moved later is told.
 */
function sameGitTag(a: string | undefined, b: string): boolean {
  const bare = (v: string) => v.replace(/@[0-9a-f]{7}$/, '');
  return !!a && a !== b && (bare(a) === b || bare(b) === a);
}

/**
 * What an environment tells the owners of its workloads: failures, failures
 * and each new version that reaches it, or nothing.
 * @public
 */
export type NotifyMode = 'failures' | 'changes' | 'none';

/** How the notification rules wait and bound. @public */
export interface NotificationTiming {
  /** How long a failure (or a recovery) must last before it is told. */
  delayMs: number;
  /** The least time between two notifications of one scope that call for attention. */
  minIntervalMs: number;
}

/**
 * What a workload in one environment looks like to the notification rules:
 * failing (with the identity of its failure), healthy (with the version it
 * runs), absent (removed from every cluster), or unknown — stale data, work
 * in progress, a suspension — about which nothing is said.
 * @public
 */
export type EnvironmentObservation =
  | {
      condition: 'failing';
      /** The identity of the failure: a different one updates the notification. */
      failure: string;
      since?: string;
    }
  | { condition: 'healthy'; version?: string; since?: string }
  /** Every cluster of the environment answered: none runs the workload. */
  | { condition: 'absent' }
  | { condition: 'unknown' };

/**
 * The kinds of notification of a scope. `ended`: a failure told is over
 * without a recovery, as the workload left the environment (or what
 * notifies of it).
 * @public
 */
export type NotificationKind = 'failure' | 'recovery' | 'version' | 'ended';

/**
 * What the rules remember of one scope (an entity's workload in one
 * environment) between two checks.
 * @public
 */
export interface NotificationState {
  /** The last condition seen (held while the environment is unknown). */
  condition: 'failing' | 'healthy';
  /** Since when (ISO 8601): the objects' transition time where they tell it. */
  since: string;
  /** While failing: the identity of the failure. */
  failure?: string;
  /** The version last seen healthy (told, in mode `changes`). */
  version?: string;
  /** In mode `changes`: a version not told yet, and since when it runs healthy. */
  newVersion?: { version?: string; since: string };
  /** The last notification sent for this scope. */
  sent?: {
    kind: NotificationKind;
    at: string;
    /** For a failure: which one, and since when it was failing. */
    failure?: string;
    since?: string;
    /** For a version: which one. */
    version?: string;
  };
  /** When a notification calling for attention (failure, version) was last sent. */
  attentionAt?: string;
  /** Since when no cluster of the environment runs the workload. */
  absentSince?: string;
}

/** The outcome of {@link decideNotification}. @public */
export interface NotificationDecision {
  /**
   * The state to remember (the previous one when nothing changed);
   * undefined with a previous state: forget it.
   */
  state: NotificationState | undefined;
  /** What to send now, if anything. */
  send?: NotificationKind;
  /**
   * With `send`: since when what it tells is true (failing, healthy again,
   * or the new version running healthy).
   */
  since?: string;
}

/**
 * What the rules see of an environment cell. A failure counts only where
 * the failing clusters' data is fresh, and health only where every cluster
 * of the cell is fresh and none of the environment's clusters is
 * unavailable: stale data sends nothing. The failure's identity is its root
 * causes (object, category, reason), not their messages, which carry
 * changing details.
 * @public
 */
export function observeEnvironment(
  cell: EnvironmentCell,
): EnvironmentObservation {
  if (cell.state === 'Failed') {
    const failing = cell.clusters.filter(c => c.state === 'Failed');
    if (failing.some(c => c.staleSince)) return { condition: 'unknown' };
    const causes = failing.map(c => {
      const cause = c.rootCause;
      return cause
        ? `${cause.ref.kind}/${cause.ref.namespace}/${cause.ref.name}:${
            cause.category
          }:${cause.reason ?? ''}`
        : `${c.reason ?? ''}`;
    });
    return {
      condition: 'failing',
      failure: [...new Set(causes)].sort().join('\n'),
      since: cell.since,
    };
  }
  if (cell.state === 'NotDeployed' && cell.unavailableIn.length === 0) {
    return { condition: 'absent' };
  }
  if (
    cell.state === 'Ready' &&
    cell.unavailableIn.length === 0 &&
    cell.clusters.every(c => !c.staleSince)
  ) {
    return { condition: 'healthy', version: cell.version, since: cell.since };
  }
  return { condition: 'unknown' };
}

/** An ISO time from the objects, when it is a valid time between `after` and `now`. */
function objectTime(
  value: string | undefined,
  now: Date,
  after?: string,
): string | undefined {
  const t = value ? Date.parse(value) : NaN;
  if (Number.isNaN(t) || t > now.getTime()) return undefined;
  if (after && t < Date.parse(after)) return undefined;
  return new Date(t).toISOString();
}

const elapsed = (since: string | undefined, now: Date) =>
  since === undefined ? Infinity : now.getTime() - Date.parse(since);

/**
 * The notification rules of one scope (an entity's workload in one
 * environment), pure: given what was remembered, what is seen now and the
 * environment's mode, what to remember and what to send.
 *
 * - A failure is sent once it has lasted `delayMs`, never again while it
 *   lasts; a failure that ends within the delay sends nothing.
 * - The same notification is updated when the failure changes (a root
 *   cause not told since the workload last recovered: causes that come
 *   and go as clusters retry are not a change) or when the workload has
 *   been healthy for `delayMs` ("recovered").
 * - Notifications calling for attention (a failure, a new version) are at
 *   least `minIntervalMs` apart: a flapping workload is told once per
 *   interval, and then with what is true at that time. A recovery update
 *   is not bounded: it ends what was told.
 * - In `changes` mode, a version that reaches the environment (healthy
 *   for `delayMs`) is told too; the first version seen is not a change.
 * - Unknown (stale data, in progress, suspended) changes nothing and
 *   sends nothing.
 * - A workload absent from every cluster for `delayMs` is forgotten: what
 *   was told of it is over (a failure told is ended by an update), and a
 *   later deployment starts afresh (its failure is told again, even the
 *   same one). Absent for less, it is remembered as it was.
 *
 * @public
 */
export function decideNotification(options: {
  previous: NotificationState | undefined;
  observation: EnvironmentObservation;
  mode: NotifyMode;
  timing: NotificationTiming;
  now: Date;
}): NotificationDecision {
  const { previous, observation, mode, timing, now } = options;
  if (mode === 'none' || observation.condition === 'unknown') {
    return { state: previous };
  }
  if (observation.condition === 'absent') {
    if (!previous) return { state: undefined };
    if (previous.absentSince === undefined) {
      return { state: { ...previous, absentSince: now.toISOString() } };
    }
    if (elapsed(previous.absentSince, now) < timing.delayMs) {
      return { state: previous };
    }
    // A failure told and not recovered would read "failing" for ever.
    return previous.sent?.kind === 'failure'
      ? { state: undefined, send: 'ended', since: previous.absentSince }
      : { state: undefined };
  }
  // Nothing to remember of a healthy workload nobody was told about, unless
  // its version is the baseline of changes.
  if (!previous && observation.condition === 'healthy' && mode !== 'changes') {
    return { state: undefined };
  }
  const nowIso = now.toISOString();
  const { condition } = observation;
  // The transition time the objects tell, when it comes after what was seen;
  // otherwise the first check that saw the new condition.
  const state: NotificationState =
    previous?.condition === condition
      ? { ...previous }
      : {
          ...previous,
          condition,
          since:
            objectTime(observation.since, now, previous?.since) ??
            (previous ? nowIso : objectTime(observation.since, now) ?? nowIso),
        };
  delete state.absentSince;
  if (observation.condition === 'failing') {
    state.failure = observation.failure;
  } else {
    delete state.failure;
  }
  const lasted = elapsed(state.since, now) >= timing.delayMs;
  const attentionAllowed =
    elapsed(state.attentionAt, now) >= timing.minIntervalMs;

  let send: NotificationKind | undefined;
  let versionSince: string | undefined;
  // The root causes told since the workload last recovered: a cause comes
  // and goes as its cluster retries (Progressing between failures), and
  // only one not told yet is a different failure.
  const told =
    previous?.sent?.kind === 'failure'
      ? causesOf(previous.sent.failure)
      : undefined;
  if (observation.condition === 'failing') {
    const untold =
      !told || [...causesOf(observation.failure)].some(c => !told.has(c));
    if (lasted && untold && attentionAllowed) send = 'failure';
  } else {
    const { version } = observation;
    const changed =
      mode === 'changes' &&
      state.version !== undefined &&
      version !== state.version &&
      !sameGitTag(version, state.version);
    // A new version is told once it has been healthy for the delay too.
    if (!changed) {
      delete state.newVersion;
    } else if (state.newVersion?.version !== version) {
      state.newVersion = {
        version,
        since: objectTime(observation.since, now, state.since) ?? nowIso,
      };
    }
    if (lasted && previous?.sent?.kind === 'failure') {
      send = 'recovery';
    } else if (
      changed &&
      elapsed(state.newVersion?.since, now) >= timing.delayMs &&
      attentionAllowed
    ) {
      send = 'version';
      versionSince = state.newVersion?.since;
    }
    // The version told, or the first one seen (the baseline of changes);
    // a change held back is told when the delay and the interval allow.
    if (send || (lasted && !changed)) {
      state.version = version;
      delete state.newVersion;
    }
  }
  if (send) {
    state.sent = {
      kind: send,
      at: nowIso,
      ...(send === 'failure'
        ? {
            failure: [...new Set([...(told ?? []), ...causesOf(state.failure)])]
              .sort()
              .join('\n'),
            since: state.since,
          }
        : {}),
      ...(send === 'version' ? { version: state.version } : {}),
    };
    if (send !== 'recovery') state.attentionAt = nowIso;
  }
  return {
    state: sameState(previous, state) ? previous : state,
    ...(send && { send, since: versionSince ?? state.since }),
  };
}

/** The root causes of a failure's identity (observeEnvironment). */
function causesOf(failure: string | undefined): Set<string> {
  return new Set(failure ? failure.split('\n') : []);
}

function sameState(
  a: NotificationState | undefined,
  b: NotificationState,
): boolean {
  return !!a && JSON.stringify(a) === JSON.stringify(b);
}
