import {
  coreServices,
  createServiceFactory,
  DatabaseService,
} from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';

/**
 * SQLite always; PostgreSQL where scripts/test.sh (scripts/postgres.sh)
 * exported its connection string, as TestDatabases reads it.
 */
export function sqliteAndPostgres(): TestDatabases {
  const postgresIds = (
    [
      'POSTGRES_18',
      'POSTGRES_17',
      'POSTGRES_16',
      'POSTGRES_15',
      'POSTGRES_14',
      'POSTGRES_13',
    ] as TestDatabaseId[]
  ).filter(
    id =>
      process.env[
        `BACKSTAGE_TEST_DATABASE_${id.replace('_', '')}_CONNECTION_STRING`
      ],
  );
  return TestDatabases.create({ ids: ['SQLITE_3', ...postgresIds] });
}

/** The plugin's database service over a test database's client. */
export function databaseService(knex: Knex): DatabaseService {
  return { getClient: async () => knex };
}

const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * The database service of a test backend: a fresh SQLite in memory per
 * plugin, as the default service gives, but closed after the suite (by
 * TestDatabases). Backstage's database manager leaves SQLite open at
 * shutdown, and its pool's reaping interval held the Jest worker past the
 * run ("A worker process has failed to exit gracefully").
 */
export function pluginDatabase() {
  return createServiceFactory({
    service: coreServices.database,
    deps: {},
    factory: async () => databaseService(await sqlite.init('SQLITE_3')),
  });
}
