import {
  databaseService,
  sqliteAndPostgres,
} from '../__testUtils__/testDatabases';
import { NotificationStore } from './NotificationStore';

describe('NotificationStore', () => {
  const databases = sqliteAndPostgres();

  it.each(databases.eachSupportedId())(
    'deletes idle healthy states but the baselines of changes and what is still to tell, on %p',
    async databaseId => {
      const store = await NotificationStore.create(
        databaseService(await databases.init(databaseId)),
      );
      const old = new Date('2026-11-01T00:00:00Z');
      const write = (
        scope: string,
        environment: string,
        state: Parameters<NotificationStore['write']>[1],
        at = old,
      ) =>
        store.write(
          { scope, entityRef: 'component:default/a', environment },
          state,
          undefined,
          at,
        );
      const since = '2026-10-01T00:00:00Z';
      await write('healthy', 'production', {
        condition: 'healthy',
        since,
        version: '1.0.0',
      });
      await write('baseline', 'staging', {
        condition: 'healthy',
        since,
        version: '1.0.0',
      });
      await write('told', 'production', {
        condition: 'healthy',
        since,
        sent: { kind: 'failure', at: since },
      });
      await write('failing', 'production', { condition: 'failing', since });
      await write(
        'recent',
        'production',
        { condition: 'healthy', since },
        new Date('2026-12-06T00:00:00Z'),
      );

      // Staging notifies `changes`: its healthy state is the baseline.
      expect(
        await store.deleteHealthyBefore(
          new Date('2026-12-01T00:00:00Z'),
          new Set(['staging']),
        ),
      ).toBe(1);
      expect([...(await store.readAll()).keys()].sort()).toEqual([
        'baseline',
        'failing',
        'recent',
        'told',
      ]);
    },
  );
});
