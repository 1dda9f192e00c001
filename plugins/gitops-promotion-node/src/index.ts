/**
 * Extension points of the gitops-promotion backend plugin, for backend
 * modules: add a cluster authentication strategy (Vault, Pinniped, an
 * in-house token service) without importing the plugin itself.
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
