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

/** authMetadata as the Kubernetes plugin's config locator builds it, so its auth strategies read it alike. */
function authMetadataOf(c: Config): Record<string, string> {
  const block = c.getOptional<Record<string, string>>('authMetadata') ?? {};
  const optional: Array<[string, string | undefined]> = [
    ['serviceAccountToken', c.getOptionalString('serviceAccountToken')],
    [ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE, c.getOptionalString('assumeRole')],
    [ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID, c.getOptionalString('externalId')],
  ];
  return {
    [ANNOTATION_KUBERNETES_AUTH_PROVIDER]:
      block[ANNOTATION_KUBERNETES_AUTH_PROVIDER] ??
      c.getOptionalString('authProvider') ??
      'serviceAccount',
    ...Object.fromEntries(optional.filter(([, v]) => v !== undefined)),
    ...block,
  };
}

/**
 * Reads the clusters the Backstage Kubernetes plugin reads from
 * `kubernetes.clusterLocatorMethods` (types config and localKubectlProxy),
 * in the shape its auth strategies take, so a portal that runs it adds only
 * the environment mapping. Other locator types (catalog, gke) are returned
 * by name for the caller to warn about.
 */
export function readKubernetesClusters(config: Config): {
  clusters: ClusterDetails[];
  skippedLocators: string[];
} {
  const clusters: ClusterDetails[] = [];
  const skippedLocators: string[] = [];
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  methods.forEach((method, i) => {
    const type = method.getString('type');
    if (type === 'localKubectlProxy') {
      clusters.push(LOCAL_KUBECTL_PROXY);
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
        authMetadata: authMetadataOf(c),
        caData: c.getOptionalString('caData'),
        caFile: c.getOptionalString('caFile'),
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
      });
    });
  });
  return { clusters, skippedLocators };
}
