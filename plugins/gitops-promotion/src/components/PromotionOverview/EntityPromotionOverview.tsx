import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { PromotionOverview } from './PromotionOverview';

/**
 * The Promotion overview content of a Group (the components it owns, with
 * its child groups') or of a System (its components).
 * @public
 */
export function EntityPromotionOverview() {
  const { entity } = useEntity();
  return <PromotionOverview scopeRef={stringifyEntityRef(entity)} />;
}
