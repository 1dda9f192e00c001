import { setImmediate as nextTurn } from 'node:timers/promises';
import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { toError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  hasPromotionAnnotations,
  PromotionView,
} from '@gitops-promotion/backstage-plugin-common';
import {
  decideNotification,
  NotificationState,
  observeEnvironment,
} from '@gitops-promotion/backstage-plugin-common/server';
import { annotatedEntities } from '../catalog/annotatedEntities';
import { NotificationOptions } from '../config/notificationOptions';
import { notificationPayload, notificationScope } from './notificationPayload';
import {
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
    for await (const page of annotatedEntities(catalog, credentials, {
      fields: [
        'kind',
        'metadata.namespace',
        'metadata.name',
        'metadata.annotations',
      ],
      pageSize: PAGE_SIZE,
    })) {
      for (const entity of page) {
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
    await this.forgetUnseen(stored, seen, now);
    return result;
  }

  /**
   * Scopes no row of any entity showed: the workload was removed from
   * every environment, its entity from the catalog (or its annotations),
   * or its environment stopped notifying. Unseen for a day, they are
   * forgotten as an absent workload is, so a failure told before and
   * redeployed is told again. A day, not the delay: a row is also missing
   * while a cluster has not answered since the backend started, and
   * forgetting then would tell its failures again.
   */
  private async forgetUnseen(
    stored: Map<string, StoredNotificationState>,
    seen: Set<string>,
    now: Date,
  ) {
    const { options, store } = this.deps;
    for (const [scope, previous] of stored) {
      if (seen.has(scope)) continue;
      const { state } = decideNotification({
        previous: previous.state,
        observation: { condition: 'absent' },
        mode: 'failures',
        timing: { ...options, delayMs: Math.max(options.delayMs, UNSEEN_MS) },
        now,
      });
      if (!state) {
        await store.remove(scope, previous.revision);
      } else if (state !== previous.state) {
        const { entityRef, environment } = previous;
        await store.write(
          { scope, entityRef, environment },
          state,
          previous.revision,
          now,
        );
      }
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
        if (!decision.state) {
          // Absent long enough: a later deployment starts afresh.
          if (previous) await this.deps.store.remove(scope, previous.revision);
          continue;
        }
        if (decision.state === previous?.state) continue;
        const where = { scope, entityRef, environment: environment.name };
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
        if (!decision.send) continue;
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
        try {
          await this.deps.notifications.send({
            recipients: { type: 'entity', entityRef },
            payload,
          });
          result.sent++;
        } catch (error) {
          result.failed++;
          await this.restore(where, previous?.state, previous?.revision);
          result.error ??= `"${payload.title}" to the owners of ${entityRef}: ${error}`;
        }
      }
    }
  }

  /** Puts back the state read before a notification that was not sent. */
  private async restore(
    where: { scope: string; entityRef: string; environment: string },
    previous: NotificationState | undefined,
    revision: number | undefined,
  ) {
    const written = (revision ?? 0) + 1;
    if (previous) {
      await this.deps.store.write(where, previous, written, new Date());
    } else {
      await this.deps.store.remove(where.scope, written);
    }
  }
}
