export { gitopsPromotionApiRef } from './GitopsPromotionApi';
export type { GitopsPromotionApi } from './GitopsPromotionApi';
export { GitopsPromotionClient } from './GitopsPromotionClient';
