import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  toError,
} from '@backstage/errors';
import { JsonObject } from '@backstage/types';
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
import { nameSome } from '../text/nameSome';
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

type ObjectPolicyDecision = (
  action: ObjectAction,
  object: GitopsPromotionObject,
) => boolean;

/**
 * The objects one answer of allowed actions covers at most: a workload's
 * chains in an environment of 400 clusters; an entity's whole view can be
 * tens of thousands.
 */
const MAX_LINKS = 2000;
/** Workload ids an error lists before it counts the rest. */
const LISTED_WORKLOADS = 20;

/** Who acts on which entity, once allowed to act on it at all. */
interface Actor {
  credentials: BackstageCredentials;
  entityRef: string;
  entity: Entity;
}

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
   * For each found link of the entity's view (or of one environment, one
   * workload's chains), the actions the caller may take on it, and why
   * not: what the UI offers. A drill-down asks for its cell's workload, so
   * the answer grows with that workload's clusters, not the entity's rows.
   */
  async allowedActions(
    caller: Caller,
    params: EntityParams,
    query: { environment?: string; workload?: string },
  ): Promise<AllowedActions> {
    const entityRef = entityRefOf(params);
    const { environment, workload } = query;
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
    const view = this.o.promotion.view(entity);
    if (
      workload !== undefined &&
      !view.workloads.some(w => w.id === workload)
    ) {
      throw new InputError(
        `Unknown workload "${clip(workload)}" of ${entityRef}; use one of ${
          nameSome(
            view.workloads.map(w => w.id),
            LISTED_WORKLOADS,
          ) || 'none (no workload found)'
        }`,
      );
    }
    const links = linksOfView(
      workload === undefined
        ? view
        : { ...view, workloads: view.workloads.filter(w => w.id === workload) },
    ).filter(l => environment === undefined || l.environment === environment);
    if (links.length > MAX_LINKS) {
      throw new InputError(
        `The actions of ${links.length} objects of ${entityRef} were asked, at most ${MAX_LINKS} are answered: ask for one workload (workload=Kind/name) in one environment (environment=name), as the drill-down does`,
      );
    }
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
    return this.audited(caller, params, params.action, async note => {
      const { action } = params;
      // Acting includes seeing: without view, the answers (202, 403, 404)
      // would tell which objects an entity the caller may not see has.
      const actor = await this.actor(caller, params);
      const policy = await this.o.objectPolicy.decide(
        [action],
        actor.credentials,
      );
      return this.act(actor, params, action, policy, note);
    });
  }

  /**
   * Reconcile several objects of one entity (the `reconcile-workload`
   * action): the caller, the entity and the policy are asked once, and a
   * caller refused there is refused before any object is tried; then each
   * object is checked and audited as {@link runAction} does. An object's
   * refusal or failure is its result; the others go on.
   */
  async reconcileObjects(
    caller: Caller,
    params: EntityParams,
    objects: ObjectParams[],
  ): Promise<Array<{ message: string } | { error: Error }>> {
    const actor = await this.actor(caller, params);
    const policy = await this.o.objectPolicy.decide(
      ['reconcile'],
      actor.credentials,
    );
    const results: Array<{ message: string } | { error: Error }> = [];
    for (const object of objects) {
      const target = { ...params, ...object };
      try {
        results.push(
          await this.audited(caller, target, 'reconcile', note =>
            this.act(actor, target, 'reconcile', policy, note),
          ),
        );
      } catch (error) {
        results.push({ error: toError(error) });
      }
    }
    return results;
  }

  /** An action attempt as the audit records it (`object-action`). */
  private audited<T>(
    caller: Caller,
    params: EntityParams & ObjectParams,
    action: ObjectAction,
    step: (note: (meta: JsonObject) => void) => Promise<T>,
  ): Promise<T> {
    return this.o.auditing.run(
      caller,
      'runAction',
      {
        action: clip(action),
        ...requestedEntity(params),
        ...requestedObject(params),
      },
      step,
    );
  }

  /** A signed-in user with view and reconcile on the entity, and the entity. */
  private async actor(caller: Caller, params: EntityParams): Promise<Actor> {
    const { access } = this.o;
    const credentials = await access.userCredentials(caller);
    const entityRef = entityRefOf(params);
    const { entity } = await access.entity(credentials, entityRef, [
      gitopsPromotionViewPermission,
      gitopsPromotionReconcilePermission,
    ]);
    return { credentials, entityRef, entity };
  }

  /** One object of the actor's entity, if its place, role and the policy allow. */
  private async act(
    actor: Actor,
    params: ObjectParams,
    action: ObjectAction,
    policy: ObjectPolicyDecision,
    note: (meta: JsonObject) => void,
  ): Promise<{ message: string }> {
    const address = parseObjectParams(params);
    const located = this.o.access.locate(actor.entity, address);
    note({ kind: located.link.ref.kind, environment: located.environment });
    const why =
      this.objectRefusal(action, located) ??
      this.policyRefusal(action, located, actor.entityRef, policy);
    if (why?.invalid) throw new InputError(why.reason);
    if (why?.conflict) throw new ConflictError(why.reason);
    if (why) throw new NotAllowedError(why.reason);
    return this.o.actions.run(action, located, address.version);
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
    policy: ObjectPolicyDecision,
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
