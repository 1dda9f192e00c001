import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { PromotionOverview } from './PromotionOverview';

/**
 * The Promotion overview content of a Group (the components it owns, with
 * its child groups') or of a System (its components).
 */
export function EntityPromotionOverview() {
  const { entity } = useEntity();
  const scopeRef = stringifyEntityRef(entity);
  // Keyed: another Group's or System's page starts with no filter set.
  return <PromotionOverview key={scopeRef} scopeRef={scopeRef} />;
}
