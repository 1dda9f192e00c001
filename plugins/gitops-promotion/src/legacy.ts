import {
  createComponentExtension,
  createPlugin,
} from '@backstage/core-plugin-api';
import { gitopsPromotionApiFactory } from './api/apiFactory';

/**
 * The plugin for apps on the legacy frontend system.
 * @public
 */
export const gitopsPromotionPlugin = createPlugin({
  id: 'gitops-promotion',
  apis: [gitopsPromotionApiFactory],
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
