import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateGatewayKeys } from '@welfare/kit/auth';
import { serviceUrlVariable } from '@welfare/kit';
import { ensureDatabase, startEmbeddedPostgres, type PostgresServer } from '@welfare/kit/postgres';
import { ServiceProcess, type ServiceSpec } from './services.js';

/** The repository root (this file runs from subgraphs/platform/dist). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** An entry of `schema/subgraphs.json`: a subgraph and its port under `npm start`. */
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
  /** Fixed ports (defaults 3000, 4000, 4400 and the registry's); 0 lets the process pick one. */
  ports?: {
    web?: number;
    gateway?: number;
    oidc?: number;
    stripe?: number;
    subgraphs?: Record<string, number>;
  };
  /** Every port picked by its process (tests, which run beside a developer's `npm start`). */
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
  /**
   * How long each process may take to answer on its ready path, at a start or a restart. Default
   * 60 s; the tests give more (two platforms start at once beside two browsers on 2 cores: on a
   * slow day a CI run saw the OpenID provider not ready after 60 s).
   */
  readyTimeoutMs?: number;
}

export interface Platform {
  urls: {
    web: string;
    gateway: string;
    oidc: string;
    /** The fake Stripe (when the registry has `payments`). */
    stripe?: string;
    subgraphs: Record<string, string>;
  };
  /** Stops one process (a subgraph, `gateway`, `web`, `oidc`, `stripe`). */
  stopService(name: string): Promise<void>;
  /**
   * Starts it again with the same configuration, on the same port (the other processes know it
   * by its URL; if another process holds the port for a moment, it retries for up to 15 s).
   */
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

/** `SUBGRAPH_URL_<NAME>`, the gateway's variable for a subgraph's URL. */
const subgraphUrlVariable = (name: string) =>
  `SUBGRAPH_URL_${name.toUpperCase().replace(/-/g, '_')}`;

/** Every port picked by its process with `randomPorts`, else the given one or the default. */
const portOf = (options: PlatformOptions, port: number | undefined, fallback: number): number =>
  options.randomPorts ? 0 : (port ?? fallback);

/** The database: the given URL, or an embedded server in `dataDir` (database `welfare`). */
async function openDatabase(
  options: PlatformOptions,
  dataDir: string,
): Promise<{ databaseUrl: string; embedded?: PostgresServer }> {
  if (options.databaseUrl) return { databaseUrl: options.databaseUrl };
  const embedded = await startEmbeddedPostgres({
    dataDir: join(dataDir, 'postgres'),
    port: options.randomPorts ? undefined : 54329,
  });
  return { embedded, databaseUrl: await ensureDatabase(embedded.url, 'welfare') };
}

/** The environment every process starts from. */
function commonEnv(nodeEnv: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: nodeEnv,
    LOG_LEVEL: process.env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'),
    APOLLO_TELEMETRY_DISABLED: '1',
  };
}

/** The portal's process; its environment is filled in once the gateway's URL is known. */
function webSpecOf(options: PlatformOptions): ServiceSpec {
  return {
    name: 'web',
    entry: join(ROOT, 'web/build/index.js'),
    env: {},
    port: portOf(options, options.ports?.web, 3000),
    listen: 'socket',
    readyPath: '/',
  };
}

/** The portal's environment: its origin, the gateway's URL and the fake Stripe's origin. */
function webEnv(
  options: PlatformOptions,
  common: NodeJS.ProcessEnv,
  webOrigin: string,
  gatewayUrl: string,
  stripeUrl: string | undefined,
): NodeJS.ProcessEnv {
  return {
    ...common,
    ORIGIN: webOrigin,
    GATEWAY_URL: `${gatewayUrl}/graphql`,
    // The provider's payments page sends its admin to the fake's onboarding pages.
    ...(stripeUrl ? { STRIPE_CONNECT_ORIGIN: stripeUrl } : {}),
    // CSV imports are posted to the portal, which streams them on: adapter-node's default is 512 KB.
    BODY_SIZE_LIMIT: '200M',
    // The embedded run needs no internet: maps show their markers on a plain background, unless
    // the environment names a tile server.
    MAP_TILE_URL: process.env.MAP_TILE_URL ?? 'none',
    ...options.subgraphEnv?.web,
  };
}

/** The OpenID client the portal is registered as, with the provider and the subgraphs. */
interface OidcClient {
  id: string;
  secret: string;
}

/** The test OpenID provider's process: it redirects to the portal's origin. */
function oidcSpec(
  options: PlatformOptions,
  common: NodeJS.ProcessEnv,
  oidcClient: OidcClient,
  webOrigin: string,
): ServiceSpec {
  return {
    name: 'oidc',
    entry: join(ROOT, 'subgraphs/identity/dist/dev/oidc-test-provider.js'),
    env: {
      ...common,
      OIDC_CLIENT_ID: oidcClient.id,
      OIDC_CLIENT_SECRET: oidcClient.secret,
      OIDC_REDIRECT_URIS: `${webOrigin}/auth/spid/callback`,
    },
    port: portOf(options, options.ports?.oidc, 4400),
    listen: 'socket',
    readyPath: '/.well-known/openid-configuration',
  };
}

/** The fake Stripe's secrets, new per run (payments and the fake share them). */
interface StripeSecrets {
  secretKey: string;
  webhookSecret: string;
}

/**
 * The fake Stripe's process (payments' dev server, `src/dev/fake-stripe.ts`): it accepts the
 * run's API key and delivers signed events to payments' webhook endpoint.
 */
function stripeSpec(
  options: PlatformOptions,
  common: NodeJS.ProcessEnv,
  secrets: StripeSecrets,
  webhookUrl: string,
): ServiceSpec {
  return {
    name: 'stripe',
    entry: join(ROOT, 'subgraphs/payments/dist/dev/fake-stripe-server.js'),
    env: {
      ...common,
      STRIPE_SECRET_KEY: secrets.secretKey,
      STRIPE_WEBHOOK_SECRET: secrets.webhookSecret,
      STRIPE_WEBHOOK_URL: webhookUrl,
      ...options.subgraphEnv?.stripe,
    },
    port: portOf(options, options.ports?.stripe, 4410),
    listen: 'socket',
    readyPath: '/healthz',
  };
}

/** What every subgraph's process is given besides the common environment. */
interface SubgraphSetting {
  common: NodeJS.ProcessEnv;
  databaseUrl: string;
  gatewayPublicKey: string;
  piiKey: string;
  oidcIssuer: string;
  oidcClient: OidcClient;
  /** The portal's origin (identity's recovery links point there). */
  webOrigin: string;
  /** Each subgraph's service key pair (service-to-service calls, `@welfare/kit/service`). */
  serviceKeys: Record<string, { privateKey: string; publicKey: string }>;
}

/** A subgraph's process: migrations applied on start, demo data loaded unless told otherwise. */
function subgraphSpec(
  options: PlatformOptions,
  subgraph: SubgraphEntry,
  setting: SubgraphSetting,
): ServiceSpec {
  return {
    name: subgraph.name,
    entry: join(ROOT, `subgraphs/${subgraph.name}/dist/index.js`),
    env: {
      ...setting.common,
      DATABASE_URL: setting.databaseUrl,
      GATEWAY_PUBLIC_KEY: setting.gatewayPublicKey,
      MIGRATE_ON_START: 'true',
      DEMO_DATA: String(options.demoData ?? true),
      PII_KEY: setting.piiKey,
      OIDC_ISSUER: setting.oidcIssuer,
      OIDC_CLIENT_ID: setting.oidcClient.id,
      OIDC_CLIENT_SECRET: setting.oidcClient.secret,
      ...(subgraph.name === 'identity' || subgraph.name === 'payments'
        ? { PORTAL_URL: setting.webOrigin }
        : {}),
      SERVICE_PRIVATE_KEY: setting.serviceKeys[subgraph.name]!.privateKey,
      SERVICE_PUBLIC_KEYS: JSON.stringify(
        Object.fromEntries(
          Object.entries(setting.serviceKeys).map(([name, keys]) => [name, keys.publicKey]),
        ),
      ),
      ...options.subgraphEnv?.[subgraph.name],
    },
    port: portOf(options, options.ports?.subgraphs?.[subgraph.name], subgraph.port),
    listen: 'socket',
    readyPath: '/healthz',
  };
}

/** The gateway's process: it signs with the private key and knows every subgraph's URL. */
function gatewaySpec(
  options: PlatformOptions,
  common: NodeJS.ProcessEnv,
  gatewayPrivateKey: string,
  subgraphUrls: Record<string, string>,
): ServiceSpec {
  return {
    name: 'gateway',
    entry: join(ROOT, 'gateway/dist/index.js'),
    env: {
      ...common,
      GATEWAY_PRIVATE_KEY: gatewayPrivateKey,
      ...Object.fromEntries(
        Object.entries(subgraphUrls).map(([name, url]) => [subgraphUrlVariable(name), url]),
      ),
      ...options.subgraphEnv?.gateway,
    },
    port: portOf(options, options.ports?.gateway, 4000),
    listen: 'socket',
    readyPath: '/healthz',
  };
}

/** Starts processes side by side; once all have settled, throws the first failure. */
async function startSideBySide(services: ServiceProcess[], timeoutMs?: number): Promise<void> {
  const starts = await Promise.allSettled(services.map((service) => service.start(timeoutMs)));
  for (const start of starts) {
    if (start.status === 'rejected') {
      throw start.reason instanceof Error ? start.reason : new Error(String(start.reason));
    }
  }
}

/** The running platform: its URLs, and each process by name. */
function platformHandle(
  processes: ServiceProcess[],
  urls: Platform['urls'],
  stop: () => Promise<void>,
  readyTimeoutMs?: number,
): Platform {
  const find = (name: string) => {
    const service = processes.find((p) => p.spec.name === name);
    if (!service) throw new Error(`No service named ${name}`);
    return service;
  };
  return {
    urls,
    stopService: (name) => find(name).stop(),
    startService: (name) => find(name).start(readyTimeoutMs),
    killService: (name) => find(name).kill(),
    pid: (name) => find(name).pid,
    stop,
  };
}

/**
 * Runs the whole platform on one machine: PostgreSQL (embedded unless a URL is given), the test
 * OpenID provider, the fake Stripe (when the registry has payments), every subgraph of `schema/subgraphs.json` (migrations applied, demo data
 * loaded), the gateway and the portal, each as its own process, all started side by side and
 * stopped in reverse order (the portal first, the provider last).
 *
 * Ports: the launcher binds every process's port first and hands the listening socket over when
 * it starts the process (systemd-style socket activation, `listenOn` of the kit), so every URL is
 * known before anything starts: the subgraphs get the provider's, the gateway the subgraphs', the
 * portal the gateway's. No port is ever chosen by one process and bound later by another, and a
 * restarted process listens on its port again.
 */
export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const dataDir = options.dataDir ?? join(ROOT, '.data');
  const log = options.log ?? ((service, line) => process.stdout.write(`[${service}] ${line}\n`));
  const registry = JSON.parse(
    await readFile(join(ROOT, 'schema/subgraphs.json'), 'utf8'),
  ) as SubgraphEntry[];
  const { databaseUrl, embedded } = await openDatabase(options, dataDir);

  const processes: ServiceProcess[] = [];
  const withWeb = options.web ?? true;
  const webSpec = webSpecOf(options);
  const web = new ServiceProcess(webSpec, log);
  const stopAll = async () => {
    for (const service of [...processes].reverse()) await service.stop();
    await web.stop(); // its socket, if it never started
    await embedded?.stop();
  };
  /** A process whose port is bound now (so its URL is known), started later. */
  const reserve = async (spec: ServiceSpec, service = new ServiceProcess(spec, log)) => {
    processes.push(service);
    await service.reserve();
    return service;
  };

  try {
    const secrets = await devSecrets(dataDir);
    const keys = options.gatewayKeys ?? (await generateGatewayKeys());
    const oidcClient = { id: 'welfare-portal', secret: randomBytes(24).toString('base64url') };
    const common = commonEnv(options.nodeEnv ?? 'development');

    // Every port is bound first, in the order each URL is needed: the portal's origin is the
    // provider's redirect URI (without the portal, an origin where nothing can listen, for tests
    // that stop at the redirect URI); the provider's URL is the subgraphs' issuer; the
    // subgraphs' URLs are the gateway's; the gateway's is the portal's.
    const webOrigin = `http://localhost:${withWeb ? await web.reserve() : 0}`;
    const oidc = await reserve(oidcSpec(options, common, oidcClient, webOrigin));
    const oidcIssuer = oidc.url;
    const setting: SubgraphSetting = {
      common,
      databaseUrl,
      gatewayPublicKey: keys.publicKey,
      piiKey: secrets.PII_KEY,
      oidcIssuer,
      oidcClient,
      webOrigin,
      serviceKeys: Object.fromEntries(
        await Promise.all(
          registry.map(async (s) => [s.name, await generateGatewayKeys()] as const),
        ),
      ),
    };
    // In the registry's order in `processes` (stopped in reverse).
    const subgraphs: ServiceProcess[] = [];
    for (const subgraph of registry) {
      subgraphs.push(await reserve(subgraphSpec(options, subgraph, setting)));
    }
    // Each subgraph knows every subgraph's base URL (`SERVICE_URL_<NAME>`), unless told otherwise.
    const serviceUrls = Object.fromEntries(
      subgraphs.map((service) => [serviceUrlVariable(service.spec.name), service.url]),
    );
    for (const service of subgraphs) {
      service.spec.env = {
        ...service.spec.env,
        ...serviceUrls,
        ...options.subgraphEnv?.[service.spec.name],
      };
    }
    const subgraphUrls = Object.fromEntries(
      subgraphs.map((service) => [service.spec.name, `${service.url}/graphql`]),
    );
    // The fake Stripe, when payments runs: new secrets per run; events go to payments' webhook.
    const payments = subgraphs.find((service) => service.spec.name === 'payments');
    let stripeUrl: string | undefined;
    if (payments) {
      const stripeSecrets: StripeSecrets = {
        secretKey: `sk_test_${randomBytes(24).toString('base64url')}`,
        webhookSecret: `whsec_${randomBytes(24).toString('base64url')}`,
      };
      const stripe = await reserve(
        stripeSpec(options, common, stripeSecrets, `${payments.url}/webhooks/stripe`),
      );
      stripeUrl = stripe.url;
      payments.spec.env = {
        ...payments.spec.env,
        STRIPE_SECRET_KEY: stripeSecrets.secretKey,
        STRIPE_WEBHOOK_SECRET: stripeSecrets.webhookSecret,
        STRIPE_API_URL: stripe.url,
        ...options.subgraphEnv?.payments,
      };
    }
    const gateway = await reserve(gatewaySpec(options, common, keys.privateKey, subgraphUrls));
    if (withWeb) {
      webSpec.env = webEnv(options, common, webOrigin, gateway.url, stripeUrl);
      processes.push(web);
    }

    // Then every process starts side by side: none needs another to answer while it starts
    // (each subgraph its own schema and migrations; the gateway's supergraph is static).
    await startSideBySide(processes, options.readyTimeoutMs);

    const urls = {
      web: webOrigin,
      gateway: `${gateway.url}/graphql`,
      oidc: oidcIssuer,
      ...(stripeUrl ? { stripe: stripeUrl } : {}),
      subgraphs: subgraphUrls,
    };
    return platformHandle(processes, urls, stopAll, options.readyTimeoutMs);
  } catch (err) {
    await stopAll();
    throw err;
  }
}

export { ServiceProcess, type ServiceSpec } from './services.js';
