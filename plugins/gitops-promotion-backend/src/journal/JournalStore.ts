import { createHash } from 'node:crypto';
import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { migrateDatabase } from '../database/migrateDatabase';
import { JournalEntry, PendingEntry, WorkloadKey, workloadId } from './types';

const TABLE = 'gitops_promotion_journal';

/** An entry as stored, with the key that orders entries of the same time. */
export type StoredEntry = JournalEntry & { key: string };

/** Where a page of {@link JournalStore.list} ends: the last entry's time and key. */
export interface JournalCursor {
  at: Date;
  key: string;
}

/** Rows per insert statement: well below SQLite's 32766 bound parameters. */
const INSERT_CHUNK = 200;
/** Workloads per read statement, for the same bound. */
const READ_CHUNK = 200;

interface Row {
  key: string;
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
  at: Date | string | number;
  observed_at: Date | string | number;
  state: string;
  reason: string | null;
  version: string | null;
  target_version: string | null;
  summary: string | null;
  category: string | null;
}

/** The identity of a change: the same change seen by two replicas has one key. */
function keyOf(e: JournalEntry): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        e.cluster,
        e.kind,
        e.namespace,
        e.name,
        e.at.toISOString(),
        e.state,
        e.reason ?? null,
        e.version ?? null,
        e.targetVersion ?? null,
      ]),
    )
    .digest('hex');
}

function toRow(e: JournalEntry): Row {
  return {
    key: keyOf(e),
    cluster: e.cluster,
    kind: e.kind,
    namespace: e.namespace,
    name: e.name,
    at: e.at,
    observed_at: e.observedAt,
    state: e.state,
    reason: e.reason ?? null,
    version: e.version ?? null,
    target_version: e.targetVersion ?? null,
    summary: e.summary ?? null,
    category: e.category ?? null,
  };
}

/** SQLite returns timestamps as numbers or strings, PostgreSQL as Dates. */
function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}

function fromRow(r: Row): JournalEntry {
  return {
    cluster: r.cluster,
    kind: r.kind as JournalEntry['kind'],
    namespace: r.namespace,
    name: r.name,
    at: toDate(r.at),
    observedAt: toDate(r.observed_at),
    state: r.state as JournalEntry['state'],
    ...(r.reason !== null ? { reason: r.reason } : {}),
    ...(r.version !== null ? { version: r.version } : {}),
    ...(r.target_version !== null ? { targetVersion: r.target_version } : {}),
    ...(r.summary !== null ? { summary: r.summary } : {}),
    ...(r.category !== null
      ? { category: r.category as JournalEntry['category'] }
      : {}),
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}

function whereWorkloads(query: Knex.QueryBuilder, workloads: WorkloadKey[]) {
  return query.where(q => {
    for (const w of workloads) {
      q.orWhere({
        cluster: w.cluster,
        kind: w.kind,
        namespace: w.namespace,
        name: w.name,
      });
    }
  });
}

/**
 * The journal's table in the plugin's database (SQLite or PostgreSQL).
 * Writes ignore a change already recorded, by its key: several replicas
 * watching the same clusters record each change once.
 */
export class JournalStore {
  private constructor(private readonly db: Knex) {}

  static async create(database: DatabaseService): Promise<JournalStore> {
    return new JournalStore(await migrateDatabase(database));
  }

  /**
   * Records the entries in their order; those another replica recorded
   * already are skipped. In order: an untimed entry is checked against
   * the rows written before it, and a later timed one saying the same
   * (a batch retried after the database failed) must not be among them.
   */
  async append(entries: PendingEntry[]): Promise<void> {
    let timed: Row[] = [];
    const writeTimed = async () => {
      for (const chunk of chunks(timed, INSERT_CHUNK)) {
        await this.db(TABLE).insert(chunk).onConflict('key').ignore();
      }
      timed = [];
    };
    for (const entry of entries) {
      if (!entry.untimedAfter) {
        timed.push(toRow(entry));
        continue;
      }
      await writeTimed();
      await this.appendUntimed(entry, entry.untimedAfter);
    }
    await writeTimed();
  }

  /**
   * An entry timed when it was seen: each replica times it differently, so
   * its key cannot tell a duplicate. It is written unless a row of the
   * same workload saying the same (the fields observe.ts compares: state,
   * reason, versions) came after `after` (the writer's
   * previous entry). On PostgreSQL the check and the insert hold a lock
   * that orders them against other replicas' writes (SQLite has one
   * writer): they cannot both miss each other's row.
   */
  private async appendUntimed(entry: JournalEntry, after: Date) {
    await this.db.transaction(async tx => {
      if (tx.client.config.client === 'pg') {
        await tx.raw('LOCK TABLE ?? IN SHARE ROW EXCLUSIVE MODE', [TABLE]);
      }
      const row = toRow(entry);
      const said = (q: Knex.QueryBuilder, column: keyof Row) => {
        const value = row[column];
        return value === null ? q.whereNull(column) : q.where(column, value);
      };
      const same = await tx(TABLE)
        .where({
          cluster: row.cluster,
          kind: row.kind,
          namespace: row.namespace,
          name: row.name,
          state: row.state,
        })
        .where(q => said(q, 'reason'))
        .where(q => said(q, 'version'))
        .where(q => said(q, 'target_version'))
        .where('at', '>', after)
        .first('key');
      if (!same) await tx(TABLE).insert(row).onConflict('key').ignore();
    });
  }

  /**
   * The latest entry of each workload that has one, by its time and then
   * by when it was recorded: what a restarted backend compares with.
   */
  async latest(): Promise<Map<string, JournalEntry>> {
    const newest = this.db(TABLE)
      .select('cluster', 'kind', 'namespace', 'name')
      .max({ max_at: 'at' })
      .groupBy('cluster', 'kind', 'namespace', 'name')
      .as('newest');
    const rows: Row[] = await this.db(`${TABLE} as j`)
      .join(newest, join =>
        join
          .on('j.cluster', 'newest.cluster')
          .andOn('j.kind', 'newest.kind')
          .andOn('j.namespace', 'newest.namespace')
          .andOn('j.name', 'newest.name')
          .andOn('j.at', 'newest.max_at'),
      )
      .select('j.*')
      .orderBy('j.observed_at', 'asc');
    const result = new Map<string, JournalEntry>();
    for (const row of rows) {
      const entry = fromRow(row);
      result.set(workloadId(entry), entry);
    }
    return result;
  }

  /**
   * The entries of these workloads, newest first (by time, then by key),
   * that come after `after` in that order: at most `limit`.
   */
  async list(options: {
    workloads: WorkloadKey[];
    after?: JournalCursor;
    limit: number;
  }): Promise<StoredEntry[]> {
    const { after, limit } = options;
    if (options.workloads.length === 0) return [];
    const newestFirst = (a: StoredEntry, b: StoredEntry) =>
      b.at.getTime() - a.at.getTime() || b.key.localeCompare(a.key, 'en');
    // One query a chunk, one after the other, keeping the newest `limit`:
    // an entity whose selector spans the fleet holds neither the pool nor
    // memory for the whole of it.
    let newest: StoredEntry[] = [];
    for (const workloads of chunks(options.workloads, READ_CHUNK)) {
      const query = whereWorkloads(this.db<Row>(TABLE), workloads);
      if (after) {
        query.where(q =>
          q
            .where('at', '<', after.at)
            .orWhere(same =>
              same.where('at', after.at).andWhere('key', '<', after.key),
            ),
        );
      }
      // Once `limit` are held, a later chunk reads only what beats the
      // last of them, not `limit` rows of its own.
      const kth = newest.length === limit ? newest[limit - 1] : undefined;
      if (kth) {
        query.where(q =>
          q
            .where('at', '>', kth.at)
            .orWhere(same =>
              same.where('at', kth.at).andWhere('key', '>', kth.key),
            ),
        );
      }
      const rows: Row[] = await query
        .orderBy([
          { column: 'at', order: 'desc' },
          { column: 'key', order: 'desc' },
        ])
        .limit(limit);
      newest = [
        ...newest,
        ...rows.map(row => ({ ...fromRow(row), key: row.key })),
      ]
        .sort(newestFirst)
        .slice(0, limit);
    }
    return newest;
  }

  /**
   * Deletes the entries older than `cutoff`, except the newest of each
   * workload: it still says what runs, and a restarted backend compares
   * with it.
   */
  /**
   * The workloads whose newest entry is older than `cutoff` (after
   * {@link JournalStore.deleteBefore}, the only entries that old).
   */
  async idleSince(cutoff: Date): Promise<WorkloadKey[]> {
    return this.db(TABLE)
      .where('at', '<', cutoff)
      .distinct('cluster', 'kind', 'namespace', 'name');
  }

  /**
   * Deletes the entries of these workloads from before `cutoff`: one
   * written since they were found idle (another replica, a flush meanwhile)
   * says the workload is back, and stays.
   */
  async deleteWorkloads(
    workloads: WorkloadKey[],
    cutoff: Date,
  ): Promise<number> {
    let deleted = 0;
    for (const chunk of chunks(workloads, 100)) {
      deleted += await whereWorkloads(this.db(TABLE), chunk)
        .where('at', '<', cutoff)
        .delete();
    }
    return deleted;
  }

  async deleteBefore(cutoff: Date): Promise<number> {
    return this.db(`${TABLE}`)
      .where('at', '<', cutoff)
      .whereExists(function newer() {
        this.select(this.client.raw('1'))
          .from(`${TABLE} as newer`)
          .whereRaw(
            `newer.cluster = ${TABLE}.cluster and newer.kind = ${TABLE}.kind and newer.namespace = ${TABLE}.namespace and newer.name = ${TABLE}.name and newer.at > ${TABLE}.at`,
          );
      })
      .delete();
  }
}
