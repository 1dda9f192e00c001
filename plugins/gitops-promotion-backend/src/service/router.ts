import { createHash } from 'node:crypto';
import express from 'express';
import Router from 'express-promise-router';
import {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Entity } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  gitopsPromotionReconcilePermission,
  gitopsPromotionViewPermission,
  OBJECT_ACTIONS,
  ObjectAction,
  ObjectRef,
  PromotionView,
} from '@gitops-promotion/backstage-plugin-common';
import {
  findKindByPlural,
  isDnsLabel,
  isDnsSubdomain,
  readsOfView,
} from '@gitops-promotion/backstage-plugin-common/server';
import { ObjectActions } from '../actions/ObjectActions';
import { ChangeSignals } from '../signals/ChangeSignals';
import { ObjectDetailsService } from '../view/ObjectDetailsService';
import { PromotionService } from '../view/PromotionService';
import { parseEntityParams, parseEntityRefParam } from './params';

export interface RouterOptions {
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  promotion: PromotionService;
  objects: ObjectDetailsService;
  actions: ObjectActions;
  changes: ChangeSignals;
}

/**
 * A view as JSON and its strong ETag, which leaves out the time the view was
 * built. One serialization serves both: generatedAt is the view's last
 * field, so the body is the same bytes JSON.stringify(view) gives.
 */
function serializeView(view: PromotionView): { body: string; etag: string } {
  const { generatedAt, ...rest } = view;
  const json = JSON.stringify(rest);
  const etag = `"${createHash('sha1').update(json).digest('base64url')}"`;
  const body = `${json.slice(0, -1)},"generatedAt":${JSON.stringify(
    generatedAt,
  )}}`;
  return { body, etag };
}

function objectRefParams(
  params: Record<string, string>,
): Omit<ObjectRef, 'kind'> {
  const { cluster, group, version, plural, namespace, name } = params;
  const kind = findKindByPlural(group, plural);
  if (!kind) {
    throw new InputError(`${plural}.${group} is not a kind this plugin reads`);
  }
  if (!kind.versions.includes(version)) {
    throw new InputError(
      `${
        kind.kind
      } is not read at version "${version}"; use one of ${kind.versions.join(
        ', ',
      )}`,
    );
  }
  if (!isDnsLabel(namespace)) {
    throw new InputError(`"${namespace}" is not a valid namespace`);
  }
  if (!isDnsSubdomain(name)) {
    throw new InputError(`"${name}" is not a valid object name`);
  }
  return { cluster, group, version, plural, namespace, name };
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    auth,
    httpAuth,
    permissions,
    catalog,
    promotion,
    objects,
    actions,
    changes,
  } = options;
  const router = Router();
  router.use(express.json());

  /** Checks the permission on the entity, then reads it from the catalog as the caller. */
  async function authorizedEntity(
    req: express.Request,
    entityRef: string,
    permission: ResourcePermission<'catalog-entity'>,
  ): Promise<{ entity: Entity; credentials: BackstageCredentials }> {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${permission.name} on ${entityRef}`,
      );
    }
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    return { entity, credentials };
  }

  router.get(
    '/v1/entities/:namespace/:kind/:name/promotion',
    async (req, res) => {
      const entityRef = parseEntityParams(req.params);
      const { entity, credentials } = await authorizedEntity(
        req,
        entityRef,
        gitopsPromotionViewPermission,
      );
      const view = promotion.view(entity);
      if (auth.isPrincipal(credentials, 'user')) {
        changes.noteView(
          credentials.principal.userEntityRef,
          entityRef,
          readsOfView(view),
        );
      }
      const { body, etag } = serializeView(view);
      res.setHeader('ETag', etag);
      res.setHeader('Cache-Control', 'private, no-cache');
      if (req.headers['if-none-match'] === etag) {
        res.status(304).end();
        return;
      }
      res.type('json').send(body);
    },
  );

  router.get(
    '/v1/clusters/:cluster/objects/:group/:version/:plural/:namespace/:name',
    async (req, res) => {
      const ref = objectRefParams(req.params);
      const entityRef = parseEntityRefParam(req.query.entity);
      const { entity } = await authorizedEntity(
        req,
        entityRef,
        gitopsPromotionViewPermission,
      );
      res.json(await objects.details(entity, ref));
    },
  );

  router.post(
    '/v1/entities/:namespace/:kind/:name/actions/:action',
    async (req, res) => {
      const entityRef = parseEntityParams(req.params);
      const action = req.params.action as ObjectAction;
      if (!OBJECT_ACTIONS.includes(action)) {
        throw new InputError(
          `Unknown action "${
            req.params.action
          }"; use one of ${OBJECT_ACTIONS.join(', ')}`,
        );
      }
      const body = req.body?.ref;
      if (!body || typeof body !== 'object') {
        throw new InputError(
          'The body must be { "ref": ObjectRef } naming the object to act on',
        );
      }
      const ref = objectRefParams(
        Object.fromEntries(
          ['cluster', 'group', 'version', 'plural', 'namespace', 'name'].map(
            k => [k, String(body[k] ?? '')],
          ),
        ),
      );
      const { entity } = await authorizedEntity(
        req,
        entityRef,
        gitopsPromotionReconcilePermission,
      );
      res.status(202).json(await actions.run(action, entity, ref, req));
    },
  );

  return router;
}
