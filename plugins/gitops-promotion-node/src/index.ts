/**
 * Extension points of the gitops-promotion backend plugin, for backend
 * modules: add a cluster authentication strategy (Vault, Pinniped, an
 * in-house token service) without importing the plugin itself; and the
 * permission resource, rules and conditions of the objects it acts on, for
 * permission policies.
 *
 * @packageDocumentation
 */

export {
  gitopsPromotionAuthStrategyExtensionPoint,
  type GitopsPromotionAuthStrategyExtensionPoint,
} from './extensions';
// What a strategy implements and receives, so a module needs no other import.
export type {
  AuthenticationStrategy,
  AuthMetadata,
  ClusterDetails,
  KubernetesCredential,
} from '@backstage/plugin-kubernetes-node';
export {
  createGitopsPromotionObjectConditionalDecision,
  gitopsPromotionObjectConditions,
} from './permissions/conditionExports';
export {
  gitopsPromotionObjectPermissionResourceRef,
  type GitopsPromotionObject,
  type GitopsPromotionObjectFilter,
} from './permissions/resource';
export { gitopsPromotionObjectRules } from './permissions/rules';
