import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { ObjectAction } from './actions';

/**
 * Read an entity's promotion status and the Flux/KuboCD objects behind it.
 * A resource permission on the entity, so policies can grant it
 * conditionally (for example to the entity's owners).
 * @public
 */
export const gitopsPromotionViewPermission = createPermission({
  name: 'gitops-promotion.view',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Read the Helm values, KuboCD parameters and Kustomization substitutions
 * of an entity's workloads, and their diff between environments. Without
 * it, object reads carry a digest in their place and the comparison names
 * only the keys that differ. Secret-looking keys are redacted even with it.
 * @public
 */
export const gitopsPromotionValuesReadPermission = createPermission({
  name: 'gitops-promotion.values.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Act on an entity's Flux/KuboCD objects at all (reconcile, suspend,
 * resume): the check on the entity. Each action is also checked on the
 * object acted on with the `gitops-promotion.object.*` permissions.
 * @public
 */
export const gitopsPromotionReconcilePermission = createPermission({
  name: 'gitops-promotion.reconcile',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * See the `reconcile-workload` action of Backstage's actions registry (an
 * MCP tool): a basic permission, because the registry hides a tool by a
 * decision without a resource. Calling it still needs
 * `gitops-promotion.reconcile` on the entity and the object permissions.
 * @public
 */
export const gitopsPromotionReconcileActionPermission = createPermission({
  name: 'gitops-promotion.reconcile-action.use',
  attributes: { action: 'update' },
});

/**
 * The resource type of the Flux/KuboCD object an action acts on: its
 * entity, environment, cluster, namespace, kind and name. Policies grant
 * the `gitops-promotion.object.*` permissions conditionally on it with the
 * backend's `gitopsPromotionObjectConditions`.
 * @public
 */
export const RESOURCE_TYPE_GITOPS_PROMOTION_OBJECT = 'gitops-promotion-object';

function objectPermission(action: ObjectAction) {
  return createPermission({
    name: `gitops-promotion.object.${action}`,
    attributes: { action: 'update' },
    resourceType: RESOURCE_TYPE_GITOPS_PROMOTION_OBJECT,
  });
}

/** Ask a Flux controller to reconcile one object of an entity's chain. @public */
export const gitopsPromotionObjectReconcilePermission =
  objectPermission('reconcile');

/** Suspend one workload of an entity (or a KuboCD Release's HelmRelease). @public */
export const gitopsPromotionObjectSuspendPermission =
  objectPermission('suspend');

/** Resume one workload of an entity (or a KuboCD Release's HelmRelease). @public */
export const gitopsPromotionObjectResumePermission = objectPermission('resume');

/** The permission each action needs on the object it acts on. @public */
export const gitopsPromotionObjectPermissions: Record<
  ObjectAction,
  ResourcePermission<typeof RESOURCE_TYPE_GITOPS_PROMOTION_OBJECT>
> = {
  reconcile: gitopsPromotionObjectReconcilePermission,
  suspend: gitopsPromotionObjectSuspendPermission,
  resume: gitopsPromotionObjectResumePermission,
};

/** @public */
export const gitopsPromotionPermissions = [
  gitopsPromotionViewPermission,
  gitopsPromotionValuesReadPermission,
  gitopsPromotionReconcilePermission,
  gitopsPromotionReconcileActionPermission,
  gitopsPromotionObjectReconcilePermission,
  gitopsPromotionObjectSuspendPermission,
  gitopsPromotionObjectResumePermission,
];
