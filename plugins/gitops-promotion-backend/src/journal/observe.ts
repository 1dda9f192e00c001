import {
  ClusterCell,
  KubeObject,
  objectHistory,
  WorkloadKind,
} from '@gitops-promotion/backstage-plugin-common';
import { JournalEntry, WorkloadKey } from './types';

/** What the journal keeps of a cell; a change of any of it is an entry. */
type Observed = Pick<
  JournalEntry,
  'state' | 'reason' | 'version' | 'targetVersion' | 'summary' | 'category'
>;

function observed(cell: ClusterCell): Observed {
  return {
    state: cell.state,
    ...(cell.reason ? { reason: cell.reason } : {}),
    ...(cell.version ? { version: cell.version } : {}),
    ...(cell.targetVersion ? { targetVersion: cell.targetVersion } : {}),
    ...(cell.state !== 'Ready' && cell.rootCause
      ? {
          summary: cell.rootCause.summary,
          category: cell.rootCause.category,
        }
      : {}),
  };
}

/** Whether the cell says something the last entry does not (its summary's wording aside). */
function differs(last: JournalEntry, now: Observed): boolean {
  return (
    last.state !== now.state ||
    last.reason !== now.reason ||
    last.version !== now.version ||
    last.targetVersion !== now.targetVersion
  );
}

function parseTime(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

/**
 * When the running revision was first applied (Kustomization) or deployed
 * (HelmRelease), from the object's `status.history`: the newest entry of
 * that revision.
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
  return parseTime(entry?.first);
}

/**
 * The journal entry a workload's cell makes after `last`, or undefined
 * when nothing changed. Timed by the objects: a new version by the
 * history entry that deployed it, a new state by its condition's
 * lastTransitionTime, so a change made while no backend watched is placed
 * when it happened, and replicas seeing the same change time it alike.
 * Without a timestamp after the last entry, the time it was seen.
 */
export function journalEntryOf(options: {
  workload: WorkloadKey;
  root: KubeObject;
  cell: ClusterCell;
  last?: JournalEntry;
  now: Date;
}): JournalEntry | undefined {
  const { workload, root, cell, last, now } = options;
  const next = observed(cell);
  if (last && !differs(last, next)) return undefined;
  const newVersion = !last || last.version !== next.version;
  const candidates = [
    newVersion ? versionTime(workload.kind, root, cell) : undefined,
    parseTime(cell.since),
  ];
  const at =
    candidates.find(
      (t): t is Date => !!t && (!last || t.getTime() > last.at.getTime()),
    ) ?? now;
  return { ...workload, at, observedAt: now, ...next };
}
