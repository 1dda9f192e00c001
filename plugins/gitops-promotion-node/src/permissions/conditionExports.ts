import { createConditionExports } from '@backstage/plugin-permission-node';
import { gitopsPromotionObjectPermissionResourceRef } from './resource';
import { gitopsPromotionObjectRules } from './rules';

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: gitopsPromotionObjectPermissionResourceRef,
  rules: gitopsPromotionObjectRules,
});

/**
 * Conditions on the object an action acts on, for permission policies:
 * `isInEnvironment({ environments })`, `isInCluster({ clusters })`,
 * `isInNamespace({ namespaces })`, `isOfKind({ kinds })`.
 * @public
 */
export const gitopsPromotionObjectConditions = conditions;

/**
 * Builds the conditional decision of a `gitops-promotion.object.*`
 * permission, for example "only in sandbox, development and staging":
 *
 * ```ts
 * if (isResourcePermission(request.permission, RESOURCE_TYPE_GITOPS_PROMOTION_OBJECT)) {
 *   return createGitopsPromotionObjectConditionalDecision(request.permission, {
 *     not: gitopsPromotionObjectConditions.isInEnvironment({ environments: ['production'] }),
 *   });
 * }
 * ```
 * @public
 */
export const createGitopsPromotionObjectConditionalDecision =
  createConditionalDecision;
