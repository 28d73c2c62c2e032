import {
  auditEnv,
  auditSettings,
  loadConfig,
  port,
  serviceEnv,
  subgraphEnv,
  admissionSettings,
  type AuditSettings,
} from '@welfare/kit';
import type { AdmissionSettings } from '@welfare/kit/deadline';
import type { DispatcherSettings } from '@welfare/kit/outbox';
import { z } from 'zod';

/** Largest document uploaded with an accreditation request by default: 5 MB. */
export const DEFAULT_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024;

export const thirdSectorEnv = {
  ...subgraphEnv,
  PORT: port(4003),
  /** Largest document uploaded with an accreditation request, in bytes (413 beyond; default 5 MB). */
  DOCUMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(DEFAULT_DOCUMENT_MAX_BYTES),
  /** Catalogue searches whose results are kept until the catalogue changes (0: none; default 500). */
  CATALOGUE_CACHE_SIZE: z.coerce.number().int().min(0).max(100_000).default(500),
  /**
   * Time to pay a priced booking on the platform, in minutes (default 30). The booking holds its
   * place meanwhile, so this is how long a place can be kept from others by someone who does not
   * pay: long enough to pay with funds and a card (and a bank's 3-D Secure check), short enough
   * that an abandoned booking soon frees a place on a popular day.
   */
  BOOKING_PAY_WITHIN_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  /** Wait between two passes of the job that lapses unpaid bookings, in ms (default 60 s). */
  BOOKING_LAPSE_INTERVAL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /** Wait between two passes of the notification dispatcher when nothing is due, in ms. */
  NOTIFICATION_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
  /** Attempts before a notification is FAILED (retried after 30 s, doubling up to an hour). */
  NOTIFICATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  ...auditEnv,
  ...serviceEnv,
};

export interface ThirdSectorConfig {
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
  maxDocumentBytes: number;
  catalogueCacheSize: number;
  /** The audit log's sealer and scheduled verification. */
  audit: AuditSettings;
  /** Time to pay a priced booking, in minutes. */
  bookingPayWithinMinutes: number;
  /** Wait between two passes of the booking lapse job, in ms. */
  bookingLapseIntervalMs: number;
  /** The public keys of the services that may call the internal operations (by name). */
  servicePublicKeys: Readonly<Record<string, string>>;
  /** Pace of the notification dispatcher (the outbox, PORTAL messages). */
  notifications: DispatcherSettings;
}

/** The one place that reads the environment. Throws `ConfigError` naming every problem. */
export function loadThirdSectorConfig(env: NodeJS.ProcessEnv = process.env): ThirdSectorConfig {
  const raw = loadConfig(thirdSectorEnv, env);
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
    maxDocumentBytes: raw.DOCUMENT_MAX_BYTES,
    catalogueCacheSize: raw.CATALOGUE_CACHE_SIZE,
    audit: auditSettings(raw),
    bookingPayWithinMinutes: raw.BOOKING_PAY_WITHIN_MINUTES,
    bookingLapseIntervalMs: raw.BOOKING_LAPSE_INTERVAL_MS,
    servicePublicKeys: raw.SERVICE_PUBLIC_KEYS,
    notifications: {
      batchSize: 20,
      pollMs: raw.NOTIFICATION_POLL_MS,
      maxAttempts: raw.NOTIFICATION_MAX_ATTEMPTS,
      retryBaseMs: 30_000,
      retryMaxMs: 3_600_000,
      sendTimeoutMs: 15_000,
    },
  };
}
