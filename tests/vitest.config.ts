import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The crash test first, on a fresh PostgreSQL server and machine: late in the full suite, once, a
 * key got no answer for 90 s after the restart (not yet explained; the test prints what the
 * database and the processes were doing if it happens again). The others in vitest's order.
 */
class CrashTestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (f: TestSpecification) => (f.moduleId.endsWith('payments-crash.test.ts') ? 0 : 1);
    return [...sorted].sort((a, b) => first(a) - first(b));
  }
}

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['federation/**/*.test.ts', 'e2e/**/*.test.ts'],
    globalSetup: ['./support/global-setup.ts'],
    // Each suite runs the whole platform: one at a time on a 2-core machine.
    fileParallelism: false,
    sequence: { sequencer: CrashTestFirst },
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
