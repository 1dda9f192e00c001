import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  ClusterChange,
  PROMOTION_CHANGES_CHANNEL,
  PromotionChangesSignal,
} from '@gitops-promotion/backstage-plugin-common';

/** Past this many namespaces a cluster's change is sent as cluster-wide. */
const MAX_NAMESPACES = 50;

/**
 * Announces cache changes on the signals channel so open Promotion tabs ask
 * again at once instead of at their next poll. Changes are coalesced: at
 * most one broadcast per interval, naming the clusters and namespaces that
 * changed, so a busy fleet costs each open tab at most one request (a 304
 * when its view did not change) per interval. A plain timer rather than the
 * scheduler service: it is armed only by a change and belongs to this
 * replica's caches, where scheduled tasks are periodic and coordinated
 * across replicas.
 */
export class ChangeSignals {
  /** Cluster → namespaces changed; `undefined` for anything in the cluster. */
  private pending = new Map<string, Set<string> | undefined>();
  private timer?: ReturnType<typeof setTimeout>;
  private failing = false;

  constructor(
    private readonly signals: SignalsService,
    private readonly logger: LoggerService,
    private readonly intervalMs = 1000,
  ) {}

  record(cluster: string, namespace?: string): void {
    const known = this.pending.has(cluster);
    const namespaces = this.pending.get(cluster);
    if (!namespace) {
      this.pending.set(cluster, undefined);
    } else if (!known) {
      this.pending.set(cluster, new Set([namespace]));
    } else if (namespaces) {
      namespaces.add(namespace);
      if (namespaces.size > MAX_NAMESPACES)
        this.pending.set(cluster, undefined);
    }
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Sends what is pending now; called by the timer. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const changes: ClusterChange[] = [...this.pending].map(
      ([cluster, namespaces]) =>
        namespaces
          ? { cluster, namespaces: [...namespaces].sort() }
          : { cluster },
    );
    this.pending = new Map();
    try {
      await this.signals.publish<PromotionChangesSignal>({
        recipients: { type: 'broadcast' },
        channel: PROMOTION_CHANGES_CHANNEL,
        message: { changes },
      });
      if (this.failing) this.logger.info('Change signals are sent again');
      this.failing = false;
    } catch (e) {
      // Tabs still poll: a lost signal only delays what they show.
      if (!this.failing) {
        this.logger.warn(
          `Cannot send change signals (${
            (e as Error).message
          }); open Promotion tabs fall back to polling`,
        );
      }
      this.failing = true;
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
