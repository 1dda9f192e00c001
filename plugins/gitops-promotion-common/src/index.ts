/**
 * What the browser and plugin authors share with the GitOps promotion
 * backend: the wire types of its HTTP API, the permissions, the annotation
 * names, and the signal the backend sends when a cluster changes.
 *
 * The rules the backend builds a view with (classification, chain walk,
 * object index, fixture parser) are in the `/server` entry point.
 *
 * @packageDocumentation
 */

export * from './actions';
export { readDurationMs } from './config/durations';
export * from './annotations';
export * from './permissions';
export type { ObjectKind, SourceKind, WorkloadKind } from './kinds';
export * from './types/objects';
export * from './types/view';
export * from './types/history';
export * from './types/overview';
export {
  matchesOverviewFilter,
  OVERVIEW_FILTERS,
} from './overview/overviewFilter';
export { needsALook } from './view/needsALook';
export { describeRef, objectRouteParams } from './chain/refs';
export type { ObjectRouteParams } from './chain/refs';
export { LINK_REASONS } from './chain/linkReasons';
export { hasPromotionAnnotations } from './entity/entitySelectors';
export { objectHistory } from './status/history';
export { summarizeHistory } from './history/summarizeHistory';
export type {
  ClusterArrival,
  EnvironmentFailures,
  FailureSpan,
  VersionHistory,
  VersionInEnvironment,
  WorkloadHistory,
} from './history/summarizeHistory';
export type { HistoryEntry } from './status/history';
export { PROMOTION_CHANGES_CHANNEL, viewAffectedBy } from './signals/changes';
export type {
  ClusterChange,
  PromotionChangesSignal,
  ViewScope,
} from './signals/changes';
export {
  PROMOTION_CELL_PARAMS,
  promotionCellQuery,
} from './notifications/cellLink';
