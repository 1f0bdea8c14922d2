import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'],
    // Says loudly (and fails under CI=true) when the browser e2e suite cannot run.
    globalSetup: ['e2e/global-setup.ts'],
    // Training tests are CPU-heavy; two cores run two files at a time.
    pool: 'forks',
    maxWorkers: 2,
    // …so trainers and in-process wasm tests take one thread each (wasm/threads.test.ts tests more).
    // …and timed sample grids (every 10 s of training) off, so a loaded machine draws no extra grids.
    env: { GAN_STUDIO_WASM_THREADS: '1', GAN_STUDIO_LIVE_GRID_SECONDS: '0' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
