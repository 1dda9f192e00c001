/*
 * Captures what the real Flux controllers write, for the status rules'
 * tests: starts a testbed cluster with the Flux controllers and the sources,
 * produces each scenario by acting on the sources (and, for a rejected
 * credential, on the Secret a source reads), waits until the controllers
 * reported it, and writes the objects and their events as `kubectl get -o
 * yaml` prints a List (managedFields left out) to
 * <out>/<scenario>.yaml. Run by scripts/flux/capture-fixtures.sh; nothing
 * in the files is typed by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { asAdmin, ClusterAccess } from '../auth';
import { fluxBinaries } from '../binaries';
import { KubeObject, ObjectRef, withKubeClient } from '../kubeClient';
import { API_VERSIONS, applyObjects } from '../seed';
import {
  chartFiles,
  helmOciChart,
  HELM_CHART_CONTENT,
  packageChart,
} from './archives';
import { podinfoPackage, webFrontendPackage } from './demo';
import { publishExternalArtifact } from './externalArtifact';
import { REGISTRY_PULL_CREDENTIALS } from './registry';
import { FluxTestbed, SOURCE_CREDENTIALS, startFluxTestbed } from './testbed';
import {
  basicAuthSecret,
  configMapChart,
  configMapManifest,
  gitWorkload,
  helmWorkload,
  kuboCdRelease,
  registrySecret,
} from './workloads';

const TIMEOUT_MS = 120_000;
const CLUSTER = 'capture';
const WRONG = { username: 'flux', password: 'not-the-password' };

type Check = (obj: KubeObject) => boolean;

const ready = (obj: KubeObject, status = 'True', reason?: string) =>
  (obj.status?.conditions ?? []).some(
    (c: any) =>
      c.type === 'Ready' &&
      c.status === status &&
      (reason === undefined || c.reason === reason),
  );
const condition = (obj: KubeObject, type: string, status = 'True') =>
  (obj.status?.conditions ?? []).some(
    (c: any) => c.type === type && c.status === status,
  );

const refOf = (
  kind: keyof typeof API_VERSIONS | 'Bucket' | 'ExternalArtifact',
  namespace: string,
  name: string,
): ObjectRef => ({
  apiVersion:
    kind === 'Bucket' || kind === 'ExternalArtifact'
      ? 'source.toolkit.fluxcd.io/v1'
      : API_VERSIONS[kind],
  kind,
  namespace,
  name,
});

async function waitFor(
  cluster: ClusterAccess,
  ref: ObjectRef,
  check: Check,
  what: string,
): Promise<KubeObject> {
  const deadline = Date.now() + TIMEOUT_MS;
  let last: KubeObject | undefined;
  for (;;) {
    last = await withKubeClient(asAdmin(cluster), client =>
      client.read(ref).catch(() => undefined),
    );
    if (last && check(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(
        `capture: ${ref.kind} ${ref.namespace}/${
          ref.name
        } never ${what}; last status: ${JSON.stringify(last?.status)}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

async function requestReconcile(cluster: ClusterAccess, ref: ObjectRef) {
  await withKubeClient(asAdmin(cluster), client =>
    client.mergePatch(ref, {
      metadata: {
        annotations: {
          'reconcile.fluxcd.io/requestedAt': new Date().toISOString(),
        },
      },
    }),
  );
}

/** The objects of a namespace (the Flux kinds, Release) and their events, as kubectl prints them. */
async function snapshot(cluster: ClusterAccess, namespace: string) {
  return withKubeClient(asAdmin(cluster), async client => {
    const items: KubeObject[] = [];
    const kinds: Array<[string, string]> = [
      [API_VERSIONS.Release, 'Release'],
      [API_VERSIONS.Kustomization, 'Kustomization'],
      [API_VERSIONS.HelmRelease, 'HelmRelease'],
      [API_VERSIONS.GitRepository, 'GitRepository'],
      [API_VERSIONS.OCIRepository, 'OCIRepository'],
      ['source.toolkit.fluxcd.io/v1', 'Bucket'],
      ['source.toolkit.fluxcd.io/v1', 'ExternalArtifact'],
      [API_VERSIONS.HelmRepository, 'HelmRepository'],
      [API_VERSIONS.HelmChart, 'HelmChart'],
    ];
    // List items come without apiVersion and kind: kubectl prints them, so do we.
    for (const [apiVersion, kind] of kinds) {
      const list = await client.objects.list(apiVersion, kind, namespace);
      items.push(
        ...(list.items as KubeObject[]).map(o => ({ ...o, apiVersion, kind })),
      );
    }
    const events = await client.objects.list('v1', 'Event', namespace);
    const sorted = (events.items as any[])
      .map(e => ({ ...e, apiVersion: 'v1', kind: 'Event' }))
      .sort((a, b) =>
        String(a.lastTimestamp ?? a.eventTime).localeCompare(
          String(b.lastTimestamp ?? b.eventTime),
        ),
      );
    return [...items, ...sorted].map(item => {
      const { managedFields, ...metadata } = item.metadata as any;
      return { ...item, metadata };
    });
  });
}

async function write(
  out: string,
  scenario: string,
  description: string,
  cluster: ClusterAccess,
  namespace: string,
) {
  const versions = fluxBinaries().versions;
  const items = await snapshot(cluster, namespace);
  const header = [
    `# ${description}`,
    `# Captured by scripts/flux/capture-fixtures.sh from source-controller ${versions.sourceController},`,
    `# kustomize-controller ${versions.kustomizeController} and helm-controller ${versions.helmController} (KuboCD Release status: the testbed's stand-in).`,
  ].join('\n');
  fs.writeFileSync(
    path.join(out, `${scenario}.yaml`),
    `${header}\n${YAML.stringify(
      {
        apiVersion: 'v1',
        kind: 'List',
        items,
        metadata: { resourceVersion: '' },
      },
      { lineWidth: 0 },
    )}`,
  );
  console.log(`capture: ${scenario}.yaml (${items.length} objects)`);
}

const gitOptions = (testbed: FluxTestbed, namespace: string, repo: string) => ({
  namespace,
  name: repo,
  url: testbed.sources.git.repositoryUrl(repo),
  path: './deploy',
  credentials: SOURCE_CREDENTIALS.git,
  targetNamespace: namespace,
  interval: '5s',
});

export async function captureFixtures(out: string): Promise<void> {
  fs.mkdirSync(out, { recursive: true });
  const testbed = await startFluxTestbed([CLUSTER], {
    retryDelay: { min: '500ms', max: '4s' },
  });
  try {
    const cp = testbed.cluster(CLUSTER).cp;
    const { git, helm, registry, storage } = testbed.sources;
    const manifests = (version: string) => ({
      'deploy/configmap.yaml': configMapManifest('app', { version }),
    });
    for (const repo of [
      'app-ready',
      'app-auth',
      'app-invalid',
      'app-path',
      'app-down',
    ]) {
      await git.commit(repo, manifests('1'), 'first version');
    }
    for (const repoPath of [
      'private',
      'down',
      'rollback',
      'install',
      'remediated',
      'charts',
    ]) {
      helm.setCredentials(repoPath, SOURCE_CREDENTIALS.helm);
    }
    helm.publish(
      'private',
      packageChart(configMapChart({ name: 'payments-api', version: '2.3.0' })),
    );
    helm.publish(
      'down',
      packageChart(configMapChart({ name: 'payments-api', version: '2.3.0' })),
    );
    helm.publish(
      'rollback',
      packageChart(
        configMapChart({ name: 'notification-service', version: '0.9.4' }),
      ),
    );
    helm.publish(
      'install',
      packageChart(
        configMapChart({
          name: 'ledger',
          version: '1.8.0',
          required: ['databaseHost'],
        }),
      ),
    );
    helm.publish(
      'remediated',
      packageChart(
        configMapChart({
          name: 'audit-log',
          version: '0.4.0',
          dataKey: 'not a valid key!',
        }),
      ),
    );
    helm.publish(
      'charts',
      packageChart(configMapChart({ name: 'inventory-api', version: '3.2.1' })),
    );
    await registry.push(
      'charts/checkout',
      '1.4.0',
      helmOciChart(configMapChart({ name: 'checkout', version: '1.4.0' })),
    );
    await registry.push(
      'packages/podinfo',
      '6.7.1-p01',
      podinfoPackage('6.7.1-p01', '6.7.1'),
    );
    await registry.push(
      'packages/web-frontend',
      '2.4.0-p01',
      webFrontendPackage(),
    );
    storage.putObjects('manifests', {
      'deploy/configmap.yaml': configMapManifest('app', {
        version: 'bucket-1',
      }),
    });
    const helmOptions = (
      namespace: string,
      repoPath: string,
      chart: string,
      extra = {},
    ) => ({
      namespace,
      name: chart,
      repositoryName: repoPath,
      url: helm.repositoryUrl(repoPath),
      chart,
      version: '*',
      credentials: SOURCE_CREDENTIALS.helm,
      interval: '5s',
      ...extra,
    });
    await applyObjects(cp, [
      ...gitWorkload(gitOptions(testbed, 'git-ready', 'app-ready')),
      ...gitWorkload(gitOptions(testbed, 'git-auth', 'app-auth')),
      ...gitWorkload(gitOptions(testbed, 'git-invalid', 'app-invalid')),
      ...gitWorkload(gitOptions(testbed, 'git-path', 'app-path')),
      ...gitWorkload(gitOptions(testbed, 'git-down', 'app-down')),
      ...helmWorkload(
        helmOptions('helm-unauthorized', 'private', 'payments-api'),
      ),
      ...helmWorkload(helmOptions('helm-down', 'down', 'payments-api')),
      ...helmWorkload(
        helmOptions('helm-rollback', 'rollback', 'notification-service', {
          spec: { upgrade: { remediation: { retries: 1 } } },
        }),
      ),
      ...helmWorkload(helmOptions('helm-install-failed', 'install', 'ledger')),
      ...helmWorkload(
        helmOptions('helm-install-remediated', 'remediated', 'audit-log', {
          spec: { install: { remediation: { retries: 1 } } },
        }),
      ),
      // HelmRelease chartRef → HelmChart, and → OCIRepository (a chart pushed to the registry).
      basicAuthSecret('helmchart-ref', 'charts-helm', SOURCE_CREDENTIALS.helm),
      {
        apiVersion: API_VERSIONS.HelmRepository,
        kind: 'HelmRepository',
        metadata: { namespace: 'helmchart-ref', name: 'charts' },
        spec: {
          url: helm.repositoryUrl('charts'),
          interval: '5s',
          secretRef: { name: 'charts-helm' },
        },
      },
      {
        apiVersion: API_VERSIONS.HelmChart,
        kind: 'HelmChart',
        metadata: { namespace: 'helmchart-ref', name: 'inventory-api' },
        spec: {
          chart: 'inventory-api',
          version: '3.x',
          interval: '5s',
          sourceRef: { kind: 'HelmRepository', name: 'charts' },
        },
      },
      {
        apiVersion: API_VERSIONS.HelmRelease,
        kind: 'HelmRelease',
        metadata: { namespace: 'helmchart-ref', name: 'inventory-api' },
        spec: {
          interval: '5s',
          chartRef: { kind: 'HelmChart', name: 'inventory-api' },
        },
      },
      registrySecret(
        'oci-chart',
        'registry',
        registry.host,
        REGISTRY_PULL_CREDENTIALS,
      ),
      {
        apiVersion: API_VERSIONS.OCIRepository,
        kind: 'OCIRepository',
        metadata: { namespace: 'oci-chart', name: 'checkout' },
        spec: {
          url: `oci://${registry.host}/charts/checkout`,
          ref: { tag: '1.4.0' },
          insecure: true,
          interval: '5s',
          secretRef: { name: 'registry' },
          layerSelector: { mediaType: HELM_CHART_CONTENT, operation: 'copy' },
        },
      },
      {
        apiVersion: API_VERSIONS.HelmRelease,
        kind: 'HelmRelease',
        metadata: { namespace: 'oci-chart', name: 'checkout' },
        spec: {
          interval: '5s',
          chartRef: { kind: 'OCIRepository', name: 'checkout' },
        },
      },
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'Bucket',
        metadata: { namespace: 'bucket', name: 'manifests' },
        spec: {
          provider: 'generic',
          endpoint: storage.endpoint,
          insecure: true,
          region: 'us-east-1',
          bucketName: 'manifests',
          interval: '5s',
        },
      },
      {
        apiVersion: API_VERSIONS.Kustomization,
        kind: 'Kustomization',
        metadata: { namespace: 'bucket', name: 'app' },
        spec: {
          interval: '5s',
          path: './deploy',
          prune: true,
          targetNamespace: 'bucket',
          sourceRef: { kind: 'Bucket', name: 'manifests' },
        },
      },
      {
        apiVersion: API_VERSIONS.Kustomization,
        kind: 'Kustomization',
        metadata: { namespace: 'external', name: 'app' },
        spec: {
          interval: '5s',
          path: './',
          prune: true,
          targetNamespace: 'external',
          sourceRef: { kind: 'ExternalArtifact', name: 'app-manifests' },
        },
      },
      {
        apiVersion: API_VERSIONS.HelmRelease,
        kind: 'HelmRelease',
        metadata: { namespace: 'external', name: 'app-chart' },
        spec: {
          interval: '5s',
          chartRef: { kind: 'ExternalArtifact', name: 'app-chart' },
        },
      },
      ...kuboCdRelease({
        namespace: 'apps',
        name: 'podinfo',
        registryHost: registry.host,
        repository: 'packages/podinfo',
        tag: '6.7.1-p01',
        credentials: REGISTRY_PULL_CREDENTIALS,
      }),
      // No fqdn parameter: the package's chart requires one.
      ...kuboCdRelease({
        namespace: 'web',
        name: 'web-frontend',
        registryHost: registry.host,
        repository: 'packages/web-frontend',
        tag: '2.4.0-p01',
        credentials: REGISTRY_PULL_CREDENTIALS,
      }),
    ]);

    await publishExternalArtifact(cp, storage, {
      namespace: 'external',
      name: 'app-manifests',
      files: {
        'configmap.yaml': configMapManifest('app', { version: 'generated-1' }),
      },
    });
    await publishExternalArtifact(cp, storage, {
      namespace: 'external',
      name: 'app-chart',
      // A chart artifact holds the chart's directory, as a packaged chart does.
      files: Object.fromEntries(
        Object.entries(
          chartFiles(configMapChart({ name: 'app-chart', version: '0.3.0' })),
        ).map(([file, content]) => [`app-chart/${file}`, content]),
      ),
      revision: '0.3.0',
    });

    // Everything that needs all sources up.
    const ks = (ns: string, name: string) => refOf('Kustomization', ns, name);
    const hr = (ns: string, name: string) => refOf('HelmRelease', ns, name);
    await waitFor(
      cp,
      ks('git-ready', 'app-ready'),
      o => ready(o),
      'became Ready',
    );
    const second = await git.commit(
      'app-ready',
      manifests('2'),
      'second version',
    );
    await waitFor(
      cp,
      ks('git-ready', 'app-ready'),
      o =>
        o.status?.lastAppliedRevision === `main@sha1:${second}` &&
        (o.status?.history?.length ?? 0) >= 2,
      'applied the second commit',
    );
    await write(
      out,
      'kustomization-ready',
      'A Kustomization that applied two commits of a GitRepository (status.history has both).',
      cp,
      'git-ready',
    );

    await waitFor(
      cp,
      ks('git-auth', 'app-auth'),
      o => ready(o),
      'became Ready',
    );
    await withKubeClient(asAdmin(cp), client =>
      client.mergePatch(
        {
          apiVersion: 'v1',
          kind: 'Secret',
          namespace: 'git-auth',
          name: 'app-auth-git',
        },
        { stringData: { password: WRONG.password } },
      ),
    );
    await requestReconcile(cp, refOf('GitRepository', 'git-auth', 'app-auth'));
    await waitFor(
      cp,
      refOf('GitRepository', 'git-auth', 'app-auth'),
      o => ready(o, 'False', 'GitOperationFailed'),
      'failed authentication',
    );
    await write(
      out,
      'gitrepository-auth-failed',
      'The git server rejects the credentials of a GitRepository that fetched before (its Secret now holds a wrong password).',
      cp,
      'git-auth',
    );

    await waitFor(
      cp,
      ks('git-invalid', 'app-invalid'),
      o => ready(o),
      'became Ready',
    );
    await git.commit(
      'app-invalid',
      { 'deploy/extra.yaml': configMapManifest('Invalid_Name!', { a: 'b' }) },
      'an invalid ConfigMap',
    );
    await waitFor(
      cp,
      ks('git-invalid', 'app-invalid'),
      o => ready(o, 'False', 'ReconciliationFailed'),
      'failed to apply',
    );
    await write(
      out,
      'kustomization-invalid-manifest',
      'A commit with an invalid ConfigMap name: the dry-run fails, the last applied revision stays.',
      cp,
      'git-invalid',
    );

    await waitFor(
      cp,
      ks('git-path', 'app-path'),
      o => ready(o),
      'became Ready',
    );
    await git.commit(
      'app-path',
      {
        deploy: null,
        'manifests/configmap.yaml': configMapManifest('app', { version: '2' }),
      },
      'move the manifests',
    );
    await waitFor(
      cp,
      ks('git-path', 'app-path'),
      o => ready(o, 'False', 'ArtifactFailed'),
      'lost its path',
    );
    await write(
      out,
      'kustomization-path-missing',
      'A commit moves the manifests away from the Kustomization path.',
      cp,
      'git-path',
    );

    await waitFor(
      cp,
      hr('helm-install-failed', 'ledger'),
      o => (o.status?.failures ?? 0) >= 2,
      'failed twice',
    );
    await write(
      out,
      'helmrelease-install-failed',
      'A chart whose template requires a value the HelmRelease does not give: InstallFailed, retried forever (never Stalled), observedGeneration -1.',
      cp,
      'helm-install-failed',
    );

    await waitFor(
      cp,
      hr('helm-install-remediated', 'audit-log'),
      o => condition(o, 'Stalled'),
      'stalled',
    );
    await write(
      out,
      'helmrelease-install-uninstalled',
      'A first install the API server rejects, with install.remediation.retries 1: uninstalled after each failure, then Stalled (RetriesExceeded).',
      cp,
      'helm-install-remediated',
    );

    await waitFor(
      cp,
      hr('helm-rollback', 'notification-service'),
      o => ready(o),
      'installed 0.9.4',
    );
    helm.publish(
      'rollback',
      packageChart(
        configMapChart({
          name: 'notification-service',
          version: '1.0.0',
          dataKey: 'not a valid key!',
        }),
      ),
    );
    await waitFor(
      cp,
      hr('helm-rollback', 'notification-service'),
      o => condition(o, 'Stalled'),
      'stalled',
    );
    await write(
      out,
      'helmrelease-upgrade-rolled-back',
      'An upgrade to a chart the API server rejects, with upgrade.remediation.retries 1: rolled back, then Stalled (RetriesExceeded).',
      cp,
      'helm-rollback',
    );

    await waitFor(
      cp,
      hr('helm-unauthorized', 'payments-api'),
      o => ready(o),
      'installed',
    );
    helm.setCredentials('private', WRONG);
    await waitFor(
      cp,
      refOf('HelmRepository', 'helm-unauthorized', 'private'),
      o => ready(o, 'False'),
      'failed',
    );
    await write(
      out,
      'helmrepository-unauthorized',
      'The Helm repository answers 401 to a HelmRepository that fetched its index before.',
      cp,
      'helm-unauthorized',
    );

    await waitFor(
      cp,
      hr('helmchart-ref', 'inventory-api'),
      o => ready(o),
      'installed',
    );
    await write(
      out,
      'helmrelease-chartref-helmchart',
      'A HelmRelease whose chartRef is a HelmChart (of a HelmRepository).',
      cp,
      'helmchart-ref',
    );
    await waitFor(cp, hr('oci-chart', 'checkout'), o => ready(o), 'installed');
    await write(
      out,
      'helmrelease-chartref-ocirepository',
      'A HelmRelease whose chartRef is an OCIRepository holding a chart pushed to a registry.',
      cp,
      'oci-chart',
    );
    await waitFor(cp, ks('bucket', 'app'), o => ready(o), 'applied');
    await write(
      out,
      'kustomization-bucket',
      'A Kustomization applying from a Bucket (S3-compatible store, provider generic).',
      cp,
      'bucket',
    );
    await waitFor(cp, ks('external', 'app'), o => ready(o), 'applied');
    await waitFor(cp, hr('external', 'app-chart'), o => ready(o), 'installed');
    await write(
      out,
      'externalartifact-sources',
      'A Kustomization and a HelmRelease (chartRef) reading ExternalArtifacts (written by the testbed standing in for a generator).',
      cp,
      'external',
    );
    await waitFor(
      cp,
      refOf('Release', 'apps', 'podinfo'),
      o => o.status?.phase === 'READY',
      'became READY',
    );
    await write(
      out,
      'kubocd-ready',
      'A KuboCD Release and its Flux children, all ready.',
      cp,
      'apps',
    );
    await waitFor(
      cp,
      refOf('Release', 'web', 'web-frontend'),
      o => o.status?.phase === 'WAIT_HREL',
      'waited for its HelmRelease',
    );
    await waitFor(
      cp,
      hr('web', 'web-frontend-main'),
      o => ready(o, 'False', 'InstallFailed'),
      'failed to install',
    );
    await write(
      out,
      'kubocd-wait-hrel',
      'A KuboCD Release whose HelmRelease cannot render the chart without a parameter: WAIT_HREL.',
      cp,
      'web',
    );

    // One source down or refusing at a time.
    await git.stop();
    await waitFor(
      cp,
      refOf('GitRepository', 'git-down', 'app-down'),
      o => ready(o, 'False', 'GitOperationFailed'),
      'failed to connect',
    );
    await write(
      out,
      'gitrepository-server-down',
      'The git server is down (connection refused) for a GitRepository that fetched before.',
      cp,
      'git-down',
    );
    await git.start();

    await helm.stop();
    await waitFor(
      cp,
      refOf('HelmRepository', 'helm-down', 'down'),
      o => ready(o, 'False'),
      'failed to connect',
    );
    await write(
      out,
      'helmrepository-server-down',
      'The Helm repository server is down (connection refused).',
      cp,
      'helm-down',
    );
    await helm.start();

    registry.rejectPulls();
    await registry.push(
      'packages/podinfo',
      '6.7.1-p02',
      podinfoPackage('6.7.1-p02', '6.7.2'),
    );
    await withKubeClient(asAdmin(cp), client =>
      client.mergePatch(refOf('Release', 'apps', 'podinfo'), {
        spec: { package: { tag: '6.7.1-p02' } },
      }),
    );
    await waitFor(
      cp,
      refOf('OCIRepository', 'apps', 'kcd-podinfo'),
      o => ready(o, 'False', 'OCIArtifactPullFailed'),
      'failed to pull',
    );
    await waitFor(
      cp,
      refOf('Release', 'apps', 'podinfo'),
      o => o.status?.phase === 'WAIT_OCI',
      'waited for its OCIRepository',
    );
    await write(
      out,
      'kubocd-wait-oci',
      'A KuboCD Release promoted to a tag the registry refuses to pull (UNAUTHORIZED): WAIT_OCI, the previous artifact kept.',
      cp,
      'apps',
    );
    registry.acceptPulls();
  } finally {
    await testbed.stop();
  }
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: captureFixtures.ts <output folder>');
    process.exit(2);
  }
  captureFixtures(path.resolve(out)).catch(error => {
    console.error(error.stack);
    process.exit(1);
  });
}
