// Issue 17 through the gateway (members, earning, the reserve, `Person.iesWallets`), across
// processes as the launcher starts them: a citizen joins the demo's Balestrate circuit and sees
// only their own wallet (also as `viewer.person.iesWallets`, which no one else is shown); an
// organisation asks to join and the circuit's MANAGER accepts it; another Comune's staff read
// nothing of the circuit; euro received issue as many IES (reserve = circulation after); a
// volunteering shift confirmed again and again earns once; bad input gets field errors.
// On the shared platform: it creates its own citizens, shop, Comune and volunteering rule, and
// compares the circuit's figures as deltas (it reads none of the demo's balances).
import { randomInt, randomUUID } from 'node:crypto';
import { partitaIvaCheckDigit } from '@welfare/kit/pii';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { citizenToken } from '../support/citizen.js';
import { DEMO_ORG, DEMO_PASSWORD, demoEmail, staffEmail } from '../support/demo.js';
import { gql, login, type GraphQLResponse } from '../support/graphql.js';
import { beneficiaryFiscalCode, bookProblems } from '../support/money.js';
import type { TestPlatform } from '../support/platform.js';
import { sharedTestPlatform } from '../support/shared-platform.js';

// The IES demo's facts (subgraphs/ies-circuit/src/demo/facts.ts; the tests package does not
// depend on the ies-circuit package).
const CIRCUIT_ID = '1e5c0000-0000-4000-8000-000000000001';
const CIRCUIT_CODE = 'balestrate';
const CIRCUIT_NAME = 'Circuito IES Balestrate';
/** The Amici di Balestrate, an ASSOCIATION member of the demo circuit (they confirm shifts). */
const AMICI = DEMO_ORG.amiciBalestrate;

const WALLET_FIELDS = `balanceCents availableCents circuit { id code name }
  member { id kind status organisationId displayName }`;
const JOIN = `mutation($code: String!) { joinIesCircuit(code: $code, displayName: "Volontario") {
  id kind status circuitId } }`;
const WALLET = `query($code: String!, $org: ID) { iesWallet(code: $code, organisationId: $org) {
  ${WALLET_FIELDS} } }`;
const VIEWER_WALLETS = `{ viewer { person { id iesWallets { ${WALLET_FIELDS} } } } }`;
const MEMBERS = `query($c: ID!, $s: String) { iesMembers(circuitId: $c, search: $s) {
  id displayName status kind organisationId } }`;
const RECEIPTS = `query($c: ID!) { iesReserveReceipts(circuitId: $c) { id memberId amountCents } }`;
const RECEIVE = `mutation($input: IesReserveReceiptInput!) { recordIesEuroReceived(input: $input) {
  id kind memberId amountCents } }`;
const FIGURES = `query($code: String!) { iesTransparency(code: $code) {
  reserveCents issuedCents circulationCents } }`;

type Wallet = {
  balanceCents: number;
  availableCents: number;
  circuit: { id: string; code: string; name: string };
  member: {
    id: string;
    kind: string;
    status: string;
    organisationId: string | null;
    displayName: string;
  };
};
type Figures = { reserveCents: number; issuedCents: number; circulationCents: number };

/** A valid codice fiscale no other file of the run logs in with (a random beneficiary's). */
const freshFiscalCode = () => beneficiaryFiscalCode(2_000_000 + randomInt(900_000));

describe('the IES circuit through the gateway', () => {
  let platform: TestPlatform;
  let gateway = '';
  let db: pg.Client;
  let manager = '';
  let operator = '';
  let admin = '';
  let amici = '';
  let otherComune = { id: '', token: '' };
  /** A citizen of this file who joins, and one who never does. */
  const volunteer = { token: '', fiscalCode: '', memberId: '', personId: '' };
  const outsider = { token: '', fiscalCode: '' };
  /** A shop of this file: its OWNER's session. */
  let shop = { id: '', token: '', vatNumber: '', memberId: '' };

  const call = <T>(query: string, token?: string, variables: Record<string, unknown> = {}) =>
    gql<T>(gateway, query, variables, token ? { token } : {});
  async function ok<T>(query: string, token?: string, variables: Record<string, unknown> = {}) {
    const answer = await call<T>(query, token, variables);
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data!;
  }
  const code = (answer: GraphQLResponse<unknown>) => answer.errors?.[0]?.extensions?.code;
  const fieldsOf = (answer: GraphQLResponse<unknown>) =>
    (answer.errors?.[0]?.extensions?.fields ?? []).map((f) => f.field).sort();
  const figures = async () =>
    (await ok<{ iesTransparency: Figures }>(FIGURES, undefined, { code: CIRCUIT_CODE }))
      .iesTransparency;
  const balanceOf = async (token: string, org?: string) =>
    (await ok<{ iesWallet: Wallet }>(WALLET, token, { code: CIRCUIT_CODE, org })).iesWallet
      .balanceCents;

  /** A new organisation of `kind`, created by the platform admin, and its invited `role`'s session. */
  async function createOrganisation(kind: 'COMUNE' | 'MERCHANT', role: 'MANAGER' | 'OWNER') {
    const stem = `8${String(randomInt(1_000_000_000)).padStart(9, '0')}`;
    const taxCode = `${stem}${partitaIvaCheckDigit(stem)}`;
    const name = kind === 'COMUNE' ? 'Comune di Prova IES' : 'Bottega IES di Prova';
    const created = await ok<{ createOrganisation: { id: string } }>(
      `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`,
      admin,
      { input: { kind, name, taxCode, city: 'Prova' } },
    );
    const id = created.createOrganisation.id;
    const invited = await ok<{ inviteMember: { token: string } }>(
      `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { token } }`,
      admin,
      {
        input: {
          organisationId: id,
          email: `${role.toLowerCase()}-${stem}@ies-fed.demo`,
          givenName: 'Piera',
          familyName: 'Prova',
          role,
        },
      },
    );
    const accepted = await ok<{ acceptInvitation: { token: string } }>(
      `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { token } }`,
      undefined,
      { input: { token: invited.inviteMember.token, password: 'password-ies-federation-2026' } },
    );
    return { id, token: accepted.acceptInvitation.token, taxCode };
  }

  beforeAll(async () => {
    platform = await sharedTestPlatform();
    gateway = platform.urls.gateway;
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    manager = (await login(gateway, staffEmail('balestrate', 'MANAGER'), DEMO_PASSWORD)).token;
    operator = (await login(gateway, demoEmail('COMUNE', 'OPERATOR'), DEMO_PASSWORD)).token;
    admin = (await login(gateway, demoEmail('ADMIN'), DEMO_PASSWORD)).token;
    amici = (await login(gateway, staffEmail('amiciBalestrate', 'ADMIN'), DEMO_PASSWORD)).token;
    volunteer.fiscalCode = freshFiscalCode();
    volunteer.token = await citizenToken(platform, volunteer.fiscalCode);
    outsider.fiscalCode = freshFiscalCode();
    outsider.token = await citizenToken(platform, outsider.fiscalCode);
    otherComune = await createOrganisation('COMUNE', 'MANAGER');
    const merchant = await createOrganisation('MERCHANT', 'OWNER');
    shop = { id: merchant.id, token: merchant.token, vatNumber: merchant.taxCode, memberId: '' };
  }, 300_000);

  afterEach(async () => {
    expect(await bookProblems(db, 'ies_circuit')).toEqual([]);
  });

  afterAll(async () => {
    await db?.end();
    await platform?.close();
  });

  it('a citizen joins once and sees only their own wallet, also as their Person’s', async () => {
    const joined = await ok<{ joinIesCircuit: { id: string; kind: string; status: string } }>(
      JOIN,
      volunteer.token,
      { code: CIRCUIT_CODE },
    );
    expect(joined.joinIesCircuit).toMatchObject({ kind: 'CITIZEN', status: 'ACTIVE' });
    volunteer.memberId = joined.joinIesCircuit.id;
    const again = await ok<{ joinIesCircuit: { id: string } }>(JOIN, volunteer.token, {
      code: CIRCUIT_CODE,
    });
    expect(again.joinIesCircuit.id).toBe(volunteer.memberId);

    const mine = await ok<{ myIesMemberships: { id: string }[] }>(
      `{ myIesMemberships { id } }`,
      volunteer.token,
    );
    expect(mine.myIesMemberships.map((m) => m.id)).toEqual([volunteer.memberId]);
    expect(await balanceOf(volunteer.token)).toBe(0);

    // Identity's Person, extended by ies-circuit: the gateway joins the two subgraphs.
    const viewer = await ok<{ viewer: { person: { id: string; iesWallets: Wallet[] } } }>(
      VIEWER_WALLETS,
      volunteer.token,
    );
    volunteer.personId = viewer.viewer.person.id;
    expect(viewer.viewer.person.iesWallets).toEqual([
      {
        balanceCents: 0,
        availableCents: 0,
        circuit: { id: CIRCUIT_ID, code: CIRCUIT_CODE, name: CIRCUIT_NAME },
        member: {
          id: volunteer.memberId,
          kind: 'CITIZEN',
          status: 'ACTIVE',
          organisationId: null,
          displayName: 'Volontario',
        },
      },
    ]);

    // Someone who never joined: no wallet, none of the volunteer's, nor the circuit's members.
    const outsiderViewer = await ok<{ viewer: { person: { iesWallets: Wallet[] } } }>(
      VIEWER_WALLETS,
      outsider.token,
    );
    expect(outsiderViewer.viewer.person.iesWallets).toEqual([]);
    const none = await call(WALLET, outsider.token, { code: CIRCUIT_CODE });
    expect(code(none)).toBe('NOT_FOUND');
    const members = await call(MEMBERS, volunteer.token, { c: CIRCUIT_ID });
    expect(code(members)).toBe('FORBIDDEN');
    expect(members.data).toBeNull();
  });

  it('an organisation asks to join, the circuit’s MANAGER accepts; only its people see its wallet', async () => {
    const requested = await ok<{ requestIesMembership: { id: string; status: string } }>(
      `mutation($input: IesMembershipRequestInput!) { requestIesMembership(input: $input) {
        id status } }`,
      shop.token,
      {
        input: {
          circuitCode: CIRCUIT_CODE,
          organisationId: shop.id,
          kind: 'BUSINESS',
          displayName: 'Bottega IES di Prova',
          vatNumber: shop.vatNumber,
          address: 'Via delle Prove 3, Balestrate',
          iban: 'IT60X0542811101000000123456',
          acceptsIes: true,
        },
      },
    );
    expect(requested.requestIesMembership.status).toBe('PENDING');
    shop.memberId = requested.requestIesMembership.id;
    // Not a member yet: its wallet moves nothing, the staff see it waiting.
    const waiting = await ok<{ iesMembers: { id: string; status: string }[] }>(MEMBERS, operator, {
      c: CIRCUIT_ID,
      s: 'Bottega IES di Prova',
    });
    expect(waiting.iesMembers).toEqual([
      expect.objectContaining({ id: shop.memberId, status: 'PENDING' }),
    ]);

    const DECIDE = `mutation($id: ID!) { decideIesMember(memberId: $id, decision: ACCEPT) {
      id status } }`;
    // Another Comune's manager cannot decide on it.
    const foreign = await call(DECIDE, otherComune.token, { id: shop.memberId });
    expect(code(foreign)).toBe('FORBIDDEN');
    const accepted = await ok<{ decideIesMember: { status: string } }>(DECIDE, manager, {
      id: shop.memberId,
    });
    expect(accepted.decideIesMember.status).toBe('ACTIVE');

    // The shop's owner finds the shop's wallet among their Person's; the platform admin, reading
    // the shop's people, is shown none (nor is the owner shown the volunteer's).
    const owner = await ok<{ viewer: { person: { id: string; iesWallets: Wallet[] } } }>(
      VIEWER_WALLETS,
      shop.token,
    );
    expect(
      owner.viewer.person.iesWallets.map(({ balanceCents, circuit, member }) => ({
        balanceCents,
        circuit: circuit.code,
        member: {
          id: member.id,
          kind: member.kind,
          status: member.status,
          org: member.organisationId,
        },
      })),
    ).toEqual([
      {
        balanceCents: 0,
        circuit: CIRCUIT_CODE,
        member: { id: shop.memberId, kind: 'BUSINESS', status: 'ACTIVE', org: shop.id },
      },
    ]);
    const PEOPLE = `query($id: ID!) { organisation(id: $id) { members {
      person { id iesWallets { member { id } } } } } }`;
    type People = {
      organisation: { members: { person: { id: string; iesWallets: unknown[] } }[] };
    };
    const seenByAdmin = await ok<People>(PEOPLE, admin, { id: shop.id });
    const ownerAsSeen = seenByAdmin.organisation.members.find(
      (m) => m.person.id === owner.viewer.person.id,
    );
    expect(ownerAsSeen?.person.iesWallets).toEqual([]);
    const seenByOwner = await ok<People>(PEOPLE, shop.token, { id: shop.id });
    expect(
      seenByOwner.organisation.members.find((m) => m.person.id === owner.viewer.person.id)?.person
        .iesWallets,
    ).toEqual([{ member: { id: shop.memberId } }]);
  });

  it('another Comune’s staff read nothing of the circuit’s members or reserve', async () => {
    for (const [query, variables] of [
      [MEMBERS, { c: CIRCUIT_ID }],
      [RECEIPTS, { c: CIRCUIT_ID }],
      [
        `query($id: ID!) { iesMember(id: $id) { id displayName iban } }`,
        { id: volunteer.memberId },
      ],
    ] as const) {
      const answer = await call(query, otherComune.token, variables);
      expect(code(answer), JSON.stringify(answer.errors)).toBe('FORBIDDEN');
      expect(answer.data).toBeNull();
      const body = JSON.stringify(answer);
      expect(body).not.toContain('Volontario');
      expect(body).not.toContain('Bottega IES di Prova');
      expect(body).not.toMatch(/stack|select |ies_circuit\./i);
    }
    const before = await figures();
    const receipt = await call(RECEIVE, otherComune.token, {
      input: {
        circuitId: CIRCUIT_ID,
        kind: 'PURCHASE',
        memberId: volunteer.memberId,
        funderName: 'Qualcuno',
        bankReference: `CRO-${randomUUID()}`,
        amountCents: 10_000,
        clientKey: randomUUID(),
      },
    });
    expect(code(receipt)).toBe('FORBIDDEN');
    expect(await figures()).toEqual(before);
    expect(await balanceOf(volunteer.token)).toBe(0);
  });

  it('euro received issue as many IES, once per client key; reserve = circulation after', async () => {
    const before = await figures();
    expect(before.reserveCents).toBe(before.circulationCents);
    const input = {
      circuitId: CIRCUIT_ID,
      kind: 'PURCHASE',
      memberId: volunteer.memberId,
      funderName: 'Volontario di Prova',
      bankReference: `CRO-${randomUUID()}`,
      amountCents: 1_234,
      clientKey: `ies-fed-${randomUUID()}`,
    };
    const [first, ...replays] = await Promise.all(
      [operator, operator, operator].map((token) =>
        ok<{ recordIesEuroReceived: { id: string; amountCents: number; memberId: string } }>(
          RECEIVE,
          token,
          { input },
        ),
      ),
    );
    expect(first!.recordIesEuroReceived).toMatchObject({
      amountCents: 1_234,
      memberId: volunteer.memberId,
    });
    for (const replay of replays) {
      expect(replay.recordIesEuroReceived.id).toBe(first!.recordIesEuroReceived.id);
    }
    expect(await balanceOf(volunteer.token)).toBe(1_234);
    const after = await figures();
    expect(after.reserveCents - before.reserveCents).toBe(1_234);
    expect(after.issuedCents - before.issuedCents).toBe(1_234);
    expect(after.reserveCents).toBe(after.circulationCents);
    const viewer = await ok<{ viewer: { person: { iesWallets: Wallet[] } } }>(
      VIEWER_WALLETS,
      volunteer.token,
    );
    expect(viewer.viewer.person.iesWallets.map((w) => w.balanceCents)).toEqual([1_234]);
  });

  it('a volunteering shift confirmed again and again earns once', async () => {
    // A rule of this file: 1,50 IES a shift, at most 10 IES a month.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());
    await ok(
      `mutation($c: ID!, $input: IesEarningRuleInput!) { createIesEarningRule(circuitId: $c, input: $input) { id } }`,
      manager,
      {
        c: CIRCUIT_ID,
        input: {
          kind: 'VOLUNTEERING',
          name: 'Volontariato (prova federata)',
          amountCents: 150,
          volunteeringUnit: 'SHIFT',
          capCents: 1_000,
          capPeriod: 'MONTH',
          startsOn: today,
        },
      },
    );
    const before = await balanceOf(volunteer.token);
    const CONFIRM = `mutation($input: IesVolunteerShiftInput!) { confirmIesVolunteerShift(input: $input) {
      shiftId outcome reward { id paidCents } } }`;
    const input = {
      circuitId: CIRCUIT_ID,
      organisationId: AMICI,
      fiscalCode: volunteer.fiscalCode,
      day: today,
      hours: 2.5,
      description: 'Pulizia del lungomare',
    };
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() =>
        call<{ confirmIesVolunteerShift: { outcome: string; reward: { paidCents: number } } }>(
          CONFIRM,
          amici,
          { input },
        ),
      ),
    );
    const paid = answers.filter((a) => a.data?.confirmIesVolunteerShift?.outcome === 'PAID');
    expect(paid, JSON.stringify(answers.map((a) => a.errors ?? a.data))).toHaveLength(1);
    expect(paid[0]!.data!.confirmIesVolunteerShift.reward.paidCents).toBe(150);
    for (const other of answers.filter((a) => a !== paid[0])) {
      expect(code(other)).toBe('CONFLICT');
    }
    expect(await balanceOf(volunteer.token)).toBe(before + 150);
    const figuresAfter = await figures();
    expect(figuresAfter.reserveCents).toBe(figuresAfter.circulationCents);
  });

  it('bad input gets field errors, with no stack traces, and writes nothing', async () => {
    const receiptsBefore = await ok<{ iesReserveReceipts: unknown[] }>(RECEIPTS, operator, {
      c: CIRCUIT_ID,
    });
    const bad = await call(RECEIVE, operator, {
      input: {
        circuitId: CIRCUIT_ID,
        kind: 'PURCHASE',
        memberId: volunteer.memberId,
        funderName: 'x',
        bankReference: 'no',
        amountCents: 0,
        clientKey: 'k',
      },
    });
    expect(code(bad)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(bad)).toEqual(['amountCents', 'bankReference', 'clientKey', 'funderName']);
    for (const f of bad.errors![0]!.extensions!.fields!) {
      expect(f.message.it).toBeTruthy();
      expect(f.message.en).toBeTruthy();
    }
    expect(JSON.stringify(bad)).not.toMatch(/stack|select |insert |\.ts:/i);
    expect(
      (await ok<{ iesReserveReceipts: unknown[] }>(RECEIPTS, operator, { c: CIRCUIT_ID }))
        .iesReserveReceipts,
    ).toEqual(receiptsBefore.iesReserveReceipts);

    const REQUEST = `mutation($input: IesMembershipRequestInput!) { requestIesMembership(input: $input) {
      id } }`;
    const badDetails = {
      circuitCode: CIRCUIT_CODE,
      organisationId: shop.id,
      kind: 'BUSINESS',
      displayName: 'X',
      vatNumber: '123',
      address: 'Via delle Prove 3, Balestrate',
      iban: 'IT00',
    };
    // The outsider does not act for the shop: refused before the details are looked at.
    expect(code(await call(REQUEST, outsider.token, { input: badDetails }))).toBe('FORBIDDEN');
    const badRequest = await call(REQUEST, shop.token, { input: badDetails });
    expect(code(badRequest)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(badRequest)).toEqual(['displayName', 'iban', 'vatNumber']);
    const stillActive = await ok<{ iesMembers: { id: string; status: string }[] }>(
      MEMBERS,
      operator,
      { c: CIRCUIT_ID, s: 'Bottega IES di Prova' },
    );
    expect(stillActive.iesMembers).toEqual([
      expect.objectContaining({ id: shop.memberId, status: 'ACTIVE' }),
    ]);

    const badShift = await call(
      `mutation($input: IesVolunteerShiftInput!) { confirmIesVolunteerShift(input: $input) { shiftId } }`,
      amici,
      {
        input: {
          circuitId: CIRCUIT_ID,
          organisationId: AMICI,
          fiscalCode: outsider.fiscalCode,
          day: '2999-01-01',
          hours: 0.1,
          description: 'x',
        },
      },
    );
    expect(code(badShift)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(badShift)).toEqual(['day', 'description', 'fiscalCode', 'hours']);
    expect(JSON.stringify(badShift)).not.toMatch(/stack|select |insert |\.ts:/i);
    expect(await balanceOf(volunteer.token)).toBeGreaterThan(0);
  });
});
