import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  toError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  actionRefusal,
  AllowedActions,
  CellDetail,
  describeRef,
  gitopsPromotionReconcilePermission,
  gitopsPromotionValuesReadPermission,
  gitopsPromotionViewPermission,
  OBJECT_ACTIONS,
  ObjectAction,
  ObjectDetails,
  PromotionOverview,
  PromotionView,
  PromotionViewSummary,
  ValuesComparison,
} from '@gitops-promotion/backstage-plugin-common';
import {
  buildPromotionOverview,
  changedKeys,
  linksOfView,
  LocatedLink,
  readsOfView,
  redactSecrets,
  summarizeView,
} from '@gitops-promotion/backstage-plugin-common/server';
import { ObjectActions } from '../actions/ObjectActions';
import { annotatedEntities } from '../catalog/annotatedEntities';
import { valuesDigest } from '../cache/slim';
import { overviewNarrowing } from '../overview/overviewScope';
import { ObjectPolicy } from '../permissions/ObjectPolicy';
import { GitopsPromotionObject } from '@gitops-promotion/backstage-plugin-node';
import { ChangeSignals } from '../signals/ChangeSignals';
import { ObjectDetailsService } from '../view/ObjectDetailsService';
import { PromotionService } from '../view/PromotionService';
import {
  clip,
  PromotionAuditing,
  requestedEntity,
  requestedObject,
} from './auditing';
import { Caller, Request } from './caller';
import {
  CellParams,
  EntityParams,
  ObjectAddress,
  ObjectParams,
  entityRefOf,
  parseObjectParams,
  parseObjectQuery,
} from './params';

export interface AuthorizedPromotionServiceOptions {
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  catalog: CatalogService;
  objectPolicy: ObjectPolicy;
  promotion: PromotionService;
  objects: ObjectDetailsService;
  actions: ObjectActions;
  changes: ChangeSignals;
}

type Refusal = { reason: string; invalid?: boolean };

/**
 * What a promotion view (its annotations) and an overview row (title,
 * owner, system) read of an entity: an overview's catalog page carries
 * these and not the rest (relations, descriptions, links).
 */
const VIEWED_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'metadata.annotations',
  'spec.owner',
  'spec.system',
];

const USER_ONLY =
  'Actions are taken only for a signed-in user: other plugins and external access tokens may not reconcile, suspend or resume';

const notAllowed = (permission: { name: string }, entityRef: string) =>
  `Not allowed: ${permission.name} on ${entityRef}`;

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
 * Every entry point of the HTTP API, each deciding who may do what before
 * anything else happens: the router only maps HTTP to these calls, so a
 * new route cannot skip them (the pattern of the catalog's
 * AuthorizedEntitiesCatalog). Object reads and actions are audited from
 * the first step, so refused (403) attempts and those the service finds
 * invalid (400: a version not read, an object outside the chains) are too;
 * requests whose form the OpenAPI spec rejects never reach a handler and
 * are audited by the router's error path (auditRejected).
 */
export class AuthorizedPromotionService {
  private readonly auditing: PromotionAuditing;

  constructor(private readonly o: AuthorizedPromotionServiceOptions) {
    this.auditing = new PromotionAuditing(o.auditor);
  }

  /** The promotion view: `gitops-promotion.view` on the entity. */
  async view(caller: Caller, params: EntityParams): Promise<PromotionView> {
    const entityRef = entityRefOf(params);
    const credentials = await this.credentials(caller);
    const { entity } = await this.entity(credentials, entityRef, [
      gitopsPromotionViewPermission,
    ]);
    const view = this.o.promotion.view(entity);
    if (this.o.auth.isPrincipal(credentials, 'user')) {
      this.o.changes.noteView(
        credentials.principal.userEntityRef,
        entityRef,
        readsOfView(view),
      );
    }
    return view;
  }

  /** The page view: the view with each cell summarized (`gitops-promotion.view`). */
  async pageView(
    caller: Caller,
    params: EntityParams,
  ): Promise<PromotionViewSummary> {
    return summarizeView(await this.view(caller, params));
  }

  /**
   * One cell of the entity's view with its clusters' chains, conditions
   * and facts, from the caches (`gitops-promotion.view`): what the
   * drill-down and the comparison show, with `query.cluster`'s chains in
   * full. 404 naming what is unknown: the environment, a cluster not in
   * it, or a workload the entity selects nowhere.
   */
  async cell(
    caller: Caller,
    params: CellParams,
    query: { cluster?: string },
  ): Promise<CellDetail> {
    const entityRef = entityRefOf(params);
    const credentials = await this.credentials(caller);
    const { entity } = await this.entity(credentials, entityRef, [
      gitopsPromotionViewPermission,
    ]);
    const { environments } = this.o.promotion;
    const env = environments.find(e => e.name === params.environment);
    if (!env) {
      throw new NotFoundError(
        `No environment "${clip(
          params.environment,
        )}" in gitopsPromotion.environments; the environments are ${environments
          .map(e => e.name)
          .join(', ')}`,
      );
    }
    const { cluster } = query;
    if (
      cluster !== undefined &&
      !env.clusters.some(c => c.cluster === cluster)
    ) {
      throw new NotFoundError(
        `No cluster "${clip(cluster)}" in environment ${
          env.name
        }; its clusters are ${env.clusters.map(c => c.cluster).join(', ')}`,
      );
    }
    const workload = `${params.workloadKind}/${params.workloadName}`;
    const detail = this.o.promotion.cell(
      entity,
      params.environment,
      workload,
      cluster,
    );
    if (!detail) {
      throw new NotFoundError(
        `${params.workloadKind} ${clip(
          params.workloadName,
        )} is not a workload of ${entityRef}: its annotations select no ${
          params.workloadKind
        } of that name in any environment`,
      );
    }
    return detail;
  }

  /**
   * The promotion views of the entities with this plugin's or the
   * Kubernetes plugin's annotations that match `narrowing` (catalog filter
   * fields, such as `relations.ownedBy`): the catalog is paged as the
   * caller (its read permission applies), `batchSize` entities a page and
   * at most `maxEntities` in all, and `gitops-promotion.view` is asked once
   * per page for all its entities; entities not allowed are left out.
   */
  async views(
    caller: Caller,
    narrowing: Record<string, string | string[]>,
    bounds: { batchSize: number; maxEntities: number },
  ): Promise<{
    entries: Array<{ entity: Entity; view: PromotionView }>;
    truncated: boolean;
  }> {
    const credentials = await this.credentials(caller);
    const entries: Array<{ entity: Entity; view: PromotionView }> = [];
    let seen = 0;
    for await (const page of annotatedEntities(this.o.catalog, credentials, {
      narrowing,
      fields: VIEWED_FIELDS,
      pageSize: bounds.batchSize,
    })) {
      if (seen === bounds.maxEntities) return { entries, truncated: true };
      const entities = page.slice(0, bounds.maxEntities - seen);
      seen += entities.length;
      const decisions =
        entities.length > 0
          ? await this.o.permissions.authorize(
              entities.map(e => ({
                permission: gitopsPromotionViewPermission,
                resourceRef: stringifyEntityRef(e),
              })),
              { credentials },
            )
          : [];
      entities.forEach((entity, i) => {
        if (decisions[i].result === AuthorizeResult.ALLOW) {
          entries.push({ entity, view: this.o.promotion.view(entity) });
        }
      });
      if (entities.length < page.length) return { entries, truncated: true };
    }
    return { entries, truncated: false };
  }

  /**
   * The promotion overview of the components a Group owns (with its child
   * groups) or a System contains, or of every component the caller may
   * view when no scope is given: the entities as {@link views} reads them,
   * compact rows from the caches (no cluster request).
   */
  async overview(
    caller: Caller,
    scope: EntityParams | undefined,
    bounds: { batchSize: number; maxEntities: number },
  ): Promise<PromotionOverview> {
    const credentials = await this.credentials(caller);
    let narrowing: Record<string, string | string[]> = {};
    if (scope) {
      const ref = entityRefOf(scope);
      const entity = await this.o.catalog.getEntityByRef(ref, {
        credentials,
      });
      if (!entity) throw new NotFoundError(`No entity ${ref} in the catalog`);
      narrowing = await overviewNarrowing(
        this.o.catalog,
        credentials,
        entity,
        this.o.logger,
      );
    }
    const { entries, truncated } = await this.views(
      { credentials },
      { kind: 'component', ...narrowing },
      bounds,
    );
    return buildPromotionOverview({
      environments: this.o.promotion.environments,
      entries,
      truncated,
      now: new Date(),
    });
  }

  /**
   * One object of the entity's chains in full, with its events (audited
   * `object-read`): `gitops-promotion.view`, and the object inside its
   * environment's namespaces; values only with `gitops-promotion.values.read`.
   */
  async objectDetails(
    caller: Caller,
    params: EntityParams & ObjectParams,
  ): Promise<ObjectDetails> {
    return this.auditing.run(
      caller,
      'object-read',
      'low',
      {
        queryType: 'details',
        ...requestedEntity(params),
        ...requestedObject(params),
      },
      async note => {
        const entityRef = entityRefOf(params);
        const address = parseObjectParams(params);
        const { entity, values } = await this.readable(caller, entityRef);
        const located = this.inBounds(entity, address);
        note({ kind: located.link.ref.kind, environment: located.environment });
        return this.o.objects.details(located, address.version, values);
      },
    );
  }

  /**
   * What two workloads of the entity run with, and which keys differ
   * (audited `object-read`): documents only with
   * `gitops-promotion.values.read`, credentials always redacted.
   */
  async valuesDiff(
    caller: Caller,
    params: EntityParams,
    query: { fromObject: string; toObject: string },
  ): Promise<ValuesComparison> {
    return this.auditing.run(
      caller,
      'object-read',
      'low',
      {
        queryType: 'values-diff',
        ...requestedEntity(params),
        from: clip(query.fromObject),
        to: clip(query.toObject),
      },
      async () => {
        const entityRef = entityRefOf(params);
        const addresses = [
          parseObjectQuery(query.fromObject, 'fromObject'),
          parseObjectQuery(query.toObject, 'toObject'),
        ];
        const { entity, values } = await this.readable(caller, entityRef);
        const located = addresses.map(a => this.inBounds(entity, a));
        const [from, to] = await Promise.all(
          located.map((l, i) => this.o.objects.values(l, addresses[i].version)),
        );
        const sides = [from, to].map((side, i) => {
          const redacted = redactSecrets(side.document);
          return {
            side: {
              ref: side.ref,
              environment: located[i].environment,
              digest: valuesDigest(side.document),
              ...(values ? { document: redacted.value } : {}),
            },
            redactedPaths: redacted.redactedPaths,
          };
        });
        return {
          from: sides[0].side,
          to: sides[1].side,
          changedKeys: changedKeys(from.document, to.document),
          redactedPaths: values
            ? [...new Set(sides.flatMap(s => s.redactedPaths))]
            : [],
          ...(values
            ? {}
            : {
                valuesHidden: `Values are shown only with the permission ${gitopsPromotionValuesReadPermission.name} on ${entityRef}; the keys that differ are listed instead.`,
              }),
        };
      },
    );
  }

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
    if (
      environment !== undefined &&
      !this.o.promotion.environments.some(e => e.name === environment)
    ) {
      throw new InputError(
        `Unknown environment "${clip(
          environment,
        )}"; use one of ${this.o.promotion.environments
          .map(e => e.name)
          .join(', ')}`,
      );
    }
    const credentials = await this.credentials(caller);
    const isUser = this.o.auth.isPrincipal(credentials, 'user');
    const {
      entity,
      granted: [mayAct],
    } = await this.entity(
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
   * severity medium): a signed-in user with `gitops-promotion.reconcile` on
   * the entity; an object of its chains inside its environment's
   * namespaces; suspend and resume only on the workload; and the policy's
   * `gitops-promotion.object.<action>` on the object.
   */
  async runAction(
    caller: Caller,
    params: EntityParams & ObjectParams & { action: ObjectAction },
  ): Promise<{ message: string }> {
    return this.auditing.run(
      caller,
      'object-action',
      'medium',
      {
        action: clip(params.action),
        ...requestedEntity(params),
        ...requestedObject(params),
      },
      async note => {
        const credentials = await this.userCredentials(caller);
        const entityRef = entityRefOf(params);
        const { action } = params;
        const address = parseObjectParams(params);
        const { entity } = await this.entity(credentials, entityRef, [
          gitopsPromotionReconcilePermission,
        ]);
        const located = this.locate(entity, address);
        note({ kind: located.link.ref.kind, environment: located.environment });
        const why =
          this.objectRefusal(action, located) ??
          this.policyRefusal(
            action,
            located,
            entityRef,
            await this.o.objectPolicy.decide([action], credentials),
          );
        if (why) {
          throw why.invalid
            ? new InputError(why.reason)
            : new NotAllowedError(why.reason);
        }
        return this.o.actions.run(action, located, address.version);
      },
    );
  }

  /** See PromotionAuditing.rejected: for the router's error path. */
  async auditRejected(request: Request, error: unknown): Promise<void> {
    await this.auditing.rejected(request, error);
  }

  private async credentials(caller: Caller): Promise<BackstageCredentials> {
    return 'request' in caller
      ? this.o.httpAuth.credentials(caller.request)
      : caller.credentials;
  }

  /** Actions are taken for a signed-in user only: no service principal bypasses the policy. */
  private async userCredentials(caller: Caller): Promise<BackstageCredentials> {
    if (!('request' in caller)) {
      if (this.o.auth.isPrincipal(caller.credentials, 'user')) {
        return caller.credentials;
      }
      throw new NotAllowedError(USER_ONLY);
    }
    try {
      return await this.o.httpAuth.credentials(caller.request, {
        allow: ['user'],
      });
    } catch (error) {
      if (toError(error).name !== 'NotAllowedError') throw error;
      throw new NotAllowedError(USER_ONLY);
    }
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

  private async allowed(
    credentials: BackstageCredentials,
    entityRef: string,
    permissions: ResourcePermission<'catalog-entity'>[],
  ): Promise<boolean[]> {
    const decisions = await this.o.permissions.authorize(
      permissions.map(permission => ({ permission, resourceRef: entityRef })),
      { credentials },
    );
    return decisions.map(d => d.result === AuthorizeResult.ALLOW);
  }

  /**
   * Checks permissions on the entity and reads it from the catalog as the
   * caller; `optional` permissions are asked in the same call and answered.
   * The two requests go out together (each is a round trip through the
   * permission and catalog backends), and a denial wins over whatever the
   * catalog answered: the caller learns nothing of an entity it may not see.
   */
  private async entity(
    credentials: BackstageCredentials,
    entityRef: string,
    required: ResourcePermission<'catalog-entity'>[],
    optional: ResourcePermission<'catalog-entity'>[] = [],
  ): Promise<{ entity: Entity; granted: boolean[] }> {
    const asked = [...required, ...optional];
    const [decided, read] = await Promise.allSettled([
      asked.length > 0 ? this.allowed(credentials, entityRef, asked) : [],
      this.o.catalog.getEntityByRef(entityRef, { credentials }),
    ]);
    if (decided.status === 'rejected') throw decided.reason;
    const allowed = decided.value;
    const denied = required.find((_, i) => !allowed[i]);
    if (denied) {
      throw new NotAllowedError(notAllowed(denied, entityRef));
    }
    if (read.status === 'rejected') throw read.reason;
    const entity = read.value;
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    return { entity, granted: allowed.slice(required.length) };
  }

  private locate(entity: Entity, address: ObjectAddress): LocatedLink {
    const located = this.o.promotion.locate(entity, address);
    if (!located) {
      throw new NotFoundError(
        `${address.plural}.${address.group} ${address.namespace}/${address.name} in cluster ${address.cluster} is not part of the promotion view of this entity`,
      );
    }
    return located;
  }

  /**
   * The entity whose objects are read (`gitops-promotion.view`), and
   * whether their values may be (`gitops-promotion.values.read`): one
   * permission call.
   */
  private async readable(
    caller: Caller,
    entityRef: string,
  ): Promise<{ entity: Entity; values: boolean }> {
    const credentials = await this.credentials(caller);
    const {
      entity,
      granted: [values],
    } = await this.entity(
      credentials,
      entityRef,
      [gitopsPromotionViewPermission],
      [gitopsPromotionValuesReadPermission],
    );
    return { entity, values };
  }

  /** A located object that may be read: inside its environment's namespaces. */
  private inBounds(entity: Entity, address: ObjectAddress): LocatedLink {
    const located = this.locate(entity, address);
    if (located.outside) throw new NotAllowedError(located.outside);
    return located;
  }
}
