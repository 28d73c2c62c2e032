/**
 * The demo data's fixed facts (package export `@welfare/third-sector/demo`): plain constants, no
 * dependencies, so that the tests can name the demo's providers, requirements and tutoring
 * programme without loading the subgraph. The loaders beside this file create the data.
 */

/** Identity's demo ids (subgraphs/identity/src/demo/accounts.ts): referenced by key only. */
export const DEMO_COMUNE_ID = '0b7c2d1e-0000-4000-8000-000000000101';
export const DEMO_MANAGER_ID = '0b7c2d1e-0000-4000-8000-000000000203';
export const DEMO_PROVIDERS = {
  /** Cooperativa Sociale La Esse: ACCREDITED. */
  laEsse: {
    id: '0b7c2d1e-0000-4000-8000-000000000102',
    adminId: '0b7c2d1e-0000-4000-8000-000000000204',
    kind: 'COOPERATIVE',
  },
  /** Associazione Amici di Balestrate: ACCREDITED. */
  amici: {
    id: '0b7c2d1e-0000-4000-8000-000000000105',
    adminId: '0b7c2d1e-0000-4000-8000-000000000209',
    kind: 'ASSOCIATION',
  },
  /** Cooperativa Sociale Il Girasole: SUBMITTED, waiting for the Comune. */
  girasole: {
    id: '0b7c2d1e-0000-4000-8000-000000000106',
    adminId: '0b7c2d1e-0000-4000-8000-00000000020a',
    kind: 'COOPERATIVE',
  },
} as const;

/** The demo Comune's checklist. */
export const DEMO_REQUIREMENTS = [
  {
    code: 'ISCRIZIONE_RUNTS',
    textIt:
      'Iscrizione al Registro unico nazionale del Terzo settore (RUNTS) o all’albo regionale delle cooperative sociali.',
    textEn:
      'Registration in the national Third Sector register (RUNTS) or the regional register of social cooperatives.',
    documentRequired: true,
    position: 10,
  },
  {
    code: 'DURC',
    textIt: 'Regolarità contributiva (DURC in corso di validità).',
    textEn: 'Social security contributions in order (a valid DURC).',
    documentRequired: true,
    position: 20,
  },
  {
    code: 'ASSICURAZIONE_RC',
    textIt: 'Polizza di responsabilità civile verso terzi per le attività svolte.',
    textEn: 'Third-party liability insurance for the activities carried out.',
    documentRequired: false,
    position: 30,
  },
  {
    code: 'PERSONALE_QUALIFICATO',
    textIt: 'Personale con qualifiche adeguate ai servizi offerti.',
    textEn: 'Staff qualified for the services offered.',
    documentRequired: false,
    position: 40,
  },
] as const;

/** Identity's demo people (subgraphs/identity/src/demo/accounts.ts), referenced by id only. */
export const DEMO_TUTORING = {
  programmeId: '0b7c2d1e-0000-4000-8000-000000000701',
  tutors: [
    {
      id: '0b7c2d1e-0000-4000-8000-000000000711',
      personId: '0b7c2d1e-0000-4000-8000-000000000205',
      name: 'Chiara Romano',
    },
    {
      id: '0b7c2d1e-0000-4000-8000-000000000712',
      personId: '0b7c2d1e-0000-4000-8000-00000000020b',
      name: 'Davide Lombardo',
    },
  ],
  rooms: [
    {
      id: '0b7c2d1e-0000-4000-8000-000000000721',
      name: 'Biblioteca comunale – Sala studio',
      address: 'Via Vittorio Emanuele 12, Balestrate',
      /** Monday to Friday, 14:30–18:30. */
      windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startsAt: '14:30', endsAt: '18:30' })),
    },
    {
      id: '0b7c2d1e-0000-4000-8000-000000000722',
      name: 'Centro giovani',
      address: 'Piazza Europa 3, Balestrate',
      /** Monday, Wednesday, Friday, 15:00–19:00. */
      windows: [1, 3, 5].map((weekday) => ({ weekday, startsAt: '15:00', endsAt: '19:00' })),
    },
  ],
  /** Mario Rossi, a demo citizen with a codice fiscale: the family. */
  family: {
    personId: '0b7c2d1e-0000-4000-8000-000000000301',
    fiscalCode: 'RSSMRA80A01H501U',
  },
  budgetMinutes: 200 * 60,
  weeks: 6,
} as const;
