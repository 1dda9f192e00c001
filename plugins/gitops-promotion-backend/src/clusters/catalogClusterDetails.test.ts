import { Entity } from '@backstage/catalog-model';
import { CatalogLocatorOptions } from '../config/clusters';
import { catalogClusterDetails } from './catalogClusterDetails';

const CA = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t';

function cluster(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'prod-eu', namespace: 'default', annotations },
    spec: { type: 'kubernetes-cluster', owner: 'team-platform' },
  };
}

const valid = {
  'kubernetes.io/api-server': 'https://1.1.1.1:6443/',
  'kubernetes.io/api-server-certificate-authority': CA,
  'kubernetes.io/auth-provider': 'aws',
  'kubernetes.io/aws-assume-role': 'arn:aws:iam::123:role/backstage',
  'kubernetes.io/skip-tls-verify': 'true',
  'backstage.io/techdocs-ref': 'dir:.',
};

const guards: CatalogLocatorOptions = {
  dangerouslyAllowClusterUrls: [],
  dangerouslyAllowSkipTLSVerify: false,
};

const refusal = async (
  annotations: Record<string, string>,
  options = guards,
) => {
  const result = await catalogClusterDetails(cluster(annotations), options);
  return 'refused' in result ? result.refused : undefined;
};

describe('catalogClusterDetails', () => {
  it("reads a cluster as the Kubernetes plugin's catalog locator does", async () => {
    expect(await catalogClusterDetails(cluster(valid), guards)).toEqual({
      cluster: {
        name: 'prod-eu',
        url: 'https://1.1.1.1:6443',
        caData: CA,
        authMetadata: {
          'kubernetes.io/api-server': 'https://1.1.1.1:6443/',
          'kubernetes.io/api-server-certificate-authority': CA,
          'kubernetes.io/auth-provider': 'aws',
          'kubernetes.io/aws-assume-role': 'arn:aws:iam::123:role/backstage',
          'kubernetes.io/skip-tls-verify': 'true',
        },
        // Asked for, not allowed by the operator.
        skipTLSVerify: false,
      },
      // Each connection checks the addresses again.
      publicOnly: true,
    });
    const allowed = await catalogClusterDetails(cluster(valid), {
      ...guards,
      dangerouslyAllowSkipTLSVerify: true,
    });
    expect('cluster' in allowed && allowed.cluster.skipTLSVerify).toBe(true);
  });

  it.each([
    [
      'the loopback',
      'https://127.0.0.1:6443',
      'address 127.0.0.1 is not public',
    ],
    [
      'the cloud metadata address',
      'https://169.254.169.254/',
      'address 169.254.169.254 is not public',
    ],
    [
      'a private network',
      'https://10.0.0.12:6443',
      'address 10.0.0.12 is not public',
    ],
    ['an IPv6 loopback', 'https://[::1]:6443', 'address ::1 is not public'],
    [
      'a name resolving to the loopback',
      'https://localhost:6443',
      'host localhost resolves to a non-public address',
    ],
    ['plain HTTP', 'http://1.1.1.1:6443', 'must use https://'],
    ['another scheme', 'file:///etc/passwd', 'must use https://'],
    [
      'credentials in the URL',
      'https://admin:secret@1.1.1.1',
      'must not contain credentials',
    ],
    ['no URL', 'not a url', 'is not a valid URL'],
  ])('refuses an API server on %s', async (_, url, reason) => {
    expect(
      await refusal({ ...valid, 'kubernetes.io/api-server': url }),
    ).toContain(reason);
  });

  it('lets through the hosts the operator allows, HTTP included, without checking their addresses again', async () => {
    const options = {
      ...guards,
      dangerouslyAllowClusterUrls: ['127.0.0.1', '*.internal.example'],
    };
    for (const url of [
      'https://127.0.0.1:6443',
      'http://api.internal.example:8080',
      'https://internal.example',
    ]) {
      expect(
        await catalogClusterDetails(
          cluster({ ...valid, 'kubernetes.io/api-server': url }),
          options,
        ),
      ).toMatchObject({ publicOnly: false });
    }
    expect(
      await refusal(
        { ...valid, 'kubernetes.io/api-server': 'https://10.1.1.1' },
        options,
      ),
    ).toContain('not public');
  });

  it('refuses the serviceAccount provider, missing annotations and oversized values', async () => {
    expect(
      await refusal({
        ...valid,
        'kubernetes.io/auth-provider': 'serviceAccount',
        serviceAccountToken: 'stolen',
      }),
    ).toContain('may not use the serviceAccount auth provider');
    const { 'kubernetes.io/api-server-certificate-authority': _, ...noCa } =
      valid;
    expect(await refusal(noCa)).toBe(
      'it has no kubernetes.io/api-server-certificate-authority annotation',
    );
    expect(
      await refusal({
        ...valid,
        'kubernetes.io/api-server-certificate-authority': 'A'.repeat(70_000),
      }),
    ).toBe('its API server URL or CA annotation is too long');
  });
});
