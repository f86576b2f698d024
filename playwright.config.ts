// End-to-end tests: Playwright drives the real UI in Debian's Chromium through the browser mode,
// each test on a fresh data folder (see test/e2e/fixtures.ts). No browser download is needed.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  // One at a time: on a 2-core machine two workers took 775 s against one's 809 s (the tests share
  // the CPU with their servers' training), and made timing races of their own.
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: { trace: 'off', screenshot: 'only-on-failure', viewport: { width: 1280, height: 860 } },
});
