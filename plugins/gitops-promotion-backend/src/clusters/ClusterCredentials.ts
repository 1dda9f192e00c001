import { toError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AnonymousStrategy,
  AwsIamStrategy,
  AzureIdentityStrategy,
  GoogleServiceAccountStrategy,
  ServiceAccountStrategy,
} from '@backstage/plugin-kubernetes-backend';
import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';
import {
  AuthenticationStrategy,
  ClusterDetails,
  KubernetesCredential,
} from '@backstage/plugin-kubernetes-node';
import { ClusterRequestError } from './types';

/**
 * The Kubernetes plugin's providers that act as the signed-in user. The
 * caches watch for everyone, with no user behind the request.
 */
const USER_TOKEN_PROVIDERS = new Set(['google', 'oidc', 'aks']);

export function authProviderOf(cluster: ClusterDetails): string {
  return cluster.authMetadata[ANNOTATION_KUBERNETES_AUTH_PROVIDER];
}

/** The credential of one cluster, asked for again on every request. */
export type CredentialSource = () => Promise<KubernetesCredential>;

/**
 * Cluster credentials from the Backstage Kubernetes plugin's authentication
 * strategies, keyed by `authProvider` as in its config, plus any a backend
 * module adds. A strategy is built only when a cluster uses it.
 */
export class ClusterCredentials {
  private readonly built = new Map<string, AuthenticationStrategy>();

  constructor(
    private readonly factories: ReadonlyMap<
      string,
      () => AuthenticationStrategy
    >,
  ) {}

  static fromConfig(
    config: Config,
    logger: LoggerService,
    added: ReadonlyMap<string, AuthenticationStrategy> = new Map(),
  ): ClusterCredentials {
    const factories = new Map<string, () => AuthenticationStrategy>([
      ['serviceAccount', () => new ServiceAccountStrategy()],
      ['aws', () => new AwsIamStrategy({ config })],
      ['azure', () => new AzureIdentityStrategy(logger)],
      [
        'googleServiceAccount',
        () => new GoogleServiceAccountStrategy({ config }),
      ],
      ['localKubectlProxy', () => new AnonymousStrategy()],
    ]);
    for (const [key, strategy] of added) factories.set(key, () => strategy);
    return new ClusterCredentials(factories);
  }

  /**
   * The cluster's credential source. Throws, at startup, for a provider
   * that is unknown, needs a signed-in user, or finds the cluster's
   * authMetadata incomplete.
   */
  sourceFor(cluster: ClusterDetails): CredentialSource {
    const provider = authProviderOf(cluster);
    if (USER_TOKEN_PROVIDERS.has(provider) && !this.factories.has(provider)) {
      throw new Error(
        `authProvider "${provider}" sends the signed-in user's token, and gitops-promotion watches clusters with no user behind the request; give it a backend identity (${this.supported()})`,
      );
    }
    const strategy = this.strategy(provider);
    const problems = strategy.validateCluster(cluster.authMetadata);
    if (problems.length > 0) {
      throw new Error(
        `authProvider "${provider}": ${problems
          .map(p => p.message)
          .join('; ')}`,
      );
    }
    return async () => {
      try {
        return await strategy.getCredential(cluster, {});
      } catch (e) {
        throw new ClusterRequestError(
          'UNAUTHORIZED',
          `Cannot get credentials for cluster ${cluster.name} from authProvider ${provider}; the backend's log has the cause.`,
          undefined,
          toError(e).message,
        );
      }
    };
  }

  private strategy(provider: string): AuthenticationStrategy {
    let strategy = this.built.get(provider);
    if (!strategy) {
      const make = this.factories.get(provider);
      if (!make) {
        throw new Error(
          `authProvider "${provider}" is not known to gitops-promotion; use ${this.supported()}, or add a strategy for it with gitopsPromotionAuthStrategyExtensionPoint`,
        );
      }
      strategy = make();
      this.built.set(provider, strategy);
    }
    return strategy;
  }

  private supported(): string {
    return [...this.factories.keys()].join(', ');
  }
}
