import type { Caller } from '@welfare/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, setupSuite, type Suite } from '../../../test/helpers.js';
import { DEMO_ACCOUNTS } from '../../demo/accounts.js';
import { loadDemoData } from '../../demo/load-demo-data.js';
import { Person } from './person.entity.js';

let suite: Suite;
const mario = DEMO_ACCOUNTS.find((a) => a.fiscalCode === 'RSSMRA80A01H501U')!;

beforeAll(async () => {
  suite = await setupSuite('person');
  await loadDemoData(suite.orm.em.fork(), suite.services.persons);
});
afterAll(() => suite.close());

describe('PersonService', () => {
  it('keeps the codice fiscale only as a keyed hash and AES-GCM ciphertext', async () => {
    const rows = await suite.orm.em
      .getConnection()
      .execute<Record<string, unknown>[]>('select * from "identity"."person"');
    const dump = JSON.stringify(rows);
    for (const account of DEMO_ACCOUNTS.filter((a) => a.fiscalCode)) {
      expect(dump).not.toContain(account.fiscalCode);
      expect(dump.toLowerCase()).not.toContain(account.fiscalCode!.toLowerCase());
    }
    const found = await suite.services.persons.findByFiscalCode(
      suite.orm.em.fork(),
      'RSSMRA80A01H501U',
    );
    expect(found?.id).toBe(mario.personId);
  });

  it('shows the codice fiscale and memberships to the person and admins only', async () => {
    const em = suite.orm.em.fork();
    const person = await em.findOneOrFail(Person, { id: mario.personId });
    const self: Caller = {
      kind: 'person',
      personId: person.id,
      sessionId: 's',
      platformAdmin: false,
      memberships: [],
    };
    const admin: Caller = {
      kind: 'person',
      personId: DEMO_ACCOUNTS[0]!.personId,
      sessionId: 's',
      platformAdmin: true,
      memberships: [],
    };
    const other: Caller = {
      kind: 'person',
      personId: DEMO_ACCOUNTS[1]!.personId,
      sessionId: 's',
      platformAdmin: false,
      memberships: [],
    };
    expect(suite.services.persons.visibleFiscalCode(self, person)).toBe('RSSMRA80A01H501U');
    expect(suite.services.persons.visibleFiscalCode(admin, person)).toBe('RSSMRA80A01H501U');
    expect(suite.services.persons.visibleFiscalCode(other, person)).toBeNull();
    expect(suite.services.persons.visibleFiscalCode(ANONYMOUS, person)).toBeNull();
  });

  it('shows contacts to colleagues but not to strangers', async () => {
    const em = suite.orm.em.fork();
    const operator = await suite.callerFor('operatore@balestrate.demo');
    const owner = await suite.callerFor('titolare@darosa.demo');
    const manager = await em.findOneOrFail(Person, { email: 'responsabile@balestrate.demo' });
    expect(await suite.services.persons.canSeeContact(em, operator, manager)).toBe(true);
    expect(await suite.services.persons.canSeeContact(em, owner, manager)).toBe(false);
    expect(await suite.services.persons.canSeeContact(em, ANONYMOUS, manager)).toBe(false);
  });
});
