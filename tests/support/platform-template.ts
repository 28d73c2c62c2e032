import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDatabase } from '@welfare/kit/postgres';
import { startPlatform } from '@welfare/platform';
import pg from 'pg';

/**
 * How long each process of a test platform may take to be ready: two platforms start at once
 * beside two browsers on 2 cores, and a slow CI machine once took over 60 s (the launcher's
 * default) for the OpenID provider. Below the 180 s hook timeout, so a stuck process still fails.
 */
export const TEST_READY_TIMEOUT_MS = 150_000;

/**
 * The platform's database as a freshly started platform leaves it (every migration applied,
 * the demo data loaded), prepared once per test run and copied for each test platform
 * (`CREATE DATABASE … TEMPLATE`, a file copy): a platform then starts without migrating and
 * loading the demo again. Its personal data is encrypted with the template's own key, which
 * each copy's platform is given.
 */
export interface PlatformTemplate {
  /** The template database's name on the run's server. */
  database: string;
  /** The folder of its development secrets (`dev-secrets.json`: the PII key). */
  dataDir: string;
}

const names = (runId: string): PlatformTemplate => ({
  database: `platform_template_${runId}`,
  dataDir: join(tmpdir(), `welfare-platform-template-${runId}`),
});

/**
 * The run's template, made by the first test file that asks (the others wait on an advisory
 * lock of the server's maintenance database, so it is made once however files are scheduled).
 */
export async function platformTemplate(
  serverUrl: string,
  runId: string,
): Promise<PlatformTemplate> {
  const template = names(runId);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(hashtext('welfare-platform-template'))");
    const found = await client.query('select 1 from pg_database where datname = $1', [
      template.database,
    ]);
    if (found.rowCount === 0) await build(serverUrl, template);
    return template;
  } finally {
    await client.end(); // ends the session and its advisory lock
  }
}

async function build(serverUrl: string, template: PlatformTemplate): Promise<void> {
  // Built under another name and renamed when complete: a template that exists is whole.
  const building = `${template.database}_building`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${building}"`);
    await mkdir(template.dataDir, { recursive: true });
    const platform = await startPlatform({
      databaseUrl: await ensureDatabase(serverUrl, building),
      dataDir: template.dataDir,
      demoData: true,
      randomPorts: true,
      nodeEnv: 'test',
      web: false,
      readyTimeoutMs: TEST_READY_TIMEOUT_MS,
      log: () => undefined,
    });
    await platform.stop();
    await client.query(`alter database "${building}" rename to "${template.database}"`);
  } finally {
    await client.end();
  }
}

/** Drops the run's template and its secrets (the run's teardown). */
export async function dropPlatformTemplate(serverUrl: string, runId: string): Promise<void> {
  const template = names(runId);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${template.database}" with (force)`);
  } finally {
    await client.end();
  }
  await rm(template.dataDir, { recursive: true, force: true });
}
