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

export function workloadId(w: WorkloadKey): string {
  return `${w.cluster}/${w.kind}/${w.namespace}/${w.name}`;
}
