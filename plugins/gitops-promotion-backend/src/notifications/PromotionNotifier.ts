import { setImmediate as nextTurn } from 'node:timers/promises';
import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  getCompoundEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { toError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationPayload } from '@backstage/plugin-notifications-common';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  hasPromotionAnnotations,
  PromotionView,
} from '@gitops-promotion/backstage-plugin-common';
import {
  decideNotification,
  NotificationDecision,
  observeEnvironment,
} from '@gitops-promotion/backstage-plugin-common/server';
import { annotatedEntities } from '../catalog/annotatedEntities';
import { NotificationOptions } from '../config/notificationOptions';
import {
  endedPayload,
  notificationPayload,
  notificationScope,
} from './notificationPayload';
import {
  NotificationScope,
  NotificationStore,
  StoredNotificationState,
} from './NotificationStore';

/** Entities per catalog page. */
const PAGE_SIZE = 200;
/**
 * Entities checked between turns of the event loop: a check builds every
 * annotated entity's view (about 0.3 ms each at 20 clusters), which must
 * not hold page views for its whole length.
 */
const SLICE = 20;

/** What a check did, for the log and the tests. */
export interface NotifierCheck {
  entities: number;
  sent: number;
  /** Decisions another replica had written first: it sends. */
  lost: number;
  failed: number;
  /** Why the first notification that could not be sent was refused. */
  error?: string;
  /** Entities whose check failed, and why the first did (the others were checked). */
  unchecked?: { count: number; firstError: string };
}

/** How long a scope no entity shows is kept before it is forgotten. */
const UNSEEN_MS = 24 * 3600_000;

/**
 * Tells the owners of catalog entities when a workload of theirs fails in
 * an environment that notifies, recovers, or (mode `changes`) runs a new
 * version: the rules of `decideNotification` over the promotion view built
 * from the caches (no request to a cluster), each scope's state in the
 * plugin's database.
 *
 * A scope's new state is written before its notification is sent, and
 * only over the state read: of two replicas checking at once, the one
 * whose write wins sends. A notification the notifications backend refused
 * gives the scope its previous state back, so the next check tries again.
 */
export class PromotionNotifier {
  constructor(
    private readonly deps: {
      auth: AuthService;
      catalog: CatalogService;
      notifications: NotificationService;
      store: NotificationStore;
      view: (entity: Entity) => PromotionView;
      options: NotificationOptions;
    },
  ) {}

  /** One pass over every entity with promotion annotations. */
  async check(now = new Date()): Promise<NotifierCheck> {
    const { auth, catalog, store } = this.deps;
    const credentials = await auth.getOwnServiceCredentials();
    const stored = await store.readAll();
    const result: NotifierCheck = { entities: 0, sent: 0, lost: 0, failed: 0 };
    const seen = new Set<string>();
    const inCatalog = new Set<string>();
    for await (const page of annotatedEntities(catalog, credentials, {
      fields: [
        'kind',
        'metadata.namespace',
        'metadata.name',
        'metadata.annotations',
        'relations',
      ],
      pageSize: PAGE_SIZE,
    })) {
      for (const entity of page) {
        inCatalog.add(stringifyEntityRef(entity));
        if (!hasPromotionAnnotations(entity.metadata.annotations)) continue;
        result.entities++;
        try {
          await this.checkEntity(entity, stored, now, result, seen);
        } catch (error) {
          // Not checked is not unseen: its scopes stay as they are.
          const unchecked = stringifyEntityRef(entity);
          for (const [scope, { entityRef }] of stored) {
            if (entityRef === unchecked) seen.add(scope);
          }
          // One entity that cannot be checked must not silence the others.
          result.unchecked = {
            count: (result.unchecked?.count ?? 0) + 1,
            firstError:
              result.unchecked?.firstError ??
              `${stringifyEntityRef(entity)}: ${toError(error).message}`,
          };
        }
        if (result.entities % SLICE === 0) await nextTurn();
      }
    }
    await this.forgetUnseen(stored, seen, inCatalog, now, result);
    return result;
  }

  /**
   * Scopes no row of any entity showed: the workload was removed from
   * every environment, its entity from the catalog (or its annotations),
   * or its environment stopped notifying. Unseen for a day, they are
   * forgotten as an absent workload is (a failure told is ended by an
   * update), so a failure told before and redeployed is told again. A
   * day, not the delay: a row is also missing while a cluster has not
   * answered since the backend started, and forgetting then would tell its
   * failures again.
   */
  private async forgetUnseen(
    stored: Map<string, StoredNotificationState>,
    seen: Set<string>,
    inCatalog: Set<string>,
    now: Date,
    result: NotifierCheck,
  ) {
    const { options, store } = this.deps;
    for (const [scope, previous] of stored) {
      if (seen.has(scope)) continue;
      const { entityRef, environment, workload, recipients } = previous;
      // The owners kept too, should a refused send write the row back.
      const where = { scope, entityRef, environment, workload, recipients };
      const decision = decideNotification({
        previous: previous.state,
        observation: { condition: 'absent' },
        mode: 'failures',
        timing: { ...options, delayMs: Math.max(options.delayMs, UNSEEN_MS) },
        now,
      });
      if (decision.state) {
        if (decision.state !== previous.state) {
          await store.write(where, decision.state, previous.revision, now);
        }
        continue;
      }
      await this.forget(
        where,
        previous,
        decision,
        {
          why: 'unfollowed',
          name: environment,
          title: options.environments.get(environment)?.title ?? environment,
        },
        now,
        result,
        // Gone from the catalog, its ref resolves to no one: the owners it had.
        inCatalog.has(entityRef) || !recipients?.length
          ? undefined
          : recipients,
      );
    }
  }

  private async checkEntity(
    entity: Entity,
    stored: Map<string, StoredNotificationState>,
    now: Date,
    result: NotifierCheck,
    seen: Set<string>,
  ) {
    const { options } = this.deps;
    const entityRef = stringifyEntityRef(entity);
    // Kept with each scope: once the entity has left the catalog, its ref
    // resolves to no one, and the end of a failure told goes to them.
    const owners = (entity.relations ?? [])
      .filter(r => r.type === RELATION_OWNED_BY)
      .map(r => r.targetRef)
      .sort();
    const view = this.deps.view(entity);
    for (const row of view.workloads) {
      for (const [i, environment] of view.environments.entries()) {
        const settings = options.environments.get(environment.name);
        if (!settings || settings.mode === 'none') continue;
        const scope = notificationScope(entityRef, row.id, environment.name);
        seen.add(scope);
        const previous = stored.get(scope);
        const cell = row.cells[i];
        const decision = decideNotification({
          previous: previous?.state,
          observation: observeEnvironment(cell),
          mode: settings.mode,
          timing: options,
          now,
        });
        const where = {
          scope,
          entityRef,
          environment: environment.name,
          workload: row.name,
          recipients: owners,
        };
        if (!decision.state) {
          // Absent long enough: a later deployment starts afresh.
          if (previous) {
            await this.forget(
              where,
              previous,
              decision,
              {
                why: 'removed',
                name: environment.name,
                title: environment.title,
              },
              now,
              result,
            );
          }
          continue;
        }
        if (decision.state === previous?.state) continue;
        const won = await this.deps.store.write(
          where,
          decision.state,
          previous?.revision,
          now,
        );
        if (!won) {
          result.lost++;
          continue;
        }
        if (!decision.send || decision.send === 'ended') continue;
        const payload = notificationPayload(
          {
            entity: getCompoundEntityRef(entity),
            entityRef,
            row,
            environment,
            cell,
            severity: settings.severity,
            tabPath: options.tabPath,
          },
          {
            kind: decision.send,
            since: decision.since ?? decision.state.since,
            failingSince: previous?.state.sent?.since,
          },
        );
        await this.send(
          where,
          payload,
          previous,
          (previous?.revision ?? 0) + 1,
          result,
        );
      }
    }
  }

  /**
   * Forgets a scope whose workload left (deleted over the revision read:
   * of two replicas, the one whose delete wins goes on) and, when that
   * ends a failure told, sends the update that says so.
   */
  private async forget(
    where: NotificationScope,
    previous: StoredNotificationState,
    decision: NotificationDecision,
    ended: { why: 'removed' | 'unfollowed'; name: string; title: string },
    now: Date,
    result: NotifierCheck,
    to?: string[],
  ) {
    if (!(await this.deps.store.remove(where.scope, previous.revision))) {
      result.lost++;
      return;
    }
    if (decision.send !== 'ended') return;
    const payload = endedPayload({
      why: ended.why,
      entityRef: where.entityRef,
      scope: where.scope,
      workload: where.workload,
      environment: { name: ended.name, title: ended.title },
      since: decision.since ?? now.toISOString(),
      toldAt: previous.state.sent?.at,
      tabPath: this.deps.options.tabPath,
    });
    await this.send(where, payload, previous, undefined, result, to);
  }

  /**
   * Sends a notification decided and written, to the entity's owners
   * (`to`: the entity, or the owners it had once it left the catalog).
   * Refused, the scope's state read before goes back (at `written`, the
   * revision the decision wrote; undefined: the decision deleted the
   * row), so the next check tries again.
   */
  private async send(
    where: NotificationScope,
    payload: NotificationPayload,
    previous: StoredNotificationState | undefined,
    written: number | undefined,
    result: NotifierCheck,
    to: string | string[] = where.entityRef,
  ) {
    const { entityRef } = where;
    try {
      await this.deps.notifications.send({
        recipients: { type: 'entity', entityRef: to },
        payload,
      });
      result.sent++;
    } catch (error) {
      result.failed++;
      result.error ??= `"${payload.title}" to the owners of ${entityRef}: ${error}`;
      if (previous) {
        await this.deps.store.write(where, previous.state, written, new Date());
      } else if (written !== undefined) {
        await this.deps.store.remove(where.scope, written);
      }
    }
  }
}
