import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The crash test first, on a fresh machine: it is the heaviest file and the one that most needs
 * PostgreSQL to let go of a killed process's transactions (its hangs under `npm test` came from the
 * runner not reading the embedded server's log pipe: see tests/bin/test-all.mjs). The others in
 * vitest's order.
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
    include: ['federation/**/*.test.ts', 'e2e/**/*.test.ts', 'tooling/**/*.test.ts'],
    globalSetup: ['./support/global-setup.ts'],
    // Each suite runs the whole platform: one at a time on a 2-core machine.
    fileParallelism: false,
    sequence: { sequencer: CrashTestFirst },
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
