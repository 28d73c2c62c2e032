import {
  ConfigError,
  admissionSettings,
  loadConfig,
  port,
  serviceEnv,
  serviceUrlOf,
  serviceUrlVariable,
  subgraphEnv,
} from '@welfare/kit';
import type { AdmissionSettings } from '@welfare/kit/deadline';
import { z } from 'zod';

/** A day in milliseconds. */
const DAY_MS = 86_400_000;

/**
 * The subgraph's environment: the kit's `subgraphEnv` and its own variables, each with its
 * default and, for a legal figure, its source written beside it.
 */
export const paymentsEnv = {
  ...subgraphEnv,
  ...serviceEnv,
  PORT: port(4006),
  /**
   * Stripe's secret API key (`sk_live_…`, `sk_test_…`). A secret: no default; required in
   * production. Outside production the launcher gives each run its own key for the fake Stripe.
   */
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_-]{8,}$/)
    .optional(),
  /** The webhook endpoint's signing secret (`whsec_…`). Same rules as the key. */
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9_+/=-]{8,}$/)
    .optional(),
  /** Another Stripe API base URL (the fake under `npm start` and tests); absent: Stripe itself. */
  STRIPE_API_URL: z.url().optional(),
  /**
   * The platform's fee on a card payment, in basis points of the card amount (default 0: a public
   * platform takes no commercial role). When above 0 it is Stripe's `application_fee_amount`.
   */
  STRIPE_PLATFORM_FEE_BPS: z.coerce.number().int().min(0).max(2_000).default(0),
  /** How long one Stripe call may take before its outcome is unknown, in ms (SDK `timeout`). */
  STRIPE_TIMEOUT_MS: z.coerce.number().int().min(100).max(80_000).default(10_000),
  /** The SDK's own retries of a call, with the same idempotency key (SDK `maxNetworkRetries`). */
  STRIPE_MAX_NETWORK_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** The portal's origin: onboarding's return and refresh pages, Checkout's success and cancel. */
  PORTAL_URL: z.url().default('http://localhost:3000'),
  /** Wait between two reconciliations with Stripe's balance transactions (default a day). */
  RECONCILIATION_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(7 * DAY_MS)
    .default(DAY_MS),
  /** How far back a reconciliation compares, in days (Stripe's payouts settle within a week). */
  RECONCILIATION_WINDOW_DAYS: z.coerce.number().int().min(1).max(400).default(35),
  /**
   * How long a checkout holds the funds and keeps the card page open, in minutes (default 31):
   * Stripe Checkout sessions expire 30 minutes to 24 hours after creation
   * (https://docs.stripe.com/api/checkout/sessions/create, `expires_at`), and third-sector lets a
   * checkout hold a booking at most 60 minutes (its `begin`).
   */
  CHECKOUT_HOLD_MINUTES: z.coerce.number().int().min(30).max(60).default(31),
  /** Wait between two passes of the checkout recovery job, in ms (default 15 s). */
  CHECKOUT_RECOVERY_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
  /**
   * How long a checkout may sit untouched before the recovery job takes it up, in ms (default
   * 30 s: longer than any request that could still be advancing it, the gateway's timeout).
   */
  CHECKOUT_IDLE_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /**
   * How long one advance of a checkout holds its lease, in ms (default 15 s): another advancer
   * (the recovery job after a crash) may take the checkout up only once it has passed, so it must
   * outlast any one step (the gateway's 3 s subgraph timeout bounds the calls of a request).
   */
  CHECKOUT_LEASE_MS: z.coerce.number().int().min(1_000).max(600_000).default(15_000),
  /**
   * The codice segregazione pagoPA assigned to this platform as the IUV generation point of the
   * Comuni it serves (two digits; PagoPA S.p.A. assigns them to intermediaries and technology
   * partners, 00-49: SACI 3.x, "Il codice di segregazione", https://docs.pagopa.it/saci). Every
   * notice uses aux digit 3 with it (schema NAV.3). Default 01 outside production; required in
   * production (it is the Comune's agreement with pagoPA, not ours to guess).
   */
  PAGOPA_SEGREGATION_CODE: z
    .string()
    .regex(/^(0[0-9]|[1-4][0-9])$/)
    .optional(),
  /** How far ahead a notice's due date may be, in days (default five years). */
  PAGOPA_MAX_DUE_DAYS: z.coerce.number().int().min(1).max(3_660).default(1_830),
  /**
   * The services that own funds a checkout may combine (comma-separated service names): the
   * Comuni's voucher credit (public-welfare), the employers' welfare plan credit
   * (corporate-welfare) and the members' IES (ies-circuit).
   */
  FUND_OWNERS: z
    .string()
    .regex(/^[a-z][a-z0-9-]*(,[a-z][a-z0-9-]*)*$/)
    .default('public-welfare,corporate-welfare,ies-circuit'),
};

/** The checkout's settings (see CHECKOUT_* above). */
export interface CheckoutConfig {
  holdMinutes: number;
  recoveryIntervalMs: number;
  idleMs: number;
  /** How long one advance holds a checkout's lease (ms). */
  leaseMs: number;
  /** Fund owners and payable owners by service name, with their base URLs. */
  fundOwners: Record<string, string>;
  payableOwners: Record<string, string>;
}

/** How the subgraph reaches Stripe. */
export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  /** Another API base URL (the fake); absent: api.stripe.com. */
  apiUrl?: string;
  timeoutMs: number;
  maxNetworkRetries: number;
}

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
  /** Stripe; absent outside production when not configured (card payments are then refused). */
  stripe: StripeSettings | undefined;
  /** The platform's fee on card payments, in basis points. */
  platformFeeBps: number;
  portalUrl: string;
  reconciliationIntervalMs: number;
  reconciliationWindowDays: number;
  /** This subgraph's service signing key (Ed25519 JWK JSON), for the fund owners' operations. */
  servicePrivateKey: string | undefined;
  /** The public keys of the services that may call this one. */
  servicePublicKeys: Readonly<Record<string, string>>;
  checkout: CheckoutConfig;
  /** pagoPA notices: the platform's codice segregazione and the due-date horizon. */
  pagopa: { segregationCode: string; maxDueDays: number };
  /** identity's base URL (a notice's creditor: the Comune's name and codice fiscale). */
  identityUrl: string | undefined;
}

/** The payables' owners (by service name): third-sector's offer bookings. */
const PAYABLE_OWNER_SERVICES = ['third-sector'];

/** The one place that reads the environment. Throws `ConfigError` naming every problem. */
export function loadPaymentsConfig(env: NodeJS.ProcessEnv = process.env): PaymentsConfig {
  const raw = loadConfig(paymentsEnv, env);
  const { STRIPE_SECRET_KEY: secretKey, STRIPE_WEBHOOK_SECRET: webhookSecret } = raw;
  if (raw.NODE_ENV === 'production') {
    const missing = [
      secretKey ? undefined : 'STRIPE_SECRET_KEY: required in production',
      webhookSecret ? undefined : 'STRIPE_WEBHOOK_SECRET: required in production',
    ].filter((issue): issue is string => issue !== undefined);
    if (missing.length > 0) throw new ConfigError(missing);
  }
  // The fund and payable owners the checkout calls, by SERVICE_URL_<NAME> (the launcher sets
  // them). In production each is required; elsewhere a missing one is left out (its funds or
  // payables are then not offered).
  const reachable = (names: string[]) =>
    Object.fromEntries(
      names.flatMap((name) => {
        const url = serviceUrlOf(name, env);
        return url ? [[name, url] as const] : [];
      }),
    );
  const fundNames = raw.FUND_OWNERS.split(',');
  const fundOwners = reachable(fundNames);
  const payableOwners = reachable(PAYABLE_OWNER_SERVICES);
  if (raw.NODE_ENV === 'production') {
    const missing = [...fundNames, ...PAYABLE_OWNER_SERVICES]
      .filter((name) => !(name in fundOwners) && !(name in payableOwners))
      .map((name) => `${serviceUrlVariable(name)}: required in production (the checkout calls it)`);
    if (!raw.SERVICE_PRIVATE_KEY) missing.push('SERVICE_PRIVATE_KEY: required in production');
    if (!raw.PAGOPA_SEGREGATION_CODE) {
      missing.push('PAGOPA_SEGREGATION_CODE: required in production (assigned by PagoPA S.p.A.)');
    }
    if (!serviceUrlOf('identity', env)) {
      missing.push(`${serviceUrlVariable('identity')}: required in production (pagoPA creditors)`);
    }
    if (missing.length > 0) throw new ConfigError(missing);
  }
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
    stripe:
      secretKey && webhookSecret
        ? {
            secretKey,
            webhookSecret,
            ...(raw.STRIPE_API_URL ? { apiUrl: raw.STRIPE_API_URL } : {}),
            timeoutMs: raw.STRIPE_TIMEOUT_MS,
            maxNetworkRetries: raw.STRIPE_MAX_NETWORK_RETRIES,
          }
        : undefined,
    platformFeeBps: raw.STRIPE_PLATFORM_FEE_BPS,
    portalUrl: raw.PORTAL_URL,
    reconciliationIntervalMs: raw.RECONCILIATION_INTERVAL_MS,
    reconciliationWindowDays: raw.RECONCILIATION_WINDOW_DAYS,
    servicePrivateKey: raw.SERVICE_PRIVATE_KEY,
    servicePublicKeys: raw.SERVICE_PUBLIC_KEYS,
    checkout: {
      holdMinutes: raw.CHECKOUT_HOLD_MINUTES,
      recoveryIntervalMs: raw.CHECKOUT_RECOVERY_INTERVAL_MS,
      idleMs: raw.CHECKOUT_IDLE_MS,
      leaseMs: raw.CHECKOUT_LEASE_MS,
      fundOwners,
      payableOwners,
    },
    pagopa: {
      segregationCode: raw.PAGOPA_SEGREGATION_CODE ?? '01',
      maxDueDays: raw.PAGOPA_MAX_DUE_DAYS,
    },
    identityUrl: serviceUrlOf('identity', env),
  };
}
