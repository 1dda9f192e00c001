import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError, toError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { LocatedLink } from '@gitops-promotion/backstage-plugin-common/server';
import { PromotionService } from '../view/PromotionService';
import { Caller } from './caller';
import { ObjectAddress } from './params';

export interface EntityAccessOptions {
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  promotion: PromotionService;
}

export const USER_ONLY =
  'Actions are taken only for a signed-in user: other plugins and external access tokens may not reconcile, suspend or resume';

export const notAllowed = (permission: { name: string }, entityRef: string) =>
  `Not allowed: ${permission.name} on ${entityRef}`;

/**
 * The first step of every entry point of the authorized services: who the
 * caller is, the entity as the caller may read it with the permissions
 * asked on it, and an object of its view.
 */
export class EntityAccess {
  constructor(private readonly o: EntityAccessOptions) {}

  async credentials(caller: Caller): Promise<BackstageCredentials> {
    return 'request' in caller
      ? this.o.httpAuth.credentials(caller.request)
      : caller.credentials;
  }

  /** Actions are taken for a signed-in user only: no service principal bypasses the policy. */
  async userCredentials(
    caller: Caller,
  ): Promise<BackstageCredentials<BackstageUserPrincipal>> {
    if (!('request' in caller)) {
      if (this.isUser(caller.credentials)) return caller.credentials;
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

  isUser(
    credentials: BackstageCredentials,
  ): credentials is BackstageCredentials<BackstageUserPrincipal> {
    return this.o.auth.isPrincipal(credentials, 'user');
  }

  /**
   * Checks permissions on the entity and reads it from the catalog as the
   * caller; `optional` permissions are asked in the same call and answered.
   * The two requests go out together (each is a round trip through the
   * permission and catalog backends), and a denial wins over whatever the
   * catalog answered: the caller learns nothing of an entity it may not see.
   */
  async entity(
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

  /** An object of the entity's view, or 404 saying it is not one. */
  locate(entity: Entity, address: ObjectAddress): LocatedLink {
    const located = this.o.promotion.locate(entity, address);
    if (!located) {
      throw new NotFoundError(
        `${address.plural}.${address.group} ${address.namespace}/${address.name} in cluster ${address.cluster} is not part of the promotion view of this entity`,
      );
    }
    return located;
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
}
