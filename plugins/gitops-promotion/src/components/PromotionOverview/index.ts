export { EntityPromotionOverview } from './EntityPromotionOverview';
export { PromotionOverview } from './PromotionOverview';
export { PromotionOverviewPage } from './PromotionOverviewPage';
