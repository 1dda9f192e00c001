import semver from 'semver';
import { kindOf } from '../kinds';
import { HelmReleaseSnapshot, KubeObject } from '../types/objects';
import { findCondition } from './conditions';

/**
 * The Helm release that runs now: Helm marks one history entry `deployed`;
 * after a failed upgrade the newest entry is `failed` and an older one runs
 * (helm-controller does not keep the list sorted then). Snapshots written
 * before entries had a `status` (v2beta2): the newest Helm revision runs.
 */
export function deployedSnapshot(
  obj: KubeObject,
): HelmReleaseSnapshot | undefined {
  const history = obj.status?.history ?? [];
  const deployed = history.find(h => h.status === 'deployed');
  if (deployed || history.some(h => h.status !== undefined)) {
    return deployed;
  }
  return history.reduce<HelmReleaseSnapshot | undefined>(
    (newest, h) =>
      !newest || (h.version ?? -Infinity) > (newest.version ?? -Infinity)
        ? h
        : newest,
    undefined,
  );
}

/**
 * The revision an object reports: what it runs or serves now.
 * GitRepository/OCIRepository/HelmRepository/HelmChart/Bucket/
 * ExternalArtifact: the artifact revision; Kustomization: the last applied source revision; HelmRelease:
 * the deployed chart version (v2 history, v2beta1 lastAppliedRevision);
 * Release: the package tag.
 * @public
 */
export function objectRevision(obj: KubeObject): string | undefined {
  switch (kindOf(obj)) {
    case 'Release':
      return obj.spec?.package?.tag;
    case 'HelmRelease':
      return (
        justReleased(obj) ??
        deployedSnapshot(obj)?.chartVersion ??
        lastAppliedRevision(obj)
      );
    case 'Kustomization':
      return lastAppliedRevision(obj);
    case 'GitRepository':
    case 'OCIRepository':
    case 'HelmRepository':
    case 'HelmChart':
    case 'Bucket':
    case 'ExternalArtifact':
      return obj.status?.artifact?.revision;
    default:
      return undefined;
  }
}

/**
 * Ready=True for the current generation says the last attempt succeeded, so
 * the chart version attempted runs. helm-controller writes that condition a
 * moment (10-30 ms, observed) before the install's or upgrade's history
 * entry, while the history still names the release it replaces as deployed;
 * it turns Ready to Unknown before it attempts another version.
 */
function justReleased(obj: KubeObject): string | undefined {
  const ready = findCondition(obj, 'Ready');
  const current =
    ready?.observedGeneration === undefined ||
    ready.observedGeneration === obj.metadata.generation;
  return ready?.status === 'True' && current
    ? obj.status?.lastAttemptedRevision || undefined
    : undefined;
}

function lastAppliedRevision(obj: KubeObject): string | undefined {
  return obj.status?.lastAppliedRevision || undefined;
}

/**
 * The revision being rolled out: HelmRelease and Kustomization report it in
 * `lastAttemptedRevision`; a Release wants its spec tag.
 * @public
 */
export function attemptedRevision(obj: KubeObject): string | undefined {
  if (kindOf(obj) === 'Release') {
    return obj.spec?.package?.tag;
  }
  return obj.status?.lastAttemptedRevision || undefined;
}

const DIGEST = /^(sha1|sha256|sha384|sha512|blake3):([0-9a-f]+)$/;

/** A revision without its `@<digest or commit>` (`6.7.1-p01@sha256:…` → `6.7.1-p01`): the tag or ref it is of. */
export function revisionName(revision: string): string {
  const at = revision.lastIndexOf('@');
  return at > 0 ? revision.slice(0, at) : revision;
}

/**
 * The short form a matrix cell shows: `main@sha1:06a5a134...` becomes
 * `main@06a5a13`, `6.7.1-p01@sha256:985e...` becomes `6.7.1-p01` (a
 * version tag), `v1.3.0@sha1:06a5a134...` `v1.3.0@06a5a13` (a git tag),
 * `latest@sha256:985e...` becomes `latest@985e8d8`, a bare
 * `sha1:<commit>` its first 7 hex digits, a chart version stays as it is
 * (a `+build` suffix included).
 * @public
 */
export function shortRevision(revision: string): string {
  const at = revision.lastIndexOf('@');
  if (at > 0) {
    const name = revision.slice(0, at);
    const digest = revision.slice(at + 1).match(DIGEST);
    if (!digest) {
      return revision;
    }
    // A version tag of an OCI artifact names one artifact; a git ref, a
    // git tag (it can be moved to another commit: Flux writes
    // `v1.3.0@sha1:<commit>`) or a moving OCI tag (latest, main) needs the
    // commit or digest beside it, or two different ones would look the same.
    return semver.valid(name, { loose: true }) && digest[1] !== 'sha1'
      ? name
      : `${name}@${digest[2].slice(0, 7)}`;
  }
  const bare = revision.match(DIGEST);
  if (bare) {
    return bare[1] === 'sha1'
      ? bare[2].slice(0, 7)
      : `${bare[1]}:${bare[2].slice(0, 12)}`;
  }
  // Flux < 2.0 wrote git revisions as `main/06a5a134...`.
  const legacyGit = revision.match(/^(.+)\/([0-9a-f]{40})$/);
  return legacyGit ? `${legacyGit[1]}@${legacyGit[2].slice(0, 7)}` : revision;
}
