/**
 * The corporate-welfare subgraph's demo facts, as plain constants (`@welfare/corporate-welfare/demo`):
 * the launcher prints them and tests import them instead of repeating ids. No ORM is loaded here.
 */

/** The demo employer, Officine Rossi S.p.A. (identity's demo organisation, referenced by id only). */
export const DEMO_EMPLOYER_ID = '0b7c2d1e-0000-4000-8000-000000000103';

/**
 * Officine Rossi's HR, Luca Colombo (`hr@officinerossi.demo`): identity's demo account, repeated
 * here (subgraphs import nothing of each other): the demo plan's author.
 */
export const DEMO_HR_PERSON_ID = '0b7c2d1e-0000-4000-8000-000000000206';

/**
 * Mario Rossi's codice fiscale: identity's demo citizen who logs in with SPID, repeated here
 * (subgraphs import nothing of each other). He is one of Officine Rossi's employees (OPERAI).
 */
export const DEMO_EMPLOYEE_FISCAL_CODE = 'RSSMRA80A01H501U';

/** The demo plan's id for a year (one plan per year the demo is loaded in). */
export const demoPlanId = (year: number) => `0b7c2d1e-0000-4000-8000-00000010${year}`;

/** The demo plan's name for a year ("Piano welfare 2026"). */
export const demoPlanName = (year: number) => `Piano welfare ${year}`;

/** The demo plan's categories and the credit of each of their employees, in cents. */
export const DEMO_PLAN_CATEGORIES = [
  {
    code: 'OPERAI',
    name: 'Operai',
    criterion: 'Operai dei livelli 1-3 del CCNL Metalmeccanici Industria',
    creditCents: 50_000,
  },
  {
    code: 'IMPIEGATI',
    name: 'Impiegati',
    criterion: 'Impiegati e quadri dei livelli 4-9 del CCNL Metalmeccanici Industria',
    creditCents: 30_000,
  },
] as const;

/** What the demo plan's credit pays for. */
export const DEMO_PLAN_PURPOSES = [
  'SERVICES_IN_KIND',
  'EDUCATION_CHILDCARE',
  'PUBLIC_TRANSPORT',
  'FRINGE_BENEFIT',
] as const;

/**
 * The catalogue categories the demo plan pays in kind: those of La Esse's demo offers in the
 * third sector's demo (education, childcare, elderly care, disability, health, employment, home
 * services) and sport and culture (Amici di Balestrate's).
 */
export const DEMO_PLAN_COVERED_CATEGORIES = [
  'EDUCATION',
  'CHILDCARE',
  'ELDERLY_CARE',
  'DISABILITY',
  'HEALTH',
  'EMPLOYMENT',
  'HOME_SERVICES',
  'SPORT',
  'CULTURE',
] as const;

/** Officine Rossi's 25 demo employees: Mario Rossi and 24 colleagues (codice fiscale, names, category). */
export const DEMO_EMPLOYEES: readonly (readonly [
  string,
  string,
  string,
  'OPERAI' | 'IMPIEGATI',
])[] = [
  [DEMO_EMPLOYEE_FISCAL_CODE, 'Mario', 'Rossi', 'OPERAI'],
  ['RSSGPP75C12G273Q', 'Giuseppe', 'Russo', 'OPERAI'],
  ['FRRFNC82L44G273Y', 'Francesca', 'Ferrari', 'IMPIEGATI'],
  ['SPSNTN69S23G273T', 'Antonio', 'Esposito', 'OPERAI'],
  ['BNCGNN90A55G273S', 'Giovanna', 'Bianco', 'IMPIEGATI'],
  ['RMNSVT78E30G273U', 'Salvatore', 'Romano', 'OPERAI'],
  ['CLMMRA85P49G273B', 'Maria', 'Colombo', 'IMPIEGATI'],
  ['RCCVCN72B02G273Z', 'Vincenzo', 'Ricci', 'OPERAI'],
  ['MRNNNA88T61G273E', 'Anna', 'Marino', 'IMPIEGATI'],
  ['GRCFNC81H17G273O', 'Francesco', 'Greco', 'OPERAI'],
  ['BRNRSO76D48G273C', 'Rosa', 'Bruno', 'OPERAI'],
  ['GLLDNC93M26G273J', 'Domenico', 'Gallo', 'OPERAI'],
  ['CNTNGL79R43G273L', 'Angela', 'Conti', 'IMPIEGATI'],
  ['DLCLGU67A29G273K', 'Luigi', 'De Luca', 'OPERAI'],
  ['MNCTRS91C59G273D', 'Teresa', 'Mancini', 'IMPIEGATI'],
  ['CSTPTR84L11G273G', 'Pietro', 'Costa', 'OPERAI'],
  ['GRDLCU87E45G273W', 'Lucia', 'Giordano', 'IMPIEGATI'],
  ['RZZCML74P14G273Q', 'Carmelo', 'Rizzo', 'OPERAI'],
  ['LMBCRN83S67G273R', 'Caterina', 'Lombardi', 'IMPIEGATI'],
  ['MRTGTN70T01G273I', 'Gaetano', 'Moretti', 'OPERAI'],
  ['BRBRSR95B62G273V', 'Rosaria', 'Barbieri', 'OPERAI'],
  ['FNTCGR80H06G273U', 'Calogero', 'Fontana', 'OPERAI'],
  ['SNTCCT77M58G273A', 'Concetta', 'Santoro', 'IMPIEGATI'],
  ['MRNGNZ86D24G273S', 'Ignazio', 'Mariani', 'OPERAI'],
  ['RNLRTI89R71G273C', 'Rita', 'Rinaldi', 'IMPIEGATI'],
];
