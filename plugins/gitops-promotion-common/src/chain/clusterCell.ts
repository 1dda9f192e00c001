import { WorkloadKind } from '../kinds';
import {
  attemptedRevision,
  deployedSnapshot,
  objectRevision,
  revisionName,
  shortRevision,
} from '../status/revision';
import { ObjectLookup } from '../store/ObjectIndex';
import { KubeObject } from '../types/objects';
import {
  Classification,
  ClusterCell,
  ObjectState,
  RetryState,
} from '../types/view';
import { rootCauseOf } from './rootCause';
import { LINK_REASONS } from './linkReasons';
import { Walk, WalkedLink, walkChain } from './walkChain';

/** A Flux workload's Ready=False reasons that can mean its source is not there yet. */
const WAITING_FOR_SOURCE = new Set(['SourceNotReady', 'ArtifactFailed']);

/**
 * The state of a workload in one cluster, from its whole chain:
 * - a suspended workload is Suspended, whatever its chain says;
 * - any failed link makes it Failed: a waiting KuboCD Release whose
 *   OCIRepository cannot pull is broken, though KuboCD only says WAIT_OCI;
 *   but a Flux workload failing for want of a source or chart that is
 *   still being fetched is Progressing;
 * - otherwise the workload's own state.
 * The root cause is the first link, sources first, that failed or is a
 * missing source; for a workload that is not ready without a failure, the
 * first link that is missing or not ready. A link whose kind the cluster
 * does not serve is unknown and never the cause.
 */
function decide(walk: Walk): { state: ObjectState; cause?: WalkedLink } {
  const root = walk.display[0];
  const rootState = root.link.classification.state;
  if (rootState === 'Suspended') {
    return { state: 'Suspended', cause: root };
  }
  // A link whose kind cannot be read is unknown: it explains nothing while
  // a known link does.
  const missing = (l: WalkedLink) =>
    !l.link.found && l.link.classification.reason !== LINK_REASONS.unreadable;
  const failures = walk.causes.filter(
    l => l.link.found && l.link.classification.state === 'Failed',
  );
  const failed = failures[0];
  const upstream = (l: WalkedLink) =>
    l.link.role === 'source' || l.link.role === 'chart';
  // A Flux workload that fails only for want of its source or chart while
  // that is still being fetched (helm-controller's SourceNotReady on a
  // chart upgrade, kustomize-controller's ArtifactFailed "Source artifact
  // not found" before a first artifact) is on its way, and the link it
  // waits for says why. Only: any other failure of the chain (a KuboCD
  // Release's ERROR, another HelmRelease failing otherwise) keeps it Failed.
  const fetching =
    failures.length > 0 &&
    failures.every(
      l =>
        !upstream(l) &&
        WAITING_FOR_SOURCE.has(l.link.classification.reason ?? ''),
    ) &&
    walk.causes.find(
      l =>
        upstream(l) &&
        l.link.found &&
        l.link.classification.state === 'Progressing',
    );
  if (fetching) {
    return { state: 'Progressing', cause: fetching };
  }
  if (failed) {
    // A missing source explains a failure; a HelmChart the controller did not generate does not.
    const cause = walk.causes.find(
      l => l === failed || (missing(l) && l.link.role === 'source'),
    );
    return { state: 'Failed', cause };
  }
  if (rootState === 'Ready') {
    return { state: 'Ready' };
  }
  const cause =
    walk.causes.find(
      l =>
        missing(l) || (l.link.found && l.link.classification.state !== 'Ready'),
    ) ?? root;
  return { state: rootState, cause };
}

/** Running and target revision: what runs now, and what is being rolled out. */
function revisions(kind: WorkloadKind, root: KubeObject, walk: Walk) {
  if (kind === 'Release') {
    const oci = walk.display.find(
      l => l.link.ref.kind === 'OCIRepository',
    )?.obj;
    const pulled = oci?.status?.artifact?.revision;
    const wanted = attemptedRevision(root);
    // Before the first pull, a READY Release runs its tag; otherwise nothing yet.
    const running =
      pulled ?? (root.status?.phase === 'READY' ? wanted : undefined);
    // The pulled artifact is of the tag asked for: nothing else is rolling out.
    return {
      running,
      target: pulled && revisionName(pulled) === wanted ? pulled : wanted,
    };
  }
  return { running: objectRevision(root), target: attemptedRevision(root) };
}

function configDigest(
  kind: WorkloadKind,
  root: KubeObject,
  walk: Walk,
): string | undefined {
  const helmDigest = (hr: KubeObject) =>
    deployedSnapshot(hr)?.configDigest ??
    hr.status?.lastAttemptedConfigDigest ??
    hr.status?.lastAttemptedValuesChecksum ??
    hr.spec?.valuesDigest;
  if (kind === 'HelmRelease') {
    return helmDigest(root);
  }
  if (kind === 'Release') {
    const digests = walk.display
      .filter(l => l.link.role === 'helmRelease' && l.obj)
      .map(l => helmDigest(l.obj!))
      .filter((d): d is string => !!d);
    return digests.length > 0
      ? digests.sort().join(',')
      : root.spec?.parametersDigest;
  }
  return undefined;
}

function helmHistory(kind: WorkloadKind, root: KubeObject): string[] {
  if (kind !== 'HelmRelease') return [];
  const versions = (root.status?.history ?? [])
    .map(h => h.chartVersion)
    .filter((v): v is string => !!v);
  return [...new Set(versions)];
}

/**
 * Whether the controller of a failed link still retries: Flux retries every
 * failure with backoff and at every interval, until it marks the object
 * Stalled. KuboCD's ERROR phase and a missing object say neither.
 */
function retryState(link: WalkedLink): RetryState | undefined {
  const { found, classification, ref } = link.link;
  if (!found || classification.state !== 'Failed' || ref.kind === 'Release') {
    return undefined;
  }
  return classification.stalled ? 'stalled' : 'retrying';
}

/**
 * A suspension or a new generation: Flux records when neither happened.
 * Other links without a time of their own (a KuboCD Release, a missing
 * link) take the chain's latest transition instead.
 */
function untimed(c: Classification): boolean {
  return c.state === 'Suspended' || c.reason === 'NewGeneration';
}

function latestTransition(walk: Walk): string | undefined {
  const times = walk.display
    .map(l => l.link.classification.since)
    .filter((t): t is string => !!t)
    .sort();
  return times[times.length - 1];
}

/**
 * A workload in one cluster: its chain, state, version and root cause;
 * with `namespaces`, bounded to them (walkChain).
 * @public
 */
export function clusterCell(
  kind: WorkloadKind,
  root: KubeObject,
  lookup: ObjectLookup,
  cluster: string,
  namespaces?: readonly string[],
): ClusterCell {
  const walk = walkChain(kind, root, lookup, cluster, namespaces);
  const { state, cause } = decide(walk);
  const deciding = (cause ?? walk.display[0]).link.classification;
  const { running, target } = revisions(kind, root, walk);
  const version = running ? shortRevision(running) : undefined;
  const targetVersion = target ? shortRevision(target) : undefined;
  // A KuboCD Release itself never says Stalled: the failing Flux object does.
  const failing = state === 'Failed' ? cause ?? walk.display[0] : undefined;
  return {
    cluster,
    namespace: root.metadata.namespace ?? 'default',
    state,
    reason: deciding.reason,
    message: deciding.message,
    since:
      deciding.since ??
      (untimed(deciding) ? undefined : latestTransition(walk)),
    version,
    revision: running,
    targetVersion: targetVersion !== version ? targetVersion : undefined,
    configDigest: configDigest(kind, root, walk),
    history: helmHistory(kind, root),
    phase: kind === 'Release' ? root.status?.phase : undefined,
    chain: walk.display.map(l => l.link),
    rootCause: cause ? rootCauseOf(cause) : undefined,
    retry: failing && retryState(failing),
  };
}
