import { describeRef } from './chain/refs';
import {
  RECONCILE_DISABLED_ANNOTATION,
  RECONCILE_DISABLED_REASON,
} from './status/classifyObject';
import { ChainLink, ObjectRef } from './types/view';

/** What a user may do to a Flux object or KuboCD Release of an entity. @public */
export type ObjectAction = 'reconcile' | 'suspend' | 'resume';

/** Every action, for validating a request. @public */
export const OBJECT_ACTIONS: ObjectAction[] = [
  'reconcile',
  'suspend',
  'resume',
];

const DONE: Record<ObjectAction, string> = {
  reconcile: 'Requested a reconcile of',
  suspend: 'Suspended',
  resume: 'Resumed',
};

/** What the backend answers once the cluster accepted an action's patch. @public */
export function actionDone(
  action: ObjectAction,
  ref: Pick<ObjectRef, 'kind' | 'namespace' | 'name' | 'cluster'>,
): string {
  return `${DONE[action]} ${describeRef(ref)} in cluster ${ref.cluster}.`;
}

/**
 * Why an action cannot target this link of a workload's chain, or
 * undefined when it can (the permission policy still decides).
 *
 * - reconcile, only a request to fetch or apply again (as
 *   `flux reconcile --with-source` makes), may target any link found in
 *   the chain; a KuboCD Release has no reconcile request of its own.
 * - suspend and resume stop or restart what a workload deploys: only the
 *   workload itself (the row's Release, HelmRelease or Kustomization) and
 *   the HelmReleases a KuboCD Release owns. Its sources and charts may be
 *   shared with other teams' workloads (a HelmRepository in flux-system).
 *   Resume does not reach an object whose reconciliation the
 *   `fluxcd.controlplane.io/reconcile: disabled` annotation stops: it
 *   clears spec.suspend only, and would answer done for nothing.
 * @public
 */
export function actionRefusal(
  action: ObjectAction,
  link: Pick<ChainLink, 'ref' | 'role' | 'found' | 'classification'>,
  workload: Pick<ChainLink, 'ref'>,
): { reason: string; invalid?: boolean; conflict?: boolean } | undefined {
  const name = describeRef(link.ref);
  if (!link.found) {
    return {
      reason: `${name} does not exist in cluster ${link.ref.cluster}`,
    };
  }
  if (action === 'reconcile') {
    return link.ref.kind === 'Release'
      ? {
          reason: `KuboCD has no reconcile request for a Release; reconcile its OCIRepository or HelmRelease instead (${name})`,
          invalid: true,
        }
      : undefined;
  }
  if (link.role === 'workload' || link.role === 'helmRelease') {
    // Resume clears spec.suspend; the annotation is the owner's switch,
    // usually set in Git, where removing it belongs.
    if (
      action === 'resume' &&
      link.classification.reason === RECONCILE_DISABLED_REASON
    ) {
      return {
        reason: `${name} is not suspended by spec.suspend: its reconciliation is disabled by the annotation ${RECONCILE_DISABLED_ANNOTATION}: disabled, which resume does not remove; remove the annotation where it is set`,
        conflict: true,
      };
    }
    return undefined;
  }
  return {
    reason: `${
      action === 'suspend' ? 'Suspend' : 'Resume'
    } acts only on the workload (${describeRef(
      workload.ref,
    )}, and a KuboCD Release's own HelmReleases): ${name} is a ${
      link.role
    } of its chain, which other workloads may share; reconcile it instead`,
  };
}
