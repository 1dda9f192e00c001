import semver from 'semver';

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
 * Orders two versions when both are semantic versions (chart versions,
 * package tags like `6.7.1-p01`, OCI tags like `v1.2.3`); undefined when
 * they cannot be ordered (git revisions).
 * @public
 */
export function compareVersions(a: string, b: string): number | undefined {
  if (a === b) return 0;
  const va = parse(a);
  const vb = parse(b);
  if (!va || !vb) return undefined;
  return semver.compare(va, vb);
}

/** Distinct versions, newest first; versions that cannot be ordered keep their order, last. @public */
export function sortVersionsDesc(versions: string[]): string[] {
  const distinct = [...new Set(versions)];
  const ordered = distinct
    .filter(v => parse(v))
    .sort((a, b) => compareVersions(b, a)!);
  return [...ordered, ...distinct.filter(v => !parse(v))];
}
