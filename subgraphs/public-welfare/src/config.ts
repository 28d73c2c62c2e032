import type { ReimbursementPeerSettings } from './modules/reimbursement/reimbursement-peers.js';
import type { IesCardPeerSettings } from './modules/payment/ies-card.port.js';
import {
  ConfigError,
  admissionSettings,
  auditEnv,
  auditSettings,
  base64Key,
  loadConfig,
  piiKeyEnv,
  piiKeyOf,
  port,
  serviceEnv,
  serviceUrlOf,
  subgraphEnv,
  type AuditSettings,
} from '@welfare/kit';
import type { AdmissionSettings } from '@welfare/kit/deadline';
import { z } from 'zod';
import { DEVELOPMENT_PIN_KEY, pinKeyId } from './modules/card/card-pin.js';
import type { DispatcherSettings } from './modules/messages/dispatcher.js';
import type { MessageDeliverySettings } from './modules/messages/transports.js';
import type { TopUpSchedulerSettings } from './modules/top-up/top-up-scheduler.js';

export { DEVELOPMENT_PIN_KEY };

/** Largest CSV upload accepted by default: 200 MB. */
export const DEFAULT_IMPORT_MAX_BYTES = 200 * 1024 * 1024;

const isBase64Key = (v: string) =>
  /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32;

/** Older PIN keys: base64 keys separated by commas (spaces allowed). */
const base64KeyList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k.length > 0),
  )
  .refine((keys) => keys.every(isBase64Key), {
    message: 'must be 32-byte keys in base64, separated by commas',
  });

/** `CREDIT_EXPIRY_REMINDER_DAYS` when unset (also the services' default in tests). */
export const DEFAULT_CREDIT_EXPIRY_REMINDER_DAYS = 7;

const boundedInt = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

function protocolOf(value: string): string {
  try {
    return new URL(value).protocol;
  } catch {
    return '';
  }
}

/** An SMTP connection URL: `smtp://user:password@host:587` or `smtps://…:465`. */
const smtpUrl = z
  .string()
  .url()
  .refine((v) => /^smtps?:$/.test(protocolOf(v)), {
    message: 'must be an smtp:// or smtps:// URL',
  });

/** The SMS provider adapter's endpoint. */
const httpUrl = z
  .string()
  .url()
  .refine((v) => /^https?:$/.test(protocolOf(v)), {
    message: 'must be an http:// or https:// URL',
  });

export const publicWelfareEnv = {
  ...subgraphEnv,
  PORT: port(4002),
  /**
   * With the demo data, the demo citizen Mario Rossi's application to the open demo campaign is
   * approved and his card issued and credited, so that the demo shows him paying a service with
   * his voucher credit. Default: on for `npm start` (development), off elsewhere (the tests'
   * journeys start from Mario with no application; the checkout's browser test turns it on).
   */
  DEMO_CITIZEN_CARD: z.enum(['true', 'false']).optional(),
  /** Key for personal data at rest (codici fiscali): 32 random bytes, base64. */
  ...piiKeyEnv,
  /**
   * Key of card PINs (HMAC-SHA-256): 32 random bytes, base64, kept outside the database. Its id
   * (stored with each PIN value) is derived from it; see `card-pin.ts`.
   */
  PIN_KEY: base64Key.optional(),
  /**
   * Former PIN keys still accepted while cards move to PIN_KEY (each PIN is rewritten with PIN_KEY
   * at its next right entry): base64 keys separated by commas.
   */
  PIN_KEYS_OLD: base64KeyList.optional(),
  /** Largest CSV upload, in bytes (413 beyond). */
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(2 * 1024 * 1024 * 1024)
    .default(DEFAULT_IMPORT_MAX_BYTES),
  /** Largest document uploaded with an application, in bytes (413 beyond; default 5 MB). */
  DOCUMENT_MAX_BYTES: boundedInt(1024, 50 * 1024 * 1024, 5 * 1024 * 1024),
  /**
   * Largest file a social worker attaches to a household, in bytes (413 beyond; default 10 MB:
   * a scanned report of a few pages; kept in the database like application documents).
   */
  HOUSEHOLD_ATTACHMENT_MAX_BYTES: boundedInt(1024, 50 * 1024 * 1024, 10 * 1024 * 1024),
  /** Mail server for EMAIL messages (required in production). */
  SMTP_URL: smtpUrl.optional(),
  /** Sender of EMAIL messages, e.g. `Comune di Balestrate <noreply@comune.balestrate.pa.it>`. */
  SMTP_FROM: z.string().min(3).max(200).optional(),
  /** The SMS provider adapter (see `SmsTransport`): without it SMS messages are not delivered. */
  SMS_PROVIDER_URL: httpUrl.optional(),
  /** Bearer key for the SMS provider adapter (a secret: no default). */
  SMS_API_KEY: z.string().min(8).max(500).optional(),
  /** Sender name or number of SMS messages, when the provider takes one. */
  SMS_SENDER: z.string().min(1).max(20).optional(),
  /** Delivery attempts before a message is FAILED. */
  MESSAGE_MAX_ATTEMPTS: boundedInt(1, 100, 8),
  /** Wait between polls of the outbox when nothing is due, in ms. */
  MESSAGE_POLL_MS: boundedInt(10, 600_000, 1000),
  /** Messages claimed per dispatch transaction. */
  MESSAGE_BATCH_SIZE: boundedInt(1, 500, 20),
  /** Wait after the first failed attempt, in ms (doubled after each further failure). */
  MESSAGE_RETRY_BASE_MS: boundedInt(1, 86_400_000, 30_000),
  /** Longest wait between two attempts, in ms. */
  MESSAGE_RETRY_MAX_MS: boundedInt(1, 7 * 86_400_000, 3_600_000),
  /** Longest wait for one delivery (SMTP, SMS provider), in ms. */
  MESSAGE_SEND_TIMEOUT_MS: boundedInt(100, 120_000, 15_000),
  /** Wait between two passes of the top-up scheduler (tranches by date, end-of-window sweep), in ms. */
  TOPUP_SCHEDULER_INTERVAL_MS: boundedInt(100, 86_400_000, 60_000),
  /** Wait between two runs of the money reconciliation by the scheduler, in ms (default 15 minutes). */
  RECONCILIATION_INTERVAL_MS: boundedInt(1000, 7 * 86_400_000, 900_000),
  /**
   * Days before a campaign's spending window ends when each card holder with credit left gets a
   * reminder (issue 19, item 5). Not a legal figure: the Comune's choice; a week by default, so
   * that a holder who reads the portal weekly still has days to spend (1 to 60).
   */
  CREDIT_EXPIRY_REMINDER_DAYS: boundedInt(1, 60, DEFAULT_CREDIT_EXPIRY_REMINDER_DAYS),
  ...auditEnv,
  /** Service-to-service calls: the fund contract's operations answer the payments service only. */
  ...serviceEnv,
};

export interface PublicWelfareConfig {
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
  /** With the demo data: Mario's card in the open demo campaign (see DEMO_CITIZEN_CARD). */
  demoCitizenCard: boolean;
  piiKey: Buffer;
  /** The PIN keys: `current` writes every value, `older` ones still verify (key rotation). */
  pinKeys: { current: Buffer; older: Buffer[] };
  importMaxBytes: number;
  maxDocumentBytes: number;
  /** Largest household attachment, in bytes. */
  maxHouseholdAttachmentBytes: number;
  /** Transports of the message outbox. */
  delivery: MessageDeliverySettings;
  /** Pace of the message dispatcher. */
  dispatcher: DispatcherSettings;
  /** Pace of the top-up scheduler. */
  topUpScheduler: TopUpSchedulerSettings;
  /** Days before a spending window ends when holders with credit are reminded. */
  creditExpiryReminderDays: number;
  /** The audit log's sealer and scheduled verification. */
  audit: AuditSettings;
  /**
   * The public keys of the services that may call this subgraph's internal operations (JWK JSON
   * by service name): the fund contract's routes answer `payments` only.
   */
  servicePublicKeys: Readonly<Record<string, string>>;
  /**
   * The reimbursement batches' peers (`SERVICE_PRIVATE_KEY`, `SERVICE_URL_IDENTITY`,
   * `SERVICE_URL_THIRD_SECTOR`): null when any is missing, and then no provider is paid by a
   * batch (their money waits in the book; the subgraph warns at start-up).
   */
  reimbursementPeers: ReimbursementPeerSettings | null;
  /**
   * The card's fallback (issue 17): how the POS reaches ies-circuit (`SERVICE_PRIVATE_KEY`,
   * `SERVICE_URL_IES_CIRCUIT`); null when either is missing, and then cards pay with voucher
   * credit only.
   */
  iesCardPeer: IesCardPeerSettings | null;
}

/** The one place that reads the environment. Throws `ConfigError` naming every problem. */
export function loadPublicWelfareConfig(env: NodeJS.ProcessEnv = process.env): PublicWelfareConfig {
  const raw = loadConfig(publicWelfareEnv, env);
  const issues: string[] = [];
  const production = raw.NODE_ENV === 'production';
  const pii = piiKeyOf(raw);
  if (pii.issue) issues.push(pii.issue);
  if (production && !raw.PIN_KEY) issues.push('PIN_KEY: required in production');
  const pinKey = Buffer.from(raw.PIN_KEY ?? DEVELOPMENT_PIN_KEY, 'base64');
  const olderPinKeys = (raw.PIN_KEYS_OLD ?? []).map((k) => Buffer.from(k, 'base64'));
  const pinKeyIds = [pinKey, ...olderPinKeys].map(pinKeyId);
  if (new Set(pinKeyIds).size !== pinKeyIds.length) {
    issues.push('PIN_KEYS_OLD: must not repeat a key, nor contain PIN_KEY');
  }
  if (production && !raw.SMTP_URL) issues.push('SMTP_URL: required in production');
  if (raw.SMTP_URL && !raw.SMTP_FROM) issues.push('SMTP_FROM: required with SMTP_URL');
  if (raw.SMS_PROVIDER_URL && !raw.SMS_API_KEY) {
    issues.push('SMS_API_KEY: required with SMS_PROVIDER_URL');
  }
  if (raw.MESSAGE_RETRY_MAX_MS < raw.MESSAGE_RETRY_BASE_MS) {
    issues.push('MESSAGE_RETRY_MAX_MS: must not be below MESSAGE_RETRY_BASE_MS');
  }
  const identityUrl = serviceUrlOf('identity', env);
  const thirdSectorUrl = serviceUrlOf('third-sector', env);
  const reimbursementPeers =
    raw.SERVICE_PRIVATE_KEY && identityUrl && thirdSectorUrl
      ? { privateKey: raw.SERVICE_PRIVATE_KEY, identityUrl, thirdSectorUrl }
      : null;
  // The card's fallback: ies-circuit's card-fallback routes.
  const iesCircuitUrl = serviceUrlOf('ies-circuit', env);
  const iesCardPeer =
    raw.SERVICE_PRIVATE_KEY && iesCircuitUrl
      ? { privateKey: raw.SERVICE_PRIVATE_KEY, url: iesCircuitUrl }
      : null;
  if (issues.length > 0) throw new ConfigError(issues);
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
    demoCitizenCard: (raw.DEMO_CITIZEN_CARD ?? String(raw.NODE_ENV === 'development')) === 'true',
    piiKey: pii.key!,
    pinKeys: { current: pinKey, older: olderPinKeys },
    importMaxBytes: raw.IMPORT_MAX_BYTES,
    maxDocumentBytes: raw.DOCUMENT_MAX_BYTES,
    maxHouseholdAttachmentBytes: raw.HOUSEHOLD_ATTACHMENT_MAX_BYTES,
    delivery: {
      smtp: raw.SMTP_URL && raw.SMTP_FROM ? { url: raw.SMTP_URL, from: raw.SMTP_FROM } : null,
      sms:
        raw.SMS_PROVIDER_URL && raw.SMS_API_KEY
          ? { url: raw.SMS_PROVIDER_URL, apiKey: raw.SMS_API_KEY, sender: raw.SMS_SENDER ?? null }
          : null,
      // Outside production a channel without a provider is only recorded (the embedded demo run).
      unconfigured: production ? 'fail' : 'outbox',
      sendTimeoutMs: raw.MESSAGE_SEND_TIMEOUT_MS,
    },
    dispatcher: {
      batchSize: raw.MESSAGE_BATCH_SIZE,
      pollMs: raw.MESSAGE_POLL_MS,
      maxAttempts: raw.MESSAGE_MAX_ATTEMPTS,
      retryBaseMs: raw.MESSAGE_RETRY_BASE_MS,
      retryMaxMs: raw.MESSAGE_RETRY_MAX_MS,
      sendTimeoutMs: raw.MESSAGE_SEND_TIMEOUT_MS,
    },
    topUpScheduler: {
      intervalMs: raw.TOPUP_SCHEDULER_INTERVAL_MS,
      batchSize: 20,
      reconciliationIntervalMs: raw.RECONCILIATION_INTERVAL_MS,
    },
    creditExpiryReminderDays: raw.CREDIT_EXPIRY_REMINDER_DAYS,
    audit: auditSettings(raw),
    servicePublicKeys: raw.SERVICE_PUBLIC_KEYS,
    reimbursementPeers,
    iesCardPeer,
  };
}
