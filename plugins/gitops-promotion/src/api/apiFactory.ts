import { coreApis, createApiFactory } from '@backstage/frontend-plugin-api';
import { gitopsPromotionApiRef } from './GitopsPromotionApi';
import { GitopsPromotionClient } from './GitopsPromotionClient';

/** The client over the app's discovery and fetch, for both frontend systems. */
export const gitopsPromotionApiFactory = createApiFactory({
  api: gitopsPromotionApiRef,
  deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
  factory: ({ discoveryApi, fetchApi }) =>
    new GitopsPromotionClient({ discoveryApi, fetchApi }),
});
