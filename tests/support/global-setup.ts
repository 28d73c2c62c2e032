import { randomBytes } from 'node:crypto';
import { startTestPostgres } from '@welfare/kit/testing';
import { dropPlatformTemplate } from './platform-template.js';
import { hostSharedPlatforms } from './shared-platform-host.js';
import { relaxDurability } from './test-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's id: names what the run prepares once for all its files (the platform template). */
    runId: string;
  }
}

type Provided = 'postgresServerUrl' | 'runId' | 'sharedPlatformHost';

interface Run {
  values: Record<Provided, string>;
  teardown: () => Promise<void>;
}

/**
 * The run's resources, made by the first project's setup: vitest calls a global setup once per
 * project (vitest.config.ts has two), in one process, and every project is given the same ones.
 */
const RUN = Symbol.for('welfare.tests.run');
const shared = globalThis as { [RUN]?: { run: Promise<Run>; users: number } };

async function prepare(): Promise<Run> {
  const embedded = !process.env.DATABASE_URL;
  const { url, teardown } = await startTestPostgres();
  if (embedded) await relaxDurability(url);
  const runId = randomBytes(5).toString('hex');
  const host = await hostSharedPlatforms(url, runId);
  return {
    values: { postgresServerUrl: url, runId, sharedPlatformHost: host.url },
    teardown: async () => {
      await host.close();
      await dropPlatformTemplate(url, runId);
      await teardown();
    },
  };
}

/**
 * Vitest `globalSetup`: the run's PostgreSQL server and id, and the host of its shared platforms;
 * the shared platforms and the template are dropped at the end, after the last project.
 */
export default async function setup(project: {
  provide: (key: Provided, value: string) => void;
}): Promise<() => Promise<void>> {
  shared[RUN] ??= { run: prepare(), users: 0 };
  const entry = shared[RUN];
  entry.users += 1;
  const run = await entry.run;
  for (const [key, value] of Object.entries(run.values)) project.provide(key as Provided, value);
  return async () => {
    entry.users -= 1;
    if (entry.users > 0) return;
    delete shared[RUN];
    await run.teardown();
  };
}
