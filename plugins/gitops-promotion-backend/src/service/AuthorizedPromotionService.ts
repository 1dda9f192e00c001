import {
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { NotAllowedError, NotFoundError, toError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CellDetail,
  gitopsPromotionValuesReadPermission,
  gitopsPromotionViewPermission,
  ObjectDetails,
  OverviewUnavailableEntity,
  PromotionOverview,
  PromotionView,
  PromotionViewSummary,
  ValuesComparison,
} from '@gitops-promotion/backstage-plugin-common';
import {
  buildPromotionOverview,
  entityTitle,
  changedKeys,
  LocatedLink,
  readsOfView,
  redactSecrets,
  summarizeView,
} from '@gitops-promotion/backstage-plugin-common/server';
import { annotatedEntities } from '../catalog/annotatedEntities';
import { valuesDigest } from '../cache/slim';
import { overviewNarrowing } from '../overview/overviewScope';
import { ChangeSignals } from '../signals/ChangeSignals';
import { ObjectDetailsService } from '../view/ObjectDetailsService';
import { PromotionService } from '../view/PromotionService';
import {
  clip,
  PromotionAuditing,
  requestedEntity,
  requestedObject,
} from './auditing';
import { Caller } from './caller';
import { EntityAccess } from './EntityAccess';
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
  access: EntityAccess;
  auditing: PromotionAuditing;
  permissions: PermissionsService;
  logger: LoggerService;
  catalog: CatalogService;
  promotion: PromotionService;
  objects: ObjectDetailsService;
  changes: ChangeSignals;
}

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

/** How much of the catalog an overview reads, and how many rows it answers. */
export interface OverviewBounds {
  /** Catalog entities per page (one permission decision each). */
  batchSize: number;
  /** Entities read at most. */
  maxEntities: number;
  /**
   * Rows past which no further entity is read: one entity's view has up
   * to MAX_VIEW_WORKLOADS of them, so entities alone do not bound it.
   */
  maxRows: number;
}

/** Entity views built between two turns of the event loop. */
const VIEW_SLICE = 20;

/**
 * Every read of the HTTP API and the actions registry, each deciding who
 * may see what before anything else happens: the router only maps HTTP to
 * these calls, so a new route cannot skip them (the pattern of the
 * catalog's AuthorizedEntitiesCatalog; reconcile, suspend and resume go
 * through AuthorizedObjectActions). Object reads are audited from the
 * first step, so refused (403) attempts are too; requests whose form the
 * OpenAPI spec rejects never reach a handler and are audited by the
 * router's error path (PromotionAuditing.rejected).
 */
export class AuthorizedPromotionService {
  constructor(private readonly o: AuthorizedPromotionServiceOptions) {}

  /** The promotion view: `gitops-promotion.view` on the entity. */
  async view(caller: Caller, params: EntityParams): Promise<PromotionView> {
    const entityRef = entityRefOf(params);
    const credentials = await this.o.access.credentials(caller);
    const { entity } = await this.o.access.entity(credentials, entityRef, [
      gitopsPromotionViewPermission,
    ]);
    const view = this.o.promotion.view(entity);
    if (this.o.access.isUser(credentials)) {
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
    const credentials = await this.o.access.credentials(caller);
    const { entity } = await this.o.access.entity(credentials, entityRef, [
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
   * at most `maxEntities` in all (none more once `maxRows` rows are
   * built), and `gitops-promotion.view` is asked once per page for all
   * its entities; entities not allowed are left out, and those whose view
   * cannot be built are `unavailable` (logged).
   */
  async views(
    caller: Caller,
    narrowing: Record<string, string | string[]>,
    bounds: OverviewBounds,
  ): Promise<{
    entries: Array<{ entity: Entity; view: PromotionView }>;
    unavailable: OverviewUnavailableEntity[];
    truncated: boolean;
  }> {
    const credentials = await this.o.access.credentials(caller);
    const entries: Array<{ entity: Entity; view: PromotionView }> = [];
    const unavailable: OverviewUnavailableEntity[] = [];
    const answer = (truncated: boolean) => ({
      entries,
      unavailable,
      truncated,
    });
    let seen = 0;
    let rows = 0;
    let built = 0;
    for await (const page of annotatedEntities(this.o.catalog, credentials, {
      narrowing,
      fields: VIEWED_FIELDS,
      pageSize: bounds.batchSize,
    })) {
      if (seen === bounds.maxEntities) return answer(true);
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
      for (const [i, entity] of entities.entries()) {
        if (decisions[i].result !== AuthorizeResult.ALLOW) continue;
        // Rows, not only entities, bound an answer: an entity selects up
        // to MAX_VIEW_WORKLOADS workloads.
        if (rows >= bounds.maxRows) return answer(true);
        // A view not in the memo walks chains: other requests go between.
        if (++built % VIEW_SLICE === 0) await nextTurn();
        // One entity's failure must not cost everyone the overview.
        try {
          const view = this.o.promotion.view(entity);
          entries.push({ entity, view });
          rows += view.workloads.length;
        } catch (e) {
          const error = toError(e);
          const entityRef = stringifyEntityRef(entity);
          this.o.logger.error(
            `The promotion view of ${entityRef} could not be built`,
            error,
          );
          unavailable.push({
            entityRef,
            title: entityTitle(entity),
            message: `Its promotion view could not be built (${error.name}); the backend's log has the cause.`,
          });
        }
      }
      if (entities.length < page.length) return answer(true);
    }
    return answer(false);
  }

  /**
   * The promotion overview of the components a Group owns (with its child
   * groups) or a System contains, or of every component the caller may
   * view when no scope is given: the entities as {@link views} reads them,
   * compact rows from the caches (no cluster request). `also` narrows the
   * catalog's read further (a Group's components in one system), so the
   * counts describe what is listed.
   */
  async overview(
    caller: Caller,
    scope: EntityParams | undefined,
    bounds: OverviewBounds,
    also: Record<string, string> = {},
  ): Promise<PromotionOverview> {
    const credentials = await this.o.access.credentials(caller);
    let narrowing: Record<string, string | string[]> = {};
    if (scope) {
      const { entity } = await this.o.access.entity(
        credentials,
        entityRefOf(scope),
        [],
      );
      narrowing = await overviewNarrowing(
        this.o.catalog,
        credentials,
        entity,
        this.o.logger,
      );
    }
    const { entries, unavailable, truncated } = await this.views(
      { credentials },
      { kind: 'component', ...narrowing, ...also },
      bounds,
    );
    return buildPromotionOverview({
      environments: this.o.promotion.environments,
      entries,
      unavailable,
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
    return this.o.auditing.run(
      caller,
      'getObjectDetails',
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
   * The recent events of one object of the entity's chains (audited
   * `object-read`, queryType `events`): `gitops-promotion.view`, the object
   * inside its environment's namespaces; the object itself is not read.
   */
  async objectEvents(
    caller: Caller,
    params: EntityParams & ObjectParams,
  ): Promise<ObjectDetails['events']> {
    return this.o.auditing.run(
      caller,
      'getObjectDetails',
      {
        queryType: 'events',
        ...requestedEntity(params),
        ...requestedObject(params),
      },
      async note => {
        const address = parseObjectParams(params);
        const credentials = await this.o.access.credentials(caller);
        const { entity } = await this.o.access.entity(
          credentials,
          entityRefOf(params),
          [gitopsPromotionViewPermission],
        );
        const located = this.inBounds(entity, address);
        note({ kind: located.link.ref.kind, environment: located.environment });
        return this.o.objects.events(located, address.version);
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
    return this.o.auditing.run(
      caller,
      'compareValues',
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
   * The entity whose objects are read (`gitops-promotion.view`), and
   * whether their values may be (`gitops-promotion.values.read`): one
   * permission call.
   */
  private async readable(
    caller: Caller,
    entityRef: string,
  ): Promise<{ entity: Entity; values: boolean }> {
    const credentials = await this.o.access.credentials(caller);
    const {
      entity,
      granted: [values],
    } = await this.o.access.entity(
      credentials,
      entityRef,
      [gitopsPromotionViewPermission],
      [gitopsPromotionValuesReadPermission],
    );
    return { entity, values };
  }

  /** A located object that may be read: inside its environment's namespaces. */
  private inBounds(entity: Entity, address: ObjectAddress): LocatedLink {
    const located = this.o.access.locate(entity, address);
    if (located.outside) throw new NotAllowedError(located.outside);
    return located;
  }
}
