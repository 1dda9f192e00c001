export { PromotionTab } from './PromotionTab';
