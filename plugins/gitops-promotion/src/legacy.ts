import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { GitopsPromotionClient, gitopsPromotionApiRef } from './api';

/**
 * The plugin for apps on the legacy frontend system.
 * @public
 */
export const gitopsPromotionPlugin = createPlugin({
  id: 'gitops-promotion',
  apis: [
    createApiFactory({
      api: gitopsPromotionApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GitopsPromotionClient({ discoveryApi, fetchApi }),
    }),
  ],
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
