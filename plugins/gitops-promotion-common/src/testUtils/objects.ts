// The package's own name, as a separate entry point refers to the main one.
import {
  ConditionStatus,
  KubeCondition,
  KubeObject,
} from '@gitops-promotion/backstage-plugin-common';

/**
 * Objects shaped as the Flux controllers (source-controller v1.x,
 * helm-controller v1.x, kustomize-controller v1.x) and the KuboCD
 * controller write them, for tests. Overrides merge into status/spec.
 */

const T0 = '2026-11-20T08:00:00Z';

/** A status condition as the Flux controllers set it (metav1.Condition). @public */
export function condition(
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
  time = T0,
  generation = 1,
): KubeCondition {
  return {
    type,
    status,
    reason,
    message,
    lastTransitionTime: time,
    observedGeneration: generation,
  };
}

/** A Ready=True condition. @public */
export function ready(
  reason: string,
  message: string,
  time = T0,
  generation = 1,
): KubeCondition {
  return condition('Ready', 'True', reason, message, time, generation);
}

/** A Ready=False condition. @public */
export function notReady(
  reason: string,
  message: string,
  time = T0,
  generation = 1,
): KubeCondition {
  return condition('Ready', 'False', reason, message, time, generation);
}

function meta(
  name: string,
  namespace: string,
  extra: Partial<KubeObject['metadata']> = {},
) {
  return {
    name,
    namespace,
    uid: `uid-${namespace}-${name}`,
    generation: 1,
    resourceVersion: '1000',
    creationTimestamp: '2026-10-01T08:00:00Z',
    finalizers: ['finalizers.fluxcd.io'],
    ...extra,
  };
}

/** Metadata a builder adds to `meta`: the owner and the labels. */
function owned(opts: {
  owner?: KubeObject;
  labels?: Record<string, string>;
}): Partial<KubeObject['metadata']> {
  return {
    ...(opts.owner ? { ownerReferences: [ownerRef(opts.owner)] } : {}),
    ...(opts.labels ? { labels: opts.labels } : {}),
  };
}

/** An OCIRepository as source-controller writes it. @public */
export function ociRepository(
  name: string,
  namespace: string,
  opts: {
    url: string;
    tag: string;
    revision?: string;
    conditions?: KubeCondition[];
    owner?: KubeObject;
    labels?: Record<string, string>;
  },
): KubeObject {
  const revision =
    opts.revision ??
    `${opts.tag}@sha256:985e8d8f8a0c4e0e2d7d8b6f36ae1e1bc7f4e5b8c8d2e5a2d1c3b4a5f6e7d8c9`;
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'OCIRepository',
    metadata: meta(name, namespace, owned(opts)),
    spec: {
      interval: '1m',
      url: opts.url,
      ref: { tag: opts.tag },
      timeout: '60s',
    },
    status: {
      observedGeneration: 1,
      url: `http://source-controller.flux-system.svc.cluster.local./ocirepository/${namespace}/${name}/latest.tar.gz`,
      artifact: {
        revision,
        digest:
          'sha256:1d2c3b4a5f6e7d8c9985e8d8f8a0c4e0e2d7d8b6f36ae1e1bc7f4e5b8c8d2e5a',
        lastUpdateTime: T0,
      },
      conditions: opts.conditions ?? [
        ready('Succeeded', `stored artifact for digest '${revision}'`),
      ],
    },
  };
}

/** A HelmRepository as source-controller writes it (an OCI one has no status). @public */
export function helmRepository(
  name: string,
  namespace: string,
  opts: {
    url: string;
    type?: 'oci';
    conditions?: KubeCondition[];
    owner?: KubeObject;
    labels?: Record<string, string>;
  },
): KubeObject {
  const obj: KubeObject = {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'HelmRepository',
    metadata: meta(name, namespace, owned(opts)),
    spec: {
      interval: '10m',
      url: opts.url,
      ...(opts.type ? { type: opts.type } : {}),
    },
  };
  if (opts.type !== 'oci') {
    obj.status = {
      observedGeneration: 1,
      artifact: {
        revision:
          'sha256:6b4b5a3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a',
        lastUpdateTime: T0,
      },
      conditions: opts.conditions ?? [
        ready(
          'Succeeded',
          "stored artifact: revision 'sha256:6b4b5a3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a'",
        ),
      ],
    };
  }
  return obj;
}

/** A GitRepository as source-controller writes it. @public */
export function gitRepository(
  name: string,
  namespace: string,
  opts: {
    url: string;
    branch?: string;
    revision: string;
    conditions?: KubeCondition[];
    secret?: string;
  },
): KubeObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: meta(name, namespace),
    spec: {
      interval: '1m',
      url: opts.url,
      ref: { branch: opts.branch ?? 'main' },
      ...(opts.secret ? { secretRef: { name: opts.secret } } : {}),
    },
    status: {
      observedGeneration: 1,
      artifact: { revision: opts.revision, lastUpdateTime: T0 },
      conditions: opts.conditions ?? [
        ready('Succeeded', `stored artifact for revision '${opts.revision}'`),
      ],
    },
  };
}

/** A HelmChart as source-controller writes it. @public */
export function helmChart(
  name: string,
  namespace: string,
  opts: {
    chart: string;
    version: string;
    source: { kind: string; name: string };
    conditions?: KubeCondition[];
    labels?: Record<string, string>;
  },
): KubeObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'HelmChart',
    metadata: meta(name, namespace, owned(opts)),
    spec: {
      chart: opts.chart,
      version: opts.version,
      sourceRef: opts.source,
      interval: '1m',
      reconcileStrategy: 'ChartVersion',
    },
    status: {
      observedGeneration: 1,
      observedChartName: opts.chart,
      artifact: { revision: opts.version, lastUpdateTime: T0 },
      conditions: opts.conditions ?? [
        ready(
          'ChartPullSucceeded',
          `pulled '${opts.chart}' chart with version '${opts.version}'`,
        ),
      ],
    },
  };
}

/** A HelmRelease v2 as helm-controller writes it, with its Helm history. @public */
export function helmRelease(
  name: string,
  namespace: string,
  opts: {
    chart: string;
    version: string;
    source: { kind: string; name: string; namespace?: string };
    deployed?: string[];
    failedAttempt?: string;
    conditions?: KubeCondition[];
    configDigest?: string;
    owner?: KubeObject;
    labels?: Record<string, string>;
    /** Default `{ replicaCount: 2 }`. */
    values?: Record<string, unknown>;
    suspend?: boolean;
    generation?: number;
    observedGeneration?: number;
  },
): KubeObject {
  const deployed = opts.deployed ?? [opts.version];
  const digest =
    opts.configDigest ??
    'sha256:e15c415d62760896bd8bec192a44c5716dc224db9e0fc609b9ac14718f8f9e56';
  const history = deployed.map((v, i) => ({
    appVersion: v,
    chartName: opts.chart,
    chartVersion: v,
    configDigest: digest,
    digest: `sha256:${String(i).repeat(64)}`,
    firstDeployed: '2026-10-01T08:00:00Z',
    lastDeployed: T0,
    name,
    namespace,
    status: i === 0 ? 'deployed' : 'superseded',
    version: deployed.length - i,
  }));
  if (opts.failedAttempt) {
    history.unshift({
      ...history[0],
      chartVersion: opts.failedAttempt,
      status: 'failed',
      version: deployed.length + 1,
    });
  }
  const sourceNs = opts.source.namespace ?? namespace;
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: meta(name, namespace, {
      generation: opts.generation ?? 1,
      ...owned(opts),
    }),
    spec: {
      interval: '5m',
      chart: {
        spec: {
          chart: opts.chart,
          version: opts.version,
          sourceRef: opts.source,
        },
      },
      values: opts.values ?? { replicaCount: 2 },
      ...(opts.suspend ? { suspend: true } : {}),
    },
    status: {
      observedGeneration: opts.observedGeneration ?? 1,
      helmChart: `${sourceNs}/${namespace}-${name}`,
      history,
      lastAttemptedConfigDigest: digest,
      lastAttemptedGeneration: 1,
      lastAttemptedReleaseAction: 'upgrade',
      lastAttemptedRevision: opts.failedAttempt ?? opts.version,
      conditions: opts.conditions ?? [
        ready(
          'UpgradeSucceeded',
          `Helm upgrade succeeded for release ${namespace}/${name}.v${deployed.length} with chart ${opts.chart}@${deployed[0]}`,
        ),
        {
          ...ready('UpgradeSucceeded', 'Helm upgrade succeeded'),
          type: 'Released',
        },
      ],
    },
  };
}

/** A Kustomization as kustomize-controller writes it. @public */
export function kustomization(
  name: string,
  namespace: string,
  opts: {
    source: { kind: string; name: string };
    applied: string;
    attempted?: string;
    conditions?: KubeCondition[];
    labels?: Record<string, string>;
  },
): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: meta(name, namespace, owned(opts)),
    spec: {
      interval: '10m',
      path: './deploy/production',
      prune: true,
      sourceRef: opts.source,
    },
    status: {
      observedGeneration: 1,
      lastAppliedRevision: opts.applied,
      lastAttemptedRevision: opts.attempted ?? opts.applied,
      conditions: opts.conditions ?? [
        ready('ReconciliationSucceeded', `Applied revision: ${opts.applied}`),
      ],
    },
  };
}

/** A KuboCD Release as the KuboCD controller writes it. @public */
export function release(
  name: string,
  namespace: string,
  opts: {
    repository: string;
    tag: string;
    phase?: string;
    modules?: Record<string, { ready: string; status: string }>;
    suspended?: boolean;
    labels?: Record<string, string>;
  },
): KubeObject {
  const modules = opts.modules ?? {
    main: { ready: 'True', status: 'Helm upgrade succeeded' },
  };
  const states = Object.values(modules);
  return {
    apiVersion: 'kubocd.kubotal.io/v1alpha1',
    kind: 'Release',
    metadata: {
      name,
      namespace,
      uid: `uid-release-${namespace}-${name}`,
      generation: 1,
      creationTimestamp: '2026-10-01T08:00:00Z',
      ...(opts.labels ? { labels: opts.labels } : {}),
    },
    spec: {
      description: `A ${name} release`,
      package: { repository: opts.repository, tag: opts.tag, interval: '30m' },
      parameters: { host: `${name}.example.com` },
      ...(opts.suspended ? { suspended: true } : {}),
    },
    status: {
      phase: opts.phase ?? 'READY',
      readyReleases: `${states.filter(m => m.ready === 'True').length}/${
        states.length
      }`,
      helmReleaseStates: modules,
    },
  };
}

/** The controller ownerReference KuboCD sets on the children of a Release. @public */
export function ownerRef(owner: KubeObject) {
  return {
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata.name,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * A KuboCD Release with the children the KuboCD controller creates:
 * OCIRepository and HelmRepository `kcd-<name>`, HelmRelease `<name>-main`,
 * HelmChart `<namespace>-<name>-main`.
 * @public
 */
export function releaseWithChildren(
  name: string,
  namespace: string,
  opts: {
    tag: string;
    phase?: string;
    ociConditions?: KubeCondition[];
    pulledTag?: string;
    hrConditions?: KubeCondition[];
    chartVersion?: string;
    /** KuboCD's view of its HelmReleases (`status.helmReleaseStates`). */
    modules?: Record<string, { ready: string; status: string }>;
    /** On all five objects, as KuboCD copies a Release's labels to its children. */
    labels?: Record<string, string>;
    values?: Record<string, unknown>;
    configDigest?: string;
  },
): KubeObject[] {
  const repository = `quay.io/kubodoc/packages/${name}`;
  const { labels } = opts;
  const rel = release(name, namespace, {
    repository,
    tag: opts.tag,
    phase: opts.phase,
    modules: opts.modules,
    labels,
  });
  const chartVersion = opts.chartVersion ?? opts.tag.split('-')[0];
  return [
    rel,
    ociRepository(`kcd-${name}`, namespace, {
      url: `oci://${repository}`,
      tag: opts.tag,
      revision: `${
        opts.pulledTag ?? opts.tag
      }@sha256:985e8d8f8a0c4e0e2d7d8b6f36ae1e1bc7f4e5b8c8d2e5a2d1c3b4a5f6e7d8c9`,
      conditions: opts.ociConditions,
      owner: rel,
      labels,
    }),
    helmRepository(`kcd-${name}`, namespace, {
      url: `http://kubocd-controller-helm-repository.kubocd.svc/hr/${namespace}/kcd-${name}`,
      owner: rel,
      labels,
    }),
    helmRelease(`${name}-main`, namespace, {
      chart: 'main',
      version: chartVersion,
      source: { kind: 'HelmRepository', name: `kcd-${name}` },
      conditions: opts.hrConditions,
      owner: rel,
      labels,
      values: opts.values,
      configDigest: opts.configDigest,
    }),
    helmChart(`${namespace}-${name}-main`, namespace, {
      chart: 'main',
      version: chartVersion,
      source: { kind: 'HelmRepository', name: `kcd-${name}` },
      labels,
    }),
  ];
}
