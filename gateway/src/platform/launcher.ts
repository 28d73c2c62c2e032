import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateGatewayKeys } from '@welfare/kit/auth';
import {
  ensureDatabase,
  freePort,
  startEmbeddedPostgres,
  type PostgresServer,
} from '@welfare/kit/postgres';
import { ServiceProcess, type ServiceSpec } from './services.js';

/** The repository root (this file runs from gateway/dist/platform). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface SubgraphEntry {
  name: string;
  port: number;
}

export interface PlatformOptions {
  /** A PostgreSQL database to use; when absent, an embedded server in `dataDir` (database `welfare`). */
  databaseUrl?: string;
  /** Where the embedded database and the development secrets live. Default `<root>/.data`. */
  dataDir?: string;
  /** Load the demo data (idempotent). Default true. */
  demoData?: boolean;
  /** Fixed ports (defaults 3000, 4000, 4400 and the registry's); 0 picks a free one. */
  ports?: { web?: number; gateway?: number; oidc?: number; subgraphs?: Record<string, number> };
  /** Every port free-picked (tests, which run beside a developer's `npm start`). */
  randomPorts?: boolean;
  /** Also start the portal. Default true. */
  web?: boolean;
  nodeEnv?: 'development' | 'test';
  /** The gateway's signing keys (JWK JSON); a new pair per run when absent. */
  gatewayKeys?: { privateKey: string; publicKey: string };
  /**
   * Extra environment of some processes, by name: subgraphs, `gateway`, `web` (tests: e.g. a
   * short scheduler interval, a short gateway timeout).
   */
  subgraphEnv?: Record<string, Record<string, string>>;
  log?: (service: string, line: string) => void;
}

export interface Platform {
  urls: {
    web: string;
    gateway: string;
    oidc: string;
    subgraphs: Record<string, string>;
  };
  /** Stops one process (a subgraph, `gateway`, `web`, `oidc`). */
  stopService(name: string): Promise<void>;
  /** Starts it again with the same configuration. */
  startService(name: string): Promise<void>;
  /** Kills one process with SIGKILL. */
  killService(name: string): Promise<void>;
  /** The process id of a running process (benchmarks read its memory). */
  pid(name: string): number | undefined;
  /** Stops every process, then the embedded database if it started one. */
  stop(): Promise<void>;
}

/** Development secrets kept beside the embedded data (the data is encrypted with PII_KEY). */
async function devSecrets(dataDir: string): Promise<{ PII_KEY: string }> {
  const path = join(dataDir, 'dev-secrets.json');
  try {
    return JSON.parse(await readFile(path, 'utf8')) as { PII_KEY: string };
  } catch {
    const secrets = { PII_KEY: randomBytes(32).toString('base64') };
    await mkdir(dataDir, { recursive: true });
    await writeFile(path, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    return secrets;
  }
}

/**
 * Runs the whole platform on one machine: PostgreSQL (embedded unless a URL is given), the test
 * OpenID provider, every subgraph (migrations applied, demo data loaded), the gateway and the
 * portal, each as its own process, started in dependency order and stopped in reverse.
 */
export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const dataDir = options.dataDir ?? join(ROOT, '.data');
  const log = options.log ?? ((service, line) => process.stdout.write(`[${service}] ${line}\n`));
  const nodeEnv = options.nodeEnv ?? 'development';
  const pick = async (port: number | undefined, fallback: number): Promise<number> => {
    const wanted = options.randomPorts ? 0 : (port ?? fallback);
    return wanted === 0 ? freePort() : wanted;
  };
  const registry = JSON.parse(
    await readFile(join(ROOT, 'schema/subgraphs.json'), 'utf8'),
  ) as SubgraphEntry[];

  let embedded: PostgresServer | undefined;
  let databaseUrl = options.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: join(dataDir, 'postgres'),
      port: options.randomPorts ? undefined : 54329,
    });
    databaseUrl = await ensureDatabase(embedded.url, 'welfare');
  }

  const processes: ServiceProcess[] = [];
  const stopAll = async () => {
    for (const service of [...processes].reverse()) await service.stop();
    await embedded?.stop();
  };

  try {
    const secrets = await devSecrets(dataDir);
    const keys = options.gatewayKeys ?? (await generateGatewayKeys());
    const ports = {
      web: await pick(options.ports?.web, 3000),
      gateway: await pick(options.ports?.gateway, 4000),
      oidc: await pick(options.ports?.oidc, 4400),
    };
    const webOrigin = `http://localhost:${ports.web}`;
    const oidcIssuer = `http://127.0.0.1:${ports.oidc}`;
    const oidcClient = { id: 'welfare-portal', secret: randomBytes(24).toString('base64url') };
    const common: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: nodeEnv,
      LOG_LEVEL: process.env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'),
      APOLLO_TELEMETRY_DISABLED: '1',
    };

    const specs: ServiceSpec[] = [
      {
        name: 'oidc',
        entry: join(ROOT, 'subgraphs/identity/dist/dev/oidc-test-provider.js'),
        env: {
          ...common,
          OIDC_TEST_PORT: String(ports.oidc),
          OIDC_ISSUER: oidcIssuer,
          OIDC_CLIENT_ID: oidcClient.id,
          OIDC_CLIENT_SECRET: oidcClient.secret,
          OIDC_REDIRECT_URIS: `${webOrigin}/auth/spid/callback`,
        },
        readyUrl: `${oidcIssuer}/.well-known/openid-configuration`,
      },
    ];
    const subgraphUrls: Record<string, string> = {};
    for (const subgraph of registry) {
      const port = await pick(options.ports?.subgraphs?.[subgraph.name], subgraph.port);
      const url = `http://127.0.0.1:${port}`;
      subgraphUrls[subgraph.name] = `${url}/graphql`;
      specs.push({
        name: subgraph.name,
        entry: join(ROOT, `subgraphs/${subgraph.name}/dist/index.js`),
        env: {
          ...common,
          PORT: String(port),
          DATABASE_URL: databaseUrl,
          GATEWAY_PUBLIC_KEY: keys.publicKey,
          MIGRATE_ON_START: 'true',
          DEMO_DATA: String(options.demoData ?? true),
          PII_KEY: secrets.PII_KEY,
          OIDC_ISSUER: oidcIssuer,
          OIDC_CLIENT_ID: oidcClient.id,
          OIDC_CLIENT_SECRET: oidcClient.secret,
          ...options.subgraphEnv?.[subgraph.name],
        },
        readyUrl: `${url}/healthz`,
      });
    }
    const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
    specs.push({
      name: 'gateway',
      entry: join(ROOT, 'gateway/dist/index.js'),
      env: {
        ...common,
        PORT: String(ports.gateway),
        GATEWAY_PRIVATE_KEY: keys.privateKey,
        ...Object.fromEntries(
          Object.entries(subgraphUrls).map(([name, url]) => [
            `SUBGRAPH_URL_${name.toUpperCase().replace(/-/g, '_')}`,
            url,
          ]),
        ),
        ...options.subgraphEnv?.gateway,
      },
      readyUrl: `${gatewayUrl}/healthz`,
    });
    if (options.web ?? true) {
      specs.push({
        name: 'web',
        entry: join(ROOT, 'web/build/index.js'),
        env: {
          ...common,
          PORT: String(ports.web),
          HOST: '127.0.0.1',
          ORIGIN: webOrigin,
          GATEWAY_URL: `${gatewayUrl}/graphql`,
          // CSV imports are posted to the portal, which streams them on: adapter-node's default is 512 KB.
          BODY_SIZE_LIMIT: '200M',
          ...options.subgraphEnv?.web,
        },
        readyUrl: `http://127.0.0.1:${ports.web}/`,
      });
    }

    for (const spec of specs) {
      const service = new ServiceProcess(spec, log);
      processes.push(service);
      await service.start();
    }

    const find = (name: string) => {
      const service = processes.find((p) => p.spec.name === name);
      if (!service) throw new Error(`No service named ${name}`);
      return service;
    };
    return {
      urls: {
        web: webOrigin,
        gateway: `${gatewayUrl}/graphql`,
        oidc: oidcIssuer,
        subgraphs: subgraphUrls,
      },
      stopService: (name) => find(name).stop(),
      startService: (name) => find(name).start(),
      killService: (name) => find(name).kill(),
      pid: (name) => find(name).pid,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
