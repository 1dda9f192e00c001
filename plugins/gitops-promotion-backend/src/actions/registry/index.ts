import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { registerExplainWorkloadFailure } from './explainWorkloadFailure';
import { registerGetPromotionStatus } from './getPromotionStatus';
import { registerListPendingPromotions } from './listPendingPromotions';
import { registerReconcileWorkload } from './reconcileWorkload';
import { PromotionActionsContext } from './shared';

/**
 * The plugin's actions for the actions registry (and so for the MCP
 * actions backend): each goes through the same authorization wrapper as
 * the HTTP routes, as the caller whose credentials the action runs with.
 */
export function registerPromotionActions(
  registry: ActionsRegistryService,
  context: PromotionActionsContext,
) {
  registerGetPromotionStatus(registry, context);
  registerExplainWorkloadFailure(registry, context);
  registerListPendingPromotions(registry, context);
  registerReconcileWorkload(registry, context);
}
