import {
  admissionSettings,
  auditEnv,
  auditSettings,
  loadConfig,
  port,
  serviceEnv,
  serviceUrlOf,
  subgraphEnv,
  type AuditSettings,
} from '@welfare/kit';
import { z } from 'zod';
import type { AdmissionSettings } from '@welfare/kit/deadline';

/**
 * The subgraph's environment: the kit's `subgraphEnv` and its own variables, each with its
 * default and, for a legal figure, its source written beside it.
 */
export const iesCircuitEnv = {
  ...subgraphEnv,
  PORT: port(4008),
  /** Service-to-service calls: the fund contract (payments) and the card's fallback (public-welfare). */
  ...serviceEnv,
  /** Earning: how often third-sector's attendance feed is read (ms; tests shorten it). */
  IES_ATTENDANCE_SYNC_INTERVAL_MS: z.coerce.number().int().min(500).max(86_400_000).default(60_000),
  /** The card's fallback: wait between two passes of the expiry of lapsed holds, in ms. */
  HOLD_EXPIRY_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(30_000),
  // ies-members: the audit log's sealer and scheduled verification
  ...auditEnv,
  // ies-reserve
  /** How often the demurrage and expiry job runs (each wallet is charged once a month anyway). */
  IES_DEMURRAGE_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(3_600_000),
  /** The bank account of the circuits' euro reserve: the debtor of the conversions' SEPA files. */
  IES_RESERVE_ACCOUNT_NAME: z.string().min(2).max(70).default('Riserva IES'),
  IES_RESERVE_IBAN: z
    .string()
    .regex(/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/)
    .default('IT60X0542811101000000123456'),
  IES_RESERVE_BIC: z
    .string()
    .regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/)
    .optional(),
};

export interface IesCircuitConfig {
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
  /** The public keys of the services allowed to call the internal routes (JWK JSON by name). */
  servicePublicKeys: Readonly<Record<string, string>>;
  /** Earning: third-sector's attendance feed (null when its URL or this service's key is missing). */
  attendanceFeed: { baseUrl: string; privateKey: string; intervalMs: number } | null;
  /** The card's fallback: pace of the expiry of lapsed holds (ms). */
  holdExpiryIntervalMs: number;
  /** The audit log's sealer and scheduled verification (ies-members). */
  audit: AuditSettings;
  // ies-reserve
  demurrageIntervalMs: number;
  reserveAccount: { name: string; iban: string; bic: string | null };
  /** ies-create: identity's organisation lookup (null when its URL or this service's key is missing). */
  organisationDirectory: { baseUrl: string; privateKey: string } | null;
}

/** The one place that reads the environment. Throws `ConfigError` naming every problem. */
export function loadIesCircuitConfig(env: NodeJS.ProcessEnv = process.env): IesCircuitConfig {
  const raw = loadConfig(iesCircuitEnv, env);
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
    servicePublicKeys: raw.SERVICE_PUBLIC_KEYS,
    attendanceFeed: attendanceFeedOf(raw, env),
    // ies-members
    audit: auditSettings(raw),
    holdExpiryIntervalMs: raw.HOLD_EXPIRY_INTERVAL_MS,
    // ies-reserve
    demurrageIntervalMs: raw.IES_DEMURRAGE_INTERVAL_MS,
    reserveAccount: {
      name: raw.IES_RESERVE_ACCOUNT_NAME,
      iban: raw.IES_RESERVE_IBAN,
      bic: raw.IES_RESERVE_BIC ?? null,
    },
    // ies-create
    organisationDirectory: organisationDirectoryOf(raw, env),
  };
}

/** ies-create: where identity's organisation lookup is asked, when both its URL and the key are set. */
function organisationDirectoryOf(
  raw: { SERVICE_PRIVATE_KEY?: string | undefined },
  env: NodeJS.ProcessEnv,
): IesCircuitConfig['organisationDirectory'] {
  const baseUrl = serviceUrlOf('identity', env);
  if (!baseUrl || !raw.SERVICE_PRIVATE_KEY) return null;
  return { baseUrl, privateKey: raw.SERVICE_PRIVATE_KEY };
}

/** Earning: where third-sector's attendance feed is read, when both its URL and the key are set. */
function attendanceFeedOf(
  raw: { SERVICE_PRIVATE_KEY?: string | undefined; IES_ATTENDANCE_SYNC_INTERVAL_MS: number },
  env: NodeJS.ProcessEnv,
): IesCircuitConfig['attendanceFeed'] {
  const baseUrl = serviceUrlOf('third-sector', env);
  if (!baseUrl || !raw.SERVICE_PRIVATE_KEY) return null;
  return {
    baseUrl,
    privateKey: raw.SERVICE_PRIVATE_KEY,
    intervalMs: raw.IES_ATTENDANCE_SYNC_INTERVAL_MS,
  };
}
