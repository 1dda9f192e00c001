import {
  ApiBlueprint,
  createFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { gitopsPromotionApiFactory } from './api/apiFactory';
import { isGitopsPromotionAvailable } from './isGitopsPromotionAvailable';

/** @public */
export const gitopsPromotionApi = ApiBlueprint.make({
  params: defineParams => defineParams(gitopsPromotionApiFactory),
});

/** The Promotion tab, offered only on entities with a promotion annotation. @public */
export const gitopsPromotionEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/promotion',
    title: 'Promotion',
    group: 'deployment',
    filter: isGitopsPromotionAvailable,
    loader: () =>
      import('./components/PromotionTab').then(m => <m.PromotionTab />),
  },
});

/**
 * The GitOps promotion plugin for the new frontend system.
 * @public
 */
export default createFrontendPlugin({
  pluginId: 'gitops-promotion',
  title: 'GitOps Promotion',
  info: { packageJson: () => import('../package.json') },
  extensions: [gitopsPromotionApi, gitopsPromotionEntityContent],
});
