import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import {
  ObjectKind,
  RESOURCE_TYPE_GITOPS_PROMOTION_OBJECT,
} from '@gitops-promotion/backstage-plugin-common';

/**
 * The Flux or KuboCD object an action acts on, as the permission rules of
 * `gitops-promotion-object` see it.
 * @public
 */
export interface GitopsPromotionObject {
  /** The catalog entity whose view holds the object. */
  entityRef: string;
  /** The environment whose clusters and namespaces hold the object. */
  environment: string;
  /** The cluster's name in `kubernetes.clusterLocatorMethods`. */
  cluster: string;
  /** The object's namespace. */
  namespace: string;
  /** Its kind: a workload (Release, HelmRelease, Kustomization) or a source or chart. */
  kind: ObjectKind;
  /** Its name. */
  name: string;
}

/**
 * A filter on one property of {@link GitopsPromotionObject}: what the rules
 * translate to for a store that would query objects (the plugin itself
 * applies them to each object).
 * @public
 */
export type GitopsPromotionObjectFilter = {
  key: Exclude<keyof GitopsPromotionObject, 'name' | 'entityRef'>;
  values: string[];
};

/**
 * The permission resource ref of `gitops-promotion-object`, for modules
 * that add rules (`permissionsRegistry.addPermissionRules`).
 * @public
 */
export const gitopsPromotionObjectPermissionResourceRef =
  createPermissionResourceRef<
    GitopsPromotionObject,
    GitopsPromotionObjectFilter
  >().with({
    pluginId: 'gitops-promotion',
    resourceType: RESOURCE_TYPE_GITOPS_PROMOTION_OBJECT,
  });
