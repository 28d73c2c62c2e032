import {
  ConfigError,
  admissionSettings,
  auditEnv,
  auditSettings,
  loadConfig,
  piiKeyEnv,
  piiKeyOf,
  port,
  serviceEnv,
  subgraphEnv,
  type AuditSettings,
} from '@welfare/kit';
import type { AdmissionSettings } from '@welfare/kit/deadline';
import type { LoginLimits } from './modules/auth/login-throttle.js';
import type { PasswordResetSettings } from './modules/auth/password-reset.service.js';
import type { DispatcherSettings } from './modules/outbox/dispatcher.js';
import type { DeliverySettings } from './modules/outbox/transports.js';
import { z } from 'zod';

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
  /**
   * Service-to-service calls: the reimbursement payees route answers public-welfare only, the
   * organisation lookup (a pagoPA notice's creditor) payments only.
   */
  ...serviceEnv,

  // Login throttling. OWASP Authentication Cheat Sheet, "Login Throttling" and "Account Lockout":
  // count failures per account, prefer an exponential delay to a fixed lockout, and do not let an
  // attacker lock the owner out (denial of service). NIST SP 800-63B §5.2.2: at most 100
  // consecutive failures on one account. AgID, "Linee guida per lo sviluppo del software sicuro"
  // (allegato 3, autenticazione): limit and slow repeated failed attempts.
  /** Failures of one account from one address before the exponential wait starts (OWASP: a few free attempts for typos). */
  LOGIN_FREE_FAILURES: boundedInt(1, 100, 5),
  /** The first wait after the free failures, in seconds; each further failure doubles it (OWASP: "exponential lockout ... starts at one second"). */
  LOGIN_BACKOFF_BASE_SECONDS: boundedInt(1, 3600, 1),
  /** The longest wait between two attempts of one account from one address, in seconds (15 minutes: OWASP's example lockout duration). */
  LOGIN_BACKOFF_MAX_SECONDS: boundedInt(1, 86_400, 900),
  /** A pair's failures are forgotten after this many minutes without a new one (OWASP "observation window"); above the longest wait. */
  LOGIN_FAILURE_MEMORY_MINUTES: boundedInt(1, 7 * 1440, 60),
  /** Failures of one account from every address (within the memory) after which each of its logins is slowed, never refused (NIST SP 800-63B: 100 is the most; we slow well before). */
  LOGIN_ACCOUNT_SLOW_AFTER: boundedInt(1, 100, 20),
  /** That slow-down, in milliseconds: short, so the owner still gets in (well below the gateway's 3 s call timeout). */
  LOGIN_ACCOUNT_DELAY_MS: boundedInt(0, 2000, 1000),
  /** Failed logins from one address across every e-mail within the window before it is refused (password spraying, OWASP). */
  LOGIN_ADDRESS_MAX_FAILURES: boundedInt(1, 100_000, 50),
  /** That window, in minutes. */
  LOGIN_ADDRESS_WINDOW_MINUTES: boundedInt(1, 1440, 15),

  // Password recovery. OWASP Forgot Password Cheat Sheet: the same answer and the same work for
  // known and unknown e-mails, a random single-use token stored hashed, a short expiry, a rate
  // limit, every session ended after the change.
  /** Where the e-mail's link points: the portal's public origin (`<origin>/accedi/nuova-password?token=…`). */
  PORTAL_URL: z.url().default('http://localhost:3000'),
  /** Lifetime of a recovery link, in minutes (OWASP: short; 30 minutes). */
  PASSWORD_RESET_TTL_MINUTES: boundedInt(5, 1440, 30),
  /** Recovery requests from one address within the window (beyond: RATE_LIMITED). */
  PASSWORD_RESET_ADDRESS_MAX: boundedInt(1, 10_000, 10),
  /** Recovery e-mails to one account within the window (beyond: the same answer, no e-mail). */
  PASSWORD_RESET_ACCOUNT_MAX: boundedInt(1, 100, 3),
  /** That window, in minutes. */
  PASSWORD_RESET_WINDOW_MINUTES: boundedInt(1, 1440, 60),
  /**
   * Every recovery request answers after at least this many ms, known e-mail or not (OWASP: "ensure
   * that responses return in a consistent amount of time"): above the extra work of a known one
   * (about 15 ms measured here), well below the gateway's 3 s call timeout.
   */
  PASSWORD_RESET_MIN_RESPONSE_MS: boundedInt(0, 2000, 400),

  // The e-mail outbox (as public-welfare's).
  /** Mail server: `smtp://user:password@host:587` or `smtps://…:465`. Without it e-mails are only recorded (outside production) or FAIL (production). */
  SMTP_URL: smtpUrl.optional(),
  /** Sender, e.g. `Welfare <noreply@comune.example.it>`; required with SMTP_URL. */
  SMTP_FROM: z.string().min(3).max(200).optional(),
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
  /** Longest wait for one delivery, in ms. */
  MESSAGE_SEND_TIMEOUT_MS: boundedInt(100, 120_000, 15_000),
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
  /**
   * The public keys of the services that may call this subgraph's internal operations (JWK JSON
   * by service name): public-welfare (payees) and payments (organisation lookup).
   */
  servicePublicKeys: Readonly<Record<string, string>>;
  sessionTtlHours: number;
  oidc: { issuer: string; clientId: string; clientSecret: string } | undefined;
  /** The audit log's sealer and scheduled verification. */
  audit: AuditSettings;
  /** Login throttling (login-throttle.ts). */
  loginLimits: LoginLimits;
  /** Password recovery (password-reset.service.ts). */
  passwordReset: PasswordResetSettings;
  /** The e-mail outbox's transport and pace. */
  delivery: DeliverySettings;
  dispatcher: DispatcherSettings;
}

/** The one place that reads the environment. Throws `ConfigError` naming every problem. */
export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  const raw = loadConfig(identityEnv, env);
  const pii = piiKeyOf(raw);
  if (!pii.key) throw new ConfigError([pii.issue]);
  const oidcParts = [raw.OIDC_ISSUER, raw.OIDC_CLIENT_ID, raw.OIDC_CLIENT_SECRET];
  const issues: string[] = [];
  if (raw.SMTP_URL && !raw.SMTP_FROM) issues.push('SMTP_FROM: required with SMTP_URL');
  if (raw.MESSAGE_RETRY_MAX_MS < raw.MESSAGE_RETRY_BASE_MS) {
    issues.push('MESSAGE_RETRY_MAX_MS: must not be below MESSAGE_RETRY_BASE_MS');
  }
  if (raw.LOGIN_BACKOFF_MAX_SECONDS < raw.LOGIN_BACKOFF_BASE_SECONDS) {
    issues.push('LOGIN_BACKOFF_MAX_SECONDS: must not be below LOGIN_BACKOFF_BASE_SECONDS');
  }
  if (raw.LOGIN_FAILURE_MEMORY_MINUTES * 60 <= raw.LOGIN_BACKOFF_MAX_SECONDS) {
    issues.push('LOGIN_FAILURE_MEMORY_MINUTES: must be longer than LOGIN_BACKOFF_MAX_SECONDS');
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    nodeEnv: raw.NODE_ENV,
    host: raw.HOST,
    port: raw.PORT,
    logLevel: raw.LOG_LEVEL,
    databaseUrl: raw.DATABASE_URL,
    gatewayPublicKey: raw.GATEWAY_PUBLIC_KEY,
    servicePublicKeys: raw.SERVICE_PUBLIC_KEYS,
    admission: admissionSettings(raw),
    migrateOnStart: raw.MIGRATE_ON_START,
    demoData: raw.DEMO_DATA,
    piiKey: pii.key,
    sessionTtlHours: raw.SESSION_TTL_HOURS,
    audit: auditSettings(raw),
    oidc: oidcParts.every(Boolean)
      ? {
          issuer: raw.OIDC_ISSUER!,
          clientId: raw.OIDC_CLIENT_ID!,
          clientSecret: raw.OIDC_CLIENT_SECRET!,
        }
      : undefined,
    loginLimits: {
      freeFailures: raw.LOGIN_FREE_FAILURES,
      backoffBaseSeconds: raw.LOGIN_BACKOFF_BASE_SECONDS,
      backoffMaxSeconds: raw.LOGIN_BACKOFF_MAX_SECONDS,
      failureMemoryMinutes: raw.LOGIN_FAILURE_MEMORY_MINUTES,
      accountSlowAfter: raw.LOGIN_ACCOUNT_SLOW_AFTER,
      accountDelayMs: raw.LOGIN_ACCOUNT_DELAY_MS,
      addressMaxFailures: raw.LOGIN_ADDRESS_MAX_FAILURES,
      addressWindowMinutes: raw.LOGIN_ADDRESS_WINDOW_MINUTES,
    },
    passwordReset: {
      portalUrl: raw.PORTAL_URL.replace(/\/+$/, ''),
      ttlMinutes: raw.PASSWORD_RESET_TTL_MINUTES,
      addressMax: raw.PASSWORD_RESET_ADDRESS_MAX,
      accountMax: raw.PASSWORD_RESET_ACCOUNT_MAX,
      windowMinutes: raw.PASSWORD_RESET_WINDOW_MINUTES,
      minResponseMs: raw.PASSWORD_RESET_MIN_RESPONSE_MS,
    },
    delivery: {
      smtp: raw.SMTP_URL && raw.SMTP_FROM ? { url: raw.SMTP_URL, from: raw.SMTP_FROM } : null,
      // Outside production an e-mail without a server is only recorded (the embedded demo run).
      unconfigured: raw.NODE_ENV === 'production' ? 'fail' : 'outbox',
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
  };
}

/** The limits and recovery settings with every default (schema emission, tests). */
export function defaultIdentitySettings(): Pick<IdentityConfig, 'loginLimits' | 'passwordReset'> {
  const { loginLimits, passwordReset } = loadIdentityConfig({
    DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
    GATEWAY_PUBLIC_KEY: '{"unused":true}',
  });
  return { loginLimits, passwordReset };
}
