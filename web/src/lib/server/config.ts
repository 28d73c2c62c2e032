// The portal's configuration: read from the environment and validated here, and nowhere else.
import { z } from 'zod';

const url = (what: string) =>
  z.url({ protocol: /^https?$/, error: `${what} must be an http(s) URL` });

const schema = z.object({
  /** The gateway's GraphQL endpoint (server-side only). */
  GATEWAY_URL: url('GATEWAY_URL').default('http://127.0.0.1:4000/graphql'),
  /** The portal's public origin (also read by adapter-node): redirect URIs, invitation links. */
  ORIGIN: url('ORIGIN').optional(),
  /** Optional public base URL if it differs from ORIGIN (e.g. behind a path-preserving proxy). */
  PUBLIC_BASE_URL: url('PUBLIC_BASE_URL').optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Timeout of one gateway call, in milliseconds. */
  GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(5000),
  /**
   * How long a browser keeps to HTTPS after a response over TLS (Strict-Transport-Security
   * max-age, seconds; RFC 6797). One year by default, the minimum hstspreload.org and Mozilla's
   * guidelines recommend; 0 tells browsers to forget it (to roll back a TLS set-up).
   */
  HSTS_MAX_AGE_S: z.coerce.number().int().min(0).max(63072000).default(31536000),
  NODE_ENV: z.string().optional(),
});

export interface Config {
  gatewayUrl: string;
  /** Public origin without trailing slash, e.g. `https://welfare.comune.example`. */
  origin: string;
  /** Public base URL for links sent to people (defaults to the origin). */
  publicBaseUrl: string;
  gatewayTimeoutMs: number;
  /** Strict-Transport-Security max-age in seconds (sent only on requests that came over TLS). */
  hstsMaxAgeS: number;
}

/** Validates an environment. Throws one error listing every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid portal configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  if (!e.ORIGIN && e.NODE_ENV === 'production') {
    throw new Error('Invalid portal configuration: ORIGIN is required in production');
  }
  const origin = new URL(e.ORIGIN ?? `http://localhost:${e.PORT}`).origin;
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? origin).replace(/\/+$/, '');
  return {
    gatewayUrl: e.GATEWAY_URL,
    origin,
    publicBaseUrl,
    gatewayTimeoutMs: e.GATEWAY_TIMEOUT_MS,
    hstsMaxAgeS: e.HSTS_MAX_AGE_S,
  };
}

let cached: Config | undefined;

/** The configuration of this process (validated on first use). */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
