import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonCaller } from '@welfare/kit';
import { citizen, type Suite } from '@welfare/kit/test-suite';
import { Circuit } from '../src/modules/circuit/circuit.entity.js';
import { TransferCode, book, issue, openWallet } from '../src/modules/ledger/ledger.js';
import { Member } from '../src/modules/member/member.entity.js';
import type { Services } from '../src/services.js';
import { randomFiscalCode, seedCircuit, seedMember } from './fixtures.js';
import { ANONYMOUS, ORG_A, ORG_B, errorCode, errorFields, member, setupSuite } from './helpers.js';

let suite: Suite<Services>;
let circuit: Circuit;
let other: Circuit;
const MANAGER = member(ORG_A, 'COMUNE', 'MANAGER');
const OPERATOR = member(ORG_A, 'COMUNE', 'OPERATOR');
const OTHER_MANAGER = member(ORG_B, 'COMUNE', 'MANAGER');
const VALID_IBAN = 'IT60X0542811101000000123456';

const asCitizen = (fiscalCode = randomFiscalCode()): PersonCaller & { fiscalCode: string } => ({
  ...citizen(),
  fiscalCode,
});

beforeAll(async () => {
  suite = await setupSuite('members');
  const em = suite.orm.em.fork();
  circuit = (await seedCircuit(em, ORG_A)).circuit;
  other = (await seedCircuit(em, ORG_B)).circuit;
});
afterAll(() => suite.close());

const JOIN = `mutation ($code: String!) { joinIesCircuit(code: $code) { id kind status circuitId } }`;
const REQUEST = `mutation ($input: IesMembershipRequestInput!) {
  requestIesMembership(input: $input) { id kind status displayName vatNumber iban acceptsIes categories }
}`;
const DECIDE = `mutation ($id: ID!, $decision: IesMemberDecision!, $reason: String) {
  decideIesMember(memberId: $id, decision: $decision, reason: $reason) { id status decisionReason }
}`;
const MEMBERS = `query ($circuitId: ID!, $status: IesMemberStatus, $kind: IesMemberKind, $search: String) {
  iesMembers(circuitId: $circuitId, status: $status, kind: $kind, search: $search) { id displayName status kind iban }
}`;
const WALLET = `query ($code: String!, $org: ID, $before: String) {
  iesWallet(code: $code, organisationId: $org) {
    balanceCents availableCents member { id displayName }
    movements(first: 2, before: $before) { items { amountCents code status counterpartyName } nextCursor }
  }
}`;
const RULES = `mutation ($circuitId: ID!, $input: IesCircuitRulesInput!) {
  updateIesCircuitRules(circuitId: $circuitId, input: $input) { feeFixedCents feeBasisPoints feeMaxCents feePayer expiryMonths demurrageBasisPoints }
}`;

const shopRequest = (organisationId: string, overrides: Record<string, unknown> = {}) => ({
  circuitCode: circuit.code,
  organisationId,
  kind: 'BUSINESS',
  displayName: 'Panificio Rizzo',
  vatNumber: '06345670829',
  address: 'Via Roma 12, Balestrate',
  iban: 'it60 x054 2811 1010 0000 0123 456',
  categories: ['pane', 'dolci'],
  acceptsIes: true,
  ...overrides,
});

async function countMembers(): Promise<number> {
  return suite.orm.em.fork().count(Member, {});
}

async function auditActions(subject: string): Promise<string[]> {
  const rows = await suite.orm.em
    .fork()
    .execute<{ action: string }[]>(
      `select action from "ies_circuit"."audit_event" where subject = ? order by seq`,
      [subject],
    );
  return rows.map((r) => r.action);
}

describe('joining as a citizen', () => {
  it('makes an ACTIVE member with a wallet at once, and joining twice returns the same', async () => {
    const caller = asCitizen();
    const first = await suite.run(JOIN, { code: circuit.code }, caller);
    expect(first.errors).toBeUndefined();
    expect(first.data?.joinIesCircuit).toMatchObject({ kind: 'CITIZEN', status: 'ACTIVE' });
    const again = await suite.run(JOIN, { code: circuit.code }, caller);
    expect(again.data?.joinIesCircuit).toEqual(first.data?.joinIesCircuit);
    const wallet = await suite.run(WALLET, { code: circuit.code }, caller);
    expect(wallet.errors).toBeUndefined();
    expect(wallet.data?.iesWallet).toMatchObject({ balanceCents: 0, availableCents: 0 });
  });

  it('concurrent joins of one citizen make one membership', async () => {
    const caller = asCitizen();
    const results = await Promise.all(
      [1, 2, 3].map(() => suite.run(JOIN, { code: circuit.code }, caller)),
    );
    const ids = new Set(results.map((r) => (r.data?.joinIesCircuit as { id: string }).id));
    expect(ids.size).toBe(1);
  });

  it('needs a SPID/CIE login: staff without a codice fiscale and anonymous are refused', async () => {
    const before = await countMembers();
    expect(errorCode(await suite.run(JOIN, { code: circuit.code }, citizen()))).toBe('FORBIDDEN');
    expect(errorCode(await suite.run(JOIN, { code: circuit.code }, ANONYMOUS))).toBe(
      'UNAUTHENTICATED',
    );
    expect(errorCode(await suite.run(JOIN, { code: 'nowhere' }, asCitizen()))).toBe('NOT_FOUND');
    expect(await countMembers()).toBe(before);
  });
});

describe('an organisation’s request and the staff’s decision', () => {
  it('a shop’s owner asks (PENDING), the staff list it and accept it (audited)', async () => {
    const shopId = randomUUID();
    const owner = member(shopId, 'MERCHANT', 'OWNER');
    const asked = await suite.run(REQUEST, { input: shopRequest(shopId) }, owner);
    expect(asked.errors).toBeUndefined();
    const request = asked.data?.requestIesMembership as { id: string };
    expect(request).toMatchObject({
      kind: 'BUSINESS',
      status: 'PENDING',
      iban: VALID_IBAN,
      acceptsIes: true,
      categories: ['pane', 'dolci'],
    });
    const pending = await suite.run(
      MEMBERS,
      { circuitId: circuit.id, status: 'PENDING', search: 'rizzo' },
      OPERATOR,
    );
    expect(pending.data?.iesMembers).toEqual([
      expect.objectContaining({ id: request.id, displayName: 'Panificio Rizzo', iban: VALID_IBAN }),
    ]);
    // Not a member yet: its wallet moves nothing.
    const lookup = await suite.services.members
      .organisation(suite.orm.em.fork(), owner, circuit, shopId)
      .catch((e: { code: string }) => e.code);
    expect(lookup).toBe('FORBIDDEN');

    const accepted = await suite.run(DECIDE, { id: request.id, decision: 'ACCEPT' }, OPERATOR);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data?.decideIesMember).toMatchObject({ status: 'ACTIVE' });
    const found = await suite.services.members.organisation(
      suite.orm.em.fork(),
      owner,
      circuit,
      shopId,
    );
    expect(found.member.id).toBe(request.id);
    expect(await auditActions(`ies-member:${request.id}`)).toEqual([
      'IES_MEMBERSHIP_REQUESTED',
      'IES_MEMBER_ACCEPTED',
    ]);
    // A member already: asking again is a conflict.
    expect(errorCode(await suite.run(REQUEST, { input: shopRequest(shopId) }, owner))).toBe(
      'CONFLICT',
    );
  });

  it('bad input: field errors, nothing written', async () => {
    const shopId = randomUUID();
    const owner = member(shopId, 'MERCHANT', 'OWNER');
    const before = await countMembers();
    const bad = await suite.run(
      REQUEST,
      {
        input: shopRequest(shopId, {
          displayName: ' ',
          vatNumber: '12345678901',
          iban: 'IT60X0542811101000000123457',
          address: 'x',
        }),
      },
      owner,
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(errorFields(bad)).toEqual(['address', 'displayName', 'iban', 'vatNumber']);
    const missing = await suite.run(
      REQUEST,
      { input: shopRequest(shopId, { vatNumber: null, address: null, iban: null }) },
      owner,
    );
    expect(errorFields(missing)).toEqual(['address', 'iban', 'vatNumber']);
    const wrongKind = await suite.run(
      REQUEST,
      { input: shopRequest(shopId, { kind: 'ASSOCIATION' }) },
      owner,
    );
    expect(errorFields(wrongKind)).toEqual(['kind']);
    // A foreign (valid) IBAN is not an Italian one.
    const foreign = await suite.run(
      REQUEST,
      { input: shopRequest(shopId, { iban: 'DE89370400440532013000' }) },
      owner,
    );
    expect(errorFields(foreign)).toEqual(['iban']);
    expect(await countMembers()).toBe(before);
  });

  it('only the organisation’s OWNER/ADMIN/MANAGER asks; a cashier or another organisation cannot', async () => {
    const shopId = randomUUID();
    const before = await countMembers();
    const cashier = member(shopId, 'MERCHANT', 'CASHIER');
    expect(errorCode(await suite.run(REQUEST, { input: shopRequest(shopId) }, cashier))).toBe(
      'FORBIDDEN',
    );
    const stranger = member(randomUUID(), 'MERCHANT', 'OWNER');
    expect(errorCode(await suite.run(REQUEST, { input: shopRequest(shopId) }, stranger))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await suite.run(REQUEST, { input: shopRequest(shopId) }, ANONYMOUS))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await countMembers()).toBe(before);
  });

  it('an association asks without a partita IVA; rejected with a reason, it may ask again', async () => {
    const assocId = randomUUID();
    const admin = member(assocId, 'ASSOCIATION', 'ADMIN');
    const input = {
      circuitCode: circuit.code,
      organisationId: assocId,
      kind: 'ASSOCIATION',
      displayName: 'Amici del mare',
    };
    const asked = await suite.run(REQUEST, { input }, admin);
    expect(asked.errors).toBeUndefined();
    const id = (asked.data?.requestIesMembership as { id: string }).id;
    const noReason = await suite.run(DECIDE, { id, decision: 'REJECT' }, OPERATOR);
    expect(errorFields(noReason)).toEqual(['reason']);
    const rejected = await suite.run(
      DECIDE,
      { id, decision: 'REJECT', reason: 'Sede fuori dal territorio' },
      OPERATOR,
    );
    expect(rejected.data?.decideIesMember).toMatchObject({
      status: 'REJECTED',
      decisionReason: 'Sede fuori dal territorio',
    });
    // Rejected is final for this request: it cannot be accepted; a new request replaces it.
    expect(errorCode(await suite.run(DECIDE, { id, decision: 'ACCEPT' }, OPERATOR))).toBe(
      'CONFLICT',
    );
    const again = await suite.run(REQUEST, { input }, admin);
    expect(again.data?.requestIesMembership).toMatchObject({ id, status: 'PENDING' });
  });

  it('a suspended member moves no money; reinstated, it does again', async () => {
    const fiscalCode = randomFiscalCode();
    const { member: m } = await seedMember(suite.orm.em.fork(), circuit.id, { fiscalCode });
    const holder = asCitizen(fiscalCode);
    const suspended = await suite.run(
      DECIDE,
      { id: m.id, decision: 'SUSPEND', reason: 'Verifica in corso' },
      OPERATOR,
    );
    expect(suspended.data?.decideIesMember).toMatchObject({ status: 'SUSPENDED' });
    const refused = await suite.services.members
      .citizen(suite.orm.em.fork(), holder, circuit)
      .catch((e: { code: string }) => e.code);
    expect(refused).toBe('FORBIDDEN');
    // It still sees its wallet.
    expect((await suite.run(WALLET, { code: circuit.code }, holder)).errors).toBeUndefined();
    await suite.run(DECIDE, { id: m.id, decision: 'ACCEPT' }, OPERATOR);
    const back = await suite.services.members.citizen(suite.orm.em.fork(), holder, circuit);
    expect(back.member.id).toBe(m.id);
  });

  it('another circuit’s manager, a member, anonymous: nothing listed, nothing decided', async () => {
    const { member: m } = await seedMember(suite.orm.em.fork(), circuit.id, {});
    for (const caller of [OTHER_MANAGER, asCitizen(), member(randomUUID(), 'MERCHANT', 'OWNER')]) {
      expect(errorCode(await suite.run(MEMBERS, { circuitId: circuit.id }, caller))).toBe(
        'FORBIDDEN',
      );
      expect(
        errorCode(
          await suite.run(DECIDE, { id: m.id, decision: 'SUSPEND', reason: 'Prova' }, caller),
        ),
      ).toBe('FORBIDDEN');
    }
    expect(errorCode(await suite.run(MEMBERS, { circuitId: circuit.id }, ANONYMOUS))).toBe(
      'UNAUTHENTICATED',
    );
    const still = await suite.orm.em.fork().findOneOrFail(Member, { id: m.id });
    expect(still.status).toBe('ACTIVE');
    expect(await auditActions(`ies-member:${m.id}`)).toEqual([]);
    // Its own manager lists it, filtered by kind.
    const own = await suite.run(MEMBERS, { circuitId: circuit.id, kind: 'CITIZEN' }, MANAGER);
    expect((own.data?.iesMembers as { id: string }[]).map((x) => x.id)).toContain(m.id);
    expect((own.data?.iesMembers as { kind: string }[]).every((x) => x.kind === 'CITIZEN')).toBe(
      true,
    );
  });
});

describe('the rules editor', () => {
  const good = {
    feeFixedCents: 10,
    feeBasisPoints: 50,
    feeMaxCents: 200,
    feePayer: 'PAYEE',
    welfareExempt: true,
    conversionFeeBasisPoints: 150,
    conversionFeeMinCents: 30,
    demurrageBasisPoints: 0,
    expiryMonths: 24,
  };

  it('the MANAGER changes the rules (audited); bad values are field errors and change nothing', async () => {
    const bad = await suite.run(
      RULES,
      {
        circuitId: circuit.id,
        input: {
          ...good,
          feeFixedCents: 300,
          feeMaxCents: 100,
          feeBasisPoints: 5000,
          expiryMonths: 0,
        },
      },
      MANAGER,
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(errorFields(bad)).toEqual(['expiryMonths', 'feeBasisPoints', 'feeMaxCents']);
    const unchanged = await suite.orm.em.fork().findOneOrFail(Circuit, { id: circuit.id });
    expect(unchanged.feeFixedCents).toBe(5);

    const changed = await suite.run(RULES, { circuitId: circuit.id, input: good }, MANAGER);
    expect(changed.errors).toBeUndefined();
    expect(changed.data?.updateIesCircuitRules).toEqual({
      feeFixedCents: 10,
      feeBasisPoints: 50,
      feeMaxCents: 200,
      feePayer: 'PAYEE',
      expiryMonths: 24,
      demurrageBasisPoints: 0,
    });
    expect(await auditActions(`ies-circuit:${circuit.id}`)).toEqual(['IES_CIRCUIT_RULES_CHANGED']);
  });

  it('an OPERATOR, another circuit’s manager and anonymous cannot change them', async () => {
    for (const caller of [OPERATOR, OTHER_MANAGER]) {
      const result = await suite.run(
        RULES,
        { circuitId: circuit.id, input: { ...good, feeFixedCents: 1 } },
        caller,
      );
      expect(errorCode(result)).toBe('FORBIDDEN');
    }
    expect(errorCode(await suite.run(RULES, { circuitId: other.id, input: good }, MANAGER))).toBe(
      'FORBIDDEN',
    );
    expect(
      errorCode(await suite.run(RULES, { circuitId: circuit.id, input: good }, ANONYMOUS)),
    ).toBe('UNAUTHENTICATED');
    const circuitNow = await suite.orm.em.fork().findOneOrFail(Circuit, { id: circuit.id });
    expect(circuitNow.feeFixedCents).not.toBe(1);
  });
});

describe('wallets', () => {
  it('a citizen reads balance and movements, paged, with the counterparty’s name', async () => {
    const em = suite.orm.em.fork();
    const fiscalCode = randomFiscalCode();
    const payer = await seedMember(em, circuit.id, { fiscalCode, issuedCents: 5_000 });
    const shop = await seedMember(em, circuit.id, { kind: 'BUSINESS', displayName: 'Bottega Uno' });
    await book.transfer(em, {
      id: randomUUID(),
      debit: payer.walletId,
      credit: shop.walletId,
      amount: 1_250,
      code: TransferCode.PAYMENT,
    });
    await book.transfer(em, {
      id: randomUUID(),
      debit: payer.walletId,
      credit: shop.walletId,
      amount: 250,
      code: TransferCode.PAYMENT,
    });
    const holder = asCitizen(fiscalCode);
    const page1 = await suite.run(WALLET, { code: circuit.code }, holder);
    expect(page1.errors).toBeUndefined();
    const wallet = page1.data?.iesWallet as {
      balanceCents: number;
      movements: { items: unknown[]; nextCursor: string | null };
    };
    expect(wallet.balanceCents).toBe(3_500);
    expect(wallet.movements.items).toEqual([
      { amountCents: -250, code: 'PAYMENT', status: 'POSTED', counterpartyName: 'Bottega Uno' },
      { amountCents: -1_250, code: 'PAYMENT', status: 'POSTED', counterpartyName: 'Bottega Uno' },
    ]);
    const page2 = await suite.run(
      WALLET,
      { code: circuit.code, before: wallet.movements.nextCursor },
      holder,
    );
    expect((page2.data?.iesWallet as { movements: { items: unknown[] } }).movements.items).toEqual([
      { amountCents: 5_000, code: 'ISSUANCE', status: 'POSTED', counterpartyName: circuit.name },
    ]);
    const bad = await suite.run(WALLET, { code: circuit.code, before: 'abc' }, holder);
    expect(errorFields(bad)).toEqual(['before']);
  });

  it('an organisation reads its own wallet; myIesMemberships lists citizen and organisation memberships', async () => {
    const em = suite.orm.em.fork();
    const shopId = randomUUID();
    const fiscalCode = randomFiscalCode();
    await seedMember(em, circuit.id, {
      kind: 'BUSINESS',
      organisationId: shopId,
      issuedCents: 700,
    });
    await seedMember(em, other.id, { fiscalCode });
    const owner = { ...member(shopId, 'MERCHANT', 'OWNER'), fiscalCode };
    const shopWallet = await suite.run(WALLET, { code: circuit.code, org: shopId }, owner);
    expect(shopWallet.data?.iesWallet).toMatchObject({ balanceCents: 700, availableCents: 700 });
    const mine = await suite.run(
      `query { myIesMemberships { kind organisationId circuit { code } } }`,
      {},
      owner,
    );
    expect(mine.data?.myIesMemberships).toEqual([
      { kind: 'CITIZEN', organisationId: null, circuit: { code: other.code } },
      { kind: 'BUSINESS', organisationId: shopId, circuit: { code: circuit.code } },
    ]);
    expect(
      (await suite.run(`query { myIesMemberships { id } }`, {}, ANONYMOUS)).data?.myIesMemberships,
    ).toEqual([]);
  });

  it('tenancy: another citizen, another organisation, another circuit’s manager, anonymous see nothing of it', async () => {
    const em = suite.orm.em.fork();
    const shopId = randomUUID();
    const shop = await seedMember(em, circuit.id, { kind: 'BUSINESS', organisationId: shopId });
    await issue(em, {
      id: randomUUID(),
      circuitId: circuit.id,
      creditAccountId: await openWallet(em, shop.member),
      amount: 100,
      code: TransferCode.ISSUANCE,
      reserveReference: 'test',
    });
    const strangers = [
      member(randomUUID(), 'MERCHANT', 'OWNER'),
      OTHER_MANAGER,
      MANAGER,
      asCitizen(),
    ];
    for (const caller of strangers) {
      const result = await suite.run(WALLET, { code: circuit.code, org: shopId }, caller);
      expect(errorCode(result)).toBe('FORBIDDEN');
      expect(result.data?.iesWallet ?? null).toBeNull();
    }
    // Another citizen asking for their own wallet gets theirs (none): not the shop's.
    expect(errorCode(await suite.run(WALLET, { code: circuit.code }, asCitizen()))).toBe(
      'NOT_FOUND',
    );
    expect(errorCode(await suite.run(WALLET, { code: circuit.code }, ANONYMOUS))).toBe(
      'UNAUTHENTICATED',
    );
    expect((await book.checkInvariants(em)).problems).toEqual([]);
  });
});

describe('the staff’s search of members (the purchase picker)', () => {
  const SEARCH = `query ($circuitId: ID!, $search: String, $status: IesMemberStatus, $limit: Int, $offset: Int) {
    iesMembers(circuitId: $circuitId, search: $search, status: $status, limit: $limit, offset: $offset) { id displayName }
  }`;
  let searched: Circuit;
  const names = async (variables: Record<string, unknown>, caller = OPERATOR) => {
    const result = await suite.run(SEARCH, { circuitId: searched.id, ...variables }, caller);
    expect(result.errors).toBeUndefined();
    return (result.data?.iesMembers as { displayName: string }[]).map((x) => x.displayName);
  };

  beforeAll(async () => {
    const em = suite.orm.em.fork();
    searched = (await seedCircuit(em, ORG_A)).circuit;
    for (const displayName of ['Caffè Nicolò', 'Panetteria L’Àncora', 'Bar 100% Sport']) {
      await seedMember(em, searched.id, { kind: 'BUSINESS', displayName });
    }
    for (let i = 1; i <= 5; i++) {
      await seedMember(em, searched.id, { displayName: `Rossi Maria ${i}` });
    }
    await em.nativeUpdate(
      Member,
      { circuitId: searched.id, displayName: 'Bar 100% Sport' },
      { vatNumber: '01234567890' },
    );
  });

  it('finds any member by a part of the name, without case nor accents, by partita IVA or code', async () => {
    expect(await names({ search: 'nicolo' })).toEqual(['Caffè Nicolò']);
    expect(await names({ search: 'CAFFE' })).toEqual(['Caffè Nicolò']);
    expect(await names({ search: 'l’ancora' })).toEqual(['Panetteria L’Àncora']);
    expect(await names({ search: "l'ancora" })).toEqual(['Panetteria L’Àncora']);
    // `%` and `_` are characters, not wildcards.
    expect(await names({ search: '100%' })).toEqual(['Bar 100% Sport']);
    expect(await names({ search: 'r_ss' })).toEqual([]);
    expect(await names({ search: '0123456' })).toEqual(['Bar 100% Sport']);
    const bar = await suite.orm.em
      .fork()
      .findOneOrFail(Member, { circuitId: searched.id, displayName: 'Bar 100% Sport' });
    expect(await names({ search: bar.id.toUpperCase() })).toEqual(['Bar 100% Sport']);
    // Another circuit's members are never found.
    expect(await names({ search: 'prova' })).toEqual([]);
  });

  it('pages the matches by name, each once', async () => {
    const pages = [
      await names({ search: 'rossi', status: 'ACTIVE', limit: 2, offset: 0 }),
      await names({ search: 'rossi', status: 'ACTIVE', limit: 2, offset: 2 }),
      await names({ search: 'rossi', status: 'ACTIVE', limit: 2, offset: 4 }),
    ];
    expect(pages).toEqual([
      ['Rossi Maria 1', 'Rossi Maria 2'],
      ['Rossi Maria 3', 'Rossi Maria 4'],
      ['Rossi Maria 5'],
    ]);
  });

  it('counts the matches in all with the list’s filters, paging aside', async () => {
    const COUNT = `query ($circuitId: ID!, $search: String, $status: IesMemberStatus, $kind: IesMemberKind) {
      iesMemberCount(circuitId: $circuitId, search: $search, status: $status, kind: $kind)
    }`;
    const count = async (variables: Record<string, unknown>, caller = OPERATOR) => {
      const result = await suite.run(COUNT, { circuitId: searched.id, ...variables }, caller);
      expect(result.errors).toBeUndefined();
      return result.data?.iesMemberCount;
    };
    expect(await count({})).toBe(8);
    expect(await count({ search: 'rossi', status: 'ACTIVE' })).toBe(5);
    expect(await count({ search: 'rossi', status: 'PENDING' })).toBe(0);
    expect(await count({ search: 'CAFFE' })).toBe(1);
    expect(await count({ search: '100%' })).toBe(1);
    expect(await count({ search: '0123456', kind: 'BUSINESS' })).toBe(1);
    expect(await count({ kind: 'BUSINESS' }, MANAGER)).toBe(3);
    // Another Comune's staff get the list's error and no number; bad input names its field.
    const foreign = await suite.run(COUNT, { circuitId: searched.id }, OTHER_MANAGER);
    expect(errorCode(foreign)).toBe('FORBIDDEN');
    expect(foreign.data?.iesMemberCount ?? null).toBeNull();
    const long = await suite.run(
      COUNT,
      { circuitId: searched.id, search: 'x'.repeat(101) },
      MANAGER,
    );
    expect(errorCode(long)).toBe('BAD_USER_INPUT');
    expect(errorFields(long)).toEqual(['search']);
  });

  it('another Comune gets nothing; bad input is BAD_USER_INPUT on its field', async () => {
    const foreign = await suite.run(
      SEARCH,
      { circuitId: searched.id, search: 'rossi' },
      OTHER_MANAGER,
    );
    expect(errorCode(foreign)).toBe('FORBIDDEN');
    expect(foreign.data?.iesMembers ?? null).toBeNull();
    const long = await suite.run(
      SEARCH,
      { circuitId: searched.id, search: 'x'.repeat(101) },
      MANAGER,
    );
    expect(errorCode(long)).toBe('BAD_USER_INPUT');
    expect(errorFields(long)).toEqual(['search']);
    const paging = await suite.run(
      SEARCH,
      { circuitId: searched.id, search: 'rossi', limit: 201, offset: -1 },
      MANAGER,
    );
    expect(errorFields(paging)).toEqual(['limit', 'offset']);
  });
});
