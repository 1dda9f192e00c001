import { Entity } from '@backstage/catalog-model';
import { hasPromotionAnnotations } from '@gitops-promotion/backstage-plugin-common';

/**
 * Whether the Promotion tab has something to show for an entity: it carries
 * one of the plugin's annotations, or the Kubernetes plugin's, and is not
 * a Group or System (whose Promotion content, at the same path, is the
 * overview of their components).
 * @public
 */
export function isGitopsPromotionAvailable(entity: Entity): boolean {
  return (
    hasPromotionAnnotations(entity.metadata.annotations) &&
    !isPromotionOverviewAvailable(entity)
  );
}

/**
 * Whether an entity has a promotion overview: a Group (the components it
 * and its child groups own) or a System (its components).
 * @public
 */
export function isPromotionOverviewAvailable(entity: Entity): boolean {
  return ['group', 'system'].includes(entity.kind.toLocaleLowerCase('en-US'));
}
