import { kindOf } from '../kinds';
import { KubeObject } from '../types/objects';

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

/**
 * A Kustomization's or HelmRelease's `status.history`, newest first: the
 * revisions a Kustomization applied (kustomize-controller keeps them newest
 * first), the Helm releases of a HelmRelease by descending Helm revision
 * (helm-controller leaves the list unsorted after a rollback). Other kinds
 * have none.
 * @public
 */
export function objectHistory(obj: KubeObject): HistoryEntry[] {
  const history = obj.status?.history ?? [];
  switch (kindOf(obj)) {
    case 'Kustomization':
      return history.map(h => ({
        revision: h.metadata?.revision ?? h.digest ?? 'unknown',
        status: h.lastReconciledStatus,
        first: h.firstReconciled,
        last: h.lastReconciled,
        reconciliations: h.totalReconciliations,
      }));
    case 'HelmRelease':
      return history
        .map(h => ({
          revision: `${h.chartName ?? 'chart'}@${h.chartVersion ?? '?'}`,
          status: h.status,
          first: h.firstDeployed,
          last: h.lastDeployed,
          helmRevision: h.version,
          appVersion: h.appVersion,
          configDigest: h.configDigest,
        }))
        .sort((a, b) => (b.helmRevision ?? 0) - (a.helmRevision ?? 0));
    default:
      return [];
  }
}
