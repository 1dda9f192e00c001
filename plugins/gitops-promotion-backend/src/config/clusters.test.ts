import { ConfigReader } from '@backstage/config';
import { readKubernetesClusters } from './clusters';

const read = (clusterLocatorMethods: object[]) =>
  readKubernetesClusters(
    new ConfigReader({ kubernetes: { clusterLocatorMethods } }),
  );

describe('readKubernetesClusters', () => {
  it('builds authMetadata as the Kubernetes plugin’s config locator does', () => {
    const { clusters } = read([
      {
        type: 'config',
        clusters: [
          {
            name: 'dev-eu',
            url: 'https://dev-eu.example.com/',
            authProvider: 'serviceAccount',
            serviceAccountToken: 'token',
            caData: 'Q0E=',
          },
          {
            name: 'prod-eks',
            url: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
            authProvider: 'aws',
            assumeRole: 'arn:aws:iam::123456789012:role/backstage',
            externalId: 'portal',
          },
          {
            name: 'prod-aks',
            url: 'https://prod.hcp.westeurope.azmk8s.io',
            authProvider: 'serviceAccount',
            // authMetadata wins, as in the Kubernetes plugin
            authMetadata: { 'kubernetes.io/auth-provider': 'azure' },
            skipTLSVerify: true,
          },
        ],
      },
    ]);
    expect(clusters).toEqual([
      {
        name: 'dev-eu',
        url: 'https://dev-eu.example.com',
        authMetadata: {
          'kubernetes.io/auth-provider': 'serviceAccount',
          serviceAccountToken: 'token',
        },
        caData: 'Q0E=',
        skipTLSVerify: false,
      },
      {
        name: 'prod-eks',
        url: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
        authMetadata: {
          'kubernetes.io/auth-provider': 'aws',
          'kubernetes.io/aws-assume-role':
            'arn:aws:iam::123456789012:role/backstage',
          'kubernetes.io/aws-external-id': 'portal',
        },
        skipTLSVerify: false,
      },
      {
        name: 'prod-aks',
        url: 'https://prod.hcp.westeurope.azmk8s.io',
        authMetadata: { 'kubernetes.io/auth-provider': 'azure' },
        skipTLSVerify: true,
      },
    ]);
  });

  it('reads the kubectl proxy locator, the catalog locator guards (adding up over several), and names the locators it skips', () => {
    expect(
      read([
        { type: 'localKubectlProxy' },
        { type: 'catalog', dangerouslyAllowClusterUrls: ['a.example'] },
        {
          type: 'catalog',
          dangerouslyAllowClusterUrls: ['*.b.example'],
          dangerouslyAllowSkipTLSVerify: true,
        },
        { type: 'gke' },
      ]),
    ).toEqual({
      catalogLocator: {
        dangerouslyAllowClusterUrls: ['a.example', '*.b.example'],
        dangerouslyAllowSkipTLSVerify: true,
      },
      clusters: [
        {
          name: 'local',
          url: 'http://localhost:8001',
          authMetadata: { 'kubernetes.io/auth-provider': 'localKubectlProxy' },
        },
      ],
      skippedLocators: ['gke'],
    });
  });

  it.each([
    ['not a url', 'is not a valid URL'],
    ['ftp://k8s.example.com', 'must use https:// (or http://)'],
  ])('names the entry of a bad url %s', (url, message) => {
    expect(() =>
      read([{ type: 'config', clusters: [{ name: 'prod-eu', url }] }]),
    ).toThrow(
      `kubernetes.clusterLocatorMethods[0].clusters[0] (prod-eu): url "${url}" ${message}`,
    );
  });

  it("refuses a cluster that names no auth provider, as the Kubernetes plugin's config locator does", () => {
    expect(() =>
      read([
        {
          type: 'config',
          clusters: [{ name: 'partner', url: 'https://partner.example.com' }],
        },
      ]),
    ).toThrow(
      "kubernetes.clusterLocatorMethods[0].clusters[0] (partner): no auth provider is configured; set authProvider (or authMetadata['kubernetes.io/auth-provider']), for example serviceAccount with a serviceAccountToken",
    );
  });
});
