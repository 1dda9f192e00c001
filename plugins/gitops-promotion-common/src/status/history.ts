import { kindOf } from '../kinds';
import { KubeObject } from '../types/objects';
import { isRecord } from '../util/isRecord';

/** One revision a workload ran, from its `status.history`. @public */
export interface HistoryEntry {
  /**
   * What ran: the source revision a Kustomization applied
   * (`main@sha1:…`), or the chart a HelmRelease released (`name@version`).
   */
  revision: string;
  /**
   * The outcome: a Kustomization's `lastReconciledStatus`
   * (`ReconciliationSucceeded`, …), a Helm release's status (`deployed`,
   * `superseded`, `failed`, …); absent in older HelmRelease snapshots.
   */
  status?: string;
  /** When it was first applied or deployed. */
  first?: string;
  /** When it was last reconciled (Kustomization) or deployed (HelmRelease). */
  last?: string;
  /** Kustomization: how many reconciles applied this revision. */
  reconciliations?: number;
  /** HelmRelease: the Helm release revision (`<name>.v<N>`). */
  helmRevision?: number;
  appVersion?: string;
  /** HelmRelease: digest of the values it ran with. */
  configDigest?: string;
}

/** The most entries read: Flux keeps 5 (`--history-limit` moves it), a hostile object holds any number. */
const MAX_HISTORY = 50;

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
const count = (v: unknown) =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/** The entries of `status.history` that are objects, as read from a cluster (anything may be there). */
function snapshots(obj: KubeObject): Array<Record<string, unknown>> {
  const history: unknown = obj.status?.history;
  return Array.isArray(history)
    ? history.filter(isRecord).slice(0, MAX_HISTORY)
    : [];
}

/**
 * A Kustomization's or HelmRelease's `status.history`, newest first: the
 * revisions a Kustomization applied (kustomize-controller keeps them newest
 * first), the Helm releases of a HelmRelease by descending Helm revision
 * (helm-controller leaves the list unsorted after a rollback). Other kinds
 * have none. Fields of another type than Flux writes are left out.
 * @public
 */
export function objectHistory(obj: KubeObject): HistoryEntry[] {
  const history = snapshots(obj);
  switch (kindOf(obj)) {
    case 'Kustomization':
      return history.map(h => ({
        revision:
          text(isRecord(h.metadata) ? h.metadata.revision : undefined) ??
          text(h.digest) ??
          'unknown',
        status: text(h.lastReconciledStatus),
        first: text(h.firstReconciled),
        last: text(h.lastReconciled),
        reconciliations: count(h.totalReconciliations),
      }));
    case 'HelmRelease':
      return history
        .map(h => ({
          revision: `${text(h.chartName) ?? 'chart'}@${
            text(h.chartVersion) ?? '?'
          }`,
          status: text(h.status),
          first: text(h.firstDeployed),
          last: text(h.lastDeployed),
          helmRevision: count(h.version),
          appVersion: text(h.appVersion),
          configDigest: text(h.configDigest),
        }))
        .sort((a, b) => (b.helmRevision ?? 0) - (a.helmRevision ?? 0));
    default:
      return [];
  }
}
