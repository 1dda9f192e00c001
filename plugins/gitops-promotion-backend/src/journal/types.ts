import {
  FailureCategory,
  ObjectState,
  WorkloadKind,
} from '@gitops-promotion/backstage-plugin-common';

/** A workload in one cluster. */
export interface WorkloadKey {
  cluster: string;
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

/** One change of a workload in one cluster: what it became, and when. */
export interface JournalEntry extends WorkloadKey {
  /** When it changed, from the objects' own timestamps where they have them. */
  at: Date;
  /** When a backend first recorded it. */
  observedAt: Date;
  state: ObjectState;
  reason?: string;
  /** The version running. */
  version?: string;
  /** The version being rolled out, when it differs from the running one. */
  targetVersion?: string;
  /** The root cause's summary, when the workload is not Ready. */
  summary?: string;
  category?: FailureCategory;
}

/**
 * An entry to write. `untimedAfter` is set when no object timestamp placed
 * it (it is timed when this backend saw it, which differs between
 * replicas): the time of the writer's last entry of the workload, after
 * which the same change written by another replica makes this one a
 * duplicate.
 */
export interface PendingEntry extends JournalEntry {
  untimedAfter?: Date;
}

export function workloadId(w: WorkloadKey): string {
  return `${w.cluster}/${w.kind}/${w.namespace}/${w.name}`;
}
