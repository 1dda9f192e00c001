import { toError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  ClusterChange,
  PROMOTION_CHANGES_CHANNEL,
  PromotionChangesSignal,
} from '@gitops-promotion/backstage-plugin-common';
import {
  changesWithin,
  ViewReads,
} from '@gitops-promotion/backstage-plugin-common/server';

/** Past this many namespaces a cluster's change is sent as cluster-wide. */
const MAX_NAMESPACES = 50;

/**
 * How long a view a user asked for keeps them told of its changes. Open
 * tabs ask again at least every poll interval (10 s by default).
 */
export const VIEW_INTEREST_MS = 10 * 60_000;

/** Cluster → namespaces changed; `undefined` for anything in the cluster. */
type Changes = Map<string, Set<string> | undefined>;

function add(changes: Changes, cluster: string, namespace?: string): void {
  const known = changes.has(cluster);
  const namespaces = changes.get(cluster);
  if (!namespace) {
    changes.set(cluster, undefined);
  } else if (!known) {
    changes.set(cluster, new Set([namespace]));
  } else if (namespaces) {
    namespaces.add(namespace);
    if (namespaces.size > MAX_NAMESPACES) changes.set(cluster, undefined);
  }
}

function toList(changes: Changes): ClusterChange[] {
  return [...changes]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cluster, namespaces]) =>
      namespaces
        ? { cluster, namespaces: [...namespaces].sort() }
        : { cluster },
    );
}

/**
 * Tells the users with an open Promotion tab that what it shows changed,
 * so the tab asks again at once instead of at its next poll. Changes are
 * coalesced: at most one signal per user per interval. Each user is told
 * only of changes in the clusters and namespaces their views of the last
 * {@link VIEW_INTEREST_MS} read, which the view permission let them see,
 * so the signal reveals nothing beyond it. A plain timer rather than the
 * scheduler service: it is armed only by a change and belongs to this
 * replica's caches, where scheduled tasks are periodic and coordinated
 * across replicas.
 */
export class ChangeSignals {
  private pending: Changes = new Map();
  /** User entity ref → entity ref → what its view reads, and until when. */
  private readonly interest = new Map<
    string,
    Map<string, { reads: ViewReads; until: number }>
  >();
  private timer?: ReturnType<typeof setTimeout>;
  private failing = false;

  constructor(
    private readonly signals: SignalsService,
    private readonly logger: LoggerService,
    private readonly intervalMs = 1000,
  ) {}

  /** A user was shown an entity's view that reads `reads`. */
  noteView(userRef: string, entityRef: string, reads: ViewReads): void {
    const views = this.interest.get(userRef) ?? new Map();
    views.set(entityRef, { reads, until: Date.now() + VIEW_INTEREST_MS });
    this.interest.set(userRef, views);
  }

  record(cluster: string, namespace?: string): void {
    add(this.pending, cluster, namespace);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Sends what is pending now; called by the timer. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const changes = toList(this.pending);
    this.pending = new Map();

    // Users told the same changes share one signal.
    const byMessage = new Map<
      string,
      { changes: ClusterChange[]; users: string[] }
    >();
    for (const [user, changesForUser] of this.changesByUser(changes)) {
      const key = JSON.stringify(changesForUser);
      const group = byMessage.get(key) ?? {
        changes: changesForUser,
        users: [],
      };
      group.users.push(user);
      byMessage.set(key, group);
    }
    try {
      for (const group of byMessage.values()) {
        await this.signals.publish<PromotionChangesSignal>({
          recipients: { type: 'user', entityRef: group.users },
          channel: PROMOTION_CHANGES_CHANNEL,
          message: { changes: group.changes },
        });
      }
      if (this.failing) this.logger.info('Change signals are sent again');
      this.failing = false;
    } catch (e) {
      // Tabs still poll: a lost signal only delays what they show.
      if (!this.failing) {
        this.logger.warn(
          `Cannot send change signals (${
            toError(e).message
          }); open Promotion tabs fall back to polling`,
        );
      }
      this.failing = true;
    }
  }

  /** Each user's share of the changes, through the views they still look at; forgets the others. */
  private changesByUser(
    changes: ClusterChange[],
  ): Map<string, ClusterChange[]> {
    const now = Date.now();
    const result = new Map<string, ClusterChange[]>();
    for (const [user, views] of this.interest) {
      const mine: Changes = new Map();
      for (const [entityRef, { reads, until }] of views) {
        if (until < now) {
          views.delete(entityRef);
          continue;
        }
        for (const c of changesWithin(reads, changes)) {
          if (!c.namespaces) add(mine, c.cluster);
          else c.namespaces.forEach(n => add(mine, c.cluster, n));
        }
      }
      if (views.size === 0) this.interest.delete(user);
      if (mine.size > 0) result.set(user, toList(mine));
    }
    return result;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    this.interest.clear();
  }
}
