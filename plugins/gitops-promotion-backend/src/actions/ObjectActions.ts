import { AuditorService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  describeRef,
  ObjectAction,
  ObjectRef,
} from '@gitops-promotion/backstage-plugin-common';
import {
  ObjectDetailsService,
  toHttpError,
} from '../view/ObjectDetailsService';
import type { Request } from 'express';

const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';

/**
 * The merge patch of each action, as the flux CLI writes it: a reconcile
 * request is a new value of reconcile.fluxcd.io/requestedAt; resume also
 * asks for a reconcile. A KuboCD Release suspends with spec.suspended and
 * has no reconcile request of its own.
 */
function patchFor(action: ObjectAction, ref: ObjectRef, now: string): object {
  const isRelease = ref.kind === 'Release';
  const request = { metadata: { annotations: { [REQUESTED_AT]: now } } };
  switch (action) {
    case 'reconcile':
      if (isRelease) {
        throw new InputError(
          `KuboCD has no reconcile request for a Release; reconcile its OCIRepository or HelmRelease instead (${describeRef(
            ref,
          )})`,
        );
      }
      return request;
    case 'suspend':
      return { spec: isRelease ? { suspended: true } : { suspend: true } };
    default:
      return isRelease
        ? { spec: { suspended: false } }
        : { ...request, spec: { suspend: false } };
  }
}

/** Reconcile, suspend and resume, each audited: who, what, which cluster. */
export class ObjectActions {
  constructor(
    private readonly objects: ObjectDetailsService,
    private readonly auditor: AuditorService,
  ) {}

  async run(
    action: ObjectAction,
    entity: Entity,
    requested: Omit<ObjectRef, 'kind'>,
    request: Request,
  ): Promise<{ message: string }> {
    const event = await this.auditor.createEvent({
      eventId: action,
      severityLevel: 'medium',
      request,
      meta: {
        entityRef: stringifyEntityRef(entity),
        cluster: requested.cluster,
        object: `${requested.plural}.${requested.group}/${requested.version}`,
        namespace: requested.namespace,
        name: requested.name,
      },
    });
    try {
      const { ref, target } = this.objects.resolve(entity, requested);
      await this.objects
        .source(ref.cluster)
        .patch(target, patchFor(action, ref, new Date().toISOString()))
        .catch(e => {
          throw toHttpError(e);
        });
      await event.success();
      const verb = {
        reconcile: 'Requested a reconcile of',
        suspend: 'Suspended',
        resume: 'Resumed',
      }[action];
      return {
        message: `${verb} ${describeRef(ref)} in cluster ${ref.cluster}.`,
      };
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }
}
