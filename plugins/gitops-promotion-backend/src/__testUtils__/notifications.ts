import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { NOTIFICATIONS_TASK_ID } from '../notifications/scheduleNotifications';

/**
 * What the plugin's notification check sends, recorded, and a way to run
 * the check now: `features` go into startTestBackend (a notifications
 * service that records, a module of the plugin that hands out its
 * scheduler).
 */
export class NotificationsUnderTest {
  readonly sent: NotificationSendOptions[] = [];
  private scheduler?: SchedulerService;

  /** The features to start a backend with; `record: false` keeps the real notifications service. */
  features(options: { record?: boolean } = {}) {
    const schedulerModule = createBackendModule({
      pluginId: 'gitops-promotion',
      moduleId: 'test-scheduler',
      register: env => {
        env.registerInit({
          deps: { scheduler: coreServices.scheduler },
          init: async ({ scheduler }) => {
            this.scheduler = scheduler;
          },
        });
      },
    });
    const recording = createServiceFactory({
      service: notificationService,
      deps: {},
      factory: () => ({
        send: async (n: NotificationSendOptions) => {
          this.sent.push(n);
        },
      }),
    });
    return options.record === false
      ? [schedulerModule]
      : [schedulerModule, recording];
  }

  /**
   * Runs the check now and returns when it has ended: the test backend's
   * scheduler (backend-test-utils' MockSchedulerService) runs a triggered
   * task at once and awaits it. Backstage's own scheduler refuses a
   * trigger while the task runs (ConflictError): then this tries again.
   */
  async check(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await this.scheduler!.triggerTask(NOTIFICATIONS_TASK_ID);
        return;
      } catch (error) {
        // ConflictError: the task is running; try again shortly.
        if (Date.now() > deadline) throw error;
        await new Promise(r => setTimeout(r, 200));
      }
    }
  }
}
