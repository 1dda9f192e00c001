import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { registerExplainWorkloadFailure } from './explainWorkloadFailure';
import { registerGetPromotionStatus } from './getPromotionStatus';
import { registerListPendingPromotions } from './listPendingPromotions';
import { registerReconcileWorkload } from './reconcileWorkload';
import { PromotionActionsContext } from './shared';
import { answerValue } from '../../text/answerText';

/** A registry whose actions answer as the HTTP routes do (answerValue). */
function answeringPlainText(
  registry: ActionsRegistryService,
): ActionsRegistryService {
  return {
    register(options) {
      registry.register({
        ...options,
        action: async context => answerValue(await options.action(context)),
      });
    },
  };
}

/**
 * The plugin's actions for the actions registry (and so for the MCP
 * actions backend): each goes through the same authorization wrapper as
 * the HTTP routes, as the caller whose credentials the action runs with.
 */
export function registerPromotionActions(
  actionsRegistry: ActionsRegistryService,
  context: PromotionActionsContext,
) {
  const registry = answeringPlainText(actionsRegistry);
  registerGetPromotionStatus(registry, context);
  registerExplainWorkloadFailure(registry, context);
  registerListPendingPromotions(registry, context);
  registerReconcileWorkload(registry, context);
}
