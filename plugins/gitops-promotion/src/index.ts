/**
 * The GitOps promotion frontend plugin: an entity tab showing which version
 * runs in which environment, what waits to be promoted, and why a
 * deployment fails.
 *
 * The default export is the plugin for the new frontend system; the named
 * `gitopsPromotionPlugin` and `EntityGitopsPromotionContent` serve apps on
 * the legacy system.
 *
 * @packageDocumentation
 */

export { default } from './plugin';
export {
  EntityGitopsPromotionContent,
  EntityGitopsPromotionOverviewContent,
  GitopsPromotionPage,
  gitopsPromotionPlugin,
} from './legacy';
export {
  isGitopsPromotionAvailable,
  isPromotionOverviewAvailable,
} from './isGitopsPromotionAvailable';
export { GitopsPromotionClient, gitopsPromotionApiRef } from './api';
export type { GitopsPromotionApi } from './api';
export { gitopsPromotionTranslationRef } from './translation';
