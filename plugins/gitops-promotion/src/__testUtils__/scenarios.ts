import {
  ClusterError,
  KubeObject,
} from '@gitops-promotion/backstage-plugin-common';
import { EnvironmentConfig } from '@gitops-promotion/backstage-plugin-common/server';
import { Entity } from '@backstage/catalog-model';
import {
  gitRepository,
  helmRelease,
  helmRepository,
  kustomization,
  notReady,
  ready,
  releaseWithChildren,
} from '@gitops-promotion/backstage-plugin-common/testUtils';
import { formatDuration } from '../util/age';
import { Scenario } from './fakeBackend';
import { defaultT } from './translate';

/** An ISO time `hours` before now: the tab shows ages relative to the browser clock. */
export function hoursAgo(hours: number): string {
  return new Date(Date.now() - hours * 3600_000).toISOString();
}

/**
 * A pattern of every age the tab can show for `time`, made by
 * `hoursAgo(hours)`: from `hours` to its age now. A test on a loaded machine
 * crosses second and minute boundaries between making its data (at module
 * load, for the constants below) and reading the screen.
 */
export function agesOf(time: string, hours: number): string {
  const t = defaultT();
  const now = Date.now() - Date.parse(time);
  const ages = new Set<string>();
  for (let ms = hours * 3600_000; ms < now; ms += 1000) {
    ages.add(formatDuration(ms, t));
  }
  ages.add(formatDuration(now, t));
  return `(?:${[...ages].join('|')})`;
}

export function entityWith(
  annotations: Record<string, string>,
  name = 'podinfo',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

const env = (name: string, ...clusters: string[]): EnvironmentConfig => ({
  name,
  clusters: clusters.map(cluster => ({ cluster })),
});

export const PULL_401 =
  'failed to determine artifact digest: GET https://quay.io/v2/kubodoc/packages/podinfo/manifests/6.7.1-p02: UNAUTHORIZED: access to the requested resource is not authorized; map[]';

const PODINFO_ANNOTATIONS = {
  'gitops-promotion/kubocd-releases': 'apps/podinfo',
};

export const PROD_EU_DIGEST = `sha256:${'e'.repeat(64)}`;

/**
 * The demo's podinfo: staging stuck in WAIT_OCI (the registry rejects the
 * pull of 6.7.1-p02) for 3 hours; production's clusters run different tags.
 */
export function podinfoScenario(): Scenario {
  const prodEu = releaseWithChildren('podinfo', 'apps', { tag: '6.7.1-p01' });
  // prod-eu runs 3 replicas: the values, and so their digest, differ from prod-us.
  const prodEuHelmRelease = prodEu.find(o => o.kind === 'HelmRelease')!;
  prodEuHelmRelease.spec!.values = { replicaCount: 3 };
  prodEuHelmRelease.status!.history![0].configDigest = PROD_EU_DIGEST;
  prodEuHelmRelease.status!.lastAttemptedConfigDigest = PROD_EU_DIGEST;
  return {
    entityRef: 'component:default/podinfo',
    environments: [
      env('development', 'dev-eu'),
      { ...env('staging', 'staging-eu'), title: 'Staging' },
      env('production', 'prod-eu', 'prod-us'),
    ],
    annotations: PODINFO_ANNOTATIONS,
    clusters: {
      'dev-eu': {
        objects: releaseWithChildren('podinfo', 'apps', { tag: '6.7.1-p02' }),
      },
      'staging-eu': {
        objects: releaseWithChildren('podinfo', 'apps', {
          tag: '6.7.1-p02',
          pulledTag: '6.7.1-p01',
          phase: 'WAIT_OCI',
          ociConditions: [
            notReady('OCIArtifactPullFailed', PULL_401, hoursAgo(3)),
          ],
        }),
      },
      'prod-eu': { objects: prodEu },
      'prod-us': {
        objects: releaseWithChildren('podinfo', 'apps', { tag: '6.6.3-p01' }),
      },
    },
    events: {
      'staging-eu/OCIRepository/apps/kcd-podinfo': [
        {
          type: 'Warning',
          reason: 'OCIArtifactPullFailed',
          message: PULL_401,
          count: 42,
          lastTimestamp: hoursAgo(0.1),
          source: 'source-controller',
        },
      ],
    },
  };
}

const chartSource = {
  kind: 'HelmRepository',
  name: 'charts',
  namespace: 'flux-system',
};

function service(
  name: string,
  version: string,
  extra: Partial<Parameters<typeof helmRelease>[2]> = {},
): KubeObject {
  return helmRelease(name, 'shop', {
    chart: name,
    version,
    source: chartSource,
    labels: { 'app.kubernetes.io/part-of': 'shop' },
    ...extra,
  });
}

/** One HelmRelease in six environments, one state each. */
export function statesScenario(): Scenario {
  const names = [
    'ready',
    'progressing',
    'failed',
    'suspended',
    'unknown',
    'absent',
  ];
  const svc = (extra: Partial<Parameters<typeof helmRelease>[2]> = {}) =>
    helmRelease('svc', 'shop', {
      chart: 'svc',
      version: '1.2.0',
      source: chartSource,
      ...extra,
    });
  return {
    environments: names.map(n => env(n, `${n}-cluster`)),
    annotations: { 'gitops-promotion/helm-releases': 'shop/svc' },
    clusters: {
      'ready-cluster': {
        objects: [
          svc({
            conditions: [ready('UpgradeSucceeded', 'upgraded', hoursAgo(3))],
          }),
        ],
      },
      'progressing-cluster': {
        objects: [
          svc({
            conditions: [
              {
                type: 'Ready',
                status: 'Unknown',
                reason: 'Progressing',
                message: "Running 'upgrade' action with timeout of 5m0s",
                lastTransitionTime: hoursAgo(0.5),
              },
            ],
          }),
        ],
      },
      'failed-cluster': {
        objects: [
          svc({
            conditions: [
              notReady('UpgradeFailed', 'Helm upgrade failed', hoursAgo(1)),
            ],
          }),
        ],
      },
      'suspended-cluster': { objects: [svc({ suspend: true })] },
      'unknown-cluster': { objects: [svc({ conditions: [] })] },
      'absent-cluster': { objects: [] },
    },
  };
}

/** Services of one label selector, each standing differently between development and staging. */
export function markersScenario(): Scenario {
  const git = (name: string, commit: string) => {
    const revision = `main@sha1:${commit.repeat(40).slice(0, 40)}`;
    const ks = kustomization(name, 'shop', {
      source: { kind: 'GitRepository', name },
      applied: revision,
    });
    ks.metadata.labels = { 'app.kubernetes.io/part-of': 'shop' };
    return [
      ks,
      gitRepository(name, 'shop', {
        url: `https://git.example.com/${name}`,
        revision,
      }),
    ];
  };
  return {
    environments: [env('development', 'dev-eu'), env('staging', 'staging-eu')],
    annotations: {
      'gitops-promotion/label-selector': 'app.kubernetes.io/part-of=shop',
    },
    clusters: {
      'dev-eu': {
        objects: [
          service('behind-svc', '2.0.0'),
          service('ahead-svc', '1.0.0'),
          service('values-svc', '1.0.0'),
          service('equal-svc', '1.0.0'),
          service('new-svc', '1.0.0'),
          ...git('git-svc', 'a'),
        ],
      },
      'staging-eu': {
        objects: [
          service('behind-svc', '1.0.0'),
          service('ahead-svc', '2.0.0'),
          service('values-svc', '1.0.0', { configDigest: 'sha256:other' }),
          service('equal-svc', '1.0.0'),
          ...git('git-svc', 'b'),
        ],
      },
    },
  };
}

/**
 * The demo's payments-api: development 2.4.0, staging 2.3.0, production
 * 2.1.0 in both clusters (2.2.0 is in staging's history), with other values
 * in production.
 */
export function paymentsScenario(): Scenario {
  const payments = (version: string, deployed: string[], replicas: number) => {
    const hr = helmRelease('payments-api', 'payments', {
      chart: 'payments-api',
      version,
      deployed,
      source: chartSource,
      configDigest: `sha256:${String(replicas).repeat(64)}`,
    });
    hr.spec!.values = {
      replicaCount: replicas,
      image: { repository: 'ghcr.io/example/payments-api' },
    };
    return [
      hr,
      helmRepository('charts', 'flux-system', {
        url: 'https://charts.example.com',
      }),
    ];
  };
  return {
    entityRef: 'component:default/payments-api',
    environments: [
      env('development', 'dev-eu'),
      env('staging', 'staging-eu'),
      env('production', 'prod-eu', 'prod-us'),
    ],
    annotations: { 'gitops-promotion/helm-releases': 'payments/payments-api' },
    clusters: {
      'dev-eu': { objects: payments('2.4.0', ['2.4.0'], 1) },
      'staging-eu': {
        objects: payments('2.3.0', ['2.3.0', '2.2.0', '2.1.0'], 2),
      },
      'prod-eu': { objects: payments('2.1.0', ['2.1.0'], 3) },
      'prod-us': { objects: payments('2.1.0', ['2.1.0'], 3) },
    },
  };
}

export const UNREACHABLE: ClusterError = {
  cluster: 'prod-us',
  type: 'UNREACHABLE',
  message:
    'Cannot reach the API server of cluster prod-us (ECONNREFUSED): check its url and the network path from the backend.',
  since: hoursAgo(0.25),
  lastSyncedAt: hoursAgo(0.3),
};

/**
 * payments-api while prod-us is unreachable (its last data stays, stale),
 * sandbox-carol never answered, and dev-eu serves HelmReleases only at a
 * beta version.
 */
export function clusterErrorsScenario(): Scenario {
  const base = paymentsScenario();
  return {
    ...base,
    environments: [env('sandbox', 'sandbox-carol'), ...base.environments],
    clusters: {
      ...base.clusters,
      'sandbox-carol': {
        objects: [],
        missingKinds: ['Release', 'HelmRelease', 'Kustomization'],
        errors: [
          {
            cluster: 'sandbox-carol',
            type: 'UNAUTHORIZED',
            message:
              'Cluster sandbox-carol rejected the credentials (401) on discovery (/apis): check serviceAccountToken in kubernetes.clusterLocatorMethods.',
            since: hoursAgo(2),
          },
        ],
      },
      'prod-us': { ...base.clusters['prod-us'], errors: [UNREACHABLE] },
      'dev-eu': {
        ...base.clusters['dev-eu'],
        errors: [
          {
            cluster: 'dev-eu',
            type: 'VERSION_NOT_SERVED',
            kind: 'HelmRelease',
            message:
              'helm.toolkit.fluxcd.io/v2 is not served on cluster dev-eu (Flux older than 2.3?); reading HelmRelease at v2beta2 instead.',
            since: hoursAgo(24),
            lastSyncedAt: hoursAgo(0),
            degraded: true,
          },
        ],
      },
    },
  };
}

/**
 * podinfo with a sandbox cluster per engineer: 50 sandboxes, one of them
 * failing to pull 6.7.1-p02 and one still on 6.7.1-p00; staging runs
 * 6.7.1-p01, production 6.6.3-p01 (the pending promotion the comparison
 * opens on: staging → production).
 */
export function fleetScenario(): Scenario {
  const sandboxes = Array.from(
    { length: 50 },
    (_, i) => `sandbox-${String(i).padStart(2, '0')}`,
  );
  const running = (tag: string) => ({
    objects: releaseWithChildren('podinfo', 'apps', { tag }),
  });
  return {
    entityRef: 'component:default/podinfo',
    environments: [
      env('sandbox', ...sandboxes),
      env('staging', 'staging-eu'),
      env('production', 'prod-eu'),
    ],
    annotations: PODINFO_ANNOTATIONS,
    clusters: {
      ...Object.fromEntries(
        sandboxes.map(name => [name, running('6.7.1-p01')]),
      ),
      'sandbox-07': {
        objects: releaseWithChildren('podinfo', 'apps', {
          tag: '6.7.1-p02',
          pulledTag: '6.7.1-p01',
          phase: 'WAIT_OCI',
          ociConditions: [
            notReady('OCIArtifactPullFailed', PULL_401, hoursAgo(3)),
          ],
        }),
      },
      'sandbox-42': running('6.7.1-p00'),
      'staging-eu': running('6.7.1-p01'),
      'prod-eu': running('6.6.3-p01'),
    },
  };
}
