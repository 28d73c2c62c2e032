import type { PersonCaller } from '@welfare/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CF, INCOME, REGISTRY } from './fixtures.js';
import {
  ANONYMOUS,
  CITIZEN,
  COMUNE_A,
  COMUNE_B,
  REGISTRY_HEADER,
  SERVICE,
  csv,
  errorCode,
  setupSuite,
  staff,
  type Suite,
} from './helpers.js';

/*
 * `myHouseholdMembers`: whom a citizen may book a service for, from the registries (issue 18).
 * Comune A has the fixtures' four households; Comune B has Mario's other household (Mario, Luca
 * again and Carla), so Mario is in two registries.
 */

const MINE = `{ myHouseholdMembers { givenName familyName birthDate fiscalCode isCaller } }`;

interface Member {
  givenName: string;
  familyName: string;
  birthDate: string;
  fiscalCode: string;
  isCaller: boolean;
}

let suite: Suite;

const as = (fiscalCode: string): PersonCaller => ({ ...CITIZEN, fiscalCode });

async function members(caller: PersonCaller): Promise<Member[]> {
  const result = await suite.run<{ myHouseholdMembers: Member[] }>(MINE, {}, caller);
  expect(result.errors).toBeUndefined();
  return result.data!.myHouseholdMembers;
}

beforeAll(async () => {
  suite = await setupSuite('my_household');
  const operatorA = staff(COMUNE_A);
  await suite.importText(operatorA, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operatorA, COMUNE_A, 'INCOME', INCOME);
  const operatorB = staff(COMUNE_B);
  await suite.importText(
    operatorB,
    COMUNE_B,
    'REGISTRY',
    csv([
      REGISTRY_HEADER,
      `B001;${CF.mario};Rossi;Mario;01/01/1980;M;INTESTATARIO;Via Palermo 3;NO;NO`,
      `B001;${CF.luca};Rossi;Luca;03/03/2015;M;FIGLIO;Via Palermo 3;NO;NO`,
      `B001;${CF.carla};Russo;Carla;12/12/1970;F;CONVIVENTE;Via Palermo 3;NO;NO`,
    ]),
  );
});
afterAll(() => suite.close());

describe('myHouseholdMembers', () => {
  it('lists the citizen first, then the members of every household of theirs, each once', async () => {
    const before = await suite.count('audit_event');
    const found = await members(as(CF.mario.toLowerCase()));
    expect(found).toEqual([
      {
        givenName: 'Mario',
        familyName: 'Rossi',
        birthDate: '1980-01-01',
        fiscalCode: CF.mario,
        isCaller: true,
      },
      {
        givenName: 'Carla',
        familyName: 'Russo',
        birthDate: '1970-12-12',
        fiscalCode: CF.carla,
        isCaller: false,
      },
      {
        givenName: 'Anna',
        familyName: 'Bianchi',
        birthDate: '1982-06-15',
        fiscalCode: CF.anna,
        isCaller: false,
      },
      {
        givenName: 'Luca',
        familyName: 'Rossi',
        birthDate: '2015-03-03',
        fiscalCode: CF.luca,
        isCaller: false,
      },
    ]);
    // Identity data of the caller's own family, no income: nothing is written to the audit log.
    expect(await suite.count('audit_event')).toBe(before);
  });

  it('never returns another household', async () => {
    const sara = await members(as(CF.sara));
    expect(sara.map((m) => m.fiscalCode)).toEqual([CF.sara, CF.gino]);
    // Carla is alone in Comune A's F004 and with Mario's family in Comune B.
    const carla = await members(as(CF.carla));
    expect(carla.map((m) => m.fiscalCode)).toEqual([CF.carla, CF.mario, CF.luca]);
    const rosa = await members(as(CF.rosa));
    expect(rosa.map((m) => m.givenName)).toEqual(['Rosa', 'Pietro']);
    for (const list of [sara, rosa]) {
      expect(list.map((m) => m.fiscalCode)).not.toContain(CF.mario);
      expect(list.map((m) => m.fiscalCode)).not.toContain(CF.luca);
    }
  });

  it('is empty for a person in no registry and for a login without codice fiscale', async () => {
    await expect(members(as('BNCGLI85E52G273A'))).resolves.toEqual([]);
    await expect(members(staff(COMUNE_A))).resolves.toEqual([]);
    await expect(members(CITIZEN)).resolves.toEqual([]);
  });

  it('refuses anonymous callers and services', async () => {
    for (const caller of [ANONYMOUS, SERVICE]) {
      const result = await suite.run(MINE, {}, caller);
      expect(errorCode(result)).toBe('UNAUTHENTICATED');
      expect(result.data?.myHouseholdMembers ?? null).toBeNull();
    }
  });
});
