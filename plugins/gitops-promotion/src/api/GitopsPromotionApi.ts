import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  ObjectAction,
  ObjectDetails,
  ObjectRef,
  PromotionView,
} from '@gitops-promotion/backstage-plugin-common';

/** Client of the gitops-promotion backend. @public */
export interface GitopsPromotionApi {
  /**
   * The promotion view of an entity (`kind:namespace/name`). When nothing
   * changed since the last call, resolves to the same object as before.
   */
  getPromotionView(entityRef: string): Promise<PromotionView>;
  /** The full object behind a link of the entity's view, with its events. */
  getObjectDetails(ref: ObjectRef, entityRef: string): Promise<ObjectDetails>;
  /** Asks the backend to reconcile, suspend or resume a workload of the entity. */
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
