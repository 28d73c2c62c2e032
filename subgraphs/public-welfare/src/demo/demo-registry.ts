import * as codiceFiscaleModule from 'codice-fiscale-js';

interface CodiceFiscaleStatic {
  compute(data: {
    name: string;
    surname: string;
    gender: 'M' | 'F';
    day: number;
    month: number;
    year: number;
    birthplace: string;
    birthplaceProvincia: string;
  }): string;
}

// CommonJS exporting `{ CodiceFiscale }` while its typings declare a default export (see kit pii.ts).
const { CodiceFiscale } = codiceFiscaleModule as unknown as { CodiceFiscale: CodiceFiscaleStatic };

/** Households in the demo registry. */
export const DEMO_HOUSEHOLDS = 300;

/** The year ages are computed from, so that the demo data never changes. */
const REFERENCE_YEAR = 2026;

/** Last day of validity of the demo ISEE attestations (a year ahead, so the demo keeps working). */
const VALID_UNTIL = `31/12/${REFERENCE_YEAR + 1}`;

/**
 * Households of identity's demo citizens (same codici fiscali), the last of the demo registry:
 * Mario Rossi (4 members, ISEE 8.500 €: eligible for the demo campaign), Giulia Bianchi (with a
 * child, ISEE 5.200 €) and Giuseppe Lo Cascio (alone, ISEE 25.000 €: above the threshold).
 */
export const DEMO_CITIZEN_HOUSEHOLDS: {
  fiscalCode: string;
  surname: string;
  name: string;
  birth: string;
  sex: 'M' | 'F';
  iseeCents: number;
  others: { relation: string; sex: 'M' | 'F'; minAge: number; maxAge: number; surname?: string }[];
}[] = [
  {
    fiscalCode: 'RSSMRA80A01H501U',
    surname: 'Rossi',
    name: 'Mario',
    birth: '01/01/1980',
    sex: 'M',
    iseeCents: 850_000,
    others: [
      { relation: 'CONIUGE', sex: 'F', minAge: 40, maxAge: 45, surname: 'Greco' },
      { relation: 'FIGLIO', sex: 'M', minAge: 8, maxAge: 12 },
      { relation: 'FIGLIO', sex: 'F', minAge: 3, maxAge: 6 },
    ],
  },
  {
    fiscalCode: 'BNCGLI85E52G273A',
    surname: 'Bianchi',
    name: 'Giulia',
    birth: '12/05/1985',
    sex: 'F',
    iseeCents: 520_000,
    others: [{ relation: 'FIGLIO', sex: 'F', minAge: 5, maxAge: 9 }],
  },
  {
    fiscalCode: 'LCSGPP72S03A592D',
    surname: 'Lo Cascio',
    name: 'Giuseppe',
    birth: '03/11/1972',
    sex: 'M',
    iseeCents: 2_500_000,
    others: [],
  },
];

const SURNAMES = [
  'Rossi',
  'Russo',
  'Ferrara',
  'Lo Iacono',
  'Bianco',
  'Greco',
  'Romano',
  'Gallo',
  'Costa',
  'Messina',
  'Caruso',
  'Giordano',
  'Vitale',
  'Marino',
  'Lombardo',
  'Cusumano',
  'Bongiorno',
  'Di Maggio',
  'Randazzo',
  'Palazzolo',
  'Cataldo',
  'Amato',
  'Grimaldi',
  'Sciortino',
];
const MALE = [
  'Giuseppe',
  'Salvatore',
  'Antonio',
  'Francesco',
  'Vincenzo',
  'Mario',
  'Giovanni',
  'Rosario',
  'Pietro',
  'Luca',
  'Marco',
  'Andrea',
  'Matteo',
  'Gaetano',
  'Calogero',
  'Domenico',
];
const FEMALE = [
  'Maria',
  'Giuseppa',
  'Rosa',
  'Anna',
  'Francesca',
  'Giovanna',
  'Angela',
  'Caterina',
  'Laura',
  'Giulia',
  'Sara',
  'Chiara',
  'Martina',
  'Rosalia',
  'Vincenza',
  'Ninfa',
];
const STREETS = [
  'Via Roma',
  'Via Vittorio Emanuele',
  'Corso Italia',
  'Via Garibaldi',
  'Via Palermo',
  'Via del Mare',
  'Via Mazzini',
  'Piazza Matrice',
  'Via Trapani',
  'Via Dante',
];
const PLACES = [
  ['Balestrate', 'PA'],
  ['Palermo', 'PA'],
  ['Partinico', 'PA'],
  ['Alcamo', 'TP'],
] as const;

/** mulberry32: a small deterministic generator, so every run yields the same registry. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)]!;
  return { next, int, pick };
}

const two = (n: number) => String(n).padStart(2, '0');

/** `1234567` cents → `12.345,67`. */
export function italianAmount(cents: number): string {
  const euros = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${euros},${two(cents % 100)}`;
}

type Rnd = ReturnType<typeof generator>;

/** A generated person: names, sex, a valid codice fiscale (unique in the files), birth and age. */
type Person = {
  name: string;
  surname: string;
  sex: 'M' | 'F';
  cf: string;
  birth: string;
  age: number;
};

/** A person maker drawing from `rnd`, whose codici fiscali are unique across `used`. */
function personMaker(rnd: Rnd, used: Set<string>) {
  return (surname: string, sex: 'M' | 'F', minAge: number, maxAge: number): Person => {
    const name = rnd.pick(sex === 'M' ? MALE : FEMALE);
    const year = REFERENCE_YEAR - rnd.int(minAge, maxAge);
    const month = rnd.int(1, 12);
    let day = rnd.int(1, 28);
    const [birthplace, birthplaceProvincia] = rnd.pick(PLACES);
    let cf = CodiceFiscale.compute({
      name,
      surname,
      gender: sex,
      day,
      month,
      year,
      birthplace,
      birthplaceProvincia,
    });
    while (used.has(cf)) {
      day = (day % 28) + 1;
      cf = CodiceFiscale.compute({
        name,
        surname,
        gender: sex,
        day,
        month,
        year,
        birthplace,
        birthplaceProvincia,
      });
    }
    used.add(cf);
    return {
      name,
      surname,
      sex,
      cf,
      birth: `${two(day)}/${two(month)}/${year}`,
      age: REFERENCE_YEAR - year,
    };
  };
}

/** One generated household's lines: its members in the registry, its ISEE (most have one). */
interface HouseholdLines {
  registry: string[];
  income: string | null;
}

/** Generated household number `i`: a head, maybe a spouse, children, a parent; then its ISEE. */
function randomHousehold(
  rnd: Rnd,
  person: ReturnType<typeof personMaker>,
  i: number,
): HouseholdLines {
  const code = `BAL-${String(i).padStart(4, '0')}`;
  const surname = rnd.pick(SURNAMES);
  const address = `${rnd.pick(STREETS)} ${rnd.int(1, 150)}, 90041 Balestrate`;
  const resident = rnd.next() < 0.95 ? 'SI' : 'NO';
  const headSex = rnd.next() < 0.55 ? 'M' : 'F';
  const head = person(surname, headSex, 25, 88);
  const members: { p: Person; relation: string }[] = [{ p: head, relation: 'INTESTATARIO' }];
  if (head.age < 80 && rnd.next() < 0.6) {
    members.push({
      p: person(rnd.pick(SURNAMES), headSex === 'M' ? 'F' : 'M', 25, Math.min(head.age + 5, 85)),
      relation: 'CONIUGE',
    });
  }
  const children = head.age < 60 ? rnd.int(0, 3) : 0;
  for (let c = 0; c < children; c++) {
    members.push({
      p: person(surname, rnd.next() < 0.5 ? 'M' : 'F', 1, Math.max(1, Math.min(24, head.age - 20))),
      relation: 'FIGLIO',
    });
  }
  if (head.age < 55 && rnd.next() < 0.08) {
    members.push({ p: person(surname, 'F', 70, 92), relation: 'GENITORE' });
  }
  const registry = members.map((m) => {
    const disability = rnd.next() < 0.06 ? 'SI' : 'NO';
    return [
      code,
      m.p.cf,
      m.p.surname,
      m.p.name,
      m.p.birth,
      m.p.sex,
      m.relation,
      address,
      resident,
      disability,
    ].join(';');
  });
  if (rnd.next() >= 0.85) return { registry, income: null };
  const cents = rnd.int(0, 45_000) * 100 + rnd.int(0, 99);
  const hasMinor = members.some((m) => m.p.age < 18);
  const type =
    hasMinor && rnd.next() < 0.3 ? 'MINORENNI' : rnd.next() < 0.1 ? 'CORRENTE' : 'ORDINARIO';
  const support = cents < 600_000 && rnd.next() < 0.4 ? 'SI' : 'NO';
  return {
    registry,
    income: [head.cf, italianAmount(cents), type, VALID_UNTIL, support].join(';'),
  };
}

/**
 * A demo citizen's household (identity's demo accounts, so they can apply with their SPID login),
 * the `k`-th after the generated ones.
 */
function citizenHousehold(
  h: (typeof DEMO_CITIZEN_HOUSEHOLDS)[number],
  k: number,
  person: ReturnType<typeof personMaker>,
): HouseholdLines {
  const code = `BAL-${String(DEMO_HOUSEHOLDS - DEMO_CITIZEN_HOUSEHOLDS.length + k + 1).padStart(4, '0')}`;
  const address = `Via Roma ${10 + k}, 90041 Balestrate`;
  const members = [
    {
      cf: h.fiscalCode,
      surname: h.surname,
      name: h.name,
      birth: h.birth,
      sex: h.sex,
      relation: 'INTESTATARIO',
    },
    ...h.others.map((o) => {
      const p = person(o.surname ?? h.surname, o.sex, o.minAge, o.maxAge);
      return {
        cf: p.cf,
        surname: p.surname,
        name: p.name,
        birth: p.birth,
        sex: p.sex,
        relation: o.relation,
      };
    }),
  ];
  return {
    registry: members.map((m) =>
      [code, m.cf, m.surname, m.name, m.birth, m.sex, m.relation, address, 'SI', 'NO'].join(';'),
    ),
    income: [h.fiscalCode, italianAmount(h.iseeCents), 'ORDINARIO', VALID_UNTIL, 'NO'].join(';'),
  };
}

/**
 * The demo registry and income files, as a Comune's office would export them from Excel (BOM,
 * `;`, decimal comma, dd/mm/yyyy): about 300 households with valid codici fiscali, and ISEE
 * declarations for most of them.
 */
export function demoCsvFiles(): { registry: string; income: string } {
  const rnd = generator(20261124);
  const person = personMaker(rnd, new Set<string>());
  const registry = [
    'codice_famiglia;codice_fiscale;cognome;nome;data_nascita;sesso;relazione;indirizzo;residente;disabilita',
  ];
  const income = ['codice_fiscale_dichiarante;isee;tipo_isee;data_validita;sostegno_pubblico'];
  const add = (lines: HouseholdLines) => {
    registry.push(...lines.registry);
    if (lines.income !== null) income.push(lines.income);
  };
  for (let i = 1; i <= DEMO_HOUSEHOLDS - DEMO_CITIZEN_HOUSEHOLDS.length; i++) {
    add(randomHousehold(rnd, person, i));
  }
  DEMO_CITIZEN_HOUSEHOLDS.forEach((h, k) => add(citizenHousehold(h, k, person)));
  return {
    registry: `\ufeff${registry.join('\r\n')}\r\n`,
    income: `\ufeff${income.join('\r\n')}\r\n`,
  };
}
