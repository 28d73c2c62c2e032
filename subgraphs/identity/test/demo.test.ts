import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD } from '../src/demo/accounts.js';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import { ANONYMOUS, setupSuite, type Suite } from './helpers.js';

let suite: Suite;
beforeAll(async () => {
  suite = await setupSuite('demo');
});
afterAll(() => suite.close());

const TABLES = ['person', 'organisation', 'membership'] as const;
const counts = async () => Promise.all(TABLES.map((t) => suite.count(t)));

describe('demo data', () => {
  it('loads idempotently: twice gives the same row counts', async () => {
    await loadDemoData(suite.orm.em.fork(), suite.services.persons);
    const first = await counts();
    expect(first).toEqual([
      DEMO_ACCOUNTS.length,
      Object.keys(DEMO_ORGANISATIONS).length,
      DEMO_ACCOUNTS.filter((a) => a.organisationId).length,
    ]);
    await loadDemoData(suite.orm.em.fork(), suite.services.persons);
    expect(await counts()).toEqual(first);
  });

  it('every staff and admin login works with the demo password', async () => {
    for (const account of DEMO_ACCOUNTS.filter((a) => a.email)) {
      const session = await suite.services.auth.login(suite.orm.em.fork(), ANONYMOUS, {
        email: account.email!,
        password: DEMO_PASSWORD,
      });
      expect(session.viewer.person.id).toBe(account.personId);
      expect(session.viewer.platformAdmin).toBe(account.kind === 'admin');
      expect(session.viewer.memberships.map((m) => m.role)).toEqual(
        account.role ? [account.role] : [],
      );
    }
  });

  it('the demo citizens are found by codice fiscale', async () => {
    for (const account of DEMO_ACCOUNTS.filter((a) => a.kind === 'citizen')) {
      const person = await suite.services.persons.findByFiscalCode(
        suite.orm.em.fork(),
        account.fiscalCode!,
      );
      expect(person?.id).toBe(account.personId);
      expect(person?.passwordHash).toBeNull();
    }
  });
});
