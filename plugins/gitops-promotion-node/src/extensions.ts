import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';

/**
 * Adds cluster authentication strategies to gitops-promotion, keyed by the
 * `authProvider` a cluster names in `kubernetes.clusterLocatorMethods`.
 * Strategies written for the Kubernetes plugin's
 * `kubernetesAuthStrategyExtensionPoint` work here unchanged; the request
 * auth they are given is always empty, as no user is behind a watch.
 * @public
 */
export interface GitopsPromotionAuthStrategyExtensionPoint {
  /** Authenticates clusters whose authProvider is `key`; a built-in one of that name is replaced. */
  addAuthStrategy(key: string, strategy: AuthenticationStrategy): void;
}

/**
 * Extension point for cluster authentication strategies.
 * @public
 */
export const gitopsPromotionAuthStrategyExtensionPoint =
  createExtensionPoint<GitopsPromotionAuthStrategyExtensionPoint>({
    id: 'gitops-promotion.auth-strategy',
  });
