import { Config } from '@backstage/config';
import {
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE,
  ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID,
} from '@backstage/plugin-kubernetes-common';
import { ClusterDetails } from '@backstage/plugin-kubernetes-node';

/** The cluster the Kubernetes plugin's `localKubectlProxy` locator gives. */
const LOCAL_KUBECTL_PROXY: ClusterDetails = {
  name: 'local',
  url: 'http://localhost:8001',
  authMetadata: { [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: 'localKubectlProxy' },
};

/**
 * authMetadata as the Kubernetes plugin's config locator builds it, so its
 * auth strategies read it alike; as it does, a cluster must name its auth
 * provider (a default of serviceAccount would send the backend pod's own
 * token to whatever the url names).
 */
function authMetadataOf(c: Config, where: string): Record<string, string> {
  const block = c.getOptional<Record<string, string>>('authMetadata') ?? {};
  const provider =
    block[ANNOTATION_KUBERNETES_AUTH_PROVIDER] ??
    c.getOptionalString('authProvider');
  if (!provider) {
    throw new Error(
      `${where}: no auth provider is configured; set authProvider (or authMetadata['${ANNOTATION_KUBERNETES_AUTH_PROVIDER}']), for example serviceAccount with a serviceAccountToken`,
    );
  }
  const optional: Array<[string, string | undefined]> = [
    ['serviceAccountToken', c.getOptionalString('serviceAccountToken')],
    [ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE, c.getOptionalString('assumeRole')],
    [ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID, c.getOptionalString('externalId')],
  ];
  return {
    [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: provider,
    ...Object.fromEntries(optional.filter(([, v]) => v !== undefined)),
    ...block,
  };
}

/**
 * The Kubernetes plugin's guards for clusters read from the catalog, as
 * its `catalog` locator reads them: catalog entries may be written by
 * anyone who can register an entity, so their URLs must not reach the
 * backend's own network unless the operator allows those hosts.
 */
export interface CatalogLocatorOptions {
  /** Hosts (`*.example.com` patterns) exempt from the URL checks. */
  dangerouslyAllowClusterUrls: string[];
  /** Whether `kubernetes.io/skip-tls-verify: "true"` is honoured. */
  dangerouslyAllowSkipTLSVerify: boolean;
}

/**
 * Reads the clusters the Backstage Kubernetes plugin reads from
 * `kubernetes.clusterLocatorMethods` (types config and localKubectlProxy),
 * in the shape its auth strategies take, so a portal that runs it adds only
 * the environment mapping, and the options of a `catalog` locator (its
 * clusters come from the catalog while the backend runs). Other locator
 * types (gke) are returned by name for the caller to warn about.
 */
export function readKubernetesClusters(config: Config): {
  clusters: ClusterDetails[];
  catalogLocator?: CatalogLocatorOptions;
  skippedLocators: string[];
} {
  const clusters: ClusterDetails[] = [];
  const skippedLocators: string[] = [];
  let catalogLocator: CatalogLocatorOptions | undefined;
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  methods.forEach((method, i) => {
    const type = method.getString('type');
    if (type === 'localKubectlProxy') {
      clusters.push(LOCAL_KUBECTL_PROXY);
      return;
    }
    if (type === 'catalog') {
      // Several catalog locators would read the same entities: their
      // exemptions add up, as each would let its hosts through.
      catalogLocator = {
        dangerouslyAllowClusterUrls: [
          ...(catalogLocator?.dangerouslyAllowClusterUrls ?? []),
          ...(method.getOptionalStringArray('dangerouslyAllowClusterUrls') ??
            []),
        ],
        dangerouslyAllowSkipTLSVerify:
          (catalogLocator?.dangerouslyAllowSkipTLSVerify ?? false) ||
          (method.getOptionalBoolean('dangerouslyAllowSkipTLSVerify') ?? false),
      };
      return;
    }
    if (type !== 'config') {
      skippedLocators.push(type);
      return;
    }
    (method.getOptionalConfigArray('clusters') ?? []).forEach((c, j) => {
      const name = c.getString('name');
      const where = `kubernetes.clusterLocatorMethods[${i}].clusters[${j}] (${name})`;
      const url = c.getString('url');
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new Error(`${where}: url "${url}" is not a valid URL`);
      }
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
        throw new Error(
          `${where}: url "${url}" must use https:// (or http://)`,
        );
      }
      clusters.push({
        name,
        url: url.replace(/\/+$/, ''),
        authMetadata: authMetadataOf(c, where),
        caData: c.getOptionalString('caData'),
        caFile: c.getOptionalString('caFile'),
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
      });
    });
  });
  return { clusters, catalogLocator, skippedLocators };
}
