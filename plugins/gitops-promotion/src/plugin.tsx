import { Content } from '@backstage/core-components';
import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import DeviceHubIcon from '@material-ui/icons/DeviceHub';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { gitopsPromotionApiFactory } from './api/apiFactory';
import {
  isGitopsPromotionAvailable,
  isPromotionOverviewAvailable,
} from './isGitopsPromotionAvailable';
import { PROMOTION_TAB_PATH } from './hooks/usePromotionTabPath';
import { gitopsPromotionTranslationRef } from './translation';

export const gitopsPromotionApi = ApiBlueprint.make({
  params: defineParams => defineParams(gitopsPromotionApiFactory),
});

/** The Promotion tab, offered only on entities with a promotion annotation. */
export const gitopsPromotionEntityContent = EntityContentBlueprint.make({
  params: {
    path: PROMOTION_TAB_PATH,
    title: gitopsPromotionTranslationRef('extension.tabTitle'),
    group: 'deployment',
    filter: isGitopsPromotionAvailable,
    loader: () =>
      import('./components/PromotionTab').then(m => <m.PromotionTab />),
  },
});

/** The Promotion content of Groups and Systems: their components' overview. */
export const gitopsPromotionOverviewEntityContent = EntityContentBlueprint.make(
  {
    name: 'overview',
    params: {
      path: PROMOTION_TAB_PATH,
      title: gitopsPromotionTranslationRef('extension.tabTitle'),
      group: 'deployment',
      filter: isPromotionOverviewAvailable,
      loader: () =>
        import('./components/PromotionOverview').then(m => (
          <m.EntityPromotionOverview />
        )),
    },
  },
);

/** The route of the GitOps promotion page. */
export const gitopsPromotionPageRouteRef = createRouteRef();

/** The GitOps promotion page: every component the user may view, in the sidebar. */
export const gitopsPromotionPage = PageBlueprint.make({
  params: {
    path: '/gitops-promotion',
    title: gitopsPromotionTranslationRef('extension.pageTitle'),
    icon: <DeviceHubIcon />,
    routeRef: gitopsPromotionPageRouteRef,
    loader: () =>
      import('./components/PromotionOverview').then(m => (
        <Content>
          <m.PromotionOverview groupable />
        </Content>
      )),
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
  routes: { root: gitopsPromotionPageRouteRef },
  extensions: [
    gitopsPromotionApi,
    gitopsPromotionEntityContent,
    gitopsPromotionOverviewEntityContent,
    gitopsPromotionPage,
  ],
});
