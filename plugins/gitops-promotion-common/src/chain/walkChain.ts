import {
  isObjectKind,
  KINDS,
  kindOf,
  ObjectKind,
  WorkloadKind,
} from '../kinds';
import { classifyObject } from '../status/classifyObject';
import { ObjectLookup } from '../store/ObjectIndex';
import { CrossNamespaceRef, KubeObject } from '../types/objects';
import { ChainLink, LinkRole } from '../types/view';
import { linkFacts } from './facts';
import { LINK_REASONS } from './linkReasons';
import { helmRemediation } from './remediation';
import { objectRef } from './refs';

/** A link and the object behind it (absent when the cluster lacks it). */
export interface WalkedLink {
  link: ChainLink;
  obj?: KubeObject;
}

/**
 * A workload's chain in two orders: `display` as a person walks it from the
 * workload down (Release → OCIRepository → HelmRepository → HelmRelease →
 * HelmChart), `causes` sources first, the order in which a failure explains
 * the ones after it.
 */
export interface Walk {
  display: WalkedLink[];
  causes: WalkedLink[];
}

interface Target {
  kind: ObjectKind;
  namespace: string;
  name: string;
}

function walked(
  cluster: string,
  role: LinkRole,
  target: Target,
  obj: KubeObject | undefined,
  lookup?: ObjectLookup,
): WalkedLink {
  const ref = objectRef(
    cluster,
    target.kind,
    target.namespace,
    target.name,
    obj,
  );
  if (!obj) {
    const readable = lookup?.hasData?.(target.kind) ?? true;
    const name = `${target.kind} ${target.namespace}/${target.name}`;
    return {
      link: {
        ref,
        role,
        found: false,
        classification: readable
          ? {
              state: 'Unknown',
              reason: 'NotFound',
              message: `${name} does not exist in cluster ${cluster}.`,
            }
          : {
              state: 'Unknown',
              reason: LINK_REASONS.unreadable,
              message: `${name} is unknown: the ${
                KINDS[target.kind].plural
              } of cluster ${cluster} cannot be read (see the cluster errors).`,
            },
        conditions: [],
        facts: [],
      },
    };
  }
  return {
    obj,
    link: {
      ref,
      role,
      found: true,
      classification: classifyObject(obj),
      conditions: obj.status?.conditions ?? [],
      facts: linkFacts(obj),
      ...(ref.kind === 'HelmRelease'
        ? { remediation: helmRemediation(obj) }
        : {}),
    },
  };
}

function fetchLink(
  lookup: ObjectLookup,
  cluster: string,
  role: LinkRole,
  target: Target | undefined,
): WalkedLink | undefined {
  if (!target) return undefined;
  return walked(
    cluster,
    role,
    target,
    lookup.get(target.kind, target.namespace, target.name),
    lookup,
  );
}

/**
 * A spec reference to a kind the backend watches: every Flux source
 * (GitRepository, OCIRepository, Bucket, ExternalArtifact, HelmChart,
 * HelmRepository); anything else (a kind from another controller) is not
 * followed.
 */
function watchedRef(
  ref: CrossNamespaceRef | undefined,
  defaultNamespace: string,
): Target | undefined {
  if (!isObjectKind(ref?.kind)) return undefined;
  return {
    kind: ref.kind,
    namespace: ref.namespace ?? defaultNamespace,
    name: ref.name,
  };
}

/**
 * The source a HelmRelease pulls its chart from: chartRef (an OCIRepository,
 * an ExternalArtifact, or a HelmChart whose own source is followed), or
 * chart.spec.sourceRef (HelmRepository, GitRepository, Bucket).
 */
function helmReleaseSource(hr: KubeObject): Target | undefined {
  const ns = hr.metadata.namespace ?? 'default';
  if (hr.spec?.chartRef) {
    return watchedRef(hr.spec.chartRef, ns);
  }
  const chart = hr.spec?.chart;
  return typeof chart === 'object'
    ? watchedRef(chart.spec?.sourceRef, ns)
    : undefined;
}

/**
 * The HelmChart helm-controller generates for a HelmRelease: named in
 * status.helmChart, or `<sourceNamespace>/<namespace>-<name>` before the
 * first reconcile. A chartRef to an OCIRepository or an ExternalArtifact
 * has no HelmChart.
 */
function helmReleaseChart(hr: KubeObject): Target | undefined {
  const ns = hr.metadata.namespace ?? 'default';
  const [chartNs, chartName] = hr.status?.helmChart?.split('/') ?? [];
  if (chartNs && chartName) {
    return { kind: 'HelmChart', namespace: chartNs, name: chartName };
  }
  if (hr.spec?.chartRef) {
    return hr.spec.chartRef.kind === 'HelmChart'
      ? watchedRef(hr.spec.chartRef, ns)
      : undefined;
  }
  const chart = hr.spec?.chart;
  if (typeof chart !== 'object') return undefined;
  const sourceNs = chart.spec?.sourceRef?.namespace ?? ns;
  return {
    kind: 'HelmChart',
    namespace: sourceNs,
    name: `${ns}-${hr.metadata.name}`,
  };
}

function walkHelmRelease(
  hr: KubeObject,
  lookup: ObjectLookup,
  cluster: string,
): Walk {
  const self = walked(cluster, 'workload', targetOf('HelmRelease', hr), hr);
  const chartTarget = helmReleaseChart(hr);
  const chart = fetchLink(lookup, cluster, 'chart', chartTarget);
  // A chartRef to a HelmChart: the source is the chart's own sourceRef.
  const source =
    hr.spec?.chartRef?.kind === 'HelmChart'
      ? chart?.obj &&
        fetchLink(
          lookup,
          cluster,
          'source',
          watchedRef(chart.obj.spec?.sourceRef, chartTarget!.namespace),
        )
      : fetchLink(lookup, cluster, 'source', helmReleaseSource(hr));
  return {
    display: present([self, source, chart]),
    causes: present([source, chart, self]),
  };
}

function walkKustomization(
  ks: KubeObject,
  lookup: ObjectLookup,
  cluster: string,
): Walk {
  const self = walked(cluster, 'workload', targetOf('Kustomization', ks), ks);
  const source = fetchLink(
    lookup,
    cluster,
    'source',
    watchedRef(ks.spec?.sourceRef, ks.metadata.namespace ?? 'default'),
  );
  return { display: present([self, source]), causes: present([source, self]) };
}

/**
 * KuboCD names a Release's HelmRelease `<release>-<module>`, or just
 * `<release>` for a module named `noname`.
 */
function moduleHelmReleaseName(release: string, module: string): string {
  return module === 'noname' ? release : `${release}-${module}`;
}

function walkRelease(
  release: KubeObject,
  lookup: ObjectLookup,
  cluster: string,
): Walk {
  const { name } = release.metadata;
  const ns = release.metadata.namespace ?? 'default';
  const owned = release.metadata.uid
    ? lookup.ownedBy(release.metadata.uid)
    : [];
  // KuboCD links its children only by ownerReferences: a same-named object
  // the Release does not own is someone else's, neither shown nor acted on
  // as its child. A Release without a uid (a hand-written fixture) cannot
  // own anything, so the names KuboCD gives stand in.
  const child = (kind: ObjectKind, childName: string): WalkedLink => {
    const target = { kind, namespace: ns, name: childName };
    const mine = owned.find(
      o => kindOf(o) === kind && o.metadata.name === childName,
    );
    if (mine || !release.metadata.uid) {
      return walked(
        cluster,
        'source',
        target,
        mine ?? lookup.get(kind, ns, childName),
        lookup,
      );
    }
    const absent = walked(cluster, 'source', target, undefined, lookup);
    if (lookup.get(kind, ns, childName)) {
      absent.link.classification = {
        state: 'Unknown',
        reason: LINK_REASONS.notOwned,
        message: `${kind} ${ns}/${childName} exists in cluster ${cluster} but Release ${ns}/${name} does not own it (no ownerReference): it is not the Release's child, so it is neither shown nor acted on here.`,
      };
    }
    return absent;
  };

  const self = walked(
    cluster,
    'workload',
    targetOf('Release', release),
    release,
  );
  const oci = child('OCIRepository', `kcd-${name}`);
  const repo = child('HelmRepository', `kcd-${name}`);

  // HelmReleases it owns, plus those its status expects but the cluster lacks.
  const hrNames = new Set(
    owned.filter(o => kindOf(o) === 'HelmRelease').map(o => o.metadata.name),
  );
  for (const module of Object.keys(release.status?.helmReleaseStates ?? {})) {
    hrNames.add(moduleHelmReleaseName(name, module));
  }
  const helmReleases = [...hrNames].sort().map(hrName => {
    const hr = child('HelmRelease', hrName);
    hr.link.role = 'helmRelease';
    const chart = hr.obj
      ? fetchLink(lookup, cluster, 'chart', helmReleaseChart(hr.obj))
      : undefined;
    return { hr, chart };
  });

  return {
    display: present([
      self,
      oci,
      repo,
      ...helmReleases.flatMap(h => [h.hr, h.chart]),
    ]),
    causes: present([
      oci,
      repo,
      ...helmReleases.map(h => h.chart),
      ...helmReleases.map(h => h.hr),
      self,
    ]),
  };
}

function targetOf(kind: ObjectKind, obj: KubeObject): Target {
  return {
    kind,
    namespace: obj.metadata.namespace ?? 'default',
    name: obj.metadata.name,
  };
}

function present(links: Array<WalkedLink | undefined>): WalkedLink[] {
  return links.filter((l): l is WalkedLink => l !== undefined);
}

/**
 * Keeps of a link outside the environment's namespaces its name and state
 * only: its message, conditions and facts are another namespace's (a
 * shared source in flux-system), which its environment does not let the
 * entity read.
 */
function bound(step: WalkedLink, namespaces: readonly string[]): void {
  const { link } = step;
  if (!link.found || namespaces.includes(link.ref.namespace)) return;
  const { state, since, stalled } = link.classification;
  step.obj = undefined;
  step.link = {
    ref: link.ref,
    role: link.role,
    found: true,
    classification: {
      state,
      reason: LINK_REASONS.outOfBounds,
      message: `outside this environment's namespaces (${namespaces.join(
        ', ',
      )}): only its state is shown, not its conditions, events or spec`,
      ...(since ? { since } : {}),
      ...(stalled ? { stalled } : {}),
    },
    conditions: [],
    facts: [],
  };
}

const WALKERS = {
  Release: walkRelease,
  HelmRelease: walkHelmRelease,
  Kustomization: walkKustomization,
};

/**
 * Walks a workload's chain the way an engineer would with kubectl, by
 * ownerReferences and the names KuboCD and helm-controller give. With
 * `namespaces` (an environment bounded to namespaces of a shared
 * cluster), a link in another namespace keeps only its name and state.
 * @public
 */
export function walkChain(
  kind: WorkloadKind,
  root: KubeObject,
  lookup: ObjectLookup,
  cluster: string,
  namespaces?: readonly string[],
): Walk {
  const walk = WALKERS[kind](root, lookup, cluster);
  // Both orders hold the same links: bounding those of one bounds both.
  if (namespaces) walk.display.forEach(l => bound(l, namespaces));
  return walk;
}
