import {
  actionDone,
  ObjectAction,
  ObjectRef,
} from '@gitops-promotion/backstage-plugin-common';
import { LocatedLink } from '@gitops-promotion/backstage-plugin-common/server';
import { OnDemandCalls } from '../clusters/OnDemandCalls';
import { targetOf, toHttpError } from '../view/ObjectDetailsService';

const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';

/**
 * The merge patch of each action, as the flux CLI writes it: a reconcile
 * request is a new value of reconcile.fluxcd.io/requestedAt; resume also
 * asks for a reconcile. A KuboCD Release suspends with spec.suspended and
 * has no reconcile request of its own (`actionRefusal` keeps reconcile
 * from reaching one).
 */
function patchFor(action: ObjectAction, ref: ObjectRef, now: string): object {
  const isRelease = ref.kind === 'Release';
  const request = { metadata: { annotations: { [REQUESTED_AT]: now } } };
  switch (action) {
    case 'reconcile':
      return request;
    case 'suspend':
      return { spec: isRelease ? { suspended: true } : { suspend: true } };
    default:
      return isRelease
        ? { spec: { suspended: false } }
        : { ...request, spec: { suspend: false } };
  }
}

/** Reconcile, suspend and resume as merge patches of the object. */
export class ObjectActions {
  constructor(private readonly calls: OnDemandCalls) {}

  async run(
    action: ObjectAction,
    located: LocatedLink,
    version: string,
  ): Promise<{ message: string }> {
    const { ref, target } = targetOf(located.link, version);
    await this.calls
      .patch(
        ref.cluster,
        target,
        patchFor(action, ref, new Date().toISOString()),
      )
      .catch(e => {
        throw toHttpError(e);
      });
    return { message: actionDone(action, ref) };
  }
}
