import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['federation/**/*.test.ts', 'e2e/**/*.test.ts'],
    globalSetup: ['./support/global-setup.ts'],
    // Each suite runs the whole platform: one at a time on a 2-core machine.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
