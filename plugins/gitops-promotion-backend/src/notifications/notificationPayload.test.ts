import {
  ClusterCell,
  EnvironmentCell,
  WorkloadRow,
} from '@gitops-promotion/backstage-plugin-common';
import { notificationPayload, notificationScope } from './notificationPayload';

/** A cluster failing with its controller's message (no root cause read). */
const failed = (cluster: string, message: string): ClusterCell => ({
  cluster,
  namespace: 'apps',
  state: 'Failed',
  reason: 'UpgradeFailed',
  message,
  history: [],
  chain: [],
});

function failure(clusters: ClusterCell[], tabPath = 'promotion') {
  const cell: EnvironmentCell = {
    environment: 'sandbox',
    state: 'Failed',
    versions: ['2.4.0'],
    mixedVersions: false,
    readyClusters: 0,
    totalClusters: clusters.length,
    notDeployedIn: [],
    unavailableIn: [],
    clusters,
  };
  return notificationPayload(
    {
      entity: { kind: 'component', namespace: 'default', name: 'payments-api' },
      entityRef: 'component:default/payments-api',
      row: {
        id: 'HelmRelease/payments-api',
        name: 'payments-api',
      } as WorkloadRow,
      environment: {
        name: 'sandbox',
        title: 'Sandbox',
        important: false,
        clusters: clusters.map(c => ({ cluster: c.cluster })),
      },
      cell,
      severity: 'normal',
      tabPath,
    },
    { kind: 'failure', since: '2026-12-05T10:00:00.000Z' },
  );
}

describe('notificationScope', () => {
  it('fits the notifications backend column (255), a long name as a digest', () => {
    expect(
      notificationScope(
        'component:default/shop',
        'HelmRelease/payments-api',
        'production',
      ),
    ).toBe(
      'gitops-promotion:component:default/shop:HelmRelease/payments-api:production',
    );
    // Kubernetes names run to 253 characters.
    const long = (name: string) =>
      notificationScope(
        'component:default/shop',
        `Kustomization/${name}`,
        'production',
      );
    const scope = long('a'.repeat(253));
    expect(scope).toMatch(/^gitops-promotion:sha256:[0-9a-f]{64}$/);
    expect(long('a'.repeat(253))).toBe(scope);
    expect(long('b'.repeat(253))).not.toBe(scope);
  });
});

describe('notificationPayload', () => {
  it('drops the bidirectional controls a hostile message could reorder its text with', () => {
    const { description } = failure([
      failed(
        'prod-eu',
        'chart pulled from \u202Emoc.live\u202C\u2066 ok\u2069',
      ),
    ]);
    expect(description).toContain('chart pulled from moc.live ok');
    expect(description).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });

  it('links to the cell on the tab where the app mounts it', () => {
    const cluster = failed('sandbox-ana', 'boom');
    expect(failure([cluster]).link).toBe(
      '/catalog/default/component/payments-api/promotion?workload=HelmRelease%2Fpayments-api&environment=sandbox',
    );
    expect(failure([cluster], 'deploy/gitops').link).toBe(
      '/catalog/default/component/payments-api/deploy/gitops?workload=HelmRelease%2Fpayments-api&environment=sandbox',
    );
  });

  it('says where and since when before causes that the bound cuts', () => {
    const long = (what: string) =>
      `Helm upgrade failed for release apps/payments-api: ${what} ${'x'.repeat(
        340,
      )}`;
    const { description } = failure([
      failed('sandbox-ana', long('timed out')),
      failed('sandbox-bo', long('hook failed')),
    ]);
    expect(description).toHaveLength(600);
    expect(description).toMatch(
      /^Failing in sandbox-ana, sandbox-bo since 2026-12-05 10:00 UTC\. Helm upgrade failed for release apps\/payments-api: timed out x+\. Helm upgrade failed .*…$/,
    );
  });

  it('names five clusters and counts the others', () => {
    const { description } = failure(
      Array.from({ length: 50 }, (_, i) =>
        failed(`sandbox-${i + 1}`, 'Helm upgrade failed: timed out'),
      ),
    );
    expect(description).toBe(
      'Failing in sandbox-1, sandbox-2, sandbox-3, sandbox-4, sandbox-5 and 45 more since 2026-12-05 10:00 UTC. Helm upgrade failed: timed out.',
    );
  });
});
