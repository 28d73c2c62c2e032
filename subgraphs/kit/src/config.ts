import { z } from 'zod';

/** Environment variables every subgraph reads. Each subgraph extends this in its own config.ts. */
export const subgraphEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** PostgreSQL connection string. The subgraph keeps its tables in its own schema there. */
  DATABASE_URL: z.string().url(),
  /** The gateway's public key (Ed25519 JWK JSON) that verifies gateway tokens. */
  GATEWAY_PUBLIC_KEY: z.string().min(10),
  /** Apply pending migrations at start-up (on for the embedded run; a release step in production). */
  MIGRATE_ON_START: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * Requests executed at once by the subgraph; more wait in a queue (see the kit's deadline.ts).
   * About a few times the database pool: beyond it requests only wait for a connection.
   */
  MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(64),
  /** Requests waiting at most; more are refused at once (SERVICE_UNAVAILABLE, retry hint). */
  MAX_QUEUED: z.coerce.number().int().min(0).max(100_000).default(1_000),
  /** Load the demo data at start-up, idempotently (the embedded run). */
  DEMO_DATA: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
};

/**
 * The audit log's sealer and scheduled verification (every subgraph that keeps one, see
 * `@welfare/kit/audit`).
 */
export const auditEnv = {
  /**
   * Wait between two verifications of the whole audit hash chain, in ms (default 1 hour: no rule
   * sets it; a broken link reaches the platform admins within the hour, and a pass reads the log in
   * batches: 100,000 rows verified in 2.4 s on the loaded 2-core test machine).
   */
  AUDIT_CHECK_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(7 * 86_400_000)
    .default(3_600_000),
  /**
   * Wait between two sealing passes, in ms (default 1 s): a pass is one short transaction that
   * chains the rows committed since; an appended row is sealed about this long after its commit.
   */
  AUDIT_SEAL_INTERVAL_MS: z.coerce.number().int().min(10).max(3_600_000).default(1_000),
  /**
   * How long a missing sequence number may still be an insert under way, in ms (default 30 s):
   * the sealer waits before it that long, then skips it as rolled back. An audited transaction
   * open longer than this after its append leaves its row unsealed (reported as an alert).
   */
  AUDIT_SEAL_GRACE_MS: z.coerce.number().int().min(100).max(86_400_000).default(30_000),
  /**
   * Age past which an unsealed row is reported by the verification like a broken chain, in ms
   * (default 5 min: well past the grace period; the sealer has stopped, or a row committed after
   * its number was skipped).
   */
  AUDIT_UNSEALED_ALERT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(7 * 86_400_000)
    .default(300_000),
};

/** A service's name: lower-case words joined by hyphens (the subgraphs' names). */
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** `SERVICE_PUBLIC_KEYS`: the public keys of the platform's services, a JSON object by name. */
export const servicePublicKeys = z.string().transform((text, ctx) => {
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error();
    // A key may be given as a JWK object or as its JSON text.
    return z
      .record(z.string().regex(SERVICE_NAME), z.string().min(10))
      .parse(
        Object.fromEntries(
          Object.entries(json).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
        ),
      );
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object of public JWKs by service' });
    return z.NEVER;
  }
});

/**
 * Service-to-service calls (`@welfare/kit/service`): this subgraph's own signing key, the known
 * services' public keys, and their base URLs (`SERVICE_URL_<NAME>`, read with `serviceUrlOf`).
 * The launcher makes a key pair per subgraph for each run; production sets them as secrets.
 */
export const serviceEnv = {
  /** This subgraph's private key (Ed25519 JWK JSON), for the internal operations it calls. */
  SERVICE_PRIVATE_KEY: z.string().min(10).optional(),
  /** The public keys of the services that may call this one (JSON object by service name). */
  SERVICE_PUBLIC_KEYS: servicePublicKeys.default({}),
};

/** `SERVICE_URL_<NAME>`: the variable holding a service's base URL. */
export const serviceUrlVariable = (name: string) =>
  `SERVICE_URL_${name.toUpperCase().replace(/-/g, '_')}`;

/** A service's base URL from the environment (`SERVICE_URL_<NAME>`), if set and valid. */
export function serviceUrlOf(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const value = env[serviceUrlVariable(name)];
  return value && z.string().url().safeParse(value).success ? value : undefined;
}

/** The audit log's settings (see `auditEnv`). */
export interface AuditSettings {
  /** Wait between two verifications of the chain, in ms. */
  checkIntervalMs: number;
  /** Wait between two sealing passes, in ms. */
  sealIntervalMs: number;
  /** How long a missing `seq` may still be an insert under way, in ms. */
  sealGraceMs: number;
  /** Age past which an unsealed row is an alert, in ms. */
  unsealedAlertMs: number;
}

/** The audit settings of a subgraph, from its validated environment. */
export function auditSettings(raw: {
  AUDIT_CHECK_INTERVAL_MS: number;
  AUDIT_SEAL_INTERVAL_MS: number;
  AUDIT_SEAL_GRACE_MS: number;
  AUDIT_UNSEALED_ALERT_MS: number;
}): AuditSettings {
  return {
    checkIntervalMs: raw.AUDIT_CHECK_INTERVAL_MS,
    sealIntervalMs: raw.AUDIT_SEAL_INTERVAL_MS,
    sealGraceMs: raw.AUDIT_SEAL_GRACE_MS,
    unsealedAlertMs: raw.AUDIT_UNSEALED_ALERT_MS,
  };
}

/** Thrown at start-up when the environment is invalid; lists every problem. */

export class ConfigError extends Error {
  constructor(issues: string[]) {
    super(`Invalid configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the environment once. Secrets have no defaults; a missing or malformed
 * variable stops the process with a message naming it (never its value).
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return result.data;
}

/** A TCP port from the environment. */
export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);

/** The admission settings of a subgraph, from its validated environment. */
export function admissionSettings(raw: { MAX_IN_FLIGHT: number; MAX_QUEUED: number }) {
  return { maxInFlight: raw.MAX_IN_FLIGHT, maxQueued: raw.MAX_QUEUED };
}

/** A 32-byte key written in base64 (encryption and HMAC keys). */
export const base64Key = z
  .string()
  .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
    message: 'must be 32 bytes in base64',
  });

/**
 * A development-only key for personal data, used when `PII_KEY` is missing outside production
 * (the embedded run). It is public: never use it for real data.
 */
export const DEVELOPMENT_PII_KEY = Buffer.alloc(32, 7).toString('base64');

/** The environment of a subgraph that keeps personal data encrypted (see the kit's `pii`). */
export const piiKeyEnv = {
  /** Key for personal data at rest: 32 random bytes, base64. Required in production. */
  PII_KEY: base64Key.optional(),
};

/**
 * The personal-data key from a validated environment: `PII_KEY`, or the development key outside
 * production. Returns the problem to report when production has none.
 */
export function piiKeyOf(raw: {
  NODE_ENV: string;
  PII_KEY?: string | undefined;
}): { key: Buffer; issue?: undefined } | { key?: undefined; issue: string } {
  if (!raw.PII_KEY && raw.NODE_ENV === 'production') {
    return { issue: 'PII_KEY: required in production' };
  }
  return { key: Buffer.from(raw.PII_KEY ?? DEVELOPMENT_PII_KEY, 'base64') };
}

/**
 * True when the process was started by the platform's launcher, which asks to be told the port
 * it bound (`REPORT_LISTENING=ipc`, see `listening.ts`).
 */
export function launcherWantsReport(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.REPORT_LISTENING === 'ipc';
}

/**
 * The listening socket the launcher handed over, if it did: systemd-style socket activation
 * (`LISTEN_FDS=1`, `LISTEN_PID` naming this very process), the socket being file descriptor 3.
 */
export function activatedSocketFd(env: NodeJS.ProcessEnv = process.env): number | undefined {
  return env.LISTEN_FDS === '1' && env.LISTEN_PID === String(process.pid) ? 3 : undefined;
}
