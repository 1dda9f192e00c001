import {
  EnvironmentCell,
  PromotionRelation,
  PromotionStep,
} from '../types/view';
import { compareVersions } from './versions';

/** What an environment runs; where nothing runs yet, what it is installing. */
function versionsOf(cell: EnvironmentCell): string[] {
  if (cell.versions.length > 0) return cell.versions;
  return cell.targetVersion ? [cell.targetVersion] : [];
}

/**
 * The hash behind a config digest: helm-controller v2 writes `sha256:<hex>`
 * (`configDigest`), v2beta1 a bare sha1 hex (`lastAttemptedValuesChecksum`),
 * and the backend `spec-sha256:<hex>` of the spec's values or parameters
 * before any controller reported one. A Release's digest joins its
 * HelmReleases' with commas.
 */
function digestScheme(digest: string): string {
  return digest
    .split(',')
    .map(d => /^([a-z0-9-]+):/.exec(d)?.[1] ?? `hex${d.length}`)
    .join(',');
}

/**
 * Whether a downstream cluster runs values none of the upstream clusters
 * runs, cluster by cluster (an environment whose clusters disagree has no
 * one digest). Digests tell values apart only when both are known and
 * hashed the same way.
 */
function valuesDiffer(
  upstream: EnvironmentCell,
  downstream: EnvironmentCell,
): boolean {
  const digestsOf = (cell: EnvironmentCell) =>
    cell.clusters.map(c => c.configDigest).filter((d): d is string => !!d);
  const up = digestsOf(upstream);
  return digestsOf(downstream).some(
    d => !up.includes(d) && up.some(u => digestScheme(u) === digestScheme(d)),
  );
}

/**
 * How an environment stands against the one before it, cluster by cluster:
 * behind when any downstream cluster runs an older version than the
 * upstream environment's oldest (a pending promotion), `differs` when
 * versions cannot be ordered (git revisions) and are not all equal, ahead
 * when every downstream cluster runs a newer one. `behindBy` counts the
 * versions known in the row (every environment's versions and Helm
 * histories) newer than the oldest downstream one, up to and including the
 * upstream one.
 * @public
 */
export function promotionStep(
  upstream: EnvironmentCell,
  downstream: EnvironmentCell,
  knownVersions: string[],
): PromotionStep {
  const upVersions = versionsOf(upstream);
  const downVersions = versionsOf(downstream);
  const from = upVersions[upVersions.length - 1];
  const to = downVersions[downVersions.length - 1];
  const step = (
    relation: PromotionRelation,
    behindBy?: number,
  ): PromotionStep => ({
    from: upstream.environment,
    to: downstream.environment,
    relation,
    ...(behindBy !== undefined ? { behindBy } : {}),
    fromVersion: from,
    toVersion: to,
  });
  if (upstream.state === 'NotDeployed' || downstream.state === 'NotDeployed') {
    return step('not-deployed');
  }
  if (!from || !to) {
    return step('unknown');
  }
  // Display versions keep a git commit's short hash, so equal means the same commit.
  const orders = downVersions.map(d => compareVersions(d, from));
  if (orders.some(o => o === undefined)) {
    return step(downVersions.every(d => d === from) ? 'equal' : 'differs');
  }
  if (orders.some(o => o! < 0)) {
    const between = new Set(
      knownVersions.filter(v => {
        const aboveTo = compareVersions(v, to);
        const belowFrom = compareVersions(v, from);
        return (
          aboveTo !== undefined &&
          aboveTo > 0 &&
          belowFrom !== undefined &&
          belowFrom <= 0
        );
      }),
    );
    return step('behind', Math.max(between.size, 1));
  }
  if (orders.every(o => o! > 0)) {
    return step('ahead');
  }
  if (orders.some(o => o! > 0)) {
    return step('differs');
  }
  return step(valuesDiffer(upstream, downstream) ? 'values-differ' : 'equal');
}
