import { admissionSettings, loadConfig, port, serviceEnv, subgraphEnv } from '@welfare/kit';
import type { AdmissionSettings } from '@welfare/kit/deadline';
import { z } from 'zod';

/** The longest notice body by default (characters). */
export const DEFAULT_NOTICE_MAX_LENGTH = 2_000;

/**
 * The subgraph's environment: the kit's `subgraphEnv` and its own variables, each with its
 * default and, for a legal figure, its source written beside it.
 */
export const paymentsEnv = {
  ...subgraphEnv,
  ...serviceEnv,
  PORT: port(4006),
  /** The longest notice body accepted, in characters (a sample setting: replace it). */
  NOTICE_MAX_LENGTH: z.coerce
    .number()
    .int()
    .min(100)
    .max(20_000)
    .default(DEFAULT_NOTICE_MAX_LENGTH),
};

export interface PaymentsConfig {
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
  noticeMaxLength: number;
  /** This subgraph's service signing key (Ed25519 JWK JSON), for the fund owners' operations. */
  servicePrivateKey: string | undefined;
  /** The public keys of the services that may call this one. */
  servicePublicKeys: Readonly<Record<string, string>>;
}

/** The one place that reads the environment. Throws `ConfigError` naming every problem. */
export function loadPaymentsConfig(env: NodeJS.ProcessEnv = process.env): PaymentsConfig {
  const raw = loadConfig(paymentsEnv, env);
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
    noticeMaxLength: raw.NOTICE_MAX_LENGTH,
    servicePrivateKey: raw.SERVICE_PRIVATE_KEY,
    servicePublicKeys: raw.SERVICE_PUBLIC_KEYS,
  };
}
