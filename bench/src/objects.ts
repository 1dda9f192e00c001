import { createHash } from 'node:crypto';
import {
  KubeCondition,
  KubeObject,
  OwnerReference,
} from '@gitops-promotion/backstage-plugin-common';
import {
  KINDS,
  kindOf,
} from '@gitops-promotion/backstage-plugin-common/server';
import {
  condition,
  gitRepository,
  helmChart,
  helmRelease,
  helmRepository,
  kustomization,
  notReady,
  ready,
  releaseWithChildren,
} from '@gitops-promotion/backstage-plugin-common/testUtils';

/** An object to create, as a controller would have left it (status set separately). */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
    finalizers?: string[];
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
/** The group whose overview the bench measures: one component per Release svc-0002…, up to 100. */
export const OVERVIEW_GROUP = 'team-overview';
export const OVERVIEW_COMPONENTS = 100;

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

/** The name and namespace of the i-th service Release (i ≥ 2) of every cluster. */
export function serviceRelease(i: number) {
  return {
    name: `svc-${String(i).padStart(4, '0')}`,
    namespace: `team-${String(i % TEAM_NAMESPACES).padStart(2, '0')}`,
  };
}

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

/** Ready and its companion condition (Released for helm-controller) for an outcome. */
function readyFor(
  state: Outcome,
  reasons: { ready: string; failed: string },
  message: string,
  since: string,
): KubeCondition {
  if (state === 'upgradeFailed') {
    return notReady(reasons.failed, message, since);
  }
  if (state === 'progressing') {
    return condition('Ready', 'Unknown', 'Progressing', message, since);
  }
  return ready(reasons.ready, message, since);
}

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

/** What `kubectl create` accepts: no server-set metadata; status goes through /status. */
function planned(object: KubeObject): PlannedObject {
  const kind = kindOf(object);
  if (!kind || !object.apiVersion || !object.metadata.namespace) {
    throw new Error(`not a namespaced Flux or KuboCD object: ${object.kind}`);
  }
  const {
    uid: _uid,
    resourceVersion: _resourceVersion,
    generation: _generation,
    creationTimestamp: _creationTimestamp,
    ...metadata
  } = object.metadata;
  return {
    manifest: {
      apiVersion: object.apiVersion,
      kind,
      metadata: { ...metadata, namespace: object.metadata.namespace },
      spec: object.spec ?? {},
      status: object.status,
    },
    plural: KINDS[kind].plural,
    ownerRelease: metadata.ownerReferences?.find(o => o.kind === 'Release')
      ?.name,
  };
}

/** helm-controller labels the HelmChart it makes with its HelmRelease. */
function labelChart(chart: KubeObject, helmReleaseName: string, ns: string) {
  chart.metadata.labels = {
    'helm.toolkit.fluxcd.io/name': helmReleaseName,
    'helm.toolkit.fluxcd.io/namespace': ns,
    ...chart.metadata.labels,
  };
}

/**
 * A KuboCD Release with the four Flux objects it leads to (the common
 * package's `releaseWithChildren`, as examples/clusters/<cluster>/podinfo.yaml
 * has them), in one of the outcomes: Ready, its package pull rejected
 * (WAIT_OCI, the previous tag still running), its Helm upgrade failed or in
 * progress (WAIT_HREL).
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
  const previous = releaseVersion(i, Math.max(ctx.rank - 1, 0)).tag;
  const since = ctx.ago();
  const hrName = `${name}-main`;
  const fqdn = `${name}.${ctx.cluster}.example.internal`;
  const values = {
    ingress: {
      className: 'nginx',
      enabled: true,
      hosts: [{ host: fqdn, paths: [{ path: '/', pathType: 'Prefix' }] }],
    },
    replicaCount: 1 + (i % 3),
  };
  const helmMessage = {
    ready: `Helm upgrade succeeded for release ${namespace}/${hrName}.v4 with chart main@${chart}`,
    sourceFailed: `Helm upgrade succeeded for release ${namespace}/${hrName}.v4 with chart main@${chart}`,
    upgradeFailed: `Helm upgrade failed for release ${namespace}/${hrName} with chart main@${chart}: context deadline exceeded`,
    progressing: `Running 'upgrade' action with timeout of 2m0s`,
  }[state];
  const helmReady = readyFor(
    state,
    { ready: 'UpgradeSucceeded', failed: 'UpgradeFailed' },
    helmMessage,
    since,
  );
  const pullFailure = `failed to determine artifact digest: GET https://quay.io/v2/kubodoc/packages/${name}/manifests/${tag}: UNAUTHORIZED: access to the requested resource is not authorized`;
  const objects = releaseWithChildren(name, namespace, {
    tag,
    chartVersion: chart,
    pulledTag: state === 'sourceFailed' ? previous : tag,
    phase: {
      ready: 'READY',
      sourceFailed: 'WAIT_OCI',
      upgradeFailed: 'WAIT_HREL',
      progressing: 'WAIT_HREL',
    }[state],
    // Otherwise source-controller's "stored artifact" of the builder.
    ociConditions:
      state === 'sourceFailed'
        ? [
            notReady('OCIArtifactPullFailed', pullFailure, since),
            condition(
              'FetchFailed',
              'True',
              'OCIArtifactPullFailed',
              pullFailure,
              since,
            ),
          ]
        : undefined,
    hrConditions: [
      helmReady,
      { ...helmReady, type: 'Released' },
      ...(state === 'progressing'
        ? [condition('Reconciling', 'True', 'Progressing', helmMessage, since)]
        : []),
    ],
    modules: { main: { ready: helmReady.status, status: helmMessage } },
    labels,
    values,
    configDigest: `sha256:${sha(JSON.stringify(values))}`,
  });
  labelChart(objects[4], hrName, namespace);
  return objects.map(planned);
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
  const since = ctx.ago();
  const state = outcome(ctx.rng, ctx.environment);
  const values = { image: { tag: version }, resources: { cpu: '100m' } };
  const message = {
    ready: `Helm upgrade succeeded for release ${namespace}/${name}.v7 with chart ${name}@${version}`,
    sourceFailed: `Helm upgrade succeeded for release ${namespace}/${name}.v7 with chart ${name}@${version}`,
    upgradeFailed: `Helm install failed for release ${namespace}/${name} with chart ${name}@${version}: values don't meet the specifications of the schema(s)`,
    progressing: `Running 'upgrade' action with timeout of 5m0s`,
  }[state];
  // A source that fails to fetch leaves the release as it was: Ready.
  const helmReady = readyFor(
    state === 'sourceFailed' ? 'ready' : state,
    { ready: 'UpgradeSucceeded', failed: 'InstallFailed' },
    message,
    since,
  );
  const chart = helmChart(`${namespace}-${name}`, 'flux-system', {
    chart: name,
    version,
    source: { kind: 'HelmRepository', name: repo },
    conditions: [
      ready(
        'ChartPullSucceeded',
        `pulled '${name}' chart with version '${version}'`,
        since,
      ),
    ],
  });
  labelChart(chart, name, namespace);
  return [
    helmRelease(name, namespace, {
      chart: name,
      version,
      source: { kind: 'HelmRepository', name: repo, namespace: 'flux-system' },
      conditions: [helmReady],
      values,
      configDigest: `sha256:${sha(JSON.stringify(values) + name)}`,
    }),
    chart,
  ].map(planned);
}

function gitRepositoryObject(ctx: Context, i: number): PlannedObject {
  const name = `repo-${String(i).padStart(3, '0')}`;
  const state = outcome(ctx.rng, ctx.environment);
  const since = ctx.ago();
  const revision = `main@sha1:${sha(name + ctx.rank, 'sha1')}`;
  const url = `https://git.example.com/platform/${name}.git`;
  return planned(
    gitRepository(name, 'flux-system', {
      url,
      revision,
      conditions: [
        state === 'sourceFailed'
          ? notReady(
              'GitOperationFailed',
              `failed to checkout and determine revision: unable to list remote for '${url}': authentication required`,
              since,
            )
          : ready(
              'Succeeded',
              `stored artifact for revision '${revision}'`,
              since,
            ),
      ],
    }),
  );
}

function kustomizationObject(
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
  const message = {
    ready: `Applied revision: ${revision}`,
    sourceFailed: `Applied revision: ${revision}`,
    upgradeFailed: `health check failed after 5m0s: timeout waiting for: [Deployment/team/${name} status: 'InProgress']`,
    progressing: 'Reconciliation in progress',
  }[state];
  return planned(
    kustomization(name, 'flux-system', {
      source: { kind: 'GitRepository', name: source },
      applied: revision,
      conditions: [
        readyFor(
          state === 'sourceFailed' ? 'ready' : state,
          { ready: 'ReconciliationSucceeded', failed: 'HealthCheckFailed' },
          message,
          since,
        ),
      ],
      labels,
    }),
  );
}

/**
 * What one cluster of the fleet holds: `releases` KuboCD Releases with their
 * Flux children (5 objects each), and as many standalone Flux objects again
 * (shared HelmRepositories, HelmReleases with their HelmCharts,
 * GitRepositories, Kustomizations): 6 × releases objects, built with the
 * common package's builders (`/testUtils`). Release 0 is the page-view
 * workload (labelled backstage.io/kubernetes-id=bench-service, its
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
      const { name, namespace } = serviceRelease(i);
      objects.push(
        ...releaseObjects(
          ctx,
          i,
          name,
          namespace,
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
    objects.push(
      planned(
        helmRepository(name, 'flux-system', {
          url: `https://charts.example.com/${name}`,
          conditions: [
            ready(
              'Succeeded',
              `stored artifact: revision 'sha256:${sha(name + ctx.rank)}'`,
              ctx.ago(),
            ),
          ],
        }),
      ),
    );
  }
  for (let i = 0; i < helmReleases; i++) {
    objects.push(...standaloneHelmRelease(ctx, i));
  }
  for (let i = 0; i < gitRepositories; i++) {
    objects.push(gitRepositoryObject(ctx, i));
  }
  objects.push(
    kustomizationObject(ctx, 0, gitRepositories, SYNC_WORKLOAD, {
      [SYNC_LABEL]: 'true',
    }),
  );
  for (let i = 1; i < kustomizations; i++) {
    objects.push(kustomizationObject(ctx, i, gitRepositories));
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
