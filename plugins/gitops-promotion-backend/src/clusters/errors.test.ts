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
      'grant the service account get, list and watch on it. releases.kubocd.kubotal.io is forbidden: User "x" cannot list resource',
    ],
    [
      api(404, 'the server could not find the requested resource'),
      'NOT_FOUND',
      'could not find',
    ],
    [api(410, 'too old resource version'), 'GONE', '410'],
    [api(504, 'gateway timeout'), 'TIMEOUT', 'timed out'],
    [api(503, 'etcd unavailable'), 'UNREACHABLE', 'answered 503'],
    [
      Object.assign(
        new Error(
          'request to https://10.0.0.1/apis failed, reason: connect ECONNREFUSED',
        ),
        { code: 'ECONNREFUSED' },
      ),
      'UNREACHABLE',
      'Check its url',
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
