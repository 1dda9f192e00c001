import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { sqliteAndPostgres } from '../__testUtils__/testDatabases';

const directory = resolvePackagePath(
  '@gitops-promotion/backstage-plugin-backend',
  'migrations',
);

describe('migrations', () => {
  const databases = sqliteAndPostgres();

  it.each(databases.eachSupportedId())(
    'go up with rows in place, all the way down, and up again on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      // Up to the first notifications table, with a row a later one keeps.
      await knex.migrate.up({ directory });
      await knex.migrate.up({ directory });
      await knex('gitops_promotion_notifications').insert({
        key: 'k',
        scope: 's',
        entity_ref: 'component:default/a',
        environment: 'production',
        state: '{"condition":"failing","since":"2026-12-05T10:00:00Z"}',
        revision: 1,
        updated_at: new Date(),
      });
      await knex.migrate.latest({ directory });
      const [row] = await knex('gitops_promotion_notifications').select();
      expect(row).toMatchObject({
        scope: 's',
        workload: null,
        recipients: null,
      });

      await knex.migrate.rollback({ directory }, true);
      expect(await knex.schema.hasTable('gitops_promotion_notifications')).toBe(
        false,
      );
      expect(await knex.schema.hasTable('gitops_promotion_journal')).toBe(
        false,
      );
      await knex.migrate.latest({ directory });
      expect(
        await knex.schema.hasColumn(
          'gitops_promotion_notifications',
          'recipients',
        ),
      ).toBe(true);
    },
  );
});
