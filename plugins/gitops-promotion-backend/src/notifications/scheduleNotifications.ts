import {
  AuthService,
  DatabaseService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { PromotionView } from '@gitops-promotion/backstage-plugin-common';
import { NotificationOptions } from '../config/notificationOptions';
import { NotificationStore } from './NotificationStore';
import { PromotionNotifier } from './PromotionNotifier';

/** The scheduled task's id, for `scheduler.triggerTask`. */
export const NOTIFICATIONS_TASK_ID = 'gitops-promotion-notifications';

// A healthy scope's state matters for the interval bound and as the
// baseline of changes; a week without a write means neither is at stake.
const STATE_RETENTION_MS = 7 * 24 * 3600_000;

/**
 * Schedules the notification check every 30 seconds as a global task:
 * with several replicas sharing the database, one of them runs it at a
 * time (and a scope's state is written only over the one read, so a
 * change is told once even if two ran). Nothing is scheduled when
 * notifications are disabled or no environment notifies.
 */
export async function scheduleNotifications(deps: {
  auth: AuthService;
  catalog: CatalogService;
  notifications: NotificationService;
  database: DatabaseService;
  scheduler: SchedulerService;
  logger: LoggerService;
  view: (entity: Entity) => PromotionView;
  options: NotificationOptions;
}): Promise<void> {
  const { options, logger } = deps;
  const notifying = [...options.environments]
    .filter(([, e]) => e.mode !== 'none')
    .map(([name, e]) => `${name} (${e.mode})`);
  if (!options.enabled || notifying.length === 0) {
    logger.info(
      `gitops-promotion notifications are off: ${
        options.enabled
          ? 'no environment notifies (gitopsPromotion.environments[].notify)'
          : 'gitopsPromotion.notifications.enabled is false'
      }`,
    );
    return;
  }
  const store = await NotificationStore.create(deps.database);
  const changesEnvironments = new Set(
    [...options.environments]
      .filter(([, e]) => e.mode === 'changes')
      .map(([name]) => name),
  );
  const notifier = new PromotionNotifier({ ...deps, store });
  logger.info(
    `gitops-promotion notifies the owners of failing workloads in ${notifying.join(
      ', ',
    )}`,
  );
  await deps.scheduler.scheduleTask({
    id: NOTIFICATIONS_TASK_ID,
    scope: 'global',
    frequency: { seconds: 30 },
    timeout: { minutes: 5 },
    // Lets the watch caches fill before the first check.
    initialDelay: { seconds: 30 },
    fn: async () => {
      const check = await notifier.check();
      if (check.failed > 0) {
        logger.warn(
          `gitops-promotion could not send ${check.failed} notification(s); the next check tries again. First: ${check.error}. Is the notifications backend (@backstage/plugin-notifications-backend) installed? Without it, set gitopsPromotion.notifications.enabled: false.`,
        );
      }
      if (check.unchecked) {
        logger.warn(
          `gitops-promotion could not check ${check.unchecked.count} entities for notifications; the others were checked. First: ${check.unchecked.firstError}`,
        );
      }
      if (check.sent > 0) {
        logger.info(
          `gitops-promotion sent ${check.sent} notification(s) over ${check.entities} entities`,
        );
      }
      await store.deleteHealthyBefore(
        new Date(Date.now() - STATE_RETENTION_MS),
        changesEnvironments,
      );
    },
  });
}
