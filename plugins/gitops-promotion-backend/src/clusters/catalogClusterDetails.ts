import { toError } from '@backstage/errors';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_API_SERVER,
  ANNOTATION_KUBERNETES_API_SERVER_CA,
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_SKIP_TLS_VERIFY,
} from '@backstage/plugin-kubernetes-common';
import { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import { CatalogLocatorOptions } from '../config/clusters';
import { checkClusterUrl, HostLookupError } from './clusterUrlGuard';

/** Longest URL and CA bundle taken from an annotation: a hostile entity cannot make the backend hold more. */
const MAX_URL_LENGTH = 2048;
const MAX_CA_LENGTH = 64 * 1024;

/** The annotations a catalog cluster needs, as the Kubernetes plugin's catalog locator filters them. */
export const CATALOG_CLUSTER_ANNOTATIONS = [
  ANNOTATION_KUBERNETES_API_SERVER,
  ANNOTATION_KUBERNETES_API_SERVER_CA,
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
];

/**
 * A cluster of the catalog (a Resource of spec.type kubernetes-cluster) as
 * the Kubernetes plugin's catalog locator reads it: named after the
 * entity, its auth metadata the `kubernetes.io/` annotations, with the same
 * refusals: no `serviceAccount` auth (a token in the catalog is readable by
 * anyone who reads the entity), a URL that passes checkClusterUrl, TLS
 * verification skipped only when the operator allows it. Resolves to the
 * cluster (and whether its connections must check addresses again,
 * `publicOnly`), to why it is refused, or to why its host could not be looked up
 * (a passing DNS failure: nothing is decided).
 */
export async function catalogClusterDetails(
  entity: Entity,
  options: CatalogLocatorOptions,
): Promise<
  | { cluster: ClusterDetails; publicOnly: boolean }
  | { refused: string }
  | { unresolved: string }
> {
  const annotations = entity.metadata.annotations ?? {};
  const name = entity.metadata.name;
  const missing = CATALOG_CLUSTER_ANNOTATIONS.filter(a => !annotations[a]);
  if (missing.length > 0) {
    return { refused: `it has no ${missing.join(', ')} annotation` };
  }
  const url = annotations[ANNOTATION_KUBERNETES_API_SERVER];
  const caData = annotations[ANNOTATION_KUBERNETES_API_SERVER_CA];
  const provider = annotations[ANNOTATION_KUBERNETES_AUTH_PROVIDER];
  if (provider === 'serviceAccount') {
    return {
      refused:
        'catalog clusters may not use the serviceAccount auth provider (its token would be in the catalog); use a cloud provider or a strategy added with gitopsPromotionAuthStrategyExtensionPoint',
    };
  }
  if (url.length > MAX_URL_LENGTH || caData.length > MAX_CA_LENGTH) {
    return { refused: 'its API server URL or CA annotation is too long' };
  }
  let checked;
  try {
    checked = await checkClusterUrl(url, options);
  } catch (error) {
    if (error instanceof HostLookupError) return { unresolved: error.message };
    return {
      refused: `${
        toError(error).message
      }; kubernetes.clusterLocatorMethods[].dangerouslyAllowClusterUrls can exempt a host`,
    };
  }
  return {
    cluster: {
      name,
      title: entity.metadata.title,
      url: url.replace(/\/+$/, ''),
      caData,
      authMetadata: Object.fromEntries(
        Object.entries(annotations).filter(([key]) =>
          key.startsWith('kubernetes.io/'),
        ),
      ),
      skipTLSVerify:
        options.dangerouslyAllowSkipTLSVerify &&
        annotations[ANNOTATION_KUBERNETES_SKIP_TLS_VERIFY] === 'true',
    },
    publicOnly: checked.publicOnly,
  };
}
