import { ApiException } from '@kubernetes/client-node';
import { toClusterError } from './errors';

const api = (code: number, message: string) =>
  new ApiException(
    code,
    `HTTP-Code: ${code}`,
    JSON.stringify({ kind: 'Status', code, message }),
    {},
  );

describe('toClusterError', () => {
  it.each([
    [
      api(401, 'Unauthorized'),
      'UNAUTHORIZED',
      'rejected the credentials (401) on list releases.kubocd.kubotal.io/v1alpha1: check the token.',
    ],
    [
      api(
        403,
        'releases.kubocd.kubotal.io is forbidden: User "x" cannot list resource',
      ),
      'FORBIDDEN',
      'grant the service account get, list and watch on it.',
    ],
    [
      api(404, 'the server could not find the requested resource'),
      'NOT_FOUND',
      'has no list releases.kubocd.kubotal.io/v1alpha1 (404).',
    ],
    [api(410, 'too old resource version'), 'GONE', '410'],
    [api(504, 'gateway timeout'), 'TIMEOUT', 'timed out'],
    [
      api(503, 'etcd unavailable'),
      'UNREACHABLE',
      'answered 503 Service Unavailable',
    ],
    [
      Object.assign(
        new Error(
          'request to https://10.0.0.1/apis failed, reason: connect ECONNREFUSED',
        ),
        { code: 'ECONNREFUSED' },
      ),
      'UNREACHABLE',
      'check its url',
    ],
    [
      Object.assign(new Error('getaddrinfo ENOTFOUND kube.example'), {
        code: 'ENOTFOUND',
      }),
      'UNREACHABLE',
      'ENOTFOUND',
    ],
    [
      Object.assign(new Error('self-signed certificate'), {
        code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      }),
      'UNREACHABLE',
      'set caData or caFile',
    ],
    [
      Object.assign(new Error('The operation was aborted'), {
        name: 'AbortError',
      }),
      'TIMEOUT',
      'did not answer',
    ],
  ])('types %s as %s', (error, type, message) => {
    const result = toClusterError(
      error,
      'prod-eu',
      'list releases.kubocd.kubotal.io/v1alpha1',
      'check the token',
    );
    expect(result.type).toBe(type);
    expect(result.message).toContain(message);
  });

  it.each([
    [
      'a 403 naming the service account',
      api(
        403,
        'helmreleases.helm.toolkit.fluxcd.io is forbidden: User "system:serviceaccount:platform-backstage:gitops-reader" cannot list resource "helmreleases" in API group "helm.toolkit.fluxcd.io" at the cluster scope',
      ),
      'system:serviceaccount:platform-backstage:gitops-reader',
    ],
    [
      // What client-node hands over when a proxy answers with its own page.
      "a proxy's HTML error page",
      new ApiException(
        502,
        'Unknown API Status Code!',
        '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3 (ingress k8s-api.corp.internal)</center>\r\n</body>\r\n</html>\r\n',
        {},
      ),
      'k8s-api.corp.internal',
    ],
    [
      'a refused connection to an internal address',
      Object.assign(
        new Error(
          'request to https://10.42.7.19:6443/apis failed, reason: connect ECONNREFUSED 10.42.7.19:6443',
        ),
        { code: 'ECONNREFUSED' },
      ),
      '10.42.7.19',
    ],
    [
      'an error nothing types',
      new Error('socket hang up talking to bastion-7.corp.internal:3128'),
      'bastion-7.corp.internal',
    ],
    [
      'a TLS failure',
      Object.assign(
        new Error(
          "Hostname/IP does not match certificate's altnames: Host: kube.corp is not in the cert's altnames: DNS:kube-apiserver.10-42-7-19.internal",
        ),
        { code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
      ),
      '10-42-7-19.internal',
    ],
  ])(
    'keeps the server text of %s out of the message, in detail for the log',
    (_, error, secret) => {
      const result = toClusterError(
        error,
        'prod-eu',
        'list helmreleases.helm.toolkit.fluxcd.io/v2',
        'check the token',
      );
      expect(result.message).toMatch(/^(Cluster|Cannot|Request)/);
      expect(result.message).not.toContain(secret);
      expect(result.detail).toContain(secret);
    },
  );

  it('asks for patch, not read access, when an action is forbidden', () => {
    const result = toClusterError(
      api(
        403,
        'helmreleases.helm.toolkit.fluxcd.io "payments-api" is forbidden: User "x" cannot patch resource',
      ),
      'dev-eu',
      'patch helmreleases.helm.toolkit.fluxcd.io/v2 payments/payments-api',
      'check the token',
    );
    expect(result).toMatchObject({ type: 'FORBIDDEN', statusCode: 403 });
    expect(result.message).toMatch(
      /^Cluster dev-eu forbids patch helmreleases.* \(403\): grant the service account patch on it/,
    );
    expect(result.message).not.toContain('get, list and watch');
  });
});
