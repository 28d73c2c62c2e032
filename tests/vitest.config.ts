import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The files that run with nothing beside them, before the others: the crash test (the heaviest
 * file, and the one that most needs PostgreSQL to let go of a killed process's transactions; its
 * hangs under `npm test` came from the runner not reading the embedded server's log pipe: see
 * tests/bin/test-all.mjs), and the files that measure time against a short gateway timeout or
 * kill and restart processes on their ports.
 */
const ALONE = [
  'federation/payments-crash.test.ts',
  'federation/answer-final.test.ts',
  'federation/platform.test.ts',
  'e2e/till-unknown.test.ts',
];

/** The crash test first, on a fresh machine; the others in vitest's order. */
class CrashTestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (f: TestSpecification) => (f.moduleId.endsWith('payments-crash.test.ts') ? 0 : 1);
    return [...sorted].sort((a, b) => first(a) - first(b));
  }
}

/**
 * Each file runs the whole platform (or its own processes); two files at a time on a 2-core
 * machine, as most of a file's time is spent waiting on the platform and the browser. Files of
 * one worker may share its platform (support/shared-platform.ts).
 */
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    globalSetup: ['./support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // A page under the whole run's load can take seconds to answer a form: `expect.poll` waits up
    // to 10 s (vitest's default, 1 s, failed a household search in a full run on a slow day).
    expect: { poll: { timeout: 10_000 } },
    sequence: { sequencer: CrashTestFirst },
    // Explicit group orders, from 1: vitest runs a one-worker project of group order 0 last.
    projects: [
      {
        extends: true,
        test: {
          name: 'alone',
          include: ALONE,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'paired',
          include: ['federation/**/*.test.ts', 'e2e/**/*.test.ts', 'tooling/**/*.test.ts'],
          exclude: ALONE,
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
