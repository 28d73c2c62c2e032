import {
  ConfigError,
  admissionSettings,
  loadConfig,
  port,
  serviceEnv,
  subgraphEnv,
} from '@welfare/kit';
import type { AdmissionSettings } from '@welfare/kit/deadline';
import type { InvitationDelivery } from './modules/enrolment/invitation-dispatcher.js';
import { z } from 'zod';
import { DEFAULT_LEGAL_FIGURES, legalFiguresSchema, type LegalFigures } from './legal.js';

/**
 * The subgraph's environment: the kit's `subgraphEnv` and its own variables, each with its
 * default and, for a legal figure, its source written beside it.
 */
export const corporateWelfareEnv = {
  ...subgraphEnv,
  PORT: port(4007),
  /** Largest plan regulation, in bytes (413 beyond; default 5 MB). */
  REGULATION_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(5 * 1024 * 1024),
  /** Wait between two passes of the job that closes ended plans, in ms (default 1 hour). */
  PLAN_END_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(3_600_000),
  /**
   * The legal figures (fringe-benefit caps, performance-bonus taxes), as JSON of the shape of
   * `legal.ts`, each with its source; unset, the figures in force when it was written.
   */
  WELFARE_LEGAL_FIGURES: z
    .string()
    .optional()
    .transform((text, ctx): LegalFigures => {
      if (text === undefined || text.trim() === '') return DEFAULT_LEGAL_FIGURES;
      try {
        return legalFiguresSchema.parse(JSON.parse(text));
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `not valid legal figures: ${String(error)}` });
        return z.NEVER;
      }
    }),
  /** Service-to-service calls: the fund contract's operations answer payments only. */
  ...serviceEnv,
  /** The largest receipt of a reimbursement claim, in bytes (up to 5 per claim). */
  CLAIM_RECEIPT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50_000_000)
    .default(5 * 1_048_576),
  /** Largest enrolment CSV accepted, in bytes (default 50 MB: far beyond 100,000 employees). */
  ENROLMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(50 * 1024 * 1024),
  /** Mail server of the employees' invitations (`smtp://…:587` or `smtps://…:465`). */
  SMTP_URL: z
    .string()
    .url()
    .refine((v) => /^smtps?:\/\//.test(v), { message: 'must be an smtp:// or smtps:// URL' })
    .optional(),
  /** Sender of the invitations, e.g. `Welfare aziendale <noreply@welfare.example.it>`. */
  SMTP_FROM: z.string().min(3).max(200).optional(),
};

export interface CorporateWelfareConfig {
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
  /** The legal figures of corporate welfare, each with its source. */
  legalFigures: LegalFigures;
  /**
   * The public keys of the services that may call this subgraph's internal operations
   * (JWK JSON by service name): the fund contract's routes answer `payments` only.
   */
  servicePublicKeys: Readonly<Record<string, string>>;
  /** The largest receipt of a reimbursement claim, in bytes. */
  maxReceiptBytes: number;
  /** Largest plan regulation, in bytes. */
  regulationMaxBytes: number;
  /** Wait between two passes of the plan-end job, in ms. */
  planEndIntervalMs: number;
  /** Largest enrolment CSV, in bytes. */
  enrolmentMaxBytes: number;
  /** How the employees' invitations are delivered. */
  invitations: InvitationDelivery;
}

/** The one place that reads the environment. Throws `ConfigError` naming every problem. */
export function loadCorporateWelfareConfig(
  env: NodeJS.ProcessEnv = process.env,
): CorporateWelfareConfig {
  const raw = loadConfig(corporateWelfareEnv, env);
  const production = raw.NODE_ENV === 'production';
  // A production run without a mail server would pretend to invite.
  const issues: string[] = [];
  if (production && !raw.SMTP_URL) issues.push('SMTP_URL: required in production');
  if (raw.SMTP_URL && !raw.SMTP_FROM) issues.push('SMTP_FROM: required with SMTP_URL');
  if (issues.length) throw new ConfigError(issues);
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
    legalFigures: raw.WELFARE_LEGAL_FIGURES,
    servicePublicKeys: raw.SERVICE_PUBLIC_KEYS,
    maxReceiptBytes: raw.CLAIM_RECEIPT_MAX_BYTES,
    regulationMaxBytes: raw.REGULATION_MAX_BYTES,
    planEndIntervalMs: raw.PLAN_END_INTERVAL_MS,
    enrolmentMaxBytes: raw.ENROLMENT_MAX_BYTES,
    invitations: {
      smtp: raw.SMTP_URL && raw.SMTP_FROM ? { url: raw.SMTP_URL, from: raw.SMTP_FROM } : null,
      unconfigured: production ? 'fail' : 'outbox',
      pollMs: 5_000,
      batchSize: 50,
      maxAttempts: 8,
    },
  };
}
