import fs from 'node:fs';
import path from 'node:path';
import {
  gitRepository,
  helmChart,
  helmRelease,
  helmRepository,
  kustomization,
  notReady,
  releaseWithChildren,
} from '../testUtils/objects';
import { parseKubectlYaml } from '../fixtures/parseKubectlYaml';
import { kindOf } from '../kinds';
import { ObjectIndex } from '../store/ObjectIndex';
import { KubeObject } from '../types/objects';
import { clusterCell } from './clusterCell';

function indexOf(objects: KubeObject[]): ObjectIndex {
  const index = new ObjectIndex();
  for (const obj of objects) index.upsert(kindOf(obj)!, obj);
  return index;
}

const PULL_401 =
  'failed to determine artifact digest: GET https://quay.io/v2/kubodoc/packages/podinfo/manifests/6.7.1-p02: UNAUTHORIZED: access to the requested resource is not authorized; map[]';

describe('clusterCell: KuboCD Release', () => {
  it('walks Release → OCIRepository → HelmRepository → HelmRelease → HelmChart', () => {
    const objects = releaseWithChildren('podinfo', 'apps', {
      tag: '6.7.1-p01',
    });
    const cell = clusterCell(
      'Release',
      objects[0],
      indexOf(objects),
      'prod-eu',
    );
    expect(cell.chain.map(l => `${l.ref.kind}/${l.ref.name}`)).toEqual([
      'Release/podinfo',
      'OCIRepository/kcd-podinfo',
      'HelmRepository/kcd-podinfo',
      'HelmRelease/podinfo-main',
      'HelmChart/apps-podinfo-main',
    ]);
    expect(cell).toMatchObject({
      state: 'Ready',
      version: '6.7.1-p01',
      phase: 'READY',
      namespace: 'apps',
      since: '2026-11-20T08:00:00Z',
    });
    expect(cell.rootCause).toBeUndefined();
    expect(cell.chain.every(l => l.found)).toBe(true);
  });

  it('shows a moving tag with the digest it pulled, and nothing rolling out when that is the tag asked for', () => {
    const objects = releaseWithChildren('podinfo', 'apps', {
      tag: 'latest',
      chartVersion: '6.7.1',
    });
    const cell = clusterCell(
      'Release',
      objects[0],
      indexOf(objects),
      'prod-eu',
    );
    expect(cell).toMatchObject({
      version: 'latest@985e8d8',
      revision:
        'latest@sha256:985e8d8f8a0c4e0e2d7d8b6f36ae1e1bc7f4e5b8c8d2e5a2d1c3b4a5f6e7d8c9',
    });
    expect(cell.targetVersion).toBeUndefined();
  });

  it('turns WAIT_OCI with a failing OCIRepository into Failed, naming the image and the 401', () => {
    const objects = releaseWithChildren('podinfo', 'apps', {
      tag: '6.7.1-p02',
      pulledTag: '6.7.1-p01',
      phase: 'WAIT_OCI',
      ociConditions: [
        notReady('OCIArtifactPullFailed', PULL_401, '2026-11-21T06:00:00Z'),
        {
          type: 'FetchFailed',
          status: 'True',
          reason: 'OCIArtifactPullFailed',
          message: PULL_401,
        },
      ],
    });
    const cell = clusterCell(
      'Release',
      objects[0],
      indexOf(objects),
      'staging-eu',
    );
    expect(cell.state).toBe('Failed');
    expect(cell.phase).toBe('WAIT_OCI');
    expect(cell.version).toBe('6.7.1-p01');
    expect(cell.targetVersion).toBe('6.7.1-p02');
    expect(cell.since).toBe('2026-11-21T06:00:00Z');
    expect(cell.rootCause).toMatchObject({
      category: 'authentication',
      reason: 'OCIArtifactPullFailed',
      ref: {
        kind: 'OCIRepository',
        name: 'kcd-podinfo',
        namespace: 'apps',
        cluster: 'staging-eu',
      },
    });
    expect(cell.rootCause!.summary).toMatch(
      /^OCIRepository apps\/kcd-podinfo cannot pull oci:\/\/quay\.io\/kubodoc\/packages\/podinfo:6\.7\.1-p02 \(credentials rejected\): .*UNAUTHORIZED/,
    );
    expect(cell.rootCause!.nextSteps[0]).toBe(
      'kubectl --context staging-eu -n apps describe ocirepository kcd-podinfo',
    );
  });

  it('does not say a source "cannot pull" before its controller has tried', () => {
    const objects = releaseWithChildren('podinfo', 'apps', {
      tag: '6.7.1-p02',
      phase: 'WAIT_OCI',
    });
    // As created, before source-controller's first reconcile: no status.
    const oci = objects.find(o => o.kind === 'OCIRepository')!;
    delete oci.status;
    const cell = clusterCell(
      'Release',
      objects[0],
      indexOf(objects),
      'staging-eu',
    );
    expect(cell.rootCause?.ref.kind).toBe('OCIRepository');
    expect(cell.rootCause!.summary).toBe(
      'OCIRepository apps/kcd-podinfo is unknown (NoReadyCondition): Waiting to be reconciled: the object has no Ready condition yet.',
    );
  });

  it('times a Release by its chain, except a suspended one', () => {
    const objects = releaseWithChildren('podinfo', 'apps', {
      tag: '6.7.1-p01',
    });
    const ready = clusterCell(
      'Release',
      objects[0],
      indexOf(objects),
      'dev-eu',
    );
    expect(ready.state).toBe('Ready');
    expect(ready.since).toBe('2026-11-20T08:00:00Z');
    const suspended = releaseWithChildren('podinfo', 'apps', {
      tag: '6.7.1-p01',
      phase: 'SUSPENDED',
    });
    const cell = clusterCell(
      'Release',
      suspended[0],
      indexOf(suspended),
      'dev-eu',
    );
    expect(cell.state).toBe('Suspended');
    expect(cell.since).toBeUndefined();
  });

  it('stays Progressing for WAIT_HREL while the HelmRelease is still upgrading', () => {
    const objects = releaseWithChildren('podinfo', 'apps', {
      tag: '6.7.1-p02',
      phase: 'WAIT_HREL',
      hrConditions: [
        {
          type: 'Ready',
          status: 'Unknown',
          reason: 'Progressing',
          message: "Running 'upgrade' action with timeout of 5m0s",
        },
      ],
    });
    const cell = clusterCell('Release', objects[0], indexOf(objects), 'dev-eu');
    expect(cell.state).toBe('Progressing');
    expect(cell.rootCause).toMatchObject({
      category: 'in-progress',
      ref: { kind: 'HelmRelease', name: 'podinfo-main' },
    });
  });

  it('names a failed HelmRelease of a waiting Release as the cause', () => {
    const objects = releaseWithChildren('podinfo', 'apps', {
      tag: '6.7.1-p02',
      phase: 'WAIT_HREL',
      hrConditions: [
        notReady(
          'UpgradeFailed',
          'Helm upgrade failed for release apps/podinfo-main with chart main@6.7.1: context deadline exceeded',
        ),
      ],
    });
    const cell = clusterCell('Release', objects[0], indexOf(objects), 'dev-eu');
    expect(cell.state).toBe('Failed');
    expect(cell.rootCause!.ref.kind).toBe('HelmRelease');
    expect(cell.rootCause!.summary).toContain(
      'failed to upgrade to chart version 6.7.1',
    );
  });

  it('reports children KuboCD has not created yet as missing links', () => {
    const [rel] = releaseWithChildren('podinfo', 'apps', {
      tag: '6.7.1-p02',
      phase: 'WAIT_OCI',
    });
    const cell = clusterCell('Release', rel, indexOf([rel]), 'dev-eu');
    expect(cell.chain.map(l => [l.ref.kind, l.found])).toEqual([
      ['Release', true],
      ['OCIRepository', false],
      ['HelmRepository', false],
      ['HelmRelease', false],
    ]);
    expect(cell.state).toBe('Progressing');
    expect(cell.rootCause).toMatchObject({
      category: 'missing',
      ref: { kind: 'OCIRepository' },
    });
    expect(cell.version).toBeUndefined();
  });

  it('takes as children only the objects the Release owns, not same-named ones', () => {
    const [rel, oci, repo, hr, chart] = releaseWithChildren('podinfo', 'apps', {
      tag: '6.7.1-p01',
      phase: 'WAIT_HREL',
    });
    // Another team's HelmRelease under the name KuboCD gives podinfo's module, failing.
    const foreign = {
      ...hr,
      metadata: { ...hr.metadata, uid: 'uid-foreign', ownerReferences: [] },
      status: {
        conditions: [
          notReady('UpgradeFailed', 'secret: leaked', '2026-11-21T06:00:00Z'),
        ],
      },
    };
    const cell = clusterCell(
      'Release',
      rel,
      indexOf([rel, oci, repo, foreign, chart]),
      'dev-eu',
    );
    const link = cell.chain.find(l => l.ref.kind === 'HelmRelease')!;
    expect(link).toMatchObject({
      role: 'helmRelease',
      found: false,
      conditions: [],
      classification: { state: 'Unknown', reason: 'NotOwned' },
    });
    expect(JSON.stringify(cell)).not.toContain('leaked');
    expect(cell.state).toBe('Progressing');
    expect(cell.rootCause).toMatchObject({
      category: 'missing',
      ref: { kind: 'HelmRelease', name: 'podinfo-main' },
      summary:
        "HelmRelease apps/podinfo-main exists in cluster dev-eu but Release apps/podinfo does not own it (no ownerReference): it is not the Release's child, so it is neither shown nor acted on here.",
    });
    // A Release without a uid (a hand-written fixture) cannot own: names stand in.
    const { uid: _uid, ...noUid } = rel.metadata;
    const named = clusterCell(
      'Release',
      { ...rel, metadata: noUid },
      indexOf([oci, repo, foreign, chart]),
      'dev-eu',
    );
    expect(named.chain.find(l => l.ref.kind === 'HelmRelease')!.found).toBe(
      true,
    );
  });

  it('does not blame a source whose kind the cluster will not serve for a failed HelmRelease', () => {
    const objects = releaseWithChildren('podinfo', 'apps', {
      tag: '6.7.1-p02',
      phase: 'WAIT_HREL',
      hrConditions: [
        notReady(
          'InstallFailed',
          "Helm install failed for release apps/podinfo-main with chart main@6.7.1: values don't meet the specifications of the schema(s)",
        ),
      ],
    });
    // The token may not list OCIRepositories (403): the cache has none.
    const index = indexOf(objects.filter(o => o.kind !== 'OCIRepository'));
    const lookup = {
      get: index.get.bind(index),
      ownedBy: index.ownedBy.bind(index),
      hasData: (kind: string) => kind !== 'OCIRepository',
    };
    const cell = clusterCell('Release', objects[0], lookup, 'dev-eu');
    expect(cell.state).toBe('Failed');
    expect(cell.rootCause).toMatchObject({
      ref: { kind: 'HelmRelease', name: 'podinfo-main' },
      category: 'configuration',
    });
    expect(cell.chain[1]).toMatchObject({
      ref: { kind: 'OCIRepository', name: 'kcd-podinfo' },
      found: false,
      classification: {
        reason: 'Unreadable',
        message:
          'OCIRepository apps/kcd-podinfo is unknown: the ocirepositories of cluster dev-eu cannot be read (see the cluster errors).',
      },
    });

    // A waiting Release with nothing known against it: its own state explains it.
    const [rel] = releaseWithChildren('podinfo', 'apps', {
      tag: '6.7.1-p02',
      phase: 'WAIT_OCI',
    });
    const waiting = clusterCell(
      'Release',
      rel,
      {
        get: () => undefined,
        ownedBy: () => [],
        hasData: kind => kind === 'Release',
      },
      'dev-eu',
    );
    expect(waiting.state).toBe('Progressing');
    expect(waiting.rootCause).toMatchObject({
      ref: { kind: 'Release' },
      category: 'in-progress',
    });
  });

  it('finds the HelmRelease of a module named noname under the Release name', () => {
    const objects = releaseWithChildren('web-frontend', 'web', {
      tag: '3.2.0-p01',
    });
    objects[0].status!.helmReleaseStates = {
      noname: { ready: 'True', status: 'ok' },
    };
    const hr = helmRelease('web-frontend', 'web', {
      chart: 'noname',
      version: '3.2.0',
      source: { kind: 'HelmRepository', name: 'kcd-web-frontend' },
      owner: objects[0],
    });
    const index = indexOf([
      ...objects.filter(o => o.kind !== 'HelmRelease'),
      hr,
    ]);
    const cell = clusterCell('Release', objects[0], index, 'dev-eu');
    expect(
      cell.chain
        .filter(l => l.role === 'helmRelease')
        .map(l => [l.ref.name, l.found]),
    ).toEqual([['web-frontend', true]]);
  });
});

describe('clusterCell: Flux HelmRelease and Kustomization', () => {
  it('walks HelmRelease → HelmRepository → HelmChart and shows the Helm history', () => {
    const hr = helmRelease('payments-api', 'payments', {
      chart: 'payments-api',
      version: '2.3.0',
      deployed: ['2.3.0', '2.2.0', '2.1.0'],
      source: {
        kind: 'HelmRepository',
        name: 'payments-charts',
        namespace: 'flux-system',
      },
    });
    const objects = [
      hr,
      helmRepository('payments-charts', 'flux-system', {
        url: 'https://charts.example.com/payments',
      }),
      helmChart('payments-payments-api', 'flux-system', {
        chart: 'payments-api',
        version: '2.3.0',
        source: { kind: 'HelmRepository', name: 'payments-charts' },
      }),
    ];
    const cell = clusterCell('HelmRelease', hr, indexOf(objects), 'staging-eu');
    expect(
      cell.chain.map(l => `${l.ref.kind} ${l.ref.namespace}/${l.ref.name}`),
    ).toEqual([
      'HelmRelease payments/payments-api',
      'HelmRepository flux-system/payments-charts',
      'HelmChart flux-system/payments-payments-api',
    ]);
    expect(cell).toMatchObject({
      state: 'Ready',
      version: '2.3.0',
      history: ['2.3.0', '2.2.0', '2.1.0'],
    });
    expect(cell.configDigest).toMatch(/^sha256:/);
  });

  it('calls a values failure in one environment a configuration problem and suggests reading the values', () => {
    const hr = helmRelease('ledger', 'finance', {
      chart: 'ledger',
      version: '1.8.0',
      deployed: [],
      failedAttempt: '1.8.0',
      source: {
        kind: 'HelmRepository',
        name: 'ledger-charts',
        namespace: 'flux-system',
      },
      conditions: [
        notReady(
          'InstallFailed',
          'Helm install failed for release finance/ledger with chart ledger@1.8.0: execution error at (ledger/templates/deployment.yaml:24:20): database.url is required',
        ),
        {
          type: 'Stalled',
          status: 'True',
          reason: 'RetriesExceeded',
          message: 'Failed to install after 1 attempt(s)',
        },
      ],
    });
    hr.status!.history = [];
    const objects = [
      hr,
      helmRepository('ledger-charts', 'flux-system', {
        url: 'oci://ghcr.io/example/charts',
        type: 'oci',
      }),
    ];
    const cell = clusterCell('HelmRelease', hr, indexOf(objects), 'dev-eu');
    expect(cell.state).toBe('Failed');
    expect(cell.version).toBeUndefined();
    expect(cell.targetVersion).toBe('1.8.0');
    expect(cell.rootCause).toMatchObject({
      category: 'configuration',
      reason: 'InstallFailed',
    });
    expect(cell.rootCause!.summary).toContain(
      'HelmRelease finance/ledger failed to install chart version 1.8.0 in this environment',
    );
    expect(cell.rootCause!.nextSteps).toContain(
      "kubectl --context dev-eu -n finance get helmrelease ledger -o 'jsonpath={.spec.values}'",
    );
    // The HelmChart is expected but helm-controller has not created it: a missing link, not the cause.
    expect(cell.chain.find(l => l.ref.kind === 'HelmChart')).toMatchObject({
      found: false,
    });
  });

  it('bounded to namespaces, keeps of a link in another namespace its name and state only', () => {
    const hr = helmRelease('ledger', 'finance', {
      chart: 'ledger',
      version: '1.8.0',
      source: {
        kind: 'HelmRepository',
        name: 'shared-charts',
        namespace: 'flux-system',
      },
    });
    const repo = helmRepository('shared-charts', 'flux-system', {
      url: 'https://charts.internal.example/shared',
      conditions: [
        notReady(
          'Failed',
          'failed to fetch https://charts.internal.example/shared/index.yaml : 401 Unauthorized',
          '2026-11-21T06:00:00Z',
        ),
      ],
    });
    const index = indexOf([hr, repo]);
    const open = clusterCell('HelmRelease', hr, index, 'dev-eu');
    expect(JSON.stringify(open)).toContain('charts.internal.example');

    const bounded = clusterCell('HelmRelease', hr, index, 'dev-eu', [
      'finance',
    ]);
    expect(JSON.stringify(bounded)).not.toContain('charts.internal.example');
    expect(bounded.state).toBe('Failed');
    expect(bounded.retry).toBe('retrying');
    expect(
      bounded.chain.map(l => [l.ref.name, l.classification.reason]),
    ).toEqual([
      ['ledger', open.chain[0].classification.reason],
      ['shared-charts', 'OutOfBounds'],
      // Not created yet: nothing of it to show.
      ['finance-ledger', 'NotFound'],
    ]);
    expect(bounded.chain[1]).toMatchObject({
      found: true,
      conditions: [],
      facts: [],
      classification: { state: 'Failed', since: '2026-11-21T06:00:00Z' },
    });
    expect(bounded.chain[0].conditions).toEqual(open.chain[0].conditions);
    expect(bounded.rootCause).toMatchObject({
      ref: { kind: 'HelmRepository', name: 'shared-charts' },
      summary:
        "HelmRepository flux-system/shared-charts is failed, outside this environment's namespaces (finance): only its state is shown, not its conditions, events or spec.",
    });
  });

  it('marks a Kustomization Failed when its GitRepository cannot authenticate, keeping the applied revision', () => {
    const applied = 'main@sha1:4b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c';
    const ks = kustomization('inventory-service', 'flux-system', {
      source: { kind: 'GitRepository', name: 'inventory-service' },
      applied,
    });
    const git = gitRepository('inventory-service', 'flux-system', {
      url: 'https://github.com/example/inventory-service',
      revision: applied,
      secret: 'inventory-deploy-key',
      conditions: [
        notReady(
          'GitOperationFailed',
          "failed to checkout and determine revision: unable to list remote for 'https://github.com/example/inventory-service': authentication required",
        ),
      ],
    });
    const cell = clusterCell(
      'Kustomization',
      ks,
      indexOf([ks, git]),
      'prod-eu',
    );
    expect(cell).toMatchObject({
      state: 'Failed',
      version: 'main@4b1d2c3',
      revision: applied,
    });
    expect(cell.rootCause!.category).toBe('authentication');
    expect(cell.rootCause!.summary).toMatch(
      /^GitRepository flux-system\/inventory-service cannot fetch https:\/\/github\.com\/example\/inventory-service \(credentials rejected\)/,
    );
    expect(cell.rootCause!.nextSteps).toContain(
      'kubectl --context prod-eu -n flux-system describe secret inventory-deploy-key',
    );
  });

  it('tells two artifacts of a moving OCI tag apart: the one applied and the one being applied', () => {
    const digest = (hex: string) => `latest@sha256:${hex.repeat(64)}`;
    const ks = kustomization('apps', 'flux-system', {
      source: { kind: 'OCIRepository', name: 'apps' },
      applied: digest('a'),
      attempted: digest('b'),
    });
    const cell = clusterCell('Kustomization', ks, indexOf([ks]), 'dev-eu');
    expect(cell.version).toBe('latest@aaaaaaa');
    expect(cell.targetVersion).toBe('latest@bbbbbbb');
  });

  it('tells a network failure apart', () => {
    const ks = kustomization('apps', 'flux-system', {
      source: { kind: 'GitRepository', name: 'apps' },
      applied: 'main@sha1:06a5a134c3b4d1a0f6fb4c1e5f9b7a2d8e3c1f00',
    });
    const git = gitRepository('apps', 'flux-system', {
      url: 'https://git.internal/apps',
      revision: 'main@sha1:06a5a134c3b4d1a0f6fb4c1e5f9b7a2d8e3c1f00',
      conditions: [
        notReady(
          'GitOperationFailed',
          "failed to checkout: unable to clone 'https://git.internal/apps': dial tcp: lookup git.internal on 10.96.0.10:53: no such host",
        ),
      ],
    });
    const cell = clusterCell('Kustomization', ks, indexOf([ks, git]), 'dev-eu');
    expect(cell.rootCause).toMatchObject({
      category: 'network',
      ref: { kind: 'GitRepository' },
    });
    expect(cell.rootCause!.summary).toContain('(cannot reach it)');
  });

  /** notify/notification-service 0.9.4, from a HelmRepository in flux-system. */
  const notificationService = (extra: { suspend?: boolean } = {}) =>
    helmRelease('notification-service', 'notify', {
      chart: 'notification-service',
      version: '0.9.4',
      source: {
        kind: 'HelmRepository',
        name: 'notify-charts',
        namespace: 'flux-system',
      },
      ...extra,
    });

  it('reports a suspended HelmRelease as Suspended with the command to resume it', () => {
    const hr = notificationService({ suspend: true });
    const cell = clusterCell('HelmRelease', hr, indexOf([hr]), 'prod-eu');
    expect(cell.state).toBe('Suspended');
    expect(cell.version).toBe('0.9.4');
    expect(cell.rootCause).toMatchObject({ category: 'suspended' });
    expect(cell.rootCause!.nextSteps).toContain(
      `kubectl --context prod-eu -n notify patch helmrelease notification-service --type=merge -p '{"spec":{"suspend":false}}'`,
    );
  });

  it('gives a suspended workload no time: neither its Ready condition nor its chain says when it was suspended', () => {
    const hr = notificationService({ suspend: true });
    const source = helmRepository('notify-charts', 'flux-system', {
      url: 'https://charts.example.com',
    });
    const cell = clusterCell(
      'HelmRelease',
      hr,
      indexOf([hr, source]),
      'prod-eu',
    );
    expect(hr.status!.conditions![0].lastTransitionTime).toBeDefined();
    expect(cell.since).toBeUndefined();
  });

  it('tells a HelmRelease the reconcile-disabled annotation stops, with the command that removes it', () => {
    const hr = notificationService();
    hr.metadata.annotations = {
      'fluxcd.controlplane.io/reconcile': 'disabled',
    };
    const cell = clusterCell('HelmRelease', hr, indexOf([hr]), 'prod-eu');
    expect(cell.state).toBe('Suspended');
    expect(cell.rootCause).toMatchObject({
      category: 'suspended',
      summary:
        'HelmRelease notify/notification-service is suspended by the annotation fluxcd.controlplane.io/reconcile: disabled: Flux does not reconcile it until the annotation is removed.',
    });
    // Clearing spec.suspend would change nothing.
    expect(cell.rootCause!.nextSteps).toContain(
      `kubectl --context prod-eu -n notify annotate helmrelease notification-service fluxcd.controlplane.io/reconcile-`,
    );
    expect(cell.rootCause!.nextSteps.join('\n')).not.toContain('patch');
  });

  it('follows a chartRef to an OCIRepository (no HelmChart in that case)', () => {
    const hr = helmRelease('podinfo', 'default', {
      chart: 'podinfo',
      version: '6.7.1',
      source: { kind: 'HelmRepository', name: 'x' },
    });
    hr.spec!.chart = undefined;
    hr.spec!.chartRef = { kind: 'OCIRepository', name: 'podinfo-chart' };
    delete hr.status!.helmChart;
    const cell = clusterCell('HelmRelease', hr, indexOf([hr]), 'c');
    expect(cell.chain.map(l => [l.ref.kind, l.ref.name, l.found])).toEqual([
      ['HelmRelease', 'podinfo', true],
      ['OCIRepository', 'podinfo-chart', false],
    ]);
  });

  it('reports the HelmChart as the cause when the chart cannot be pulled', () => {
    const hr = helmRelease('payments-api', 'payments', {
      chart: 'payments-api',
      version: '9.9.9',
      source: {
        kind: 'HelmRepository',
        name: 'payments-charts',
        namespace: 'flux-system',
      },
      conditions: [
        notReady(
          'ArtifactFailed',
          "HelmChart 'flux-system/payments-payments-api' is not ready: invalid chart reference",
        ),
      ],
    });
    const objects = [
      hr,
      helmRepository('payments-charts', 'flux-system', {
        url: 'https://charts.example.com/payments',
      }),
      helmChart('payments-payments-api', 'flux-system', {
        chart: 'payments-api',
        version: '9.9.9',
        source: { kind: 'HelmRepository', name: 'payments-charts' },
        conditions: [
          notReady(
            'InvalidChartReference',
            "invalid chart reference: failed to get chart version for remote reference: no 'payments-api' chart with version matching '9.9.9' found",
          ),
        ],
      }),
    ];
    const cell = clusterCell('HelmRelease', hr, indexOf(objects), 'dev-eu');
    expect(cell.rootCause).toMatchObject({
      ref: { kind: 'HelmChart' },
      category: 'configuration',
    });
    expect(cell.rootCause!.summary).toContain(
      'cannot fetch chart payments-api@9.9.9',
    );
  });
});

describe('clusterCell: a workload waiting for its source', () => {
  const DIR = path.join(__dirname, '..', '__fixtures__', 'real-flux');
  /** A captured scenario, then changed as its controllers change it. */
  function captured(scenario: string) {
    return parseKubectlYaml(
      fs.readFileSync(path.join(DIR, `${scenario}.yaml`), 'utf8'),
      scenario,
    ) as KubeObject[];
  }
  const byKind = (objects: KubeObject[], kind: string) =>
    objects.find(o => o.kind === kind)!;
  /** A new spec its controller has not acted on yet. */
  const newGeneration = (obj: KubeObject) => {
    obj.metadata.generation = (obj.metadata.generation ?? 1) + 1;
  };

  /**
   * kubocd-ready in the seconds of a chart upgrade: what helm-controller
   * v1.6.4 writes (helmrelease_controller.go), Ready False at the new
   * generation until the HelmChart has the new chart.
   */
  function waitingForChart() {
    const objects = captured('kubocd-ready');
    const hr = byKind(objects, 'HelmRelease');
    const chart = byKind(objects, 'HelmChart');
    newGeneration(hr);
    newGeneration(chart);
    hr.status!.observedGeneration = hr.metadata.generation;
    hr.status!.conditions = [
      {
        type: 'Ready',
        status: 'False',
        reason: 'SourceNotReady',
        message: `HelmChart '${chart.metadata.namespace}/${chart.metadata.name}' is not ready: latest generation of object has not been reconciled`,
        lastTransitionTime: '2026-12-07T10:00:00Z',
        observedGeneration: hr.metadata.generation,
      },
    ];
    return objects;
  }

  it('is progressing, not failed, while helm-controller waits for the chart of an upgrade (SourceNotReady)', () => {
    const objects = waitingForChart();
    const cell = clusterCell(
      'Release',
      byKind(objects, 'Release'),
      indexOf(objects),
      'testbed',
    );
    expect(cell.state).toBe('Progressing');
    expect(cell.retry).toBeUndefined();
    expect(cell.rootCause?.ref).toMatchObject({ kind: 'HelmChart' });
  });

  it('keeps a KuboCD Release in ERROR failed while its OCIRepository progresses: KuboCD says WAIT_OCI when it waits', () => {
    const objects = captured('kubocd-ready');
    const release = byKind(objects, 'Release');
    newGeneration(byKind(objects, 'OCIRepository'));
    release.status = { ...release.status, phase: 'ERROR' };
    const cell = clusterCell('Release', release, indexOf(objects), 'testbed');
    expect(cell.state).toBe('Failed');
    expect(cell.rootCause?.ref).toMatchObject({ kind: 'Release' });
  });

  it('stays failed when the Release itself is in ERROR while its HelmRelease waits for the chart', () => {
    const objects = waitingForChart();
    const release = byKind(objects, 'Release');
    release.status = { ...release.status, phase: 'ERROR' };
    const cell = clusterCell('Release', release, indexOf(objects), 'testbed');
    expect(cell.state).toBe('Failed');
  });

  it('is progressing while kustomize-controller waits for a first artifact, and failed once the source fails', () => {
    const objects = captured('kustomization-ready');
    const ks = byKind(objects, 'Kustomization');
    const repo = byKind(objects, 'GitRepository');
    newGeneration(repo);
    // kustomization_controller.go (v1.9.5): the source has no artifact yet.
    ks.status!.conditions = [
      {
        type: 'Ready',
        status: 'False',
        reason: 'ArtifactFailed',
        message: 'Source artifact not found, retrying in 30s',
        lastTransitionTime: '2026-12-07T10:00:00Z',
        observedGeneration: ks.metadata.generation,
      },
    ];
    const waiting = clusterCell(
      'Kustomization',
      ks,
      indexOf(objects),
      'testbed',
    );
    expect(waiting.state).toBe('Progressing');
    expect(waiting.rootCause?.ref).toMatchObject({ kind: 'GitRepository' });

    // The source fails: it is the cause, and the cell is failed.
    repo.status!.observedGeneration = repo.metadata.generation;
    repo.status!.conditions = [
      {
        type: 'Ready',
        status: 'False',
        reason: 'GitOperationFailed',
        message:
          'failed to checkout and determine revision: authentication required: ',
        lastTransitionTime: '2026-12-07T10:01:00Z',
        observedGeneration: repo.metadata.generation,
      },
    ];
    const failed = clusterCell(
      'Kustomization',
      ks,
      indexOf(objects),
      'testbed',
    );
    expect(failed.state).toBe('Failed');
    expect(failed.rootCause?.ref).toMatchObject({ kind: 'GitRepository' });
  });
});
