import {
  ClusterCell,
  KubeObject,
  objectHistory,
  WorkloadKind,
} from '@gitops-promotion/backstage-plugin-common';
import {
  clipText,
  shortRevision,
} from '@gitops-promotion/backstage-plugin-common/server';
import { JournalEntry, PendingEntry, WorkloadKey } from './types';
import { answerText } from '../text/answerText';

/** What the journal keeps of a cell; a change of any of it is an entry. */
type Observed = Pick<
  JournalEntry,
  'state' | 'reason' | 'version' | 'targetVersion' | 'summary' | 'category'
>;

/** The journal's columns for what clusters write (reason, versions: varchar(255)). */
const MAX_FIELD = 255;
/** A root cause's summary quotes Flux's messages, which have no bound. */
const MAX_SUMMARY = 2000;
/** How far ahead of this backend's clock an object's time still places a change. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Cluster text as a column takes it: without NUL characters (PostgreSQL
 * refuses them in text) and clipped, so one odd object cannot fail the
 * batch it is written in; a URL's password is never stored.
 */
function columnText(value: string, max = MAX_FIELD): string {
  return clipText(value.replaceAll('\u0000', ''), max);
}

function observed(cell: ClusterCell): Observed {
  return {
    state: cell.state,
    ...(cell.reason ? { reason: columnText(cell.reason) } : {}),
    ...(cell.version ? { version: columnText(cell.version) } : {}),
    ...(cell.targetVersion
      ? { targetVersion: columnText(cell.targetVersion) }
      : {}),
    ...(cell.state !== 'Ready' && cell.rootCause
      ? {
          // Kept as answers show it: no URL password at rest either.
          summary: columnText(answerText(cell.rootCause.summary), MAX_SUMMARY),
          category: cell.rootCause.category,
        }
      : {}),
  };
}

/**
 * What the journal remembers of a workload's last entry: its time and what
 * it said, in one string (a backend holds one per workload of the fleet).
 */
export interface LastSeen {
  atMs: number;
  said: string;
  version?: string;
}

/** What an entry says, as compared: its summary's wording aside. */
function saying(e: Observed): string {
  return JSON.stringify([e.state, e.reason, e.version, e.targetVersion]);
}

export function lastSeenOf(entry: JournalEntry): LastSeen {
  return {
    atMs: entry.at.getTime(),
    said: saying(entry),
    ...(entry.version ? { version: entry.version } : {}),
  };
}

/**
 * What the journal remembers of a workload gone from its cluster: its last
 * entry's time, saying nothing (no entry says ''), so when it comes back,
 * recreated even as it was, it makes an entry again, timed after that one.
 */
export function goneAfter(last: LastSeen): LastSeen {
  return { atMs: last.atMs, said: '' };
}

/**
 * A time an object gives, when it is one to place an entry at: a time
 * before 1970 is a cluster's unset clock, and outside what the history's
 * cursor carries.
 */
function parseTime(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) || time.getTime() < 0 ? undefined : time;
}

/**
 * When the running revision was first applied (Kustomization) or deployed
 * (HelmRelease), from the object's `status.history`: the newest entry of
 * that revision. A Helm release's `firstDeployed` is the release's first
 * install, carried into every revision (as captured from real Flux), so a
 * HelmRelease's revision is timed by its `lastDeployed`.
 */
function versionTime(
  kind: WorkloadKind,
  root: KubeObject,
  cell: ClusterCell,
): Date | undefined {
  if (!cell.revision) return undefined;
  const entry = objectHistory(root).find(h =>
    kind === 'HelmRelease'
      ? h.revision.endsWith(`@${cell.revision}`) &&
        (h.status === undefined || h.status === 'deployed')
      : h.revision === cell.revision,
  );
  return parseTime(kind === 'HelmRelease' ? entry?.last : entry?.first);
}

/**
 * The journal entry a workload's cell makes after `last`, or undefined
 * when nothing changed: neither what it says nor, by its `status.history`,
 * the version running meanwhile (a return to the last entry's version is
 * a change). Timed by the objects: a new version by the history entry that
 * deployed it, a new state by its condition's lastTransitionTime, so a
 * change made while no backend watched is placed when it happened, and
 * replicas seeing the same change time it alike; never before the versions
 * the history says ran since the last entry. Without such a timestamp, the
 * time it was seen, marked `untimedAfter` the writer's previous entry
 * (JournalStore.append writes it once).
 */
export function journalEntryOf(options: {
  workload: WorkloadKey;
  root: KubeObject;
  cell: ClusterCell;
  last?: LastSeen;
  now: Date;
}): PendingEntry | undefined {
  const { workload, root, cell, last, now } = options;
  const next = observed(cell);
  const changes = versionChanges(workload.kind, root, last, now);
  if (last && last.said === saying(next) && changes.length === 0) {
    return undefined;
  }
  const newVersion =
    !last || last.version !== next.version || changes.length > 0;
  const deployed = newVersion
    ? versionTime(workload.kind, root, cell)
    : undefined;
  // A new version that is Ready arrived when it was deployed; one in
  // another state got there at its condition's time (for a HelmRelease,
  // missedVersions adds its Ready run from the deployment before that).
  const candidates =
    next.state === 'Ready'
      ? [deployed, parseTime(cell.since)]
      : [parseTime(cell.since), deployed];
  // After the last entry and the other versions that ran since, which
  // missedVersions writes before it.
  const after = Math.max(
    last?.atMs ?? -Infinity,
    ...changes.filter(c => c.version !== next.version).map(c => c.at.getTime()),
  );
  // A time well after now is a cluster's clock ahead of ours: not a time
  // to place a change at (it would sort after changes made later). A few
  // minutes are clocks apart: a replica whose clock is behind must time
  // the change as the others do, or it records it a second time.
  const timed = candidates.find(
    (t): t is Date =>
      !!t &&
      t.getTime() <= now.getTime() + CLOCK_SKEW_MS &&
      t.getTime() > after,
  );
  return {
    ...workload,
    // Untimed, it is seen now, yet after the entry it follows, whatever
    // this replica's clock says.
    at: timed ?? new Date(Math.max(now.getTime(), after + 1)),
    observedAt: now,
    ...next,
    ...(timed ? {} : { untimedAfter: new Date(Math.max(after, 0)) }),
  };
}

/** The version a history entry ran, as cells name versions; undefined when it did not run. */
function historyVersion(
  kind: WorkloadKind,
  h: ReturnType<typeof objectHistory>[number],
): { version: string; at?: Date } | undefined {
  if (kind === 'HelmRelease') {
    // A failed revision says nothing of what ran; a Helm history entry
    // without a status (older snapshots) did run.
    if (
      h.status !== undefined &&
      h.status !== 'deployed' &&
      h.status !== 'superseded'
    ) {
      return undefined;
    }
    const version = h.revision.slice(h.revision.lastIndexOf('@') + 1);
    return version === '?'
      ? undefined
      : { version: columnText(version), at: parseTime(h.last) };
  }
  if (kind === 'Kustomization') {
    // A revision whose last reconcile failed never applied (kustomize-
    // controller keeps one entry per revision, with its latest status).
    if (h.status !== undefined && h.status !== 'ReconciliationSucceeded') {
      return undefined;
    }
    return {
      version: columnText(shortRevision(h.revision)),
      at: parseTime(h.first),
    };
  }
  return undefined;
}

/**
 * Whether the history entry of a non-Ready entry's own version says it ran
 * before it failed: a Helm revision recorded as deployed did; a
 * Kustomization's entry keeps only its revision's latest reconcile status,
 * which says nothing of an earlier healthy run.
 */
function ranBefore(kind: WorkloadKind, entry: JournalEntry): boolean {
  return entry.state !== 'Ready' && kind === 'HelmRelease';
}

/** A version a history entry says ran, from when. */
interface Run {
  version: string;
  at: Date;
}

/**
 * The changes of version a workload's `status.history` shows after the
 * last entry and by `now`, oldest first: each run of a version other than
 * the one before it (first, the last entry's). A return to an earlier
 * version is one (6.5.0, 6.6.0, 6.5.0 again); a redeploy of the running
 * version is none.
 */
function versionChanges(
  kind: WorkloadKind,
  root: KubeObject,
  last: LastSeen | undefined,
  now: Date,
): Run[] {
  const after = last?.atMs ?? -Infinity;
  const runs = objectHistory(root)
    .map(h => historyVersion(kind, h))
    .filter(
      (h): h is Run =>
        !!h?.at && h.at.getTime() > after && h.at.getTime() <= now.getTime(),
    )
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  return runs.filter(
    (run, i) => run.version !== (i === 0 ? last?.version : runs[i - 1].version),
  );
}

/**
 * The versions a workload's `status.history` says ran after the last
 * entry and before `entry`, which no backend saw (all were down, or this
 * is the journal's first look at it): each change of version Ready from
 * when it was deployed (a HelmRelease revision's lastDeployed, a
 * Kustomization revision's first reconcile), oldest first, a return to an
 * earlier version included; the entry's own version last only for a
 * HelmRelease whose entry is not Ready (deployed, then something failed).
 * Timed by the object, like every entry, so replicas write the same rows.
 */
export function missedVersions(options: {
  workload: WorkloadKey;
  root: KubeObject;
  entry: JournalEntry;
  last?: LastSeen;
  now: Date;
}): JournalEntry[] {
  const { workload, root, entry, last, now } = options;
  const missed = versionChanges(workload.kind, root, last, now).filter(
    run => run.at.getTime() < entry.at.getTime(),
  );
  // The entry's own deployment is the entry, unless it ran before failing.
  if (
    missed.at(-1)?.version === entry.version &&
    !ranBefore(workload.kind, entry)
  ) {
    missed.pop();
  }
  return missed.map(run => ({
    ...workload,
    at: run.at,
    observedAt: now,
    state: 'Ready' as const,
    version: run.version,
  }));
}
