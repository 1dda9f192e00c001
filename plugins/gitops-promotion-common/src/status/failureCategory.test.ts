import { failureCategory } from './failureCategory';

describe('failureCategory', () => {
  it.each([
    [
      'OCIArtifactPullFailed',
      'GET https://quay.io/v2/x/manifests/1: UNAUTHORIZED: authentication required',
      'authentication',
    ],
    [
      'GitOperationFailed',
      "unable to list remote for 'https://github.com/x': authentication required",
      'authentication',
    ],
    ['AuthenticationFailed', 'failed to get credentials', 'authentication'],
    [
      'GitOperationFailed',
      'ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey]',
      'authentication',
    ],
    [
      'IndexationFailed',
      'failed to fetch https://charts.example.com/index.yaml : 401 Unauthorized',
      'authentication',
    ],
    ['GitOperationFailed', 'dial tcp 10.0.0.1:443: i/o timeout', 'network'],
    [
      'IndexationFailed',
      'Get "https://charts.internal/index.yaml": dial tcp: lookup charts.internal: no such host',
      'network',
    ],
    [
      'OCIArtifactPullFailed',
      'Get "https://ghcr.io/v2/": context deadline exceeded',
      'network',
    ],
    [
      'InstallFailed',
      'execution error at (ledger/templates/deployment.yaml:24:20): database.url is required',
      'configuration',
    ],
    [
      'BuildFailed',
      'kustomize build failed: accumulating resources',
      'configuration',
    ],
    [
      'UpgradeFailed',
      'Helm upgrade failed for release apps/podinfo-main with chart main@6.7.1: context deadline exceeded',
      'configuration',
    ],
    [
      'ChartPullFailed',
      'invalid chart reference: chart "podinfo" version "1.401.0" not found in https://charts.example.com',
      'configuration',
    ],
    [
      'OCIArtifactPullFailed',
      'failed to get artifact: unexpected status code 401',
      'authentication',
    ],
  ])('%s: %s → %s', (reason, message, category) => {
    expect(failureCategory('Failed', reason, message)).toBe(category);
  });

  it('reads the state before the message', () => {
    expect(
      failureCategory('Suspended', 'UpgradeFailed', 'authentication required'),
    ).toBe('suspended');
    expect(failureCategory('Progressing', 'DependencyNotReady', 'x')).toBe(
      'dependency',
    );
    expect(
      failureCategory('Progressing', 'Progressing', 'authentication required'),
    ).toBe('in-progress');
    expect(failureCategory('Unknown', undefined, undefined)).toBe('unknown');
  });
});
