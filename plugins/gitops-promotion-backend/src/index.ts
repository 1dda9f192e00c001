export { gitopsPromotionPlugin as default } from './plugin';
export {
  gitopsPromotionAuthStrategyExtensionPoint,
  type GitopsPromotionAuthStrategyExtensionPoint,
} from './extensions';
