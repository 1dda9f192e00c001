import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import {
  PromotionHistoryEntry,
  PromotionHistoryPage,
  PromotionView,
} from '@gitops-promotion/backstage-plugin-common';
import { AuthorizedPromotionService } from '../service/AuthorizedPromotionService';
import { Caller } from '../service/caller';
import { databaseCause } from './databaseCause';
import { JournalCursor, JournalStore, StoredEntry } from './JournalStore';
import { WorkloadKey, workloadId } from './types';

const DEFAULT_LIMIT = 200;

/** Where each journal workload sits in the view: its row and environment. */
type Placement = { workload: string; environment: string };

/**
 * The workloads of the view, per cluster and namespace, with the
 * environment their cell belongs to: the history shows only what the
 * view shows, inside each environment's namespaces.
 */
function workloadsOf(
  view: PromotionView,
): Map<string, Placement & WorkloadKey> {
  const result = new Map<string, Placement & WorkloadKey>();
  for (const row of view.workloads) {
    for (const cell of row.cells) {
      for (const c of cell.clusters) {
        const key: WorkloadKey = {
          cluster: c.cluster,
          kind: row.kind,
          namespace: c.namespace,
          name: row.name,
        };
        result.set(workloadId(key), {
          ...key,
          workload: row.id,
          environment: cell.environment,
        });
      }
    }
  }
  return result;
}

function encodeCursor(entry: StoredEntry): string {
  return Buffer.from(
    JSON.stringify([entry.at.toISOString(), entry.key]),
  ).toString('base64url');
}

function parseCursor(value: unknown): JournalCursor | undefined {
  if (value === undefined) return undefined;
  const invalid = () =>
    new InputError(
      'cursor is not one this endpoint gave: pass the nextCursor of the previous page as it is',
    );
  if (typeof value !== 'string') throw invalid();
  try {
    const [at, key] = JSON.parse(Buffer.from(value, 'base64url').toString());
    const time = new Date(at);
    if (typeof key !== 'string' || !/^[0-9a-f]{64}$/.test(key)) throw invalid();
    // As encodeCursor writes it, within what every database stores (a
    // date of year -271821 made PostgreSQL fail the read: a 503).
    if (
      typeof at !== 'string' ||
      Number.isNaN(time.getTime()) ||
      time.toISOString() !== at ||
      time.getUTCFullYear() < 1970 ||
      time.getUTCFullYear() > 9999
    ) {
      throw invalid();
    }
    return { at: time, key };
  } catch {
    throw invalid();
  }
}

function toWire(
  entry: StoredEntry,
  placement: Placement,
): PromotionHistoryEntry {
  return {
    workload: placement.workload,
    kind: entry.kind,
    name: entry.name,
    environment: placement.environment,
    cluster: entry.cluster,
    namespace: entry.namespace,
    at: entry.at.toISOString(),
    state: entry.state,
    ...(entry.reason ? { reason: entry.reason } : {}),
    ...(entry.version ? { version: entry.version } : {}),
    ...(entry.targetVersion ? { targetVersion: entry.targetVersion } : {}),
    ...(entry.summary ? { summary: entry.summary } : {}),
    ...(entry.category ? { category: entry.category } : {}),
  };
}

/**
 * `GET /v1/entities/:namespace/:kind/:name/history` (docs/api.md): the
 * journal entries of the entity's workloads, newest first, paginated (the
 * spec bounds limit and cursor). The entity's promotion view authorizes the
 * request (`gitops-promotion.view`) and names the workloads, so the history
 * never reaches past the view.
 */
export async function historyPage(
  deps: {
    service: AuthorizedPromotionService;
    store: JournalStore;
    logger: LoggerService;
  },
  caller: Caller,
  params: { namespace: string; kind: string; name: string },
  query: { limit?: number; cursor?: string },
): Promise<PromotionHistoryPage> {
  const { service, store, logger } = deps;
  const limit = query.limit ?? DEFAULT_LIMIT;
  const after = parseCursor(query.cursor);
  const view = await service.view(caller, params);
  const workloads = workloadsOf(view);
  // One more than asked: whether there is a next page.
  const entries = await store
    .list({ workloads: [...workloads.values()], after, limit: limit + 1 })
    .catch(e => {
      // The cause goes to the log only: a driver's words may name the
      // database's user, host or address, which no viewer should read
      // (Backstage's error handler hides a DatabaseError for this reason;
      // knex's message also carries the statement with every workload).
      logger.error(
        `The promotion history of ${params.kind}:${params.namespace}/${
          params.name
        } cannot be read from the plugin's database: ${databaseCause(e)}`,
      );
      throw new ServiceUnavailableError(
        "The promotion history cannot be read from the plugin's database; the backend's log has the cause. Check the plugin's database connection (backend.database).",
      );
    });
  const page = entries.slice(0, limit);
  return {
    entries: page.map(e => toWire(e, workloads.get(workloadId(e))!)),
    ...(entries.length > limit
      ? { nextCursor: encodeCursor(page[page.length - 1]) }
      : {}),
  };
}
