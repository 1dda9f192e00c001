import { Config } from '@backstage/config';

/** A cluster from `kubernetes.clusterLocatorMethods` entries of type `config`. */
export interface KubernetesClusterConfig {
  name: string;
  url: string;
  authProvider: string;
  serviceAccountToken?: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
}

/**
 * Reads the clusters the Backstage Kubernetes plugin reads, so a portal
 * that runs it adds only the environment mapping. Other locator types
 * (catalog, gke, ...) are not read yet: the caller warns about them.
 */
export function readKubernetesClusters(config: Config): {
  clusters: KubernetesClusterConfig[];
  skippedLocators: string[];
} {
  const clusters: KubernetesClusterConfig[] = [];
  const skippedLocators: string[] = [];
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  methods.forEach((method, i) => {
    const type = method.getString('type');
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
        // Newer Kubernetes plugin configs name the provider in authMetadata.
        authProvider:
          c.getOptional<Record<string, string>>('authMetadata')?.[
            'kubernetes.io/auth-provider'
          ] ??
          c.getOptionalString('authProvider') ??
          'serviceAccount',
        serviceAccountToken: c.getOptionalString('serviceAccountToken'),
        caData: c.getOptionalString('caData'),
        caFile: c.getOptionalString('caFile'),
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
      });
    });
  });
  return { clusters, skippedLocators };
}
