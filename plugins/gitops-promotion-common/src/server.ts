/**
 * The rules the GitOps promotion backend builds a view with: classify a
 * Flux or KuboCD object, walk a workload's chain, index a cluster's
 * objects, build the promotion view over the caches, read kubectl YAML
 * fixtures. Pure code, no I/O; for the backend and for tests that stand in
 * for it, not for the browser bundle.
 *
 * @packageDocumentation
 */

// The wire types these signatures use, as in the main entry point.
export * from './types/objects';
export * from './types/view';
export * from './types/history';
export * from './types/overview';
export type { ObjectKind, SourceKind, WorkloadKind } from './kinds';
export type { ClusterChange } from './signals/changes';
export type { ObjectAction } from './actions';

export {
  ALL_KINDS,
  findKindByPlural,
  KINDS,
  kindOf,
  KUBOCD_GROUP,
  WORKLOAD_KINDS,
} from './kinds';
export type { KindInfo } from './kinds';
export {
  classifyObject,
  RECONCILE_DISABLED_ANNOTATION,
} from './status/classifyObject';
export { findCondition } from './status/conditions';
export { failureCategory } from './status/failureCategory';
export {
  attemptedRevision,
  objectRevision,
  shortRevision,
} from './status/revision';
export { ObjectIndex } from './store/ObjectIndex';
export type { ObjectLookup, ObjectStore } from './store/ObjectIndex';
export { clusterCell } from './chain/clusterCell';
export { kubectlResource, nextSteps } from './chain/kubectl';
export { objectRef } from './chain/refs';
export { LINK_REASONS } from './chain/linkReasons';
export { entitySelectors } from './entity/entitySelectors';
export type { EntitySelectors } from './entity/entitySelectors';
export {
  LabelSelectorError,
  matchesLabels,
  parseLabelSelector,
} from './entity/labelSelector';
export type { LabelRequirement } from './entity/labelSelector';
export { aggregateEnvironment, worstState } from './view/aggregateEnvironment';
export {
  buildCellDetail,
  buildPromotionView,
  environmentSummaries,
  staleSince,
} from './view/buildPromotionView';
export { memoizedPromotionView } from './view/viewMemo';
export { summarizeCell, summarizeView } from './view/summarizeView';
export { worstFirst } from './view/attention';
export { needsALook } from './view/needsALook';
export { clusterCellsOf } from './view/clusterCells';
export { boundingNamespaces, linksOfView, locateLink } from './view/links';
export type { LocatedLink } from './view/links';
export type {
  BuildPromotionViewOptions,
  ClusterData,
  EnvironmentConfig,
} from './view/buildPromotionView';
export {
  buildPromotionOverview,
  entityTitle,
} from './overview/buildPromotionOverview';
export { promotionStep } from './view/promotionStep';
export { compareVersions, sortVersionsDesc } from './view/versions';
export { parseKubectlYaml } from './fixtures/parseKubectlYaml';
export { changedKeys } from './values/changedKeys';
export { clipDepth, MAX_OBJECT_DEPTH } from './values/clipDepth';
export { clipText } from './values/clipText';
export {
  isSecretLikeKey,
  REDACTED,
  redactSecrets,
  redactUrlPasswords,
} from './values/secrets';
export {
  hideValueFields,
  redactValueFields,
  valuesDocument,
} from './values/valueFields';
export { changesWithin, readsOfView } from './signals/changes';
export type { ViewReads } from './signals/changes';
export {
  decideNotification,
  observeEnvironment,
} from './notifications/notificationRules';
export type {
  EnvironmentObservation,
  NotificationDecision,
  NotificationKind,
  NotificationState,
  NotificationTiming,
  NotifyMode,
} from './notifications/notificationRules';
