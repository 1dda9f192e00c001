import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ChainLink,
  ObjectRef,
  PromotionView,
} from '@gitops-promotion/backstage-plugin-common';
import {
  buildPromotionView,
  clusterCellsOf,
  entitySelectors,
} from '@gitops-promotion/backstage-plugin-common/server';
import { Fleet } from '../cache/Fleet';

/**
 * Answers page views from the caches: no request reaches a cluster here.
 */
export class PromotionService {
  constructor(private readonly fleet: Fleet) {}

  view(entity: Entity): PromotionView {
    const { selectors, problems } = entitySelectors(
      entity.metadata.annotations,
    );
    return buildPromotionView({
      entityRef: stringifyEntityRef(entity),
      environments: this.fleet.environments,
      selectors,
      annotationProblems: problems,
      clusters: this.fleet.caches,
      now: new Date(),
    });
  }

  /**
   * The chain link of the entity's view that names this object: the only
   * objects a user may read in full or act on through an entity.
   */
  findLink(
    entity: Entity,
    ref: Omit<ObjectRef, 'kind' | 'version'>,
  ): ChainLink | undefined {
    for (const cell of clusterCellsOf(this.view(entity))) {
      const link = cell.chain.find(
        l =>
          l.found &&
          l.ref.cluster === ref.cluster &&
          l.ref.group === ref.group &&
          l.ref.plural === ref.plural &&
          l.ref.namespace === ref.namespace &&
          l.ref.name === ref.name,
      );
      if (link) return link;
    }
    return undefined;
  }
}
