import type { Caller } from '@welfare/kit';
import { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD } from '../src/demo/accounts.js';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import { ANONYMOUS, errorCode, setupSuite, type Suite } from './helpers.js';

let suite: Suite;
let admin: Caller;
let operator: Caller;
let owner: Caller;

beforeAll(async () => {
  suite = await setupSuite('operations');
  await loadDemoData(suite.orm.em.fork(), suite.services.persons);
  admin = await suite.callerFor('admin@welfare.demo');
  operator = await suite.callerFor('operatore@balestrate.demo');
  owner = await suite.callerFor('titolare@darosa.demo');
});
afterAll(() => suite.close());

const LOGIN = `mutation($input: LoginInput!) {
  login(input: $input) {
    token expiresAt
    viewer { platformAdmin person { id givenName email fiscalCode } memberships { role status organisation { name kind } } }
  }
}`;

describe('login, viewer and logout operations', () => {
  it('logs in and reads the viewer', async () => {
    const result = await suite.run<{
      login: { token: string; viewer: { person: { email: string } } };
    }>(LOGIN, {
      input: { email: 'responsabile@balestrate.demo', password: DEMO_PASSWORD },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.login.viewer).toMatchObject({
      platformAdmin: false,
      person: { email: 'responsabile@balestrate.demo', fiscalCode: null },
      memberships: [
        {
          role: 'MANAGER',
          status: 'ACTIVE',
          organisation: { name: 'Comune di Balestrate', kind: 'COMUNE' },
        },
      ],
    });
    const caller = await suite.services.sessions.resolve(
      suite.orm.em.fork(),
      result.data!.login.token,
    );
    const viewer = await suite.run(
      '{ viewer { person { givenName } memberships { role } } }',
      {},
      caller,
    );
    expect(viewer.data).toEqual({
      viewer: { person: { givenName: 'Francesca' }, memberships: [{ role: 'MANAGER' }] },
    });
    expect((await suite.run('{ viewer { platformAdmin } }')).data).toEqual({ viewer: null });

    const logout = await suite.run('mutation { logout }', {}, caller);
    expect(logout.data).toEqual({ logout: true });
    expect(
      (await suite.services.sessions.resolve(suite.orm.em.fork(), result.data!.login.token)).kind,
    ).toBe('anonymous');
  });

  it('answers UNAUTHENTICATED for wrong credentials and BAD_USER_INPUT for malformed ones', async () => {
    const wrong = await suite.run(LOGIN, {
      input: { email: 'hr@officinerossi.demo', password: 'wrong password!' },
    });
    expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
    const bad = await suite.run(LOGIN, { input: { email: 'nope', password: 'x' } });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
  });
});

describe('organisations operations', () => {
  const CREATE = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id name taxCode iban } }`;

  it('createOrganisation: admin only; bad input lists each field and writes nothing', async () => {
    const before = await suite.count('organisation');
    const bad = await suite.run(
      CREATE,
      {
        input: {
          kind: 'MERCHANT',
          name: 'Negozio',
          taxCode: '12345678901',
          iban: 'IT00X',
          email: 'x',
        },
      },
      admin,
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    const fields = (bad.errors?.[0]?.originalError as unknown as { fields: { field: string }[] })
      .fields;
    expect(fields.map((f) => f.field).sort()).toEqual(['email', 'iban', 'taxCode']);
    expect(await suite.count('organisation')).toBe(before);

    const input = {
      kind: 'MERCHANT',
      name: 'Panificio Neri',
      taxCode: '05123450826',
      iban: 'IT60X0542811101000000123456',
    };
    expect(errorCode(await suite.run(CREATE, { input }, owner))).toBe('FORBIDDEN');
    expect(errorCode(await suite.run(CREATE, { input }, ANONYMOUS))).toBe('UNAUTHENTICATED');
    const ok = await suite.run(CREATE, { input }, admin);
    expect(ok.errors).toBeUndefined();
    expect(await suite.count('organisation')).toBe(before + 1);
  });

  it('a member of organisation A sees nothing of organisation B’s members or IBAN', async () => {
    const query = `query($id: ID!) { organisation(id: $id) { name iban members { role person { email } } } }`;
    const own = await suite.run(query, { id: DEMO_ORGANISATIONS.balestrate.id }, operator);
    expect(own.data?.organisation).toMatchObject({
      name: 'Comune di Balestrate',
      iban: DEMO_ORGANISATIONS.balestrate.iban,
    });
    expect((own.data?.organisation as { members: unknown[] }).members).toHaveLength(2);
    const other = await suite.run(query, { id: DEMO_ORGANISATIONS.daRosa.id }, operator);
    expect(other.errors).toBeUndefined();
    expect(other.data?.organisation).toEqual({
      name: 'Alimentari Da Rosa',
      iban: null,
      members: [],
    });
    const missing = await suite.run(query, { id: 'not-a-uuid' }, operator);
    expect(missing.data).toEqual({ organisation: null });
  });

  it('lists all organisations to the admin and only their own to others', async () => {
    const mine = await suite.run<{ organisations: { id: string }[] }>(
      '{ organisations { id } }',
      {},
      owner,
    );
    expect(mine.data?.organisations.map((o) => o.id)).toEqual([DEMO_ORGANISATIONS.daRosa.id]);
    const all = await suite.run<{ organisations: { id: string }[] }>(
      '{ organisations { id } }',
      {},
      admin,
    );
    expect(all.data?.organisations.length).toBeGreaterThanOrEqual(4);
    expect((await suite.run('{ organisations { id } }')).data).toEqual({ organisations: [] });
  });
});

describe('invitation operations', () => {
  const INVITE = `mutation($input: InviteMemberInput!) {
    inviteMember(input: $input) { token expiresAt membership { status role person { email } organisation { name } } }
  }`;

  it('a staff member of A cannot invite into B', async () => {
    const before = await suite.count('membership');
    const result = await suite.run(
      INVITE,
      {
        input: {
          organisationId: DEMO_ORGANISATIONS.balestrate.id,
          email: 'intruso@darosa.demo',
          givenName: 'In',
          familyName: 'Truso',
          role: 'OPERATOR',
        },
      },
      owner,
    );
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(await suite.count('membership')).toBe(before);
  });

  it('invite, then accept: a session for the new member', async () => {
    const invited = await suite.run<{ inviteMember: { token: string } }>(
      INVITE,
      {
        input: {
          organisationId: DEMO_ORGANISATIONS.daRosa.id,
          email: 'Banco@DaRosa.demo',
          givenName: 'Banco',
          familyName: 'Frigo',
          role: 'CASHIER',
        },
      },
      owner,
    );
    expect(invited.errors).toBeUndefined();
    expect(invited.data?.inviteMember).toMatchObject({
      membership: { status: 'INVITED', role: 'CASHIER', person: { email: 'banco@darosa.demo' } },
    });
    const accepted = await suite.run<{ acceptInvitation: { token: string } }>(
      `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { token viewer { person { email } memberships { role status } } } }`,
      { input: { token: invited.data!.inviteMember.token, password: 'cassa banco 2026' } },
    );
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data?.acceptInvitation).toMatchObject({
      viewer: {
        person: { email: 'banco@darosa.demo' },
        memberships: [{ role: 'CASHIER', status: 'ACTIVE' }],
      },
    });
  });
});

describe('Person visibility and federation', () => {
  const mario = DEMO_ACCOUNTS.find((a) => a.fiscalCode === 'RSSMRA80A01H501U')!;
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
    ... on Person { id givenName fiscalCode memberships { role } }
    ... on Organisation { id name }
  } }`;

  it('resolves Person and Organisation references; fiscalCode only for self and admins', async () => {
    const reps = [
      { __typename: 'Person', id: mario.personId },
      { __typename: 'Organisation', id: DEMO_ORGANISATIONS.laEsse.id },
    ];
    const asOperator = await suite.run(ENTITIES, { r: reps }, operator);
    expect(asOperator.errors).toBeUndefined();
    expect(asOperator.data).toEqual({
      _entities: [
        { id: mario.personId, givenName: 'Mario', fiscalCode: null, memberships: [] },
        { id: DEMO_ORGANISATIONS.laEsse.id, name: 'Cooperativa Sociale La Esse' },
      ],
    });
    const asAdmin = await suite.run(ENTITIES, { r: reps.slice(0, 1) }, admin);
    expect(asAdmin.data).toEqual({
      _entities: [
        { id: mario.personId, givenName: 'Mario', fiscalCode: 'RSSMRA80A01H501U', memberships: [] },
      ],
    });
    const unknown = await suite.run(ENTITIES, { r: [{ __typename: 'Person', id: 'nope' }] }, admin);
    expect(unknown.data).toEqual({ _entities: [null] });
  });

  it('answers a list of references with one query per type, in the order asked', async () => {
    const orgs = Object.values(DEMO_ORGANISATIONS);
    const reps = [
      ...orgs.map((o) => ({ __typename: 'Organisation', id: o.id })),
      { __typename: 'Organisation', id: orgs[0]!.id.toUpperCase() },
      { __typename: 'Organisation', id: '00000000-0000-4000-8000-000000000000' },
      { __typename: 'Person', id: mario.personId },
      { __typename: 'Person', id: 'nope' },
    ];
    const find = vi.spyOn(EntityManager.prototype, 'find');
    try {
      const result = await suite.run(ENTITIES, { r: reps }, operator);
      expect(result.errors).toBeUndefined();
      const entities = (result.data as { _entities: ({ id: string } | null)[] })._entities;
      expect(entities.map((e) => e?.id ?? null)).toEqual([
        ...orgs.map((o) => o.id),
        orgs[0]!.id,
        null,
        mario.personId,
        null,
      ]);
      // One `find` for the organisations and one for the people, however many were asked.
      expect(find.mock.calls.map(([entity]) => (entity as { name: string }).name).sort()).toEqual([
        'Organisation',
        'Person',
      ]);
    } finally {
      find.mockRestore();
    }
  });
});
