import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {} from 'vitest';
import { ensureDatabase, startEmbeddedPostgres, type PostgresServer } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the PostgreSQL server the test run uses (not a database of its own). */
    postgresServerUrl: string;
  }
}

/**
 * The PostgreSQL server for a test run: `DATABASE_URL` when set, otherwise one embedded server
 * started for the whole run in a temporary folder. Returns the server URL and a teardown.
 */
export async function startTestPostgres(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ url: string; teardown: () => Promise<void> }> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, teardown: () => Promise.resolve() };
  const base = await mkdtemp(join(tmpdir(), 'welfare-pg-'));
  let server: PostgresServer | undefined;
  try {
    server = await startEmbeddedPostgres({ dataDir: join(base, 'data'), persistent: false });
  } catch (err) {
    await rm(base, { recursive: true, force: true });
    throw err;
  }
  const running = server;
  return {
    url: running.url,
    teardown: async () => {
      await running.stop();
      await rm(base, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh database for one suite on the run's server: empty, or a copy of `template` (a database
 * prepared once per run, e.g. migrated with the demo data loaded).
 */
export async function createTestDatabase(
  serverUrl: string,
  prefix = 'test',
  template?: string,
): Promise<string> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(5).toString('hex')}`;
  return ensureDatabase(serverUrl, name, template ? { template } : {});
}

/** Vitest `globalSetup`: one server per run, provided to the suites as `postgresServerUrl`. */
export async function vitestGlobalSetup(project: {
  provide: (key: 'postgresServerUrl', value: string) => void;
}): Promise<() => Promise<void>> {
  const { url, teardown } = await startTestPostgres();
  project.provide('postgresServerUrl', url);
  return teardown;
}
