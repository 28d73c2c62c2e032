import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, port } from '@welfare/kit';
import { z } from 'zod';

const defaultSupergraph = fileURLToPath(
  new URL('../../schema/supergraph.graphql', import.meta.url),
);

const shape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: port(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The Ed25519 private key (JWK JSON) that signs gateway tokens for the subgraphs. */
  GATEWAY_PRIVATE_KEY: z.string().min(10),
  /** The composed supergraph (committed at schema/supergraph.graphql). */
  SUPERGRAPH_PATH: z.string().default(defaultSupergraph),
  /** Timeout of one subgraph call, in milliseconds. */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
  /**
   * How long before its timeout a subgraph call's deadline falls, in milliseconds. The deadline
   * goes in the call's token: the subgraph commits nothing after it (an answer is final), and the
   * margin covers the commit itself, the network and clock skew between machines.
   */
  SUBGRAPH_DEADLINE_MARGIN_MS: z.coerce.number().int().min(10).max(10_000).default(250),
  /** Timeout of one streamed upload to a subgraph, in milliseconds. */
  UPLOAD_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(300_000),
  /** Timeout of one streamed download from a subgraph (a CSV export), in milliseconds. */
  DOWNLOAD_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(300_000),
  /**
   * How long a resolved session is reused without asking identity, in milliseconds (0: ask
   * every time). A logout through the gateway takes effect at once; other revocations within this.
   */
  SESSION_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** Most sessions kept in that cache. */
  SESSION_CACHE_MAX: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /**
   * Addresses whose `X-Forwarded-For` the gateway believes (comma-separated IPs): the portal, which
   * sets it from the browser's address. From anyone else the connection's own address is the
   * client's. Identity's login throttling keys on this address. Default: the same machine.
   */
  TRUSTED_PROXIES: z
    .string()
    .default('127.0.0.1,::1')
    .transform(
      (v) =>
        new Set(
          v
            .split(',')
            .map((a) => a.trim().toLowerCase())
            .filter(Boolean),
        ),
    )
    .pipe(z.set(z.ipv4().or(z.ipv6()))),
  /** Limits checked before execution. */
  MAX_DEPTH: z.coerce.number().int().min(2).default(12),
  MAX_ALIASES: z.coerce.number().int().min(0).default(30),
  MAX_TOKENS: z.coerce.number().int().min(50).default(2_000),
  MAX_COST: z.coerce.number().int().min(10).default(5_000),
  MAX_DIRECTIVES: z.coerce.number().int().min(1).default(20),
};

export type GatewayConfig = z.infer<z.ZodObject<typeof shape>> & {
  /** Subgraph URL overrides by subgraph name, from `SUBGRAPH_URL_<NAME>` (e.g. SUBGRAPH_URL_IDENTITY). */
  subgraphUrls: Record<string, string>;
  /** Introspection and field suggestions are refused in production. */
  production: boolean;
};

/** The gateway's configuration: the one place that reads process.env. */
export function gatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const base = loadConfig(shape, env);
  if (base.SUBGRAPH_DEADLINE_MARGIN_MS * 2 > base.SUBGRAPH_TIMEOUT_MS) {
    throw new ConfigError([
      'SUBGRAPH_DEADLINE_MARGIN_MS: must be at most half of SUBGRAPH_TIMEOUT_MS',
    ]);
  }
  const subgraphUrls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^SUBGRAPH_URL_([A-Z0-9_]+)$/.exec(key);
    if (match?.[1] && value) {
      subgraphUrls[match[1].toLowerCase().replace(/_/g, '-')] = z.string().url().parse(value);
    }
  }
  return { ...base, subgraphUrls, production: base.NODE_ENV === 'production' };
}
