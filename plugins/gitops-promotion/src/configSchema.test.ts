import { loadConfigSchema } from '@backstage/config-loader';

/** What the browser receives of `gitopsPromotion` for this app-config. */
async function frontendConfig(gitopsPromotion: object) {
  const schema = await loadConfigSchema({
    dependencies: ['@gitops-promotion/backstage-plugin'],
  });
  const [{ data }] = schema.process(
    [
      {
        context: 'app-config.yaml',
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: { baseUrl: 'http://localhost:7007' },
          gitopsPromotion,
        },
      },
    ],
    { visibility: ['frontend'] },
  );
  return data.gitopsPromotion;
}

describe('config.d.ts', () => {
  it('lets the refresh interval reach the browser in every HumanDuration form', async () => {
    for (const refreshInterval of [{ seconds: 15 }, '15s', 'PT15S']) {
      expect(await frontendConfig({ refreshInterval })).toEqual({
        refreshInterval,
      });
    }
    expect(await frontendConfig({ refreshIntervalSeconds: 15 })).toEqual({
      refreshIntervalSeconds: 15,
    });
  });
});
