import { Entity } from '@backstage/catalog-model';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import {
  classifyObject,
  describeRef,
  KINDS,
  KubeObject,
  ObjectDetails,
  ObjectRef,
} from '@gitops-promotion/backstage-plugin-common';
import { Fleet } from '../cache/Fleet';
import { ClusterRequestError, ObjectTarget } from '../clusters/types';
import { PromotionService } from './PromotionService';

/** A request failing at a cluster, as the HTTP error the caller gets. */
export function toHttpError(error: unknown): Error {
  if (error instanceof ClusterRequestError) {
    return error.type === 'NOT_FOUND'
      ? new NotFoundError(error.message)
      : new ServiceUnavailableError(`${error.type}: ${error.message}`);
  }
  return error as Error;
}

/**
 * Reads one object in full, with its recent events, for drill-down and
 * compare. This is the one read that goes to a cluster, on demand, and only
 * for objects in the chain of an entity the user may view.
 */
export class ObjectDetailsService {
  constructor(
    private readonly fleet: Fleet,
    private readonly promotion: PromotionService,
  ) {}

  /** The cached link of the entity's view for this ref, and how to reach it. */
  resolve(
    entity: Entity,
    ref: Omit<ObjectRef, 'kind'>,
  ): { target: ObjectTarget; ref: ObjectRef } {
    const link = this.promotion.findLink(entity, ref);
    if (!link) {
      throw new NotFoundError(
        `${ref.plural}.${ref.group} ${ref.namespace}/${ref.name} in cluster ${ref.cluster} is not part of the promotion view of this entity`,
      );
    }
    const kind = KINDS[link.ref.kind];
    return {
      ref: { ...link.ref, version: ref.version },
      target: {
        kind,
        version: ref.version,
        namespace: ref.namespace,
        name: ref.name,
        uid: this.fleet.caches
          .get(ref.cluster)
          ?.store.get(link.ref.kind, ref.namespace, ref.name)?.metadata.uid,
      },
    };
  }

  source(cluster: string) {
    const cache = this.fleet.caches.get(cluster);
    if (!cache) throw new NotFoundError(`Unknown cluster ${cluster}`);
    return cache.source;
  }

  async details(
    entity: Entity,
    requested: Omit<ObjectRef, 'kind'>,
  ): Promise<ObjectDetails> {
    const { ref, target } = this.resolve(entity, requested);
    const source = this.source(ref.cluster);
    const [object, events] = await Promise.allSettled([
      source.get(target),
      source.events(target),
    ]);
    if (object.status === 'rejected') {
      throw toHttpError(object.reason);
    }
    const full = withoutNoise(object.value);
    return {
      ref,
      object: full,
      classification: classifyObject(full),
      events: events.status === 'fulfilled' ? events.value : [],
      ...(events.status === 'rejected'
        ? {
            eventsError: `Events of ${describeRef(ref)} could not be read: ${
              (events.reason as Error).message
            }`,
          }
        : {}),
    };
  }
}

/** What `kubectl get -o yaml` hides or nobody reads: managed fields, the last-applied copy. */
function withoutNoise(obj: KubeObject): KubeObject {
  const { managedFields, ...metadata } =
    obj.metadata as KubeObject['metadata'] & {
      managedFields?: unknown;
    };
  if (metadata.annotations) {
    const {
      'kubectl.kubernetes.io/last-applied-configuration': _lastApplied,
      ...annotations
    } = metadata.annotations;
    metadata.annotations = annotations;
  }
  return { ...obj, metadata };
}
