/*
 * The plugin against real Flux: source-controller, kustomize-controller and
 * helm-controller reconcile a control plane from a git server, a Helm
 * repository and an OCI registry on 127.0.0.1 (packages/kube-testbed,
 * docs/kube-testbed.md). Every failure below is produced by acting on a
 * source — credentials rotated, a server stopped, a commit or a chart
 * pushed — and every status, message and event is what Flux wrote. One
 * backend, never restarted: each recovery is seen through its watches.
 */
import { TestBackend } from '@backstage/backend-test-utils';
import { ClusterCell } from '@gitops-promotion/backstage-plugin-common';
import {
  applyObjects,
  configMapChart,
  configMapManifest,
  fluxBinaries,
  FluxTestbed,
  gitWorkload,
  helmWorkload,
  packageChart,
  SOURCE_CREDENTIALS,
  startFluxTestbed,
} from '@internal/kube-testbed';
import {
  clusterCell,
  component,
  eventually,
  linkDetails,
  requireBinaries,
  startBackend,
  stopAll,
  TIMEOUT_MS,
  waitForView,
} from './__testUtils__/harness';
import { NotificationsUnderTest } from '../__testUtils__/notifications';

jest.setTimeout(TIMEOUT_MS * 3);

const ENV = 'development';
const INVENTORY = 'Kustomization/inventory-service';
const PAYMENTS = 'HelmRelease/payments-api';
const LEDGER = 'HelmRelease/ledger';
const NOTIFY = 'HelmRelease/notification-service';
const ROTATED = { username: 'flux', password: 'rotated-by-the-platform-team' };
// Real controllers: a source is fetched every 5 s, a failure retried within 4 s.
const FLUX_TIMEOUT = { timeoutMs: 90_000, intervalMs: 250 };

const ENTITIES = [
  component('inventory-service', {
    'gitops-promotion/kustomizations': 'flux-system/inventory-service',
  }),
  component('payments-api', {
    'gitops-promotion/helm-releases': 'payments/payments-api',
  }),
  component('ledger', { 'gitops-promotion/helm-releases': 'finance/ledger' }),
  component('notification-service', {
    'gitops-promotion/helm-releases': 'notify/notification-service',
  }),
];

const inventoryFiles = (version: string) => ({
  'deploy/configmap.yaml': configMapManifest('inventory-service', {
    version,
  }),
});

describe('the promotion view against real Flux controllers', () => {
  let testbed: FluxTestbed | undefined;
  let backend: TestBackend | undefined;
  const notifications = new NotificationsUnderTest();
  let firstCommit = '';

  const cell = async (
    entity: string,
    id: string,
    check: (cell: ClusterCell) => void,
  ) => {
    const { view } = await waitForView(
      backend!,
      entity,
      v => check(clusterCell(v, id, ENV)),
      FLUX_TIMEOUT,
    );
    return clusterCell(view, id, ENV);
  };

  /**
   * Waits until the drill-down's events of a link (the object-details
   * route) hold one like `expected`: controllers record an event beside
   * the status they write, not always before it is watched.
   */
  const linkEvent = (
    entity: string,
    found: ClusterCell,
    kind: string,
    expected: Record<string, unknown>,
  ) =>
    eventually(
      async () => {
        const { events } = await linkDetails(backend!, entity, found, kind);
        expect(events).toContainEqual(expect.objectContaining(expected));
      },
      { timeoutMs: FLUX_TIMEOUT.timeoutMs, intervalMs: 1000 },
    );

  beforeAll(async () => {
    requireBinaries();
    fluxBinaries();
    testbed = await startFluxTestbed([ENV], {
      retryDelay: { min: '500ms', max: '4s' },
    });
    const { git, helm } = testbed.sources;
    firstCommit = await git.commit(
      'inventory-service',
      inventoryFiles('1'),
      'inventory-service 1',
    );
    helm.setCredentials('charts', SOURCE_CREDENTIALS.helm);
    for (const chart of [
      configMapChart({ name: 'payments-api', version: '2.1.0' }),
      // The template insists on a value this environment does not give.
      configMapChart({
        name: 'ledger',
        version: '1.8.0',
        required: ['databaseHost'],
      }),
      configMapChart({ name: 'notification-service', version: '0.9.4' }),
    ]) {
      helm.publish('charts', packageChart(chart));
    }
    const charts = {
      repositoryName: 'charts',
      url: helm.repositoryUrl('charts'),
      credentials: SOURCE_CREDENTIALS.helm,
      interval: '5s',
      // The newest chart version: publishing one is the change.
      version: '*',
    };
    await applyObjects(testbed.cluster(ENV).cp, [
      ...gitWorkload({
        namespace: 'flux-system',
        name: 'inventory-service',
        url: git.repositoryUrl('inventory-service'),
        path: './deploy',
        credentials: SOURCE_CREDENTIALS.git,
        targetNamespace: 'default',
        interval: '5s',
      }),
      ...helmWorkload({
        ...charts,
        namespace: 'payments',
        name: 'payments-api',
        chart: 'payments-api',
      }),
      ...helmWorkload({
        ...charts,
        namespace: 'finance',
        name: 'ledger',
        chart: 'ledger',
      }),
      ...helmWorkload({
        ...charts,
        namespace: 'notify',
        name: 'notification-service',
        chart: 'notification-service',
        spec: { upgrade: { remediation: { retries: 1 } } },
      }),
    ]);
    backend = await startBackend({
      environments: [
        { name: ENV, clusters: [{ cp: testbed.cluster(ENV).cp }] },
      ],
      entities: ENTITIES,
      notifications,
    });
  });

  afterAll(async () => {
    await stopAll(
      () => backend?.stop(),
      () => testbed?.stop(),
    );
  });

  it('shows each workload as the controllers reconciled it', async () => {
    const inventory = await cell('inventory-service', INVENTORY, c =>
      expect(c).toMatchObject({
        state: 'Ready',
        version: `main@${firstCommit.slice(0, 7)}`,
      }),
    );
    expect(inventory.revision).toBe(`main@sha1:${firstCommit}`);
    expect(inventory.rootCause).toBeUndefined();
    expect(
      inventory.chain.map(l => [
        l.ref.kind,
        l.classification.state,
        l.classification.reason,
      ]),
    ).toEqual([
      ['Kustomization', 'Ready', 'ReconciliationSucceeded'],
      ['GitRepository', 'Ready', 'Succeeded'],
    ]);
    expect(inventory.chain[0].classification.message).toBe(
      `Applied revision: main@sha1:${firstCommit}`,
    );

    const payments = await cell('payments-api', PAYMENTS, c =>
      expect(c).toMatchObject({ state: 'Ready', version: '2.1.0' }),
    );
    expect(
      payments.chain.map(l => [l.ref.kind, l.classification.reason]),
    ).toEqual([
      ['HelmRelease', 'InstallSucceeded'],
      ['HelmRepository', 'Succeeded'],
      ['HelmChart', 'ChartPullSucceeded'],
    ]);
    expect(payments.chain[0].classification.message).toBe(
      'Helm install succeeded for release payments/payments-api.v1 with chart payments-api@2.1.0',
    );
  });

  it('tells a template that never renders from a failure Flux gave up on: the install is retried forever', async () => {
    const ledger = await cell('ledger', LEDGER, c => {
      expect(c.state).toBe('Failed');
      expect(c.reason).toBe('InstallFailed');
    });
    // Never installed: helm-controller leaves observedGeneration at -1.
    expect(ledger.version).toBeUndefined();
    expect(ledger.retry).toBe('retrying');
    expect(ledger.rootCause).toMatchObject({
      category: 'configuration',
      reason: 'InstallFailed',
    });
    expect(ledger.rootCause!.ref).toMatchObject({
      kind: 'HelmRelease',
      namespace: 'finance',
      name: 'ledger',
    });
    expect(ledger.rootCause!.summary).toContain(
      'Helm install failed for release finance/ledger with chart ledger@1.8.0: execution error at (ledger/templates/configmap.yaml:',
    );
    expect(ledger.rootCause!.summary).toContain(
      'databaseHost is required: set it in the values',
    );
    await linkEvent('ledger', ledger, 'HelmRelease', {
      type: 'Warning',
      reason: 'InstallFailed',
      source: 'helm-controller',
      message: expect.stringContaining('databaseHost is required'),
    });

    // A chart version that renders: the next retry installs it.
    testbed!.sources.helm.publish(
      'charts',
      packageChart(
        configMapChart({
          name: 'ledger',
          version: '1.8.1',
          values: { databaseHost: 'ledger-db.finance.svc' },
          required: ['databaseHost'],
        }),
      ),
    );
    const fixed = await cell('ledger', LEDGER, c => {
      expect(c.state).toBe('Ready');
      expect(c.version).toBe('1.8.1');
    });
    expect(fixed.retry).toBeUndefined();
    expect(fixed.rootCause).toBeUndefined();
  });

  it('names the GitRepository when the git server rejects the credentials, and clears it once they work again', async () => {
    const { git } = testbed!.sources;
    await git.setCredentials(ROTATED);
    const failed = await cell('inventory-service', INVENTORY, c =>
      expect(c.state).toBe('Failed'),
    );
    // The Kustomization keeps running what it applied last.
    expect(failed.version).toBe(`main@${firstCommit.slice(0, 7)}`);
    expect(failed.retry).toBe('retrying');
    expect(failed.rootCause).toMatchObject({
      category: 'authentication',
      reason: 'GitOperationFailed',
      ref: expect.objectContaining({
        kind: 'GitRepository',
        name: 'inventory-service',
      }),
    });
    const message = `failed to checkout and determine revision: unable to list remote for '${git.repositoryUrl(
      'inventory-service',
    )}': authentication required`;
    expect(failed.rootCause!.message).toContain(message);
    expect(failed.rootCause!.summary).toContain(message);
    await linkEvent('inventory-service', failed, 'GitRepository', {
      type: 'Warning',
      reason: 'GitOperationFailed',
      source: 'source-controller',
      message: expect.stringContaining(message),
    });

    // The owners are told, in plain words, with a link to the cell.
    const scope = `gitops-promotion:component:default/inventory-service:${INVENTORY}:${ENV}`;
    const told = async (title: RegExp) =>
      (
        await eventually(
          async () => {
            await notifications.check();
            const found = notifications.sent.filter(n =>
              title.test(n.payload.title),
            );
            expect(found).not.toEqual([]);
            return found;
          },
          { timeoutMs: FLUX_TIMEOUT.timeoutMs, intervalMs: 1000 },
        )
      ).value;
    const [failure] = await told(/^inventory-service is failing in /);
    expect(failure).toEqual({
      recipients: {
        type: 'entity',
        entityRef: 'component:default/inventory-service',
      },
      payload: expect.objectContaining({
        description: expect.stringContaining('authentication required'),
        link: `/catalog/default/component/inventory-service/promotion?workload=${encodeURIComponent(
          INVENTORY,
        )}&environment=${ENV}`,
        topic: `gitops-promotion:${ENV}`,
        scope,
      }),
    });

    await git.setCredentials(SOURCE_CREDENTIALS.git);
    const recovered = await cell('inventory-service', INVENTORY, c =>
      expect(c.state).toBe('Ready'),
    );
    expect(recovered.rootCause).toBeUndefined();
    // The same notification (scope) says it recovered.
    const [recovery] = await told(
      /^inventory-service recovered in \S+ after \d+ min$/,
    );
    expect(recovery.payload).toMatchObject({ scope, severity: 'low' });
    expect(
      notifications.sent.filter(n => n.payload.scope === scope),
    ).toHaveLength(2);
  });

  it('names a git server that is down as a network failure', async () => {
    const { git } = testbed!.sources;
    await git.stop();
    const failed = await cell('inventory-service', INVENTORY, c =>
      expect(c.rootCause?.category).toBe('network'),
    );
    expect(failed.state).toBe('Failed');
    expect(failed.rootCause!.message).toMatch(
      /dial tcp 127\.0\.0\.1:\d+: connect: connection refused$/,
    );
    expect(failed.rootCause!.summary).toContain(
      `GitRepository flux-system/inventory-service cannot fetch`,
    );
    expect(failed.rootCause!.summary).toContain('connect: connection refused');
    await linkEvent('inventory-service', failed, 'GitRepository', {
      type: 'Warning',
      reason: 'GitOperationFailed',
      source: 'source-controller',
      message: expect.stringContaining('connect: connection refused'),
    });
    await git.start();
    await cell('inventory-service', INVENTORY, c =>
      expect(c.state).toBe('Ready'),
    );
  });

  it('keeps the applied revision while a new commit fails to apply, and moves on once a fix is pushed', async () => {
    const { git } = testbed!.sources;
    const broken = await git.commit(
      'inventory-service',
      {
        'deploy/extra.yaml': configMapManifest('Inventory_Extra!', {
          a: 'b',
        }),
      },
      'an invalid ConfigMap name',
    );
    const failed = await cell('inventory-service', INVENTORY, c =>
      expect(c.reason).toBe('ReconciliationFailed'),
    );
    expect(failed.state).toBe('Failed');
    expect(failed.version).toBe(`main@${firstCommit.slice(0, 7)}`);
    expect(failed.targetVersion).toBe(`main@${broken.slice(0, 7)}`);
    expect(failed.rootCause).toMatchObject({
      category: 'configuration',
      ref: expect.objectContaining({ kind: 'Kustomization' }),
    });
    const invalid =
      'ConfigMap/default/Inventory_Extra! dry-run failed (Invalid): ConfigMap "Inventory_Extra!" is invalid: metadata.name: Invalid value';
    expect(failed.rootCause!.message).toContain(invalid);
    expect(failed.rootCause!.summary).toContain(invalid);
    await linkEvent('inventory-service', failed, 'Kustomization', {
      type: 'Warning',
      reason: 'ReconciliationFailed',
      source: 'kustomize-controller',
      message: expect.stringContaining(invalid),
    });

    const fix = await git.commit(
      'inventory-service',
      { 'deploy/extra.yaml': null, ...inventoryFiles('2') },
      'drop the invalid ConfigMap',
    );
    const fixed = await cell('inventory-service', INVENTORY, c =>
      expect(c).toMatchObject({
        version: `main@${fix.slice(0, 7)}`,
        state: 'Ready',
      }),
    );
    expect(fixed.targetVersion).toBeUndefined();
  });

  it('reports a path that is gone from the repository', async () => {
    const { git } = testbed!.sources;
    await git.commit(
      'inventory-service',
      { deploy: null, 'manifests/configmap.yaml': 'kind: ConfigMap\n' },
      'move the manifests',
    );
    const failed = await cell('inventory-service', INVENTORY, c =>
      expect(c.reason).toBe('ArtifactFailed'),
    );
    expect(failed.rootCause!.message).toMatch(
      /^kustomization path not found: stat .*\/deploy: no such file or directory$/,
    );
    expect(failed.rootCause!.category).toBe('configuration');
    expect(failed.rootCause!.summary).toContain('kustomization path not found');
    await linkEvent('inventory-service', failed, 'Kustomization', {
      type: 'Warning',
      reason: 'ArtifactFailed',
      source: 'kustomize-controller',
      message: expect.stringContaining('kustomization path not found'),
    });
    const restored = await git.commit(
      'inventory-service',
      { manifests: null, ...inventoryFiles('3') },
      'manifests back in deploy/',
    );
    await cell('inventory-service', INVENTORY, c =>
      expect(c.version).toBe(`main@${restored.slice(0, 7)}`),
    );
  });

  it('names the HelmRepository (reason Failed) when the index answers 401 or the server is down', async () => {
    const { helm } = testbed!.sources;
    helm.setCredentials('charts', ROTATED);
    const unauthorised = await cell('payments-api', PAYMENTS, c =>
      expect(c.state).toBe('Failed'),
    );
    // helm-controller keeps the release it installed.
    expect(unauthorised.version).toBe('2.1.0');
    expect(unauthorised.rootCause).toMatchObject({
      category: 'authentication',
      reason: 'Failed',
      ref: expect.objectContaining({ kind: 'HelmRepository', name: 'charts' }),
    });
    expect(unauthorised.rootCause!.message).toBe(
      `failed to fetch Helm repository index: failed to cache index to temporary file: failed to fetch ${helm.repositoryUrl(
        'charts',
      )}/index.yaml : 401 Unauthorized`,
    );
    expect(unauthorised.rootCause!.summary).toContain(
      '(credentials rejected): failed to fetch Helm repository index',
    );
    expect(unauthorised.rootCause!.summary).toContain('401 Unauthorized');
    await linkEvent('payments-api', unauthorised, 'HelmRepository', {
      type: 'Warning',
      reason: 'Failed',
      source: 'source-controller',
      message: expect.stringContaining('401 Unauthorized'),
    });
    helm.setCredentials('charts', SOURCE_CREDENTIALS.helm);
    await cell('payments-api', PAYMENTS, c => expect(c.state).toBe('Ready'));

    await helm.stop();
    const down = await cell('payments-api', PAYMENTS, c =>
      expect(c.rootCause?.category).toBe('network'),
    );
    expect(down.rootCause!.reason).toBe('Failed');
    expect(down.rootCause!.message).toContain('connect: connection refused');
    expect(down.rootCause!.summary).toContain('(cannot reach it)');
    expect(down.rootCause!.summary).toContain('connect: connection refused');
    await linkEvent('payments-api', down, 'HelmRepository', {
      type: 'Warning',
      reason: 'Failed',
      source: 'source-controller',
      message: expect.stringContaining('connect: connection refused'),
    });
    await helm.start();
    const recovered = await cell('payments-api', PAYMENTS, c =>
      expect(c.state).toBe('Ready'),
    );
    expect(recovered.rootCause).toBeUndefined();
  });

  it('says Flux gave up after an upgrade failed and was rolled back, and runs the next good version', async () => {
    const { helm } = testbed!.sources;
    await cell('notification-service', NOTIFY, c =>
      expect(c.version).toBe('0.9.4'),
    );
    // 1.0.0 renders a ConfigMap key the API server rejects.
    helm.publish(
      'charts',
      packageChart(
        configMapChart({
          name: 'notification-service',
          version: '1.0.0',
          dataKey: 'not a valid key!',
        }),
      ),
    );
    // helm-controller writes Stalled a moment (≈10 ms, observed) before the
    // rollback's history entry.
    const stalled = await cell('notification-service', NOTIFY, c => {
      expect(c.retry).toBe('stalled');
      expect(c.history).toEqual(['0.9.4', '1.0.0']);
    });
    expect(stalled.state).toBe('Failed');
    expect(stalled.reason).toBe('RollbackSucceeded');
    // The rollback runs 0.9.4 again; 1.0.0 is what Flux attempted.
    expect(stalled.version).toBe('0.9.4');
    expect(stalled.targetVersion).toBe('1.0.0');
    // The cause says why the upgrade failed, in helm-controller's words.
    expect(stalled.rootCause).toMatchObject({
      category: 'configuration',
      ref: { kind: 'HelmRelease', name: 'notification-service' },
    });
    expect(stalled.rootCause!.summary).toContain(
      'failed to upgrade and was rolled back from chart version 1.0.0 in this environment: Helm upgrade failed for release notify/notification-service with chart notification-service@1.0.0',
    );
    expect(stalled.rootCause!.summary).toContain('data[not a valid key!]');
    expect(
      stalled.chain.map(l => [l.ref.kind, l.classification.state]),
    ).toEqual([
      ['HelmRelease', 'Failed'],
      ['HelmRepository', 'Ready'],
      ['HelmChart', 'Ready'],
    ]);
    const link = stalled.chain[0];
    expect(link.conditions.find(c => c.type === 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'RetriesExceeded',
    });
    await linkEvent('notification-service', stalled, 'HelmRelease', {
      type: 'Warning',
      reason: 'UpgradeFailed',
      source: 'helm-controller',
      message: expect.stringContaining(
        'Helm upgrade failed for release notify/notification-service with chart notification-service@1.0.0',
      ),
    });
    await linkEvent('notification-service', stalled, 'HelmRelease', {
      type: 'Normal',
      reason: 'RollbackSucceeded',
      source: 'helm-controller',
      message: expect.stringContaining(
        'Helm rollback to previous release notify/notification-service.v1',
      ),
    });

    helm.publish(
      'charts',
      packageChart(
        configMapChart({ name: 'notification-service', version: '1.0.1' }),
      ),
    );
    const upgraded = await cell('notification-service', NOTIFY, c =>
      expect(c.state).toBe('Ready'),
    );
    expect(upgraded.version).toBe('1.0.1');
    expect(upgraded.retry).toBeUndefined();
  });
});
