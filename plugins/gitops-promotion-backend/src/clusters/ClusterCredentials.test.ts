import { setupServer } from 'msw/node';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthenticationStrategy,
  ClusterDetails,
} from '@backstage/plugin-kubernetes-node';
import { KINDS } from '@gitops-promotion/backstage-plugin-common/server';
import { FakeKubeApi, status } from '../__testUtils__/FakeKubeApi';
import { ClusterCredentials } from './ClusterCredentials';
import { KubernetesClusterSource } from './KubernetesClusterSource';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const api = new FakeKubeApi('https://prod-eu.kube.test:6443');
beforeEach(() => {
  api.requests.length = 0;
  server.use(...api.handlers());
});

function cluster(authMetadata: Record<string, string>): ClusterDetails {
  return { name: 'prod-eu', url: api.baseUrl, authMetadata };
}

function credentials(added = new Map<string, AuthenticationStrategy>()) {
  return ClusterCredentials.fromConfig(
    new ConfigReader({}),
    mockServices.logger.mock(),
    added,
  );
}

function sourceFor(c: ClusterDetails, creds = credentials()) {
  return new KubernetesClusterSource(
    c,
    creds.sourceFor(c),
    { requestTimeoutMs: 2000 },
    mockServices.logger.mock(),
  );
}

function strategy(
  getCredential: AuthenticationStrategy['getCredential'],
  validate: string[] = [],
): AuthenticationStrategy {
  return {
    getCredential,
    validateCluster: () => validate.map(m => new Error(m)),
    presentAuthMetadata: () => ({}),
  };
}

const release = KINDS.Release;

describe('cluster credentials from the Kubernetes plugin’s auth strategies', () => {
  it('sends the configured service account token', async () => {
    await sourceFor(
      cluster({
        'kubernetes.io/auth-provider': 'serviceAccount',
        serviceAccountToken: 'reader-token',
      }),
    ).list(release, 'v1alpha1', 10);
    expect(api.requests.map(r => r.authorization)).toEqual([
      'Bearer reader-token',
    ]);
  });

  describe('with AWS credentials in the environment', () => {
    const saved = { ...process.env };
    beforeEach(() => {
      process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
      process.env.AWS_SECRET_ACCESS_KEY =
        'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
      process.env.AWS_REGION = 'eu-west-1';
    });
    afterEach(() => {
      process.env = { ...saved };
    });

    it('sends an EKS token: a presigned STS GetCallerIdentity for the cluster', async () => {
      await sourceFor(
        cluster({
          'kubernetes.io/auth-provider': 'aws',
          'kubernetes.io/x-k8s-aws-id': 'prod-eu-eks',
        }),
      ).list(release, 'v1alpha1', 10);
      const header = api.requests[0].authorization!;
      expect(header).toMatch(/^Bearer k8s-aws-v1\.[A-Za-z0-9_-]+$/);
      const url = new URL(
        Buffer.from(
          header.slice('Bearer k8s-aws-v1.'.length),
          'base64url',
        ).toString(),
      );
      expect(url.host).toBe('sts.eu-west-1.amazonaws.com');
      expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
      expect(url.searchParams.get('X-Amz-Credential')).toMatch(
        /^AKIDEXAMPLE\/\d{8}\/eu-west-1\/sts\/aws4_request$/,
      );
      expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe(
        'host;x-k8s-aws-id',
      );
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  it('asks for the credential on every request, so a rotated token is used at once', async () => {
    const tokens = ['first', 'second', 'third'];
    const c = cluster({ 'kubernetes.io/auth-provider': 'vault' });
    const source = sourceFor(
      c,
      credentials(
        new Map([
          [
            'vault',
            strategy(async () => ({
              type: 'bearer token',
              token: tokens.shift()!,
            })),
          ],
        ]),
      ),
    );
    await source.list(release, 'v1alpha1', 10);
    await source.list(release, 'v1alpha1', 10);
    const watch = source.watch(release, 'v1alpha1', '100', () => {});
    while (api.openWatches('releases').length === 0) {
      await new Promise(r => setTimeout(r, 5));
    }
    watch.stop();
    await watch.done;
    expect(api.requests.map(r => r.authorization)).toEqual([
      'Bearer first',
      'Bearer second',
      'Bearer third',
    ]);
  });

  it('sends no Authorization header through kubectl proxy', async () => {
    await sourceFor(
      cluster({ 'kubernetes.io/auth-provider': 'localKubectlProxy' }),
    ).list(release, 'v1alpha1', 10);
    expect(api.requests.map(r => r.authorization)).toEqual([null]);
  });

  it('reports a credential that cannot be had as UNAUTHORIZED, without calling the cluster', async () => {
    const source = sourceFor(
      cluster({ 'kubernetes.io/auth-provider': 'vault' }),
      credentials(
        new Map([
          [
            'vault',
            strategy(async () => {
              throw new Error('permission denied on auth/kubernetes/login');
            }),
          ],
        ]),
      ),
    );
    await expect(source.list(release, 'v1alpha1', 10)).rejects.toMatchObject({
      type: 'UNAUTHORIZED',
      message:
        "Cannot get credentials for cluster prod-eu from authProvider vault; the backend's log has the cause.",
      detail: 'permission denied on auth/kubernetes/login',
    });
    expect(api.requests).toEqual([]);
  });

  it('says which identity to check when the cluster answers 401', async () => {
    api.fail('list:releases', {
      status: 401,
      body: status(401, 'Unauthorized', 'Unauthorized'),
    });
    try {
      const rejection = (c: ClusterDetails) =>
        sourceFor(c).list(release, 'v1alpha1', 10);
      await expect(
        rejection(
          cluster({
            'kubernetes.io/auth-provider': 'serviceAccount',
            serviceAccountToken: 'old',
          }),
        ),
      ).rejects.toThrow(
        'check serviceAccountToken in kubernetes.clusterLocatorMethods',
      );
      await expect(
        rejection(
          cluster({ 'kubernetes.io/auth-provider': 'localKubectlProxy' }),
        ),
      ).rejects.toThrow('check the localKubectlProxy identity of the backend');
    } finally {
      api.fail('list:releases', undefined);
    }
  });

  describe('at startup', () => {
    it.each(['google', 'oidc', 'aks'])(
      'refuses %s, which sends the signed-in user’s token',
      provider => {
        expect(() =>
          credentials().sourceFor(
            cluster({ 'kubernetes.io/auth-provider': provider }),
          ),
        ).toThrow(
          `authProvider "${provider}" sends the signed-in user's token, and gitops-promotion watches clusters with no user behind the request; give it a backend identity (serviceAccount, aws, azure, googleServiceAccount, localKubectlProxy)`,
        );
      },
    );

    it('names an unknown provider and how to add one', () => {
      expect(() =>
        credentials().sourceFor(
          cluster({ 'kubernetes.io/auth-provider': 'pinniped' }),
        ),
      ).toThrow(
        'authProvider "pinniped" is not known to gitops-promotion; use serviceAccount, aws, azure, googleServiceAccount, localKubectlProxy, or add a strategy for it with gitopsPromotionAuthStrategyExtensionPoint',
      );
    });

    it('stops on what the strategy finds missing in the cluster’s authMetadata', () => {
      const vault = strategy(
        async () => ({ type: 'anonymous' }),
        ['authMetadata vault.example.com/role is required'],
      );
      expect(() =>
        credentials(new Map([['vault', vault]])).sourceFor(
          cluster({ 'kubernetes.io/auth-provider': 'vault' }),
        ),
      ).toThrow(
        'authProvider "vault": authMetadata vault.example.com/role is required',
      );
    });
  });
});
