import { defineConfig } from '@playwright/test';
import chromiumLaunchOptions from './scripts/lib/chromium';

/**
 * Browser tests of the demo portal: a real backend serving the built
 * frontend, driven in Debian's Chromium (never a downloaded browser).
 * Run through scripts/e2e.sh, which builds and starts the portal.
 */
export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 60_000,
  expect: { timeout: 20_000 },
  forbidOnly: !!process.env.CI,
  workers: 1,
  reporter: [
    ['list'],
    [
      'json',
      { outputFile: process.env.E2E_REPORT ?? '.test-results/e2e.json' },
    ],
  ],
  outputDir: '.test-results/e2e-artifacts',
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:7007',
    viewport: { width: 1440, height: 960 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
