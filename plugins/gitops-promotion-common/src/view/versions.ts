import semver from 'semver';
import { revisionName } from '../status/revision';

/** Parsed versions: a fleet's clusters repeat the same few, compared often. */
const parsed = new Map<string, semver.SemVer | null>();
const PARSED_MAX = 10_000;

function parse(version: string): semver.SemVer | null {
  let v = parsed.get(version);
  if (v === undefined) {
    if (parsed.size >= PARSED_MAX) parsed.clear();
    v = semver.parse(version, { loose: true });
    parsed.set(version, v);
  }
  return v;
}

/**
 * The part of a version that orders it: a git tag without the commit the
 * display form keeps beside it (`v1.3.0@06a5a13`, `refs/tags/v1.3.0@…`).
 */
function orderingPart(version: string): string {
  return revisionName(version).replace(/^refs\/tags\//, '');
}

/** A KuboCD package revision (`6.7.1-p9`): the pre-release `p<number>`. */
const PACKAGE_REVISION = /^p(\d+)$/;

/**
 * The order of two KuboCD package revisions of one version by their
 * numbers (`-p9` before `-p10`), which semver compares as text; undefined
 * for anything else.
 */
function packageRevisionOrder(
  a: semver.SemVer,
  b: semver.SemVer,
): number | undefined {
  if (a.compareMain(b) !== 0) return undefined;
  if (a.prerelease.length !== 1 || b.prerelease.length !== 1) return undefined;
  const pa = String(a.prerelease[0]).match(PACKAGE_REVISION);
  const pb = String(b.prerelease[0]).match(PACKAGE_REVISION);
  if (!pa || !pb) return undefined;
  return Math.sign(Number(pa[1]) - Number(pb[1]));
}

/**
 * Orders two versions when both are semantic versions (chart versions,
 * package tags like `6.7.1-p01`, OCI tags like `v1.2.3`, git tags like
 * `v1.2.3@06a5a13`); undefined when they cannot be ordered (branches,
 * commits), or when they are equal in precedence yet not the same: build
 * metadata, which semver does not order, is where helm-controller puts an
 * OCI chart artifact's digest (`1.4.0+2196f4d96851`), and a tag may point
 * at another commit.
 * @public
 */
export function compareVersions(a: string, b: string): number | undefined {
  if (a === b) return 0;
  const pa = orderingPart(a);
  const pb = orderingPart(b);
  const va = parse(pa);
  const vb = parse(pb);
  if (!va || !vb) return undefined;
  const order = packageRevisionOrder(va, vb) ?? semver.compare(va, vb);
  if (
    order === 0 &&
    (va.build.join('.') !== vb.build.join('.') || pa !== a || pb !== b)
  ) {
    return undefined;
  }
  return order;
}

/** Distinct versions, newest first; versions that cannot be ordered keep their order, last. @public */
export function sortVersionsDesc(versions: string[]): string[] {
  const distinct = [...new Set(versions)];
  const orderable = (v: string) => !!parse(orderingPart(v));
  const ordered = distinct
    .filter(orderable)
    // Equal in precedence, not the same (another build): by text, for a stable order.
    .sort((a, b) => compareVersions(b, a) ?? (a < b ? 1 : -1));
  return [...ordered, ...distinct.filter(v => !orderable(v))];
}
