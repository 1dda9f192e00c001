import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  actionRefusal,
  AllowedActions,
  describeRef,
  gitopsPromotionReconcilePermission,
  gitopsPromotionViewPermission,
  OBJECT_ACTIONS,
  ObjectAction,
} from '@gitops-promotion/backstage-plugin-common';
import {
  linksOfView,
  LocatedLink,
} from '@gitops-promotion/backstage-plugin-common/server';
import { GitopsPromotionObject } from '@gitops-promotion/backstage-plugin-node';
import { ObjectActions } from '../actions/ObjectActions';
import { ObjectPolicy } from '../permissions/ObjectPolicy';
import { PromotionService } from '../view/PromotionService';
import {
  clip,
  PromotionAuditing,
  requestedEntity,
  requestedObject,
} from './auditing';
import { Caller } from './caller';
import { EntityAccess, notAllowed, USER_ONLY } from './EntityAccess';
import {
  EntityParams,
  entityRefOf,
  ObjectParams,
  parseObjectParams,
} from './params';

export interface AuthorizedObjectActionsOptions {
  access: EntityAccess;
  auditing: PromotionAuditing;
  objectPolicy: ObjectPolicy;
  promotion: PromotionService;
  actions: ObjectActions;
}

type Refusal = { reason: string; invalid?: boolean; conflict?: boolean };

function objectOf(
  entityRef: string,
  located: LocatedLink,
): GitopsPromotionObject {
  const { cluster, namespace, kind, name } = located.link.ref;
  return {
    entityRef,
    environment: located.environment,
    cluster,
    namespace,
    kind,
    name,
  };
}

/**
 * Reconcile, suspend and resume, and what the UI may offer of them: who
 * may act where is decided here for every entry point (the HTTP routes and
 * the `reconcile-workload` action), as the catalog's AuthorizedRefreshService
 * does for refreshes.
 */
export class AuthorizedObjectActions {
  constructor(private readonly o: AuthorizedObjectActionsOptions) {}

  /**
   * For each found link of the entity's view (or of one environment), the
   * actions the caller may take on it, and why not: what the UI offers.
   */
  async allowedActions(
    caller: Caller,
    params: EntityParams,
    query: { environment?: string },
  ): Promise<AllowedActions> {
    const entityRef = entityRefOf(params);
    const environment = query.environment;
    const { environments } = this.o.promotion;
    if (
      environment !== undefined &&
      !environments.some(e => e.name === environment)
    ) {
      throw new InputError(
        `Unknown environment "${clip(environment)}"; use one of ${environments
          .map(e => e.name)
          .join(', ')}`,
      );
    }
    const { access } = this.o;
    const credentials = await access.credentials(caller);
    const isUser = access.isUser(credentials);
    const {
      entity,
      granted: [mayAct],
    } = await access.entity(
      credentials,
      entityRef,
      [gitopsPromotionViewPermission],
      isUser ? [gitopsPromotionReconcilePermission] : [],
    );
    const links = linksOfView(this.o.promotion.view(entity)).filter(
      l => environment === undefined || l.environment === environment,
    );
    let refusal: Refusal | undefined;
    if (!isUser) refusal = { reason: USER_ONLY };
    else if (!mayAct) {
      refusal = {
        reason: notAllowed(gitopsPromotionReconcilePermission, entityRef),
      };
    }
    const policy = refusal
      ? undefined
      : await this.o.objectPolicy.decide(OBJECT_ACTIONS, credentials);
    return {
      entityRef,
      links: links.map(l => ({
        ref: l.link.ref,
        environment: l.environment,
        actions: OBJECT_ACTIONS.map(action => {
          const why =
            refusal ??
            this.objectRefusal(action, l) ??
            this.policyRefusal(action, l, entityRef, policy!);
          return why
            ? { action, allowed: false, reason: why.reason }
            : { action, allowed: true };
        }),
      })),
    };
  }

  /**
   * Reconcile, suspend or resume one object (audited `object-action`,
   * severity medium): a signed-in user with `gitops-promotion.view` and
   * `gitops-promotion.reconcile` on the entity; an object of its chains
   * inside its environment's namespaces; suspend and resume only on the
   * workload; and the policy's `gitops-promotion.object.<action>` on the
   * object.
   */
  async runAction(
    caller: Caller,
    params: EntityParams & ObjectParams & { action: ObjectAction },
  ): Promise<{ message: string }> {
    return this.o.auditing.run(
      caller,
      'runAction',
      {
        action: clip(params.action),
        ...requestedEntity(params),
        ...requestedObject(params),
      },
      async note => {
        const { access } = this.o;
        const credentials = await access.userCredentials(caller);
        const entityRef = entityRefOf(params);
        const { action } = params;
        const address = parseObjectParams(params);
        // Acting includes seeing: without view, the answers (202, 403, 404)
        // would tell which objects an entity the caller may not see has.
        const { entity } = await access.entity(credentials, entityRef, [
          gitopsPromotionViewPermission,
          gitopsPromotionReconcilePermission,
        ]);
        const located = access.locate(entity, address);
        note({ kind: located.link.ref.kind, environment: located.environment });
        const why =
          this.objectRefusal(action, located) ??
          this.policyRefusal(
            action,
            located,
            entityRef,
            await this.o.objectPolicy.decide([action], credentials),
          );
        if (why?.invalid) throw new InputError(why.reason);
        if (why?.conflict) throw new ConflictError(why.reason);
        if (why) throw new NotAllowedError(why.reason);
        return this.o.actions.run(action, located, address.version);
      },
    );
  }

  /** Why the object's place or role rules the action out, whoever asks. */
  private objectRefusal(
    action: ObjectAction,
    located: LocatedLink,
  ): Refusal | undefined {
    if (located.outside) return { reason: located.outside };
    return actionRefusal(action, located.link, located.workload);
  }

  private policyRefusal(
    action: ObjectAction,
    located: LocatedLink,
    entityRef: string,
    policy: (action: ObjectAction, object: GitopsPromotionObject) => boolean,
  ): Refusal | undefined {
    if (policy(action, objectOf(entityRef, located))) return undefined;
    const { ref } = located.link;
    return {
      reason: `The permission policy does not allow gitops-promotion.object.${action} on ${describeRef(
        ref,
      )} in cluster ${ref.cluster} (environment ${located.environment})`,
    };
  }
}
