import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@gitops-promotion/backstage-plugin-backend',
  'migrations',
);

/**
 * The plugin's database client, its tables migrated (unless the backend
 * runs migrations itself): the journal and the notification state.
 */
export async function migrateDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const db = await database.getClient();
  if (!database.migrations?.skip) {
    await db.migrate.latest({ directory: migrationsDir });
  }
  return db;
}
