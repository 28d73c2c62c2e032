// The pages an Italian public service must have (privacy notices, accessibility statement, legal
// notes, contacts, help), their stable addresses and the dates of their texts. Pure: the footer,
// the pages and the tests read it.

/** The privacy notices (GDPR art. 13), one per role, at `/privacy/<role>`. */
export const PRIVACY_ROLES = [
  'cittadini',
  'personale-comune',
  'esercenti',
  'enti',
  'aziende',
] as const;
export type PrivacyRole = (typeof PRIVACY_ROLES)[number];

/** The help pages, one per kind of user, at `/aiuto/<area>`. */
export const HELP_AREAS = ['cittadini', 'esercenti', 'enti', 'comuni'] as const;
export type HelpArea = (typeof HELP_AREAS)[number];

/**
 * The date of the privacy notices' text, which is their version. The application form records
 * it with the applicant's acknowledgement: change it with the text, and change public-welfare's
 * `CITIZEN_PRIVACY_NOTICE` with it (tests/e2e/apply.test.ts compares the two).
 */
export const PRIVACY_NOTICE_VERSION = '2026-12-06';

/** When the accessibility statement was written and last reviewed (AgID's model asks for both). */
export const ACCESSIBILITY_STATEMENT = { prepared: '2026-12-06', reviewed: '2026-12-06' } as const;

/**
 * Where a citizen turns when the Comune does not answer an accessibility report: the Difensore
 * civico per il digitale at AgID (Legge 4/2004 art. 3-quinquies c.3; CAD art. 17 c.1-quater).
 */
export const AGID_ENFORCEMENT = {
  url: 'https://www.agid.gov.it/it/agenzia/difensore-civico-il-digitale',
  pec: 'protocollo@pec.agid.gov.it',
} as const;

/** The Garante per la protezione dei dati personali (GDPR art. 77). */
export const GARANTE_URL = 'https://www.garanteprivacy.it';

/** The licences the legal notes name. */
export const LICENCE_URLS = {
  eupl: 'https://joinup.ec.europa.eu/collection/eupl/eupl-text-eupl-12',
  ccBy: 'https://creativecommons.org/licenses/by/4.0/deed.it',
} as const;

/**
 * Where each default retention period comes from, as the notices cite it (legal citations read
 * the same in both languages). A Comune that sets other periods (the portal's RETENTION_*
 * variables) cites its own piano di conservazione.
 */
export const RETENTION_SOURCES = {
  // 10 years from the case's closure: the ordinary limitation period (c.c. art. 2946) within
  // which the Comune may recover a benefit unduly paid, including after the checks of
  // self-declarations (DPR 445/2000 arts. 71-75).
  caseFiles: 'art. 2946 c.c.; DPR 445/2000, artt. 71-75',
  // 10 years: accounting records and their supporting documents (c.c. art. 2220).
  accounting: 'art. 2220 c.c.',
  // 24 months from the import: the year's measures and their checks, then replaced by newer data
  // (storage limitation, GDPR art. 5(1)(e); the ISEE's validity and checks, DPCM 159/2013).
  registry: 'art. 5(1)(e) GDPR; DPCM 159/2013, art. 11',
  // 12 months from the end of the role: long enough to answer for the account's actions.
  account: 'art. 5(1)(e) GDPR',
  // 12 months: system access logs are kept at least 6 months (Garante, provv. 27/11/2008).
  logs: 'Garante privacy, provv. 27/11/2008',
} as const;
export type RetentionKind = keyof typeof RETENTION_SOURCES;

/** The data controller, contacts and retention periods of the legal pages. */
export interface LegalInfo {
  controller: { name: string; address: string; email: string; pec: string; phone: string };
  dpoEmail: string;
  accessibilityEmail: string;
  supportEmail: string;
  sourceCodeUrl: string | null;
  /** Retention periods: years or months, as the notices state them. */
  retention: {
    caseFilesYears: number;
    accountingYears: number;
    registryMonths: number;
    accountMonths: number;
    logMonths: number;
  };
}

/** The address of a required page. */
type LegalPath =
  | '/privacy'
  | `/privacy/${PrivacyRole}`
  | '/aiuto'
  | `/aiuto/${HelpArea}`
  | '/accessibilita'
  | '/note-legali'
  | '/contatti';

/** A link of the footer and of the index pages. */
interface LegalLink {
  href: LegalPath;
  /** Stable hook for browser tests. */
  testid: string;
}

const link = (href: LegalPath): LegalLink => ({
  href,
  testid: `legal-link-${href.slice(1).replaceAll('/', '-')}`,
});

/** Every required page, grouped as the footer shows them. */
export const LEGAL_LINKS = {
  privacy: [link('/privacy'), ...PRIVACY_ROLES.map((role) => link(`/privacy/${role}`))],
  help: [link('/aiuto'), ...HELP_AREAS.map((area) => link(`/aiuto/${area}`))],
  site: [link('/accessibilita'), link('/note-legali'), link('/contatti')],
} as const;

/** The address of every required page. */
export const REQUIRED_PAGES: readonly LegalPath[] = Object.values(LEGAL_LINKS).flatMap((links) =>
  links.map((l) => l.href),
);
