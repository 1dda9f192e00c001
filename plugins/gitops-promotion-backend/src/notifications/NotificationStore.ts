import { createHash } from 'node:crypto';
import { DatabaseService } from '@backstage/backend-plugin-api';
import { NotificationState } from '@gitops-promotion/backstage-plugin-common/server';
import { Knex } from 'knex';
import { migrateDatabase } from '../database/migrateDatabase';

const TABLE = 'gitops_promotion_notifications';

/** A scope's state as read, with the revision a write must name. */
export interface StoredNotificationState {
  state: NotificationState;
  revision: number;
  entityRef: string;
  environment: string;
  /** The workload's name; absent in a row written before it was kept. */
  workload?: string;
  /** The owners its notifications went to; absent in a row written before they were kept. */
  recipients?: string[];
}

/** Where a scope belongs, for the rows (and their cleanup). */
export interface NotificationScope {
  scope: string;
  entityRef: string;
  environment: string;
  /** What an update names once no view shows the workload. */
  workload?: string;
  /** The entity's owners (entity refs): who an update goes to once the entity has left the catalog. */
  recipients?: string[];
}

interface Row {
  key: string;
  scope: string;
  entity_ref: string;
  environment: string;
  workload: string | null;
  recipients: string | null;
  state: string;
  revision: number;
  updated_at: Date | string | number;
}

const keyOf = (scope: string) =>
  createHash('sha256').update(scope).digest('hex');

/**
 * The notification state of each scope in the plugin's database. A write
 * succeeds only over the revision it read, so of two replicas deciding on
 * the same change one writes (and sends), the other is told it lost.
 */
export class NotificationStore {
  private constructor(private readonly db: Knex) {}

  static async create(database: DatabaseService): Promise<NotificationStore> {
    return new NotificationStore(await migrateDatabase(database));
  }

  /** Every stored state, by scope. */
  async readAll(): Promise<Map<string, StoredNotificationState>> {
    const rows: Row[] = await this.db<Row>(TABLE).select(
      'scope',
      'entity_ref',
      'environment',
      'workload',
      'recipients',
      'state',
      'revision',
    );
    return new Map(
      rows.map(r => [
        r.scope,
        {
          state: JSON.parse(r.state) as NotificationState,
          revision: Number(r.revision),
          entityRef: r.entity_ref,
          environment: r.environment,
          ...(r.workload !== null && { workload: r.workload }),
          ...(r.recipients !== null && {
            recipients: JSON.parse(r.recipients) as string[],
          }),
        },
      ]),
    );
  }

  /**
   * Writes `state` over the revision read (none: the scope had no row).
   * False when another replica wrote first: its decision stands.
   */
  async write(
    where: NotificationScope,
    state: NotificationState,
    read: number | undefined,
    now: Date,
  ): Promise<boolean> {
    const key = keyOf(where.scope);
    if (read === undefined) {
      try {
        await this.db(TABLE).insert({
          key,
          scope: where.scope,
          entity_ref: where.entityRef,
          environment: where.environment,
          workload: where.workload ?? null,
          recipients: where.recipients
            ? JSON.stringify(where.recipients)
            : null,
          state: JSON.stringify(state),
          revision: 1,
          updated_at: now,
        });
        return true;
      } catch (error) {
        // A unique violation on every database: another replica inserted it.
        const [row] = await this.db(TABLE).where({ key }).select('key');
        if (row) return false;
        throw error;
      }
    }
    const updated = await this.db(TABLE)
      .where({ key, revision: read })
      .update({
        ...(where.workload !== undefined && { workload: where.workload }),
        ...(where.recipients !== undefined && {
          recipients: JSON.stringify(where.recipients),
        }),
        state: JSON.stringify(state),
        revision: read + 1,
        updated_at: now,
      });
    return updated === 1;
  }

  /**
   * Deletes a scope's state if it is still at `revision`. False when
   * another replica wrote or deleted it first: its decision stands.
   */
  async remove(scope: string, revision: number): Promise<boolean> {
    const deleted = await this.db(TABLE)
      .where({ key: keyOf(scope), revision })
      .delete();
    return deleted === 1;
  }

  /**
   * Deletes the states not written since `cutoff` that hold nothing to
   * tell later: healthy, no failure told, no new version waiting (a
   * deleted failing state would be told again), and not in an environment
   * of `changes`, where the version is the baseline the next change is
   * told against (deleted, a rollout under way at the next check would be
   * taken as the first version seen). Those go when their workload does.
   */
  async deleteHealthyBefore(
    cutoff: Date,
    baselineEnvironments: ReadonlySet<string>,
  ): Promise<number> {
    const rows: Row[] = await this.db<Row>(TABLE)
      .where('updated_at', '<', cutoff)
      .select('key', 'state', 'environment');
    const keys = rows
      .filter(r => !baselineEnvironments.has(r.environment))
      .filter(r => {
        const state = JSON.parse(r.state) as NotificationState;
        return (
          state.condition === 'healthy' &&
          !state.newVersion &&
          state.sent?.kind !== 'failure'
        );
      })
      .map(r => r.key);
    let deleted = 0;
    for (let i = 0; i < keys.length; i += 200) {
      deleted += await this.db(TABLE)
        .whereIn('key', keys.slice(i, i + 200))
        .delete();
    }
    return deleted;
  }
}
