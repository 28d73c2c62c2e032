/**
 * The demo logins (package export `@welfare/identity/demo`): plain data, no dependencies, so the
 * portal's login page and the end-to-end tests can list them. Ids are fixed so the other
 * subgraphs' demo data can refer to these people and organisations.
 */

/** Password of every demo staff login. */
export const DEMO_PASSWORD = 'welfare-demo-2026';

export type DemoOrganisationKind =
  'COMUNE' | 'COOPERATIVE' | 'ASSOCIATION' | 'EMPLOYER' | 'MERCHANT';
export type DemoRole = 'OPERATOR' | 'MANAGER' | 'ADMIN' | 'TUTOR' | 'HR' | 'OWNER' | 'CASHIER';

export interface DemoOrganisation {
  id: string;
  kind: DemoOrganisationKind;
  name: string;
  /** Partita IVA or codice fiscale (valid check digit). */
  taxCode: string;
  /** Valid Italian IBAN. */
  iban: string;
  email: string;
  city: string;
}

export interface DemoAccount {
  /** Italian label, e.g. 'Operatore del Comune'. */
  label: string;
  labelEn: string;
  kind: 'staff' | 'citizen' | 'admin';
  personId: string;
  givenName: string;
  familyName: string;
  /** Staff and admin logins. */
  email?: string;
  password?: string;
  /** Citizens (SPID/CIE test provider). */
  fiscalCode?: string;
  /** Staff: where they work and as what. */
  organisationId?: string;
  role?: DemoRole;
}

export const DEMO_ORGANISATIONS = {
  balestrate: {
    id: '0b7c2d1e-0000-4000-8000-000000000101',
    kind: 'COMUNE',
    name: 'Comune di Balestrate',
    taxCode: '80002190827',
    iban: 'IT60X0542811101000000123456',
    email: 'protocollo@balestrate.demo',
    city: 'Balestrate',
  },
  laEsse: {
    id: '0b7c2d1e-0000-4000-8000-000000000102',
    kind: 'COOPERATIVE',
    name: 'Cooperativa Sociale La Esse',
    taxCode: '04123450829',
    iban: 'IT60Z0306943470100000000123',
    email: 'info@laesse.demo',
    city: 'Partinico',
  },
  officineRossi: {
    id: '0b7c2d1e-0000-4000-8000-000000000103',
    kind: 'EMPLOYER',
    name: 'Officine Rossi S.p.A.',
    taxCode: '07234560824',
    iban: 'IT72C0200804682000104567890',
    email: 'info@officinerossi.demo',
    city: 'Palermo',
  },
  daRosa: {
    id: '0b7c2d1e-0000-4000-8000-000000000104',
    kind: 'MERCHANT',
    name: 'Alimentari Da Rosa',
    taxCode: '06345670829',
    iban: 'IT14G0503643600000000456789',
    email: 'negozio@darosa.demo',
    city: 'Balestrate',
  },
  amiciBalestrate: {
    id: '0b7c2d1e-0000-4000-8000-000000000105',
    kind: 'ASSOCIATION',
    name: 'Associazione Amici di Balestrate',
    taxCode: '97001230826',
    iban: 'IT96A0306943470000000004567',
    email: 'info@amicibalestrate.demo',
    city: 'Balestrate',
  },
  girasole: {
    id: '0b7c2d1e-0000-4000-8000-000000000106',
    kind: 'COOPERATIVE',
    name: 'Cooperativa Sociale Il Girasole',
    taxCode: '05612340827',
    iban: 'IT43K0306943470000000007890',
    email: 'info@girasole.demo',
    city: 'Trappeto',
  },
} as const satisfies Record<string, DemoOrganisation>;

const ORG = DEMO_ORGANISATIONS;

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    label: 'Amministratore della piattaforma',
    labelEn: 'Platform administrator',
    kind: 'admin',
    personId: '0b7c2d1e-0000-4000-8000-000000000201',
    givenName: 'Paola',
    familyName: 'Ferri',
    email: 'admin@welfare.demo',
    password: DEMO_PASSWORD,
  },
  {
    label: 'Operatore del Comune',
    labelEn: 'Comune operator',
    kind: 'staff',
    personId: '0b7c2d1e-0000-4000-8000-000000000202',
    givenName: 'Salvatore',
    familyName: 'Greco',
    email: 'operatore@balestrate.demo',
    password: DEMO_PASSWORD,
    organisationId: ORG.balestrate.id,
    role: 'OPERATOR',
  },
  {
    label: 'Responsabile del Comune',
    labelEn: 'Comune manager',
    kind: 'staff',
    personId: '0b7c2d1e-0000-4000-8000-000000000203',
    givenName: 'Francesca',
    familyName: 'Russo',
    email: 'responsabile@balestrate.demo',
    password: DEMO_PASSWORD,
    organisationId: ORG.balestrate.id,
    role: 'MANAGER',
  },
  {
    label: 'Amministratore della cooperativa',
    labelEn: 'Cooperative administrator',
    kind: 'staff',
    personId: '0b7c2d1e-0000-4000-8000-000000000204',
    givenName: 'Marco',
    familyName: 'Esposito',
    email: 'admin@laesse.demo',
    password: DEMO_PASSWORD,
    organisationId: ORG.laEsse.id,
    role: 'ADMIN',
  },
  {
    label: 'Tutor della cooperativa',
    labelEn: 'Cooperative tutor',
    kind: 'staff',
    personId: '0b7c2d1e-0000-4000-8000-000000000205',
    givenName: 'Chiara',
    familyName: 'Romano',
    email: 'tutor@laesse.demo',
    password: DEMO_PASSWORD,
    organisationId: ORG.laEsse.id,
    role: 'TUTOR',
  },
  {
    label: 'Secondo tutor della cooperativa',
    labelEn: 'Second cooperative tutor',
    kind: 'staff',
    personId: '0b7c2d1e-0000-4000-8000-00000000020b',
    givenName: 'Davide',
    familyName: 'Lombardo',
    email: 'tutor2@laesse.demo',
    password: DEMO_PASSWORD,
    organisationId: ORG.laEsse.id,
    role: 'TUTOR',
  },
  {
    label: 'Risorse umane dell’azienda',
    labelEn: 'Employer HR',
    kind: 'staff',
    personId: '0b7c2d1e-0000-4000-8000-000000000206',
    givenName: 'Luca',
    familyName: 'Colombo',
    email: 'hr@officinerossi.demo',
    password: DEMO_PASSWORD,
    organisationId: ORG.officineRossi.id,
    role: 'HR',
  },
  {
    label: 'Titolare del negozio',
    labelEn: 'Shop owner',
    kind: 'staff',
    personId: '0b7c2d1e-0000-4000-8000-000000000207',
    givenName: 'Antonino',
    familyName: 'Da Rosa',
    email: 'titolare@darosa.demo',
    password: DEMO_PASSWORD,
    organisationId: ORG.daRosa.id,
    role: 'OWNER',
  },
  {
    label: 'Cassa del negozio',
    labelEn: 'Shop cashier',
    kind: 'staff',
    personId: '0b7c2d1e-0000-4000-8000-000000000208',
    givenName: 'Elena',
    familyName: 'Ricci',
    email: 'cassa@darosa.demo',
    password: DEMO_PASSWORD,
    organisationId: ORG.daRosa.id,
    role: 'CASHIER',
  },
  {
    label: 'Amministratore dell’associazione',
    labelEn: 'Association administrator',
    kind: 'staff',
    personId: '0b7c2d1e-0000-4000-8000-000000000209',
    givenName: 'Rosalia',
    familyName: 'Mancuso',
    email: 'admin@amicibalestrate.demo',
    password: DEMO_PASSWORD,
    organisationId: ORG.amiciBalestrate.id,
    role: 'ADMIN',
  },
  {
    label: 'Amministratore della cooperativa Il Girasole',
    labelEn: 'Il Girasole cooperative administrator',
    kind: 'staff',
    personId: '0b7c2d1e-0000-4000-8000-00000000020a',
    givenName: 'Vincenzo',
    familyName: 'Palazzolo',
    email: 'admin@girasole.demo',
    password: DEMO_PASSWORD,
    organisationId: ORG.girasole.id,
    role: 'ADMIN',
  },
  {
    label: 'Cittadino (Mario Rossi)',
    labelEn: 'Citizen (Mario Rossi)',
    kind: 'citizen',
    personId: '0b7c2d1e-0000-4000-8000-000000000301',
    givenName: 'Mario',
    familyName: 'Rossi',
    fiscalCode: 'RSSMRA80A01H501U',
  },
  {
    label: 'Cittadina (Giulia Bianchi)',
    labelEn: 'Citizen (Giulia Bianchi)',
    kind: 'citizen',
    personId: '0b7c2d1e-0000-4000-8000-000000000302',
    givenName: 'Giulia',
    familyName: 'Bianchi',
    fiscalCode: 'BNCGLI85E52G273A',
  },
  {
    label: 'Cittadino (Giuseppe Lo Cascio)',
    labelEn: 'Citizen (Giuseppe Lo Cascio)',
    kind: 'citizen',
    personId: '0b7c2d1e-0000-4000-8000-000000000303',
    givenName: 'Giuseppe',
    familyName: 'Lo Cascio',
    fiscalCode: 'LCSGPP72S03A592D',
  },
];

/** The demo citizens, for the test OpenID provider's page. */
export const DEMO_CITIZENS = DEMO_ACCOUNTS.filter((a) => a.kind === 'citizen');
