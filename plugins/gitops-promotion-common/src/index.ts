/**
 * Wire types, permissions, annotations and the pure domain logic of the
 * GitOps promotion plugins: classify a Flux or KuboCD object, walk a
 * workload's chain, build the promotion view. No I/O: runs in the browser
 * and in Node.
 *
 * @packageDocumentation
 */

export * from './actions';
export * from './annotations';
export * from './permissions';
export * from './kinds';
export * from './types/objects';
export * from './types/view';
export {
  classifyObject,
  RECONCILE_DISABLED_ANNOTATION,
} from './status/classifyObject';
export { findCondition } from './status/conditions';
export { failureCategory } from './status/failureCategory';
export { objectHistory } from './status/history';
export type { HistoryEntry } from './status/history';
export {
  attemptedRevision,
  objectRevision,
  shortRevision,
} from './status/revision';
export { ObjectIndex } from './store/ObjectIndex';
export type { ObjectLookup, ObjectStore } from './store/ObjectIndex';
export { clusterCell } from './chain/clusterCell';
export { kubectlResource, nextSteps } from './chain/kubectl';
export { describeRef, objectRef } from './chain/refs';
export {
  entitySelectors,
  hasPromotionAnnotations,
} from './entity/entitySelectors';
export { isDnsLabel, isDnsSubdomain } from './entity/names';
export type { EntitySelectors } from './entity/entitySelectors';
export {
  LabelSelectorError,
  matchesLabels,
  parseLabelSelector,
} from './entity/labelSelector';
export type { LabelRequirement } from './entity/labelSelector';
export { aggregateEnvironment, worstState } from './view/aggregateEnvironment';
export { buildPromotionView } from './view/buildPromotionView';
export { clusterCellsOf } from './view/clusterCells';
export { linksOfView, locateLink } from './view/links';
export type { LocatedLink } from './view/links';
export type {
  BuildPromotionViewOptions,
  ClusterData,
  EnvironmentConfig,
} from './view/buildPromotionView';
export { promotionStep } from './view/promotionStep';
export { compareVersions, sortVersionsDesc } from './view/versions';
export { parseKubectlYaml } from './fixtures/parseKubectlYaml';
export { changedKeys } from './values/changedKeys';
export { isSecretLikeKey, REDACTED, redactSecrets } from './values/secrets';
export {
  hideValueFields,
  redactValueFields,
  valuesDocument,
} from './values/valueFields';
export {
  changesWithin,
  PROMOTION_CHANGES_CHANNEL,
  readsOfView,
  viewAffectedBy,
} from './signals/changes';
export type {
  ClusterChange,
  PromotionChangesSignal,
  ViewReads,
} from './signals/changes';
