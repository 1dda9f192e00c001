import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
} from '@backstage/core-plugin-api';
import { gitopsPromotionApiFactory } from './api/apiFactory';

const rootRouteRef = createRouteRef({ id: 'gitops-promotion' });

/**
 * The plugin for apps on the legacy frontend system.
 * @public
 */
export const gitopsPromotionPlugin = createPlugin({
  id: 'gitops-promotion',
  apis: [gitopsPromotionApiFactory],
  routes: { root: rootRouteRef },
});

/**
 * The Promotion tab for a legacy entity page, inside an `EntityLayout.Route`
 * guarded by `isGitopsPromotionAvailable`.
 * @public
 */
export const EntityGitopsPromotionContent: () => JSX.Element | null =
  gitopsPromotionPlugin.provide(
    createComponentExtension({
      name: 'EntityGitopsPromotionContent',
      component: {
        lazy: () =>
          import('./components/PromotionTab').then(m => m.PromotionTab),
      },
    }),
  );

/**
 * The Promotion overview for a legacy Group or System page: the
 * components the group (with its child groups) owns or the system contains.
 * @public
 */
export const EntityGitopsPromotionOverviewContent: () => JSX.Element | null =
  gitopsPromotionPlugin.provide(
    createComponentExtension({
      name: 'EntityGitopsPromotionOverviewContent',
      component: {
        lazy: () =>
          import('./components/PromotionOverview').then(
            m => m.EntityPromotionOverview,
          ),
      },
    }),
  );

/**
 * The GitOps promotion page for legacy apps (every component the user may
 * view), on a `Route` such as `/gitops-promotion`.
 * @public
 */
export const GitopsPromotionPage: () => JSX.Element | null =
  gitopsPromotionPlugin.provide(
    createRoutableExtension({
      name: 'GitopsPromotionPage',
      component: () =>
        import('./components/PromotionOverview').then(
          m => m.PromotionOverviewPage,
        ),
      mountPoint: rootRouteRef,
    }),
  );
