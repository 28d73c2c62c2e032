// The portal's configuration: read from the environment and validated here, and nowhere else.
import { z } from 'zod';
import type { LegalInfo } from '../legal';

const url = (what: string) =>
  z.url({ protocol: /^https?$/, error: `${what} must be an http(s) URL` });

const text = (max: number) => z.string().trim().min(1).max(max);
const email = (what: string) => z.email({ error: `${what} must be an e-mail address` });
const years = () => z.coerce.number().int().min(1).max(100).default(10);
const months = (fallback: number) => z.coerce.number().int().min(1).max(1200).default(fallback);

const schema = z.object({
  /** The gateway's GraphQL endpoint (server-side only). */
  GATEWAY_URL: url('GATEWAY_URL').default('http://127.0.0.1:4000/graphql'),
  /** The portal's public origin (also read by adapter-node): redirect URIs, invitation links. */
  ORIGIN: url('ORIGIN').optional(),
  /** Optional public base URL if it differs from ORIGIN (e.g. behind a path-preserving proxy). */
  PUBLIC_BASE_URL: url('PUBLIC_BASE_URL').optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Timeout of one gateway call, in milliseconds. */
  GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(5000),
  /**
   * How long a browser keeps to HTTPS after a response over TLS (Strict-Transport-Security
   * max-age, seconds; RFC 6797). One year by default, the minimum hstspreload.org and Mozilla's
   * guidelines recommend; 0 tells browsers to forget it (to roll back a TLS set-up).
   */
  HSTS_MAX_AGE_S: z.coerce.number().int().min(0).max(63072000).default(31536000),
  /**
   * Where Stripe's Connect onboarding pages are (the provider's payments page posts there through
   * a redirect, so its form-action allows this origin): Stripe's by default, the fake's in tests.
   */
  STRIPE_CONNECT_ORIGIN: url('STRIPE_CONNECT_ORIGIN').default('https://connect.stripe.com'),
  NODE_ENV: z.string().optional(),
  /**
   * The map tiles (Leaflet URL template with {z}, {x} and {y}; no {s} subdomains, so that the
   * pages' img-src can name one origin): OpenStreetMap's by default; `none` shows the maps'
   * markers on a plain background (the embedded run and the tests have no internet).
   */
  MAP_TILE_URL: z
    .union([
      z.literal('none'),
      z
        .url({ protocol: /^https?$/, error: 'MAP_TILE_URL must be an http(s) URL or none' })
        .refine((u) => ['{z}', '{x}', '{y}'].every((p) => u.includes(p)) && !u.includes('{s}'), {
          error: 'MAP_TILE_URL must contain {z}, {x} and {y} and no {s}',
        }),
    ])
    .default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  /** The attribution the tiles' licence asks for (plain text, shown on the map). */
  MAP_TILE_ATTRIBUTION: text(300).default('© OpenStreetMap contributors'),
  // The data controller and the contacts shown on the privacy notices, the accessibility
  // statement and the contacts page (GDPR art. 13(1)(a)-(b)). The defaults are the demo Comune's:
  // production refuses to start without the controller's own.
  /** The controller (titolare del trattamento): the Comune running the platform. */
  CONTROLLER_NAME: text(200).default('Comune di Balestrate'),
  /** Its seat. */
  CONTROLLER_ADDRESS: text(300).default('Via Roma 1, 90041 Balestrate (PA)'),
  /** Its e-mail (protocol office). */
  CONTROLLER_EMAIL: email('CONTROLLER_EMAIL').default('protocollo@balestrate.demo'),
  /** Its certified e-mail (PEC). */
  CONTROLLER_PEC: email('CONTROLLER_PEC').default('protocollo@pec.balestrate.demo'),
  /** Its telephone (switchboard or URP). */
  CONTROLLER_PHONE: text(40).default('+39 091 000 0000'),
  /** The data protection officer's e-mail (GDPR art. 37-39; art. 13(1)(b)). */
  DPO_EMAIL: email('DPO_EMAIL').default('dpo@balestrate.demo'),
  /** Who answers accessibility feedback (the Comune's RTD, Legge 4/2004 art. 3-quinquies). */
  ACCESSIBILITY_EMAIL: email('ACCESSIBILITY_EMAIL').default('accessibilita@balestrate.demo'),
  /** Help desk for shops, providers and operators. */
  SUPPORT_EMAIL: email('SUPPORT_EMAIL').default('assistenza@balestrate.demo'),
  /** Where the platform's source code is published (CAD art. 69), if anywhere. */
  SOURCE_CODE_URL: url('SOURCE_CODE_URL').optional(),
  // Retention periods stated in the privacy notices (GDPR art. 13(2)(a)). Each Comune sets them
  // from its own piano di conservazione (DPR 445/2000 art. 68; D.Lgs. 42/2004 art. 21); the
  // defaults' sources, which the notices cite, are RETENTION_SOURCES in $lib/legal.
  RETENTION_CASE_FILES_YEARS: years(),
  RETENTION_ACCOUNTING_YEARS: years(),
  RETENTION_REGISTRY_MONTHS: months(24),
  RETENTION_ACCOUNT_MONTHS: months(12),
  RETENTION_LOG_MONTHS: months(12),
});

export interface Config {
  gatewayUrl: string;
  /** Public origin without trailing slash, e.g. `https://welfare.comune.example`. */
  origin: string;
  /** Public base URL for links sent to people (defaults to the origin). */
  publicBaseUrl: string;
  gatewayTimeoutMs: number;
  /** Strict-Transport-Security max-age in seconds (sent only on requests that came over TLS). */
  hstsMaxAgeS: number;
  /** The origin of Stripe's Connect onboarding pages (the only place onboarding redirects to). */
  stripeConnectOrigin: string;
  /** Who is responsible for the service and its data, as the public pages state it. */
  legal: LegalInfo;
  /** The maps' tiles: a URL template, its origin (for img-src) and attribution; null for none. */
  mapTiles: { url: string; origin: string; attribution: string } | null;
}

/** Validates an environment. Throws one error listing every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid portal configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  if (!e.ORIGIN && e.NODE_ENV === 'production') {
    throw new Error('Invalid portal configuration: ORIGIN is required in production');
  }
  const demoController = ['CONTROLLER_NAME', 'CONTROLLER_EMAIL', 'CONTROLLER_PEC', 'DPO_EMAIL'];
  const unset = demoController.filter((name) => cleaned[name] === undefined);
  if (e.NODE_ENV === 'production' && unset.length > 0) {
    throw new Error(
      `Invalid portal configuration: ${unset.join(', ')} required in production (the privacy notices name the controller)`,
    );
  }
  const origin = new URL(e.ORIGIN ?? `http://localhost:${e.PORT}`).origin;
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? origin).replace(/\/+$/, '');
  return {
    gatewayUrl: e.GATEWAY_URL,
    origin,
    publicBaseUrl,
    gatewayTimeoutMs: e.GATEWAY_TIMEOUT_MS,
    hstsMaxAgeS: e.HSTS_MAX_AGE_S,
    stripeConnectOrigin: new URL(e.STRIPE_CONNECT_ORIGIN).origin,
    mapTiles:
      e.MAP_TILE_URL === 'none'
        ? null
        : {
            url: e.MAP_TILE_URL,
            origin: new URL(e.MAP_TILE_URL.replace(/\{[a-z]+\}/g, '0')).origin,
            attribution: e.MAP_TILE_ATTRIBUTION,
          },
    legal: {
      controller: {
        name: e.CONTROLLER_NAME,
        address: e.CONTROLLER_ADDRESS,
        email: e.CONTROLLER_EMAIL,
        pec: e.CONTROLLER_PEC,
        phone: e.CONTROLLER_PHONE,
      },
      dpoEmail: e.DPO_EMAIL,
      accessibilityEmail: e.ACCESSIBILITY_EMAIL,
      supportEmail: e.SUPPORT_EMAIL,
      sourceCodeUrl: e.SOURCE_CODE_URL ?? null,
      retention: {
        caseFilesYears: e.RETENTION_CASE_FILES_YEARS,
        accountingYears: e.RETENTION_ACCOUNTING_YEARS,
        registryMonths: e.RETENTION_REGISTRY_MONTHS,
        accountMonths: e.RETENTION_ACCOUNT_MONTHS,
        logMonths: e.RETENTION_LOG_MONTHS,
      },
    },
  };
}

let cached: Config | undefined;

/** The configuration of this process (validated on first use). */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
