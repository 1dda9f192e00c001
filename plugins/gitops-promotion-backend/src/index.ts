export { gitopsPromotionPlugin as default } from './plugin';
export {
  gitopsPromotionAuthStrategyExtensionPoint,
  type GitopsPromotionAuthStrategyExtensionPoint,
} from './extensions';
export {
  createGitopsPromotionObjectConditionalDecision,
  gitopsPromotionObjectConditions,
} from './permissions/conditionExports';
export {
  gitopsPromotionObjectPermissionResourceRef,
  type GitopsPromotionObject,
  type GitopsPromotionObjectFilter,
} from './permissions/resource';
export { gitopsPromotionObjectRules } from './permissions/rules';
