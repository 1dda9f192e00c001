export { gitopsPromotionApiRef } from './GitopsPromotionApi';
export type { GitopsPromotionApi, WorkloadAction } from './GitopsPromotionApi';
export { GitopsPromotionClient } from './GitopsPromotionClient';
