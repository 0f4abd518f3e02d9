import { defineConfig } from 'vitest/config';

/**
 * Two lanes. `fast` is the unit suite (including the in-memory runs of the port contracts): no
 * DynamoDB Local, no moto, so no Java or Python — `npm run test:fast`. `services` is everything
 * else, behind the global setup that starts DynamoDB Local and moto once per run. `vitest run`
 * (and so `npm test`) runs both projects, every test file exactly once;
 * test/build/test-lanes.test.ts checks the split.
 */
export const FAST_LANE = ['test/unit/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
    projects: [
      {
        extends: true,
        // One module graph per worker instead of per file (isolate: false) cuts the import time,
        // which dominates this lane. (npm run test:fast adds --maxWorkers=4: its tests mostly wait on
        // timers. A per-project maxWorkers would need its own sequence.groupOrder.)
        test: { name: 'fast', include: FAST_LANE, isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'services',
          include: ['test/**/*.test.ts'],
          exclude: FAST_LANE,
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
