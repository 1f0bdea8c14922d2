import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'],
    // Says loudly (and fails under CI=true) when the browser e2e suite cannot run.
    globalSetup: ['e2e/global-setup.ts'],
    // Training tests are CPU-heavy; two cores run two files at a time.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
