import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

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
 * Act on an entity's Flux/KuboCD objects: reconcile, suspend, resume.
 * @public
 */
export const gitopsPromotionReconcilePermission = createPermission({
  name: 'gitops-promotion.reconcile',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** @public */
export const gitopsPromotionPermissions = [
  gitopsPromotionViewPermission,
  gitopsPromotionReconcilePermission,
];
