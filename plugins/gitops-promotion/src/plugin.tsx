import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

import { rootRouteRef } from './routes';

export const page = PageBlueprint.make({
  params: {
    path: '/gitops-promotion',
    routeRef: rootRouteRef,
    loader: () => import('./components/TodoPage').then(m => <m.TodoPage />),
  },
});

export const gitopsPromotionPlugin = createFrontendPlugin({
  pluginId: 'gitops-promotion',
  extensions: [page],
  routes: {
    root: rootRouteRef,
  },
});
