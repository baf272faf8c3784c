import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/build-once.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // CLI tests spawn Node processes; two cores, so keep parallelism modest.
    maxWorkers: 2,
  },
});
