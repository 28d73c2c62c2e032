import {
  ConfigError,
  admissionSettings,
  auditEnv,
  loadConfig,
  piiKeyEnv,
  piiKeyOf,
  port,
  subgraphEnv,
} from '@welfare/kit';
import type { AdmissionSettings } from '@welfare/kit/deadline';
import { z } from 'zod';

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const identityEnv = {
  ...subgraphEnv,
  PORT: port(4001),
  /** Key for personal data at rest (codice fiscale): 32 random bytes, base64. */
  ...piiKeyEnv,
  /** Lifetime of a session, in hours. */
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  /** The SPID/CIE-shaped OpenID provider; the citizen login is off when any of the three is missing. */
  OIDC_ISSUER: optionalText.pipe(z.url().optional()),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  ...auditEnv,
};

export interface IdentityConfig {
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: string;
  databaseUrl: string;
  gatewayPublicKey: string;
  /** Requests run at once and queued (load shedding, see the kit's deadline.ts). */
  admission: AdmissionSettings;
  migrateOnStart: boolean;
  demoData: boolean;
  piiKey: Buffer;
  sessionTtlHours: number;
  oidc: { issuer: string; clientId: string; clientSecret: string } | undefined;
  /** Wait between two verifications of the audit chain, in ms. */
  auditCheckIntervalMs: number;
}

/** The one place that reads the environment. Throws `ConfigError` naming every problem. */
export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  const raw = loadConfig(identityEnv, env);
  const pii = piiKeyOf(raw);
  if (!pii.key) throw new ConfigError([pii.issue]);
  const oidcParts = [raw.OIDC_ISSUER, raw.OIDC_CLIENT_ID, raw.OIDC_CLIENT_SECRET];
  return {
    nodeEnv: raw.NODE_ENV,
    host: raw.HOST,
    port: raw.PORT,
    logLevel: raw.LOG_LEVEL,
    databaseUrl: raw.DATABASE_URL,
    gatewayPublicKey: raw.GATEWAY_PUBLIC_KEY,
    admission: admissionSettings(raw),
    migrateOnStart: raw.MIGRATE_ON_START,
    demoData: raw.DEMO_DATA,
    piiKey: pii.key,
    sessionTtlHours: raw.SESSION_TTL_HOURS,
    auditCheckIntervalMs: raw.AUDIT_CHECK_INTERVAL_MS,
    oidc: oidcParts.every(Boolean)
      ? {
          issuer: raw.OIDC_ISSUER!,
          clientId: raw.OIDC_CLIENT_ID!,
          clientSecret: raw.OIDC_CLIENT_SECRET!,
        }
      : undefined,
  };
}
