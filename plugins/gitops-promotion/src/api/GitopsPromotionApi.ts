import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  AllowedActions,
  CellDetail,
  ObjectAction,
  ObjectDetails,
  ObjectRef,
  PromotionHistoryPage,
  PromotionOverview,
  PromotionViewSummary,
  ValuesComparison,
} from '@gitops-promotion/backstage-plugin-common';

/** Client of the gitops-promotion backend. @public */
export interface GitopsPromotionApi {
  /**
   * The promotion view of an entity (`kind:namespace/name`), a summary per
   * cell. When nothing changed since the last call, resolves to the same
   * object as before.
   */
  getPromotionView(entityRef: string): Promise<PromotionViewSummary>;
  /**
   * One cell of the entity's view (the drill-down): the chains of its
   * clusters that need a look and of `cluster` when given, the other
   * clusters in brief. `workload` is the row's id (`Kind/name`). When
   * nothing changed since the last call, resolves to the same object as
   * before.
   */
  getCellDetail(
    entityRef: string,
    environment: string,
    workload: string,
    cluster?: string,
  ): Promise<CellDetail>;
  /**
   * The promotion overview of a Group's or System's components, or of
   * every component the user may view without `scopeRef`. When nothing
   * changed since the last call, resolves to the same object as before.
   */
  getOverview(scopeRef?: string): Promise<PromotionOverview>;
  /** The full object behind a link of the entity's view, with its events. */
  getObjectDetails(ref: ObjectRef, entityRef: string): Promise<ObjectDetails>;
  /**
   * The actions the signed-in user may take on each link of the entity's
   * view (of one environment when given), and why not.
   */
  getAllowedActions(
    entityRef: string,
    environment?: string,
    workload?: string,
  ): Promise<AllowedActions>;
  /** What two workloads of the entity run with, and which keys differ. */
  compareValues(
    entityRef: string,
    from: ObjectRef,
    to: ObjectRef,
  ): Promise<ValuesComparison>;
  /**
   * A page of the promotion history of the entity's workloads, newest
   * first; pass the previous page's `nextCursor` for the next one.
   */
  getHistory(
    entityRef: string,
    page?: { cursor?: string; limit?: number },
  ): Promise<PromotionHistoryPage>;
  /** Asks the backend to reconcile, suspend or resume an object of the entity. */
  runAction(
    entityRef: string,
    action: ObjectAction,
    ref: ObjectRef,
  ): Promise<{ message: string }>;
}

/** @public */
export const gitopsPromotionApiRef = createApiRef<GitopsPromotionApi>().with({
  id: 'plugin.gitops-promotion.api',
  pluginId: 'gitops-promotion',
});
