import { describeRef } from './chain/refs';
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
 * @public
 */
export function actionRefusal(
  action: ObjectAction,
  link: Pick<ChainLink, 'ref' | 'role' | 'found'>,
  workload: Pick<ChainLink, 'ref'>,
): { reason: string; invalid?: boolean } | undefined {
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
