import {
  appTreeApiRef,
  coreExtensionData,
  useApiHolder,
} from '@backstage/frontend-plugin-api';
import { useMemo } from 'react';

/** Where the plugin mounts the Promotion tab on entity pages unless the app moves it. */
export const PROMOTION_TAB_PATH = '/promotion';

/** The Promotion tab's extension in an app of the new frontend system. */
const PROMOTION_TAB_EXTENSION = 'entity-content:gitops-promotion';

/**
 * The path of the Promotion tab below an entity's page: the one the app
 * gave the tab's extension (`app.extensions` can move it) in the new
 * frontend system, else PROMOTION_TAB_PATH, where legacy apps mount it as
 * the README shows.
 */
export function usePromotionTabPath(): string {
  const appTree = useApiHolder().get(appTreeApiRef);
  return useMemo(() => {
    const path = appTree
      ?.getTree()
      .tree.nodes.get(PROMOTION_TAB_EXTENSION)
      ?.instance?.getData(coreExtensionData.routePath);
    return path ? `/${path.replace(/^\/+|\/+$/g, '')}` : PROMOTION_TAB_PATH;
  }, [appTree]);
}
