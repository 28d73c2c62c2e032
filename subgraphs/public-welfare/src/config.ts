import { ConfigError, loadConfig, port, subgraphEnv } from '@welfare/kit';
import { z } from 'zod';

/**
 * A development-only key for personal data, used when `PII_KEY` is missing outside production
 * (the embedded run). It is public: never use it for real data.
 */
export const DEVELOPMENT_PII_KEY = Buffer.alloc(32, 7).toString('base64');

/** Largest CSV upload accepted by default: 200 MB. */
export const DEFAULT_IMPORT_MAX_BYTES = 200 * 1024 * 1024;

const base64Key = z
  .string()
  .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
    message: 'must be 32 bytes in base64',
  });

export const publicWelfareEnv = {
  ...subgraphEnv,
  PORT: port(4002),
  /** Key for personal data at rest (codici fiscali): 32 random bytes, base64. */
  PII_KEY: base64Key.optional(),
  /** Largest CSV upload, in bytes (413 beyond). */
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(2 * 1024 * 1024 * 1024)
    .default(DEFAULT_IMPORT_MAX_BYTES),
};

export interface PublicWelfareConfig {
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: string;
  databaseUrl: string;
  gatewayPublicKey: string;
  migrateOnStart: boolean;
  demoData: boolean;
  piiKey: Buffer;
  importMaxBytes: number;
}

/** The one place that reads the environment. Throws `ConfigError` naming every problem. */
export function loadPublicWelfareConfig(env: NodeJS.ProcessEnv = process.env): PublicWelfareConfig {
  const raw = loadConfig(publicWelfareEnv, env);
  if (raw.NODE_ENV === 'production' && !raw.PII_KEY) {
    throw new ConfigError(['PII_KEY: required in production']);
  }
  return {
    nodeEnv: raw.NODE_ENV,
    host: raw.HOST,
    port: raw.PORT,
    logLevel: raw.LOG_LEVEL,
    databaseUrl: raw.DATABASE_URL,
    gatewayPublicKey: raw.GATEWAY_PUBLIC_KEY,
    migrateOnStart: raw.MIGRATE_ON_START,
    demoData: raw.DEMO_DATA,
    piiKey: Buffer.from(raw.PII_KEY ?? DEVELOPMENT_PII_KEY, 'base64'),
    importMaxBytes: raw.IMPORT_MAX_BYTES,
  };
}
