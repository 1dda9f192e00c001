import { createHash } from 'node:crypto';
import {
  ObjectKind,
  OwnerReference,
} from '@gitops-promotion/backstage-plugin-common';
import { KINDS } from '@gitops-promotion/backstage-plugin-common/server';

/** An object to create, as a controller would have left it (status set separately). */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<Required<OwnerReference>>;
  };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/** A planned object: its manifest, plural, and the Release (by name) that owns it. */
export interface PlannedObject {
  manifest: Manifest;
  plural: string;
  /** Name of the Release in the same namespace whose uid goes in ownerReferences. */
  ownerRelease?: string;
}

/** Everything one cluster holds. */
export interface ClusterPlan {
  namespaces: string[];
  /** Objects with no owner first (Releases among them), then the owned ones. */
  objects: PlannedObject[];
  counts: Record<string, number>;
}

/** The label the Kubernetes plugin selects by (backstage.io/kubernetes-id). */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';
/** The workload both plugins show for the page-view entity. */
export const BENCH_SERVICE = 'bench-service';
/** Label of the workloads the sync-check entity selects (a Release and a Kustomization per cluster). */
export const SYNC_LABEL = 'bench.gitops-promotion.io/sync';
export const SYNC_WORKLOAD = 'bench-sync';
export const BENCH_NAMESPACE = 'bench';

type Kind = ObjectKind;

/** apiVersion and plural of each kind, at the stable versions the plugin prefers. */
const API = Object.fromEntries(
  Object.values(KINDS).map(k => [k.kind, `${k.group}/${k.versions[0]}`]),
) as Record<Kind, string>;
const PLURAL = Object.fromEntries(
  Object.values(KINDS).map(k => [k.kind, k.plural]),
) as Record<Kind, string>;

/** How far each environment is along the promotion path (sandbox newest). */
const ENV_RANK: Record<string, number> = {
  sandbox: 3,
  development: 2,
  staging: 1,
  production: 0,
};

/** Share of failed and in-progress workloads per environment (development is the noisiest). */
const FAILURE_RATE: Record<string, number> = {
  sandbox: 0.06,
  development: 0.1,
  staging: 0.04,
  production: 0.02,
};
const PROGRESSING_RATE = 0.03;

const TEAM_NAMESPACES = 10;
const SHARED_HELM_REPOSITORIES = 10;

/** Deterministic pseudo-random numbers (mulberry32), so every run seeds the same fleet. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sha = (text: string, algorithm = 'sha256') =>
  createHash(algorithm).update(text).digest('hex');

type Outcome = 'ready' | 'sourceFailed' | 'upgradeFailed' | 'progressing';

function outcome(rng: () => number, environment: string): Outcome {
  const r = rng();
  const fail = FAILURE_RATE[environment] ?? 0.05;
  if (r < fail / 2) return 'sourceFailed';
  if (r < fail) return 'upgradeFailed';
  if (r < fail + PROGRESSING_RATE) return 'progressing';
  return 'ready';
}

function condition(
  type: string,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message: string,
  since: string,
) {
  return {
    type,
    status,
    reason,
    message,
    lastTransitionTime: since,
    observedGeneration: 1,
  };
}

const owner = (release: string) => [
  {
    apiVersion: API.Release,
    kind: 'Release',
    name: release,
    uid: '',
    controller: true,
    blockOwnerDeletion: true,
  },
];

interface Context {
  cluster: string;
  environment: string;
  rank: number;
  rng: () => number;
  /** An ISO time (seconds) a random while ago. */
  ago: () => string;
}

/** Version of release i in an environment: a third of them wait for promotion. */
function releaseVersion(i: number, rank: number) {
  const minor = i % 40;
  const patch = i % 3 === 0 ? rank : 0;
  return { chart: `1.${minor}.${patch}`, tag: `1.${minor}.${patch}-p01` };
}

/**
 * A KuboCD Release with the four Flux objects it leads to, shaped like
 * examples/clusters/<cluster>/podinfo.yaml: OCIRepository kcd-<name> and
 * HelmRepository kcd-<name> owned by the Release, HelmRelease <name>-main
 * owned by it too, and the HelmChart <ns>-<name>-main helm-controller makes.
 */
function releaseObjects(
  ctx: Context,
  i: number,
  name: string,
  namespace: string,
  labels: Record<string, string> | undefined,
  state: Outcome,
): PlannedObject[] {
  const { chart, tag } = releaseVersion(i, ctx.rank);
  const repository = `quay.io/bench/packages/svc-${i % 50}`;
  const previous = releaseVersion(i, Math.max(ctx.rank - 1, 0)).tag;
  const since = ctx.ago();
  const pulledTag = state === 'sourceFailed' ? previous : tag;
  const pulled = `${pulledTag}@sha256:${sha(repository + pulledTag)}`;
  const hrName = `${name}-main`;
  const chartName = `${namespace}-${hrName}`;
  const fqdn = `${name}.${ctx.cluster}.example.internal`;
  const values = {
    ingress: {
      className: 'nginx',
      enabled: true,
      hosts: [{ host: fqdn, paths: [{ path: '/', pathType: 'Prefix' }] }],
    },
    replicaCount: 1 + (i % 3),
  };
  const configDigest = `sha256:${sha(JSON.stringify(values))}`;
  const phase = {
    ready: 'READY',
    sourceFailed: 'WAIT_OCI',
    upgradeFailed: 'WAIT_HREL',
    progressing: 'WAIT_HREL',
  }[state];
  const helmMessage = {
    ready: `Helm upgrade succeeded for release ${namespace}/${hrName}.v4 with chart svc@${chart}`,
    sourceFailed: `Helm upgrade succeeded for release ${namespace}/${hrName}.v4 with chart svc@${chart}`,
    upgradeFailed: `Helm upgrade failed for release ${namespace}/${hrName} with chart svc@${chart}: context deadline exceeded`,
    progressing: `Running 'upgrade' action with timeout of 2m0s`,
  }[state];
  const helmReady =
    state === 'upgradeFailed'
      ? condition('Ready', 'False', 'UpgradeFailed', helmMessage, since)
      : state === 'progressing'
      ? condition('Ready', 'Unknown', 'Progressing', helmMessage, since)
      : condition('Ready', 'True', 'UpgradeSucceeded', helmMessage, since);
  const ociFailure = `failed to determine artifact digest: GET https://quay.io/v2/bench/packages/svc-${
    i % 50
  }/manifests/${tag}: UNAUTHORIZED: access to the requested resource is not authorized`;
  /** Metadata of a Flux object KuboCD made for the Release. */
  const childMetadata = (childName: string) => ({
    name: childName,
    namespace,
    ...(labels ? { labels } : {}),
    ownerReferences: owner(name),
  });
  const helmRepoRevision = `sha256:${sha(`index-${namespace}-${name}`)}`;

  return [
    {
      plural: PLURAL.Release,
      manifest: {
        apiVersion: API.Release,
        kind: 'Release',
        metadata: {
          name,
          namespace,
          labels: {
            'kustomize.toolkit.fluxcd.io/name': 'flux-system',
            'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
            ...labels,
          },
        },
        spec: {
          description: `Service ${name}`,
          package: { interval: '5m', repository, tag, timeout: '60s' },
          parameters: { fqdn },
        },
        status: {
          dependencies: [],
          helmReleaseStates: {
            main: {
              ready:
                state === 'upgradeFailed'
                  ? 'False'
                  : state === 'progressing'
                  ? 'Unknown'
                  : 'True',
              status: helmMessage,
            },
          },
          missingDependency: '',
          phase,
          printContexts: 'contexts:cluster',
          printDescription: `Service ${name}`,
          printProtected: '-',
          protected: false,
          readyReleases: state === 'ready' ? '1/1' : '0/1',
          roles: [],
        },
      },
    },
    {
      plural: PLURAL.OCIRepository,
      ownerRelease: name,
      manifest: {
        apiVersion: API.OCIRepository,
        kind: 'OCIRepository',
        metadata: childMetadata(`kcd-${name}`),
        spec: {
          interval: '5m0s',
          layerSelector: {
            mediaType:
              'application/vnd.kubotal.kubocd.package.content.v1.tar+gzip',
            operation: 'extract',
          },
          provider: 'generic',
          ref: { tag },
          timeout: '1m0s',
          url: `oci://${repository}`,
        },
        status: {
          artifact: {
            digest: `sha256:${sha(pulled)}`,
            lastUpdateTime: since,
            path: `ocirepository/${namespace}/kcd-${name}/${sha(
              pulled,
            )}.tar.gz`,
            revision: pulled,
            size: 46833,
            url: `http://source-controller.flux-system.svc.cluster.local./ocirepository/${namespace}/kcd-${name}/${sha(
              pulled,
            )}.tar.gz`,
          },
          conditions:
            state === 'sourceFailed'
              ? [
                  condition(
                    'Ready',
                    'False',
                    'OCIArtifactPullFailed',
                    ociFailure,
                    since,
                  ),
                  condition(
                    'FetchFailed',
                    'True',
                    'OCIArtifactPullFailed',
                    ociFailure,
                    since,
                  ),
                ]
              : [
                  condition(
                    'Ready',
                    'True',
                    'Succeeded',
                    `stored artifact for digest '${pulled}'`,
                    since,
                  ),
                  condition(
                    'ArtifactInStorage',
                    'True',
                    'Succeeded',
                    `stored artifact for digest '${pulled}'`,
                    since,
                  ),
                ],
          observedGeneration: 1,
          url: `http://source-controller.flux-system.svc.cluster.local./ocirepository/${namespace}/kcd-${name}/latest.tar.gz`,
        },
      },
    },
    {
      plural: PLURAL.HelmRepository,
      ownerRelease: name,
      manifest: {
        apiVersion: API.HelmRepository,
        kind: 'HelmRepository',
        metadata: childMetadata(`kcd-${name}`),
        spec: {
          interval: '5m0s',
          provider: 'generic',
          url: `http://kubocd-ctrl-controller-helm-repository.kubocd.svc/hr/${namespace}/${name}`,
        },
        status: {
          artifact: {
            digest: helmRepoRevision,
            lastUpdateTime: since,
            revision: helmRepoRevision,
            size: 49011,
          },
          conditions: [
            condition(
              'Ready',
              'True',
              'Succeeded',
              `stored artifact: revision '${helmRepoRevision}'`,
              since,
            ),
          ],
          observedGeneration: 1,
        },
      },
    },
    {
      plural: PLURAL.HelmRelease,
      ownerRelease: name,
      manifest: {
        apiVersion: API.HelmRelease,
        kind: 'HelmRelease',
        metadata: childMetadata(hrName),
        spec: {
          chart: {
            spec: {
              chart: 'svc',
              interval: '5m0s',
              reconcileStrategy: 'ChartVersion',
              sourceRef: {
                kind: 'HelmRepository',
                name: `kcd-${name}`,
                namespace,
              },
              version: chart,
            },
          },
          interval: '5m0s',
          releaseName: hrName,
          targetNamespace: namespace,
          timeout: '2m0s',
          values,
        },
        status: {
          conditions: [
            helmReady,
            condition(
              'Released',
              helmReady.status === 'False' ? 'False' : 'True',
              helmReady.reason,
              helmMessage,
              since,
            ),
            ...(state === 'progressing'
              ? [
                  condition(
                    'Reconciling',
                    'True',
                    'Progressing',
                    helmMessage,
                    since,
                  ),
                ]
              : []),
          ],
          helmChart: `${namespace}/${chartName}`,
          history: [
            {
              appVersion: chart,
              chartName: 'svc',
              chartVersion: chart,
              configDigest,
              digest: `sha256:${sha(hrName + chart)}`,
              firstDeployed: '2025-02-19T11:24:45Z',
              lastDeployed: since,
              name: hrName,
              namespace,
              status: state === 'upgradeFailed' ? 'failed' : 'deployed',
              version: 4,
            },
            {
              appVersion: '1.0.0',
              chartName: 'svc',
              chartVersion: '1.0.0',
              configDigest,
              digest: `sha256:${sha(`${hrName}1.0.0`)}`,
              firstDeployed: '2025-02-19T11:24:45Z',
              lastDeployed: '2025-06-01T10:00:00Z',
              name: hrName,
              namespace,
              status: 'superseded',
              version: 3,
            },
          ],
          lastAttemptedConfigDigest: configDigest,
          lastAttemptedGeneration: 1,
          lastAttemptedReleaseAction: 'upgrade',
          lastAttemptedRevision: chart,
          observedGeneration: 1,
          storageNamespace: namespace,
        },
      },
    },
    {
      plural: PLURAL.HelmChart,
      manifest: {
        apiVersion: API.HelmChart,
        kind: 'HelmChart',
        metadata: {
          name: chartName,
          namespace,
          labels: {
            'helm.toolkit.fluxcd.io/name': hrName,
            'helm.toolkit.fluxcd.io/namespace': namespace,
            ...labels,
          },
        },
        spec: {
          chart: 'svc',
          interval: '5m0s',
          reconcileStrategy: 'ChartVersion',
          sourceRef: { kind: 'HelmRepository', name: `kcd-${name}` },
          version: chart,
        },
        status: {
          artifact: {
            digest: `sha256:${sha(chartName + chart)}`,
            lastUpdateTime: since,
            path: `helmchart/${namespace}/${chartName}/svc-${chart}.tgz`,
            revision: chart,
            size: 16091,
          },
          conditions: [
            condition(
              'Ready',
              'True',
              'ChartPullSucceeded',
              `pulled 'svc' chart with version '${chart}'`,
              since,
            ),
          ],
          observedChartName: 'svc',
          observedGeneration: 1,
          observedSourceArtifactRevision: helmRepoRevision,
        },
      },
    },
  ];
}

/** A HelmRelease not owned by a Release, with its HelmChart (in the source's namespace). */
function standaloneHelmRelease(ctx: Context, i: number): PlannedObject[] {
  const name = `app-${String(i).padStart(4, '0')}`;
  const namespace = `team-${String(i % TEAM_NAMESPACES).padStart(2, '0')}`;
  const repo = `charts-${String(i % SHARED_HELM_REPOSITORIES).padStart(
    2,
    '0',
  )}`;
  const version = `2.${i % 25}.${i % 4 === 0 ? ctx.rank : 0}`;
  const chartName = `${namespace}-${name}`;
  const since = ctx.ago();
  const state = outcome(ctx.rng, ctx.environment);
  const values = { image: { tag: version }, resources: { cpu: '100m' } };
  const configDigest = `sha256:${sha(JSON.stringify(values) + name)}`;
  const ready =
    state === 'ready' || state === 'sourceFailed'
      ? condition(
          'Ready',
          'True',
          'UpgradeSucceeded',
          `Helm upgrade succeeded for release ${namespace}/${name}.v7 with chart ${name}@${version}`,
          since,
        )
      : state === 'upgradeFailed'
      ? condition(
          'Ready',
          'False',
          'InstallFailed',
          `Helm install failed for release ${namespace}/${name} with chart ${name}@${version}: values don't meet the specifications of the schema(s)`,
          since,
        )
      : condition(
          'Ready',
          'Unknown',
          'Progressing',
          `Running 'upgrade' action with timeout of 5m0s`,
          since,
        );
  return [
    {
      plural: PLURAL.HelmRelease,
      manifest: {
        apiVersion: API.HelmRelease,
        kind: 'HelmRelease',
        metadata: { name, namespace },
        spec: {
          chart: {
            spec: {
              chart: name,
              version,
              sourceRef: {
                kind: 'HelmRepository',
                name: repo,
                namespace: 'flux-system',
              },
              interval: '10m',
            },
          },
          interval: '10m',
          values,
        },
        status: {
          conditions: [ready],
          helmChart: `flux-system/${chartName}`,
          history: [
            {
              appVersion: version,
              chartName: name,
              chartVersion: version,
              configDigest,
              firstDeployed: '2025-03-01T08:00:00Z',
              lastDeployed: since,
              name,
              namespace,
              status: ready.status === 'False' ? 'failed' : 'deployed',
              version: 7,
            },
          ],
          lastAttemptedConfigDigest: configDigest,
          lastAttemptedRevision: version,
          observedGeneration: 1,
        },
      },
    },
    {
      plural: PLURAL.HelmChart,
      manifest: {
        apiVersion: API.HelmChart,
        kind: 'HelmChart',
        metadata: {
          name: chartName,
          namespace: 'flux-system',
          labels: {
            'helm.toolkit.fluxcd.io/name': name,
            'helm.toolkit.fluxcd.io/namespace': namespace,
          },
        },
        spec: {
          chart: name,
          version,
          sourceRef: { kind: 'HelmRepository', name: repo },
          interval: '10m',
        },
        status: {
          artifact: { revision: version, digest: `sha256:${sha(chartName)}` },
          conditions: [
            condition(
              'Ready',
              'True',
              'ChartPullSucceeded',
              `pulled '${name}' chart with version '${version}'`,
              since,
            ),
          ],
          observedGeneration: 1,
        },
      },
    },
  ];
}

function gitRepository(ctx: Context, i: number): PlannedObject {
  const name = `repo-${String(i).padStart(3, '0')}`;
  const state = outcome(ctx.rng, ctx.environment);
  const since = ctx.ago();
  const revision = `main@sha1:${sha(name + ctx.rank, 'sha1')}`;
  const url = `https://git.example.com/platform/${name}.git`;
  return {
    plural: PLURAL.GitRepository,
    manifest: {
      apiVersion: API.GitRepository,
      kind: 'GitRepository',
      metadata: { name, namespace: 'flux-system' },
      spec: { interval: '1m', ref: { branch: 'main' }, url },
      status: {
        artifact: { revision, digest: `sha256:${sha(revision)}` },
        conditions:
          state === 'sourceFailed'
            ? [
                condition(
                  'Ready',
                  'False',
                  'GitOperationFailed',
                  `failed to checkout and determine revision: unable to list remote for '${url}': authentication required`,
                  since,
                ),
              ]
            : [
                condition(
                  'Ready',
                  'True',
                  'Succeeded',
                  `stored artifact for revision '${revision}'`,
                  since,
                ),
              ],
        observedGeneration: 1,
      },
    },
  };
}

function kustomization(
  ctx: Context,
  i: number,
  gitRepositories: number,
  name = `ks-${String(i).padStart(4, '0')}`,
  labels?: Record<string, string>,
): PlannedObject {
  const source = `repo-${String(i % gitRepositories).padStart(3, '0')}`;
  const state = labels ? 'ready' : outcome(ctx.rng, ctx.environment);
  const since = ctx.ago();
  const revision = `main@sha1:${sha(source + ctx.rank, 'sha1')}`;
  const ready =
    state === 'upgradeFailed'
      ? condition(
          'Ready',
          'False',
          'HealthCheckFailed',
          `health check failed after 5m0s: timeout waiting for: [Deployment/team/${name} status: 'InProgress']`,
          since,
        )
      : state === 'progressing'
      ? condition(
          'Ready',
          'Unknown',
          'Progressing',
          `Reconciliation in progress`,
          since,
        )
      : condition(
          'Ready',
          'True',
          'ReconciliationSucceeded',
          `Applied revision: ${revision}`,
          since,
        );
  return {
    plural: PLURAL.Kustomization,
    manifest: {
      apiVersion: API.Kustomization,
      kind: 'Kustomization',
      metadata: {
        name,
        namespace: 'flux-system',
        ...(labels ? { labels } : {}),
      },
      spec: {
        interval: '10m',
        path: `./deploy/${name}`,
        prune: true,
        sourceRef: { kind: 'GitRepository', name: source },
        targetNamespace: `team-${String(i % TEAM_NAMESPACES).padStart(2, '0')}`,
      },
      status: {
        conditions: [ready],
        lastAppliedRevision: revision,
        lastAttemptedRevision: revision,
        observedGeneration: 1,
      },
    },
  };
}

/**
 * What one cluster of the fleet holds: `releases` KuboCD Releases with their
 * Flux children (5 objects each), and as many standalone Flux objects again
 * (shared HelmRepositories, HelmReleases with their HelmCharts,
 * GitRepositories, Kustomizations): 6 × releases objects. Release 0 is the
 * page-view workload (labelled backstage.io/kubernetes-id=bench-service, its
 * children too, so the Kubernetes plugin's label query returns the chain);
 * Release 1 and Kustomization 0 are the sync-check workloads. Both stay
 * Ready; the rest are Ready, Failed or Progressing at the environment's rates.
 */
export function planCluster(options: {
  cluster: string;
  environment: string;
  clusterIndex: number;
  releases: number;
  now: Date;
}): ClusterPlan {
  const { cluster, environment, releases } = options;
  const rng = random(options.clusterIndex * 7919 + 17);
  const nowSeconds = Math.floor(options.now.getTime() / 1000);
  const ctx: Context = {
    cluster,
    environment,
    rank: ENV_RANK[environment] ?? 0,
    rng,
    ago: () =>
      new Date((nowSeconds - Math.floor(rng() * 30 * 86400)) * 1000)
        .toISOString()
        .replace(/\.\d+Z$/, 'Z'),
  };
  const objects: PlannedObject[] = [];
  for (let i = 0; i < releases; i++) {
    if (i === 0) {
      objects.push(
        ...releaseObjects(
          ctx,
          i,
          BENCH_SERVICE,
          BENCH_NAMESPACE,
          { [KUBERNETES_ID_LABEL]: BENCH_SERVICE },
          'ready',
        ),
      );
    } else if (i === 1) {
      objects.push(
        ...releaseObjects(
          ctx,
          i,
          SYNC_WORKLOAD,
          BENCH_NAMESPACE,
          { [SYNC_LABEL]: 'true' },
          'ready',
        ),
      );
    } else {
      objects.push(
        ...releaseObjects(
          ctx,
          i,
          `svc-${String(i).padStart(4, '0')}`,
          `team-${String(i % TEAM_NAMESPACES).padStart(2, '0')}`,
          undefined,
          outcome(rng, environment),
        ),
      );
    }
  }

  // Standalone Flux objects: as many as the Releases' objects / 5.
  const helmReleases = Math.round(releases * 0.3);
  const gitRepositories = Math.max(1, Math.round(releases * 0.18));
  const kustomizations = Math.max(
    1,
    releases - SHARED_HELM_REPOSITORIES - 2 * helmReleases - gitRepositories,
  );
  for (let r = 0; r < SHARED_HELM_REPOSITORIES; r++) {
    const name = `charts-${String(r).padStart(2, '0')}`;
    const revision = `sha256:${sha(name + ctx.rank)}`;
    objects.push({
      plural: PLURAL.HelmRepository,
      manifest: {
        apiVersion: API.HelmRepository,
        kind: 'HelmRepository',
        metadata: { name, namespace: 'flux-system' },
        spec: { interval: '1h', url: `https://charts.example.com/${name}` },
        status: {
          artifact: { revision, digest: revision },
          conditions: [
            condition(
              'Ready',
              'True',
              'Succeeded',
              `stored artifact: revision '${revision}'`,
              ctx.ago(),
            ),
          ],
          observedGeneration: 1,
        },
      },
    });
  }
  for (let i = 0; i < helmReleases; i++) {
    objects.push(...standaloneHelmRelease(ctx, i));
  }
  for (let i = 0; i < gitRepositories; i++) {
    objects.push(gitRepository(ctx, i));
  }
  objects.push(
    kustomization(ctx, 0, gitRepositories, SYNC_WORKLOAD, {
      [SYNC_LABEL]: 'true',
    }),
  );
  for (let i = 1; i < kustomizations; i++) {
    objects.push(kustomization(ctx, i, gitRepositories));
  }

  // Owners before what they own.
  objects.sort((a, b) => Number(!!a.ownerRelease) - Number(!!b.ownerRelease));
  const counts: Record<string, number> = {};
  for (const o of objects) {
    counts[o.manifest.kind] = (counts[o.manifest.kind] ?? 0) + 1;
  }
  const namespaces = [
    ...new Set(objects.map(o => o.manifest.metadata.namespace)),
  ].sort();
  return { namespaces, objects, counts };
}
