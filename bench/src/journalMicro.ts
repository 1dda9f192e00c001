/*
 * yarn bench:journal: what the promotion journal costs, without clusters or
 * a backend, on the bench fleet's objects (objects.ts) in the backend's
 * ObjectIndex, against a real database: SQLite in memory (the embedded
 * default) and PostgreSQL when BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING
 * names one (scripts/postgres.sh start prints it).
 * - cold sync: every workload of every cluster evaluated and its first
 *   entry written (what a backend does once the caches have synced);
 * - status changes: one workload fails, the journal is told its namespace
 *   changed and flushes: evaluation of that namespace plus the insert.
 * The time of a flush is spent on the journal's timer, off the watch path;
 * the watch path itself only marks a namespace (a Map and a Set).
 */
import { performance } from 'node:perf_hooks';
import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { KubeObject } from '@gitops-promotion/backstage-plugin-common';
import { ObjectIndex } from '@gitops-promotion/backstage-plugin-common/server';
import { notReady } from '@gitops-promotion/backstage-plugin-common/testUtils';
import knexFactory, { Knex } from 'knex';
// The backend's journal, which is what this measures, not a public API.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { JournalStore } from '../../plugins/gitops-promotion-backend/src/journal/JournalStore';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  JournalCluster,
  PromotionJournal,
} from '../../plugins/gitops-promotion-backend/src/journal/PromotionJournal';
import { indexedFleet } from './fleet';
import { percentiles } from './measure';

const logger: LoggerService = {
  error: m => process.stderr.write(`${m}\n`),
  warn: m => process.stderr.write(`${m}\n`),
  info: () => {},
  debug: () => {},
  child: () => logger,
};

function clusters(count: number, releases: number) {
  const result = new Map<string, JournalCluster & { store: ObjectIndex }>();
  for (const [name, store] of indexedFleet(count, releases)) {
    result.set(name, {
      store,
      errors: [],
      hasData: () => true,
      whenSettled: async () => {},
    });
  }
  return result;
}

async function measure(
  name: string,
  knex: Knex,
  count: number,
  releases: number,
) {
  const fleet = clusters(count, releases);
  const database: DatabaseService = { getClient: async () => knex };
  const store = await JournalStore.create(database);
  let writeMs = 0;
  let written = 0;
  const append = store.append.bind(store);
  store.append = async entries => {
    const t0 = performance.now();
    await append(entries);
    writeMs += performance.now() - t0;
    written += entries.length;
  };
  const journal = new PromotionJournal(store, logger, {
    intervalMs: 3_600_000,
  });
  await journal.start(fleet);
  await new Promise(resolve => setImmediate(resolve));
  const t0 = performance.now();
  await journal.flush();
  const coldMs = performance.now() - t0;
  const coldEntries = written;
  const coldWriteMs = writeMs;

  // Status changes: a HelmRelease of the first cluster fails, one at a time.
  const [clusterName, cluster] = [...fleet][0];
  const releasesOf = [...cluster.store.list('HelmRelease')].slice(0, 100);
  const flushes: number[] = [];
  const writes: number[] = [];
  let i = 0;
  for (const hr of releasesOf) {
    const failed: KubeObject = {
      ...hr,
      status: {
        ...hr.status,
        conditions: [
          notReady(
            'UpgradeFailed',
            'Helm upgrade failed: context deadline exceeded',
            new Date(Date.UTC(2026, 11, 1, 0, 0, i++)).toISOString(),
          ),
        ],
      },
    };
    cluster.store.upsert('HelmRelease', failed);
    const w0 = writeMs;
    const f0 = performance.now();
    journal.record(clusterName, hr.metadata.namespace);
    await journal.flush();
    flushes.push(performance.now() - f0);
    writes.push(writeMs - w0);
  }
  await journal.stop();
  const f = percentiles(flushes.slice(10));
  const w = percentiles(writes.slice(10));
  const objects = [...fleet.values()].reduce((n, c) => n + c.store.size(), 0);
  return [
    `${name}: cold sync of ${count} clusters (${objects} objects): ${coldEntries} entries in ${coldMs.toFixed(
      0,
    )} ms (evaluation ${(coldMs - coldWriteMs).toFixed(
      0,
    )} ms, writes ${coldWriteMs.toFixed(0)} ms, ${(
      (coldMs * 1000) /
      coldEntries
    ).toFixed(0)} µs per workload)`,
    `${name}: status change (1 of ${releases} releases in a namespace fails): flush p50 ${f.p50.toFixed(
      2,
    )} p95 ${f.p95.toFixed(2)} ms, of which the insert p50 ${w.p50.toFixed(
      2,
    )} p95 ${w.p95.toFixed(2)} ms (n=${flushes.length - 10}); ${
      written - coldEntries
    } entries`,
  ];
}

async function main() {
  const count = Number(process.argv[2] ?? 20);
  const releases = Number(process.argv[3] ?? 500);
  const lines: string[] = [];
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  lines.push(...(await measure('SQLite (memory)', sqlite, count, releases)));
  await sqlite.destroy();
  const pgUrl = Object.entries(process.env).find(([k]) =>
    /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
  )?.[1];
  if (pgUrl) {
    const admin = knexFactory({ client: 'pg', connection: pgUrl });
    const db = `bench_journal_${Date.now()}`;
    await admin.raw(`CREATE DATABASE ??`, [db]);
    const url = new URL(pgUrl);
    url.pathname = `/${db}`;
    const pg = knexFactory({ client: 'pg', connection: url.toString() });
    try {
      lines.push(...(await measure('PostgreSQL', pg, count, releases)));
    } finally {
      await pg.destroy();
      await admin.raw(`DROP DATABASE ??`, [db]);
      await admin.destroy();
    }
  } else {
    lines.push(
      'PostgreSQL: not measured (no BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING)',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch(e => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
