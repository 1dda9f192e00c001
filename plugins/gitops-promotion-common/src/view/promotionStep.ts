import { EnvironmentCell, PromotionStep } from '../types/view';
import { compareVersions } from './versions';

/**
 * How an environment stands against the one before it. Behind is a pending
 * promotion; `behindBy` counts the versions known in the row (every
 * environment's versions and Helm histories) that are newer than the
 * downstream one, up to and including the upstream one.
 * @public
 */
export function promotionStep(
  upstream: EnvironmentCell,
  downstream: EnvironmentCell,
  knownVersions: string[],
): PromotionStep {
  const step: PromotionStep = {
    from: upstream.environment,
    to: downstream.environment,
    relation: 'unknown',
    fromVersion: upstream.version,
    toVersion: downstream.version,
  };
  if (upstream.state === 'NotDeployed' || downstream.state === 'NotDeployed') {
    return { ...step, relation: 'not-deployed' };
  }
  const from = upstream.version;
  const to = downstream.version;
  if (!from || !to) {
    return step;
  }
  // Display versions keep a git commit's short hash, so equal means the same commit.
  const order = compareVersions(to, from);
  if (order === undefined) {
    return { ...step, relation: 'differs' };
  }
  if (order < 0) {
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
    return { ...step, relation: 'behind', behindBy: Math.max(between.size, 1) };
  }
  if (order > 0) {
    return { ...step, relation: 'ahead' };
  }
  const digestsKnown = upstream.configDigest && downstream.configDigest;
  return {
    ...step,
    relation:
      digestsKnown && upstream.configDigest !== downstream.configDigest
        ? 'values-differ'
        : 'equal',
  };
}
