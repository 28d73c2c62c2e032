import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, type Platform } from '@welfare/platform';
import { generateGatewayKeys } from '@welfare/kit/auth';
import { createTestDatabase } from '@welfare/kit/testing';
import { inject } from 'vitest';
import { platformTemplate, TEST_READY_TIMEOUT_MS } from './platform-template.js';

export interface TestPlatform extends Platform {
  databaseUrl: string;
  /** Where the development secrets (`dev-secrets.json`, the run's PII key) live. */
  dataDir: string;
  keys: { privateKey: string; publicKey: string };
  /** The last lines every process printed (shown when a test fails). */
  output: string[];
  close(): Promise<void>;
}

/**
 * The whole platform on a fresh database of the run's PostgreSQL server, with demo data, as
 * separate processes on ports each picks and reports itself (none has to stay free between a
 * choice and a bind): what `npm start` runs. The database is a copy of the run's template (see
 * platform-template.ts): migrated and with the demo loaded, as a first start leaves it; empty
 * when a subgraph is started without its demo data (`DEMO_DATA: 'false'`).
 */
export async function startTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  return launchTestPlatform(inject('postgresServerUrl'), inject('runId'), options);
}

export interface TestPlatformOptions {
  web?: boolean;
  /** Extra environment of some processes, by name: subgraphs, `gateway`, `web`. */
  subgraphEnv?: Record<string, Record<string, string>>;
  /** Gets every line every process prints (stdout and stderr), by process name. */
  onLine?: (service: string, line: string) => void;
}

/**
 * `startTestPlatform` on the run's server and template named outright: what a test file's
 * `startTestPlatform` runs, and what the run's shared platforms run in vitest's main process
 * (shared-platform.ts), where `inject` is not available.
 */
export async function launchTestPlatform(
  serverUrl: string,
  runId: string,
  options: TestPlatformOptions = {},
): Promise<TestPlatform> {
  // A subgraph started without its demo data needs a database that never had it: an empty one.
  const withoutDemo = Object.values(options.subgraphEnv ?? {}).some(
    (env) => env.DEMO_DATA === 'false',
  );
  const template = withoutDemo ? undefined : await platformTemplate(serverUrl, runId);
  const databaseUrl = await createTestDatabase(serverUrl, 'platform', template?.database);
  const dataDir = await mkdtemp(join(tmpdir(), 'welfare-platform-'));
  if (template) {
    await copyFile(join(template.dataDir, 'dev-secrets.json'), join(dataDir, 'dev-secrets.json'));
  }
  const keys = await generateGatewayKeys();
  const output: string[] = [];
  const platform = await startPlatform({
    databaseUrl,
    dataDir,
    demoData: true,
    randomPorts: true,
    nodeEnv: 'test',
    web: options.web ?? false,
    gatewayKeys: keys,
    readyTimeoutMs: TEST_READY_TIMEOUT_MS,
    ...(options.subgraphEnv ? { subgraphEnv: options.subgraphEnv } : {}),
    log: (service, line) => {
      options.onLine?.(service, line);
      output.push(`[${service}] ${line}`);
      if (output.length > 200) output.shift();
    },
  });
  return {
    ...platform,
    databaseUrl,
    dataDir,
    keys,
    output,
    close: async () => {
      await platform.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
