import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CellDetail,
  ObjectRef,
  PromotionView,
} from '@gitops-promotion/backstage-plugin-common';
import {
  buildCellDetail,
  entitySelectors,
  EnvironmentConfig,
  LocatedLink,
  locateLink,
  memoizedPromotionView,
} from '@gitops-promotion/backstage-plugin-common/server';
import { Fleet } from '../cache/Fleet';

/**
 * Answers page views from the caches: no request reaches a cluster here.
 */
export class PromotionService {
  constructor(private readonly fleet: Fleet) {}

  get environments(): EnvironmentConfig[] {
    return this.fleet.environments;
  }

  /** The entity's view, built again only when a cluster it reads changed. */
  view(entity: Entity): PromotionView {
    return memoizedPromotionView(this.options(entity));
  }

  /**
   * One cell with the chains of its clusters that need a look, and of
   * `cluster` (the drill-down): walks only that workload's chains in that
   * environment. Undefined when the environment is not configured or the
   * entity selects no such workload anywhere.
   */
  cell(
    entity: Entity,
    environment: string,
    workload: string,
    cluster?: string,
  ): CellDetail | undefined {
    return buildCellDetail(
      this.options(entity),
      environment,
      workload,
      cluster,
    );
  }

  private options(entity: Entity) {
    const { selectors, problems } = entitySelectors(
      entity.metadata.annotations,
    );
    return {
      entityRef: stringifyEntityRef(entity),
      environments: this.fleet.environments,
      selectors,
      annotationProblems: problems,
      clusters: this.fleet.caches,
      now: new Date(),
    };
  }

  /**
   * The found link of the entity's chains that names this object, and
   * where it belongs: the only objects a user may read in full or act on
   * through an entity. Walks only the chains of the entity's workloads in
   * the object's cluster, not the whole view.
   */
  locate(
    entity: Entity,
    ref: Omit<ObjectRef, 'kind' | 'version'>,
  ): LocatedLink | undefined {
    const data = this.fleet.caches.get(ref.cluster);
    if (!data) return undefined;
    return locateLink({
      environments: this.fleet.environments,
      selectors: entitySelectors(entity.metadata.annotations).selectors,
      data,
      ref,
    });
  }
}
