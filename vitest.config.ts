import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one fork fewer than the cores: one fork on a 2-core machine, where the
    // whole run took ~750 s. Much of a test's time is a CLI child it waits on, so two forks keep
    // both cores busy: 525 s here.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
