import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupSuite, ANONYMOUS, caught, type Suite } from '../../../test/helpers.js';
import { DEMO_ORGANISATIONS } from '../../demo/accounts.js';
import { loadDemoData } from '../../demo/load-demo-data.js';
import type { Caller } from '@welfare/kit';

let suite: Suite;
let admin: Caller;
let operator: Caller;

beforeAll(async () => {
  suite = await setupSuite('organisation');
  await loadDemoData(suite.orm.em.fork(), suite.services.persons);
  admin = await suite.callerFor('admin@welfare.demo');
  operator = await suite.callerFor('operatore@balestrate.demo');
});
afterAll(() => suite.close());

const valid = {
  kind: 'ASSOCIATION' as const,
  name: 'Associazione Amici di Balestrate',
  taxCode: '97012340820',
  iban: 'IT09W0895243380000000012345',
  email: 'Info@Amici.demo',
  city: 'Balestrate',
};

describe('OrganisationService.create', () => {
  it('creates an organisation for a platform admin, normalising fields', async () => {
    const org = await suite.services.organisations.create(suite.orm.em.fork(), admin, valid);
    expect(org.taxCode).toBe('97012340820');
    expect(org.email).toBe('info@amici.demo');
    expect(org.iban).toBe('IT09W0895243380000000012345');
  });

  it('accepts a sole trader’s personal codice fiscale and no IBAN', async () => {
    const org = await suite.services.organisations.create(suite.orm.em.fork(), admin, {
      kind: 'MERCHANT',
      name: 'Ditta individuale Rossi',
      taxCode: 'rssmra80a01h501u',
    });
    expect(org.taxCode).toBe('RSSMRA80A01H501U');
    expect(org.iban).toBeNull();
  });

  it('refuses bad input with a message per field and writes nothing', async () => {
    const before = await suite.count('organisation');
    const err = await caught(() =>
      suite.services.organisations.create(suite.orm.em.fork(), admin, {
        kind: 'COMUNE',
        name: '   ',
        taxCode: '80002190828',
        iban: 'IT60X0542811101000000123457',
        email: 'not-an-email',
      }),
    );
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.fields.map((f) => f.field).sort()).toEqual(['email', 'iban', 'name', 'taxCode']);
    for (const f of err.fields) {
      expect(f.message.it.length).toBeGreaterThan(0);
      expect(f.message.en.length).toBeGreaterThan(0);
    }
    expect(await suite.count('organisation')).toBe(before);
  });

  it('refuses a taken tax code with CONFLICT', async () => {
    const err = await caught(() =>
      suite.services.organisations.create(suite.orm.em.fork(), admin, {
        kind: 'COMUNE',
        name: 'Doppione',
        taxCode: DEMO_ORGANISATIONS.balestrate.taxCode,
      }),
    );
    expect(err.code).toBe('CONFLICT');
  });

  it('is for platform admins only', async () => {
    expect(
      (
        await caught(() =>
          suite.services.organisations.create(suite.orm.em.fork(), operator, valid),
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await caught(() =>
          suite.services.organisations.create(suite.orm.em.fork(), ANONYMOUS, valid),
        )
      ).code,
    ).toBe('UNAUTHENTICATED');
  });
});

describe('OrganisationService reads', () => {
  it('lists all organisations to admins and only their own to others', async () => {
    const all = await suite.services.organisations.list(suite.orm.em.fork(), admin);
    expect(all.length).toBeGreaterThanOrEqual(4);
    const own = await suite.services.organisations.list(suite.orm.em.fork(), operator);
    expect(own.map((o) => o.id)).toEqual([DEMO_ORGANISATIONS.balestrate.id]);
    expect(await suite.services.organisations.list(suite.orm.em.fork(), ANONYMOUS)).toEqual([]);
  });

  it('shows members and IBAN to insiders only', async () => {
    const em = suite.orm.em.fork();
    const balestrate = (await suite.services.organisations.findById(
      em,
      DEMO_ORGANISATIONS.balestrate.id,
    ))!;
    const daRosa = (await suite.services.organisations.findById(em, DEMO_ORGANISATIONS.daRosa.id))!;
    expect((await suite.services.organisations.members(em, operator, balestrate)).length).toBe(2);
    expect(await suite.services.organisations.members(em, operator, daRosa)).toEqual([]);
    expect(suite.services.organisations.visibleIban(operator, balestrate)).toBe(
      DEMO_ORGANISATIONS.balestrate.iban,
    );
    expect(suite.services.organisations.visibleIban(operator, daRosa)).toBeNull();
    expect((await suite.services.organisations.members(em, admin, daRosa)).length).toBe(2);
  });
});
