import { WorkloadKind } from '../kinds';
import { FailureCategory, ObjectState } from './view';

/**
 * One change of a workload in one cluster, from the promotion journal:
 * its running version or state changed. @public
 */
export interface PromotionHistoryEntry {
  /** The workload's row in the promotion view (`<kind>/<name>`). */
  workload: string;
  kind: WorkloadKind;
  name: string;
  environment: string;
  cluster: string;
  namespace: string;
  /** When it changed, from the objects' own timestamps where they have them. */
  at: string;
  state: ObjectState;
  reason?: string;
  /** The version running from then on. */
  version?: string;
  /** The version being rolled out, when it differs from the running one. */
  targetVersion?: string;
  /** The root cause in one sentence, when the workload is not Ready. */
  summary?: string;
  category?: FailureCategory;
}

/** A page of the history endpoint, newest first. @public */
export interface PromotionHistoryPage {
  entries: PromotionHistoryEntry[];
  /** Pass as `cursor` for the next (older) page; absent on the last one. */
  nextCursor?: string;
}
