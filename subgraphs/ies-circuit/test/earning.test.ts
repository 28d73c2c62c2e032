import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { citizen, type Suite } from '@welfare/kit/test-suite';
import { arrayLiteral } from '@welfare/kit/book';
import type { PresentAttendance } from '@welfare/kit/contracts';
import { romeDay } from '@welfare/kit/dates';
import type { Circuit } from '../src/modules/circuit/circuit.entity.js';
import { EarningRule } from '../src/modules/earning/earning.entity.js';
import { TransferCode, book, issue, type CircuitAccounts } from '../src/modules/ledger/ledger.js';
import type { Member } from '../src/modules/member/member.entity.js';
import { renderDescription, storedDescription } from '../src/modules/earning/reward-description.js';
import type { Services } from '../src/services.js';
import { randomFiscalCode, seedCircuit, seedMember } from './fixtures.js';
import { ANONYMOUS, ORG_A, ORG_B, errorCode, errorFields, member, setupSuite } from './helpers.js';

/*
 * Earning by taking part: the rules (staff), the rewards they pay out of the rewards fund (one per
 * source, within the cap of the member's period, also under concurrent claims), each source
 * (cashback, attendance through the feed, volunteering, shared links), tenancy and bad input.
 * The book's invariants are checked after each test.
 */

let suite: Suite<Services>;
/** What third-sector's feed answers (the test writes it). */
let feed: PresentAttendance[] = [];

const manager = member(ORG_A, 'COMUNE', 'MANAGER');
const otherManager = member(ORG_B, 'COMUNE', 'MANAGER');
const TODAY = romeDay(new Date());

beforeAll(async () => {
  suite = await setupSuite('earning', {
    attendanceSource: (after, limit) =>
      Promise.resolve(
        feed
          .filter(
            (a) =>
              !after ||
              a.markedAt > after.markedAt ||
              (a.markedAt === after.markedAt && a.bookingId > after.bookingId),
          )
          .sort((a, b) =>
            a.markedAt === b.markedAt
              ? a.bookingId.localeCompare(b.bookingId)
              : a.markedAt.localeCompare(b.markedAt),
          )
          .slice(0, limit),
      ),
  });
});
afterAll(() => suite?.close());
beforeEach(() => {
  feed = [];
});

const em = (): EntityManager => suite.orm.em.fork();

async function invariantsHold(): Promise<void> {
  expect((await book.checkInvariants(em())).problems).toEqual([]);
}

async function balance(accountId: string): Promise<number> {
  return (await book.balance(em(), accountId)).posted;
}

/** A circuit of ORG_A (or `managerId`) with `rewardsCents` funded in euro. */
async function world(
  rewardsCents: number,
  managerId = ORG_A,
): Promise<{ circuit: Circuit; accounts: CircuitAccounts }> {
  const seeded = await seedCircuit(em(), managerId);
  if (rewardsCents > 0) {
    await issue(em(), {
      id: randomUUID(),
      circuitId: seeded.circuit.id,
      creditAccountId: seeded.accounts.rewards,
      amount: rewardsCents,
      code: TransferCode.REWARD_FUNDING,
      reserveReference: 'test reward funding',
    });
  }
  return seeded;
}

async function rule(circuitId: string, fields: Partial<EarningRule>): Promise<EarningRule> {
  const fork = em();
  const row = fork.create(EarningRule, {
    circuitId,
    kind: 'ATTENDANCE',
    name: 'Regola di prova',
    capCents: 100_000,
    capPeriod: 'MONTH',
    startsOn: '2020-01-01',
    createdBy: randomUUID(),
    ...fields,
  });
  await fork.flush();
  return row;
}

function attendance(m: Member, comuneId = ORG_A, bookingId = randomUUID()): PresentAttendance {
  return {
    bookingId,
    personId: m.personId!,
    comuneId,
    programmeTitle: 'Doposcuola',
    markedAt: new Date().toISOString(),
  };
}

const claimAttendance = (a: PresentAttendance) =>
  suite.services.earning.rewardAttendance(em(), { ...a, markedAt: new Date(a.markedAt) });

const CREATE_RULE = `mutation ($circuitId: ID!, $input: IesEarningRuleInput!) {
  createIesEarningRule(circuitId: $circuitId, input: $input) {
    id kind name amountCents basisPoints volunteeringUnit visitsPerReward capCents capPeriod startsOn endsOn active
  }
}`;
const UPDATE_RULE = `mutation ($ruleId: ID!, $input: IesEarningRuleInput!) {
  updateIesEarningRule(ruleId: $ruleId, input: $input) { id name capCents active }
}`;
const DEACTIVATE = `mutation ($ruleId: ID!) { deactivateIesEarningRule(ruleId: $ruleId) { id active } }`;
const RULES = `query ($circuitId: ID!) { iesEarningRules(circuitId: $circuitId) { id kind active } }`;
const REWARDS = `query ($circuitId: ID!) { iesRewards(circuitId: $circuitId) { id kind paidCents requestedCents capped memberName } }`;
const MINE = `query ($code: String!) { myIesEarnings(code: $code) {
  rules { rule { id kind name } earnedCents capLeftCents }
  rewards { id kind source paidCents requestedCents capped description descriptionEn }
  initiatives { id title }
  links { id token initiativeId visits }
} }`;
const CONFIRM = `mutation ($input: IesVolunteerShiftInput!) {
  confirmIesVolunteerShift(input: $input) { shiftId outcome reward { paidCents requestedCents capped kind } }
}`;
const INITIATIVE = `mutation ($circuitId: ID!, $input: IesShareInitiativeInput!) {
  createIesShareInitiative(circuitId: $circuitId, input: $input) { id title url active }
}`;
const LINK = `mutation ($code: String!, $initiativeId: ID!) { iesShareLink(code: $code, initiativeId: $initiativeId) { id token visits } }`;
const VISIT = `mutation ($token: String!, $visitorKey: String!) { recordIesShareVisit(token: $token, visitorKey: $visitorKey) { url counted } }`;

const input = (fields: Record<string, unknown> = {}) => ({
  kind: 'ATTENDANCE',
  name: 'Presenza al doposcuola',
  amountCents: 200,
  capCents: 2000,
  capPeriod: 'MONTH',
  startsOn: '2026-01-01',
  endsOn: null,
  ...fields,
});

describe('rules', () => {
  it('are created, changed and deactivated by the circuit’s staff, each kind with its fields, audited', async () => {
    const { circuit } = await world(0);
    const kinds = [
      input(),
      input({ kind: 'LOCAL_PURCHASE', name: 'Cashback', amountCents: null, basisPoints: 500 }),
      input({ kind: 'VOLUNTEERING', name: 'Volontariato', volunteeringUnit: 'HOUR' }),
      input({ kind: 'SHARING', name: 'Condividi', visitsPerReward: 5 }),
    ];
    const ids: string[] = [];
    for (const rule of kinds) {
      const result = await suite.run(CREATE_RULE, { circuitId: circuit.id, input: rule }, manager);
      expect(result.errors).toBeUndefined();
      const created = result.data!.createIesEarningRule as Record<string, unknown>;
      expect(created).toMatchObject({ kind: rule.kind, active: true, capCents: 2000 });
      ids.push(created.id as string);
    }
    const updated = await suite.run(
      UPDATE_RULE,
      { ruleId: ids[0], input: input({ name: 'Presenza (nuova)', capCents: 3000 }) },
      manager,
    );
    expect(updated.data?.updateIesEarningRule).toMatchObject({
      name: 'Presenza (nuova)',
      capCents: 3000,
    });
    const kindChange = await suite.run(
      UPDATE_RULE,
      { ruleId: ids[0], input: input({ kind: 'SHARING', visitsPerReward: 3 }) },
      manager,
    );
    expect(errorFields(kindChange)).toEqual(['kind']);
    const off = await suite.run(DEACTIVATE, { ruleId: ids[0] }, manager);
    expect(off.data?.deactivateIesEarningRule).toEqual({ id: ids[0], active: false });
    const list = await suite.run(RULES, { circuitId: circuit.id }, manager);
    expect((list.data?.iesEarningRules as unknown[]).length).toBe(4);
    const audited = await suite.sql<{ action: string }>(
      `select action from ies_circuit.audit_event where subject = any(?::text[]) order by seq`,
      [arrayLiteral(ids.map((id) => `rule:${id}`))],
    );
    expect(audited.map((a) => a.action)).toEqual([
      'EARNING_RULE_CREATED',
      'EARNING_RULE_CREATED',
      'EARNING_RULE_CREATED',
      'EARNING_RULE_CREATED',
      'EARNING_RULE_UPDATED',
      'EARNING_RULE_DEACTIVATED',
    ]);
  });

  it('refuse bad input field by field, in Italian and English, writing nothing', async () => {
    const { circuit } = await world(0);
    const cases: [Record<string, unknown>, string[]][] = [
      [{ name: 'x' }, ['name']],
      [{ amountCents: 0 }, ['amountCents']],
      [{ kind: 'LOCAL_PURCHASE', amountCents: null, basisPoints: 9000 }, ['basisPoints']],
      [{ kind: 'VOLUNTEERING', volunteeringUnit: null }, ['volunteeringUnit']],
      [{ kind: 'SHARING', visitsPerReward: 0 }, ['visitsPerReward']],
      [{ capCents: -5 }, ['capCents']],
      [{ startsOn: '2026-02-30' }, ['startsOn']],
      [{ endsOn: '2025-12-31' }, ['endsOn']],
    ];
    for (const [fields, expected] of cases) {
      const result = await suite.run(
        CREATE_RULE,
        { circuitId: circuit.id, input: input(fields) },
        manager,
      );
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(errorFields(result)).toEqual(expected);
    }
    const result = await suite.run(
      CREATE_RULE,
      { circuitId: circuit.id, input: input({ name: '' }) },
      manager,
    );
    const original = result.errors?.[0]?.originalError as unknown as {
      fields: { message: { it: string; en: string } }[];
    };
    const messages = original.fields[0]!.message;
    expect(messages.it).toMatch(/caratteri/);
    expect(messages.en).toMatch(/characters/);
    expect(await suite.count('earning_rule', { circuit_id: circuit.id })).toBe(0);
  });

  it('belong to the circuit’s staff only: another Comune, a citizen, anonymous are refused', async () => {
    const { circuit } = await world(0);
    const own = await rule(circuit.id, {});
    for (const [caller, code] of [
      [otherManager, 'FORBIDDEN'],
      [{ ...citizen(), fiscalCode: randomFiscalCode() }, 'FORBIDDEN'],
      [member(ORG_A, 'MERCHANT', 'OWNER'), 'FORBIDDEN'],
      [ANONYMOUS, 'UNAUTHENTICATED'],
    ] as const) {
      expect(
        errorCode(await suite.run(CREATE_RULE, { circuitId: circuit.id, input: input() }, caller)),
      ).toBe(code);
      expect(
        errorCode(await suite.run(UPDATE_RULE, { ruleId: own.id, input: input() }, caller)),
      ).toBe(code);
      expect(errorCode(await suite.run(DEACTIVATE, { ruleId: own.id }, caller))).toBe(code);
      expect(errorCode(await suite.run(RULES, { circuitId: circuit.id }, caller))).toBe(code);
      expect(errorCode(await suite.run(REWARDS, { circuitId: circuit.id }, caller))).toBe(code);
    }
    expect(await suite.count('earning_rule', { circuit_id: circuit.id })).toBe(1);
  });
});

describe('local purchase cashback', () => {
  it('returns the rule’s share of a citizen’s payment to a member business, once per payment', async () => {
    const { circuit, accounts } = await world(10_000);
    await rule(circuit.id, { kind: 'LOCAL_PURCHASE', basisPoints: 1000, amountCents: null });
    const payer = await seedMember(em(), circuit.id, { issuedCents: 5_000 });
    const shop = await seedMember(em(), circuit.id, { kind: 'BUSINESS' });
    const paymentId = randomUUID();
    const purchase = {
      circuitId: circuit.id,
      payerMemberId: payer.member.id,
      payeeMemberId: shop.member.id,
      paymentId,
      amountCents: 1_234,
    };
    // Claimed ten times at once (a retried payment's hook): one reward.
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        em().transactional((tx) => suite.services.earning.rewardLocalPurchase(tx, purchase)),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'PAID')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'ALREADY_EARNED')).toHaveLength(9);
    expect(await balance(payer.walletId)).toBe(5_000 + 123);
    expect(await balance(accounts.rewards)).toBe(10_000 - 123);
    // Between citizens, or from a business: nothing.
    const other = await seedMember(em(), circuit.id);
    const none = await em().transactional((tx) =>
      suite.services.earning.rewardLocalPurchase(tx, {
        ...purchase,
        payeeMemberId: other.member.id,
        paymentId: randomUUID(),
      }),
    );
    expect(none.status).toBe('NO_RULE');
    await invariantsHold();
  });

  it('never fails the payment: an empty rewards fund pays nothing and writes nothing', async () => {
    const { circuit } = await world(0);
    await rule(circuit.id, { kind: 'LOCAL_PURCHASE', basisPoints: 1000, amountCents: null });
    const payer = await seedMember(em(), circuit.id, { issuedCents: 5_000 });
    const shop = await seedMember(em(), circuit.id, { kind: 'BUSINESS' });
    const outcome = await em().transactional((tx) =>
      suite.services.earning.rewardLocalPurchase(tx, {
        circuitId: circuit.id,
        payerMemberId: payer.member.id,
        payeeMemberId: shop.member.id,
        paymentId: randomUUID(),
        amountCents: 2_000,
      }),
    );
    expect(outcome.status).toBe('UNFUNDED');
    expect(await suite.count('reward', { circuit_id: circuit.id })).toBe(0);
    expect(await balance(payer.walletId)).toBe(5_000);
    await invariantsHold();
  });
});

describe('attendance', () => {
  it('caps hold under 30 concurrent claims: never more than the cap, the last one paid up to it', async () => {
    const { circuit, accounts } = await world(100_000, ORG_A);
    await rule(circuit.id, {
      kind: 'ATTENDANCE',
      amountCents: 100,
      capCents: 1_050,
      capPeriod: 'WEEK',
    });
    const pupil = await seedMember(em(), circuit.id);
    const claims = Array.from({ length: 30 }, () => attendance(pupil.member));
    await Promise.all(claims.map(claimAttendance));
    expect(await balance(pupil.walletId)).toBe(1_050);
    expect(await balance(accounts.rewards)).toBe(100_000 - 1_050);
    const rewards = (
      await suite.sql<{
        paid_cents: number;
        requested_cents: number;
        description_code: string;
        description_params: unknown;
      }>(
        `select paid_cents, requested_cents, description_code, description_params
           from ies_circuit.reward where member_id = ? order by paid_cents desc`,
        [pupil.member.id],
      )
    ).map((r) => ({
      ...r,
      description: renderDescription(storedDescription(r.description_code, r.description_params), {
        requestedCents: r.requested_cents,
        paidCents: r.paid_cents,
      }),
    }));
    expect(rewards).toHaveLength(30);
    expect(rewards.filter((r) => r.paid_cents === 100)).toHaveLength(10);
    const partial = rewards.filter((r) => r.paid_cents === 50);
    expect(partial).toHaveLength(1);
    // Stored as a code and parameters, each language rendered on its own.
    expect(partial[0]!.description_code).toBe('ATTENDANCE');
    expect(partial[0]!.description.it).toMatch(/^Presenza: .* — pagato fino al tetto del periodo$/);
    expect(partial[0]!.description.en).toMatch(
      /^Attendance: .* — paid up to the cap of the period$/,
    );
    expect(rewards.find((r) => r.paid_cents === 0)!.description.en).toMatch(
      / — cap of the period reached: nothing paid$/,
    );
    expect(rewards.filter((r) => r.paid_cents === 0)).toHaveLength(19);
    await invariantsHold();
  });

  it('the same attendance earns once, even claimed 10 times at once; another Comune’s earns nothing here', async () => {
    const { circuit } = await world(10_000, ORG_A);
    await rule(circuit.id, { kind: 'ATTENDANCE', amountCents: 250 });
    const pupil = await seedMember(em(), circuit.id);
    const once = attendance(pupil.member);
    const paid = await Promise.all(Array.from({ length: 10 }, () => claimAttendance(once)));
    expect(paid.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await balance(pupil.walletId)).toBe(250);
    expect(await claimAttendance(attendance(pupil.member, ORG_B))).toBe(0);
    expect(await balance(pupil.walletId)).toBe(250);
    await invariantsHold();
  });

  it('is pulled from the feed with a cursor: read again, nothing more; an empty fund stops and resumes', async () => {
    // A Comune of its own: the feed's attendances reward this circuit only.
    const comune = randomUUID();
    const { circuit, accounts } = await world(300, comune);
    await rule(circuit.id, { kind: 'ATTENDANCE', amountCents: 200 });
    const pupil = await seedMember(em(), circuit.id);
    const first = attendance(pupil.member, comune);
    const second = {
      ...attendance(pupil.member, comune),
      markedAt: new Date(Date.now() + 1000).toISOString(),
    };
    feed = [first, second];
    const pass = await suite.services.attendanceFeed.pass(em());
    // The first is paid; the second finds the fund short (100 left) and waits.
    expect(pass).toEqual({ read: 1, rewarded: 1 });
    expect(await balance(pupil.walletId)).toBe(200);
    expect(await suite.count('reward', { source: `attendance:${second.bookingId}` })).toBe(0);
    await issue(em(), {
      id: randomUUID(),
      circuitId: circuit.id,
      creditAccountId: accounts.rewards,
      amount: 1_000,
      code: TransferCode.REWARD_FUNDING,
      reserveReference: 'top-up',
    });
    expect(await suite.services.attendanceFeed.pass(em())).toEqual({ read: 1, rewarded: 1 });
    expect(await suite.services.attendanceFeed.pass(em())).toEqual({ read: 0, rewarded: 0 });
    // Unmarked and marked again: it comes again with a new time, and earns nothing more.
    feed = [{ ...first, markedAt: new Date(Date.now() + 5000).toISOString() }];
    expect(await suite.services.attendanceFeed.pass(em())).toEqual({ read: 1, rewarded: 0 });
    expect(await balance(pupil.walletId)).toBe(400);
    await invariantsHold();
  });

  it('sync now is the staff’s only', async () => {
    const { circuit } = await world(0);
    const sync = `mutation ($circuitId: ID!) { syncIesAttendance(circuitId: $circuitId) { read rewarded } }`;
    expect((await suite.run(sync, { circuitId: circuit.id }, manager)).errors).toBeUndefined();
    expect(errorCode(await suite.run(sync, { circuitId: circuit.id }, otherManager))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await suite.run(sync, { circuitId: circuit.id }, ANONYMOUS))).toBe(
      'UNAUTHENTICATED',
    );
  });
});

describe('volunteering', () => {
  async function volunteeringWorld(rewardsCents: number) {
    const seeded = await world(rewardsCents);
    const association = randomUUID();
    await seedMember(em(), seeded.circuit.id, { kind: 'ASSOCIATION', organisationId: association });
    const fiscalCode = randomFiscalCode();
    const volunteer = await seedMember(em(), seeded.circuit.id, { fiscalCode });
    const admin = member(association, 'ASSOCIATION', 'ADMIN');
    const shift = (fields: Record<string, unknown> = {}) => ({
      circuitId: seeded.circuit.id,
      organisationId: association,
      fiscalCode,
      day: TODAY,
      hours: 2.5,
      description: 'Pulizia della spiaggia',
      ...fields,
    });
    return { ...seeded, association, volunteer, admin, shift, fiscalCode };
  }

  it('the association confirms a shift once: per hour, even confirmed twice at once', async () => {
    const w = await volunteeringWorld(10_000);
    await rule(w.circuit.id, { kind: 'VOLUNTEERING', amountCents: 400, volunteeringUnit: 'HOUR' });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => suite.run(CONFIRM, { input: w.shift() }, w.admin)),
    );
    const done = results.filter((r) => !r.errors);
    expect(done).toHaveLength(1);
    expect(done[0]!.data?.confirmIesVolunteerShift).toMatchObject({
      outcome: 'PAID',
      reward: { paidCents: 1000, requestedCents: 1000, capped: false, kind: 'VOLUNTEERING' },
    });
    expect(results.filter((r) => errorCode(r) === 'CONFLICT')).toHaveLength(4);
    expect(await balance(w.volunteer.walletId)).toBe(1000);
    const mine = await suite.run(
      MINE,
      { code: w.circuit.code },
      { ...citizen(), fiscalCode: w.fiscalCode },
    );
    expect(mine.errors).toBeUndefined();
    const data = mine.data!.myIesEarnings as {
      rules: { earnedCents: number; capLeftCents: number }[];
      rewards: { description: string; descriptionEn: string }[];
    };
    expect(data.rules[0]).toMatchObject({ earnedCents: 1000, capLeftCents: 100_000 - 1000 });
    expect(data.rewards).toHaveLength(1);
    // Each language on its own (the reader's is picked by the portal).
    expect(data.rewards[0]!.description).toMatch(/^Volontariato con .+: Pulizia della spiaggia$/);
    expect(data.rewards[0]!.descriptionEn).toMatch(
      /^Volunteering with .+: Pulizia della spiaggia$/,
    );
    await invariantsHold();
  });

  it('refuses with a clear message when the rewards fund is empty: no shift, no reward', async () => {
    const w = await volunteeringWorld(0);
    await rule(w.circuit.id, { kind: 'VOLUNTEERING', amountCents: 500, volunteeringUnit: 'SHIFT' });
    const result = await suite.run(CONFIRM, { input: w.shift() }, w.admin);
    expect(errorCode(result)).toBe('CONFLICT');
    const refusal = result.errors?.[0]?.originalError as unknown as {
      localized: { it: string; en: string };
    };
    expect(refusal.localized.it).toMatch(/fondo premi del circuito è esaurito/);
    expect(refusal.localized.en).toMatch(/rewards fund is empty/);
    expect(await suite.count('volunteer_shift', { circuit_id: w.circuit.id })).toBe(0);
    expect(await suite.count('reward', { circuit_id: w.circuit.id })).toBe(0);
    await invariantsHold();
  });

  it('refuses bad input by field, and anyone but the association’s ADMIN', async () => {
    const w = await volunteeringWorld(10_000);
    await rule(w.circuit.id, { kind: 'VOLUNTEERING', amountCents: 500, volunteeringUnit: 'SHIFT' });
    const bad = await suite.run(
      CONFIRM,
      {
        input: w.shift({
          fiscalCode: 'NOTAMEMBER000000',
          day: '2999-01-01',
          hours: 0.1,
          description: 'x',
        }),
      },
      w.admin,
    );
    expect(errorFields(bad).sort()).toEqual(['day', 'description', 'fiscalCode', 'hours']);
    const shop = randomUUID();
    await seedMember(em(), w.circuit.id, { kind: 'BUSINESS', organisationId: shop });
    for (const [caller, organisationId, code] of [
      [member(w.association, 'ASSOCIATION', 'OPERATOR'), w.association, 'FORBIDDEN'],
      [member(randomUUID(), 'ASSOCIATION', 'ADMIN'), w.association, 'FORBIDDEN'],
      [member(shop, 'MERCHANT', 'OWNER'), shop, 'FORBIDDEN'],
      [manager, w.association, 'FORBIDDEN'],
      [ANONYMOUS, w.association, 'UNAUTHENTICATED'],
    ] as const) {
      expect(
        errorCode(await suite.run(CONFIRM, { input: w.shift({ organisationId }) }, caller)),
      ).toBe(code);
    }
    expect(await suite.count('volunteer_shift', { circuit_id: w.circuit.id })).toBe(0);
  });
});

describe('sharing', () => {
  it('every N distinct visitors of a citizen’s link earn the rule’s amount; the same visitor counts once a day', async () => {
    const { circuit } = await world(10_000);
    await rule(circuit.id, { kind: 'SHARING', amountCents: 150, visitsPerReward: 3 });
    const created = await suite.run(
      INITIATIVE,
      {
        circuitId: circuit.id,
        input: { title: 'Festa del mare', url: 'https://www.comune.balestrate.pa.it/festa' },
      },
      manager,
    );
    const initiative = created.data!.createIesShareInitiative as { id: string; url: string };
    const fiscalCode = randomFiscalCode();
    const sharer = await seedMember(em(), circuit.id, { fiscalCode });
    const me = { ...citizen(), fiscalCode };
    const link = (await suite.run(LINK, { code: circuit.code, initiativeId: initiative.id }, me))
      .data!.iesShareLink as { id: string; token: string };
    const again = await suite.run(LINK, { code: circuit.code, initiativeId: initiative.id }, me);
    expect((again.data!.iesShareLink as { token: string }).token).toBe(link.token);
    const visit = (visitorKey: string) =>
      suite.run(VISIT, { token: link.token, visitorKey }, ANONYMOUS);
    const counted = await Promise.all(
      [
        'visitor-1',
        'visitor-2',
        'visitor-1',
        'visitor-3',
        'visitor-4',
        'visitor-5',
        'visitor-6',
        'visitor-6',
      ].map(visit),
    );
    expect(
      counted.every((r) => (r.data?.recordIesShareVisit as { url: string }).url === initiative.url),
    ).toBe(true);
    expect(
      counted.filter((r) => (r.data?.recordIesShareVisit as { counted: boolean }).counted),
    ).toHaveLength(6);
    expect(await balance(sharer.walletId)).toBe(300);
    expect(errorCode(await visit.call(null, 'x'))).toBe('BAD_USER_INPUT');
    expect(
      errorCode(
        await suite.run(VISIT, { token: 'unknown-token-123', visitorKey: 'visitor-1' }, ANONYMOUS),
      ),
    ).toBe('NOT_FOUND');
    // Initiatives are the staff's; links the members'.
    expect(
      errorCode(
        await suite.run(
          INITIATIVE,
          { circuitId: circuit.id, input: { title: 'Altro', url: 'https://x.it' } },
          otherManager,
        ),
      ),
    ).toBe('FORBIDDEN');
    const bad = await suite.run(
      INITIATIVE,
      { circuitId: circuit.id, input: { title: 'x', url: 'ftp://x' } },
      manager,
    );
    expect(errorFields(bad).sort()).toEqual(['title', 'url']);
    expect(
      errorCode(
        await suite.run(
          LINK,
          { code: circuit.code, initiativeId: initiative.id },
          { ...citizen(), fiscalCode: randomFiscalCode() },
        ),
      ),
    ).toBe('FORBIDDEN');
    await invariantsHold();
  });

  it('a client address counts once a day whatever its cookies; the owner’s own visits never count', async () => {
    const { circuit } = await world(10_000);
    await rule(circuit.id, { kind: 'SHARING', amountCents: 100, visitsPerReward: 2 });
    const created = await suite.run(
      INITIATIVE,
      {
        circuitId: circuit.id,
        input: { title: 'Sagra', url: 'https://www.comune.balestrate.pa.it/sagra' },
      },
      manager,
    );
    const initiative = created.data!.createIesShareInitiative as { id: string };
    const fiscalCode = randomFiscalCode();
    const sharer = await seedMember(em(), circuit.id, { fiscalCode });
    const me = { ...citizen(), fiscalCode };
    const link = (await suite.run(LINK, { code: circuit.code, initiativeId: initiative.id }, me))
      .data!.iesShareLink as { id: string; token: string };
    const earning = suite.services.earning;
    // One address, many cookies (a script clearing them): one visit.
    const scripted = await Promise.all(
      ['cookie-aaaaaa', 'cookie-bbbbbb', 'cookie-cccccc', 'cookie-dddddd'].map((key) =>
        earning.recordVisit(em(), link.token, key, { clientAddress: '203.0.113.7' }),
      ),
    );
    expect(scripted.filter((v) => v.counted)).toHaveLength(1);
    // The owner, from other addresses: never.
    for (const address of ['198.51.100.1', '198.51.100.2']) {
      const own = await earning.recordVisit(em(), link.token, 'cookie-owner1', {
        caller: me,
        clientAddress: address,
      });
      expect(own.counted).toBe(false);
    }
    expect(await balance(sharer.walletId)).toBe(0);
    // A second address is the second distinct visitor: the reward.
    const second = await earning.recordVisit(em(), link.token, 'cookie-eeeeee', {
      clientAddress: '203.0.113.8',
    });
    expect(second).toMatchObject({ counted: true, rewarded: true });
    expect(await balance(sharer.walletId)).toBe(100);
    await invariantsHold();
  });
});

describe('descriptions per language (Migration20261208070000_reward_descriptions)', () => {
  it('parses the rows stored as "italiano / English" into a code and parameters, and down() writes them back', async () => {
    const { circuit } = await world(0);
    const pupil = await seedMember(em(), circuit.id);
    const kinds = ['LOCAL_PURCHASE', 'ATTENDANCE', 'VOLUNTEERING', 'SHARING'] as const;
    const rules = new Map<string, string>();
    for (const kind of kinds) {
      const fields: Partial<EarningRule> = { kind, amountCents: 100 };
      if (kind === 'LOCAL_PURCHASE') Object.assign(fields, { amountCents: null, basisPoints: 200 });
      if (kind === 'VOLUNTEERING') fields.volunteeringUnit = 'SHIFT';
      if (kind === 'SHARING') fields.visitsPerReward = 5;
      rules.set(kind, (await rule(circuit.id, fields)).id);
    }
    // As the earlier code wrote them: both languages in one text, the cap's note appended.
    const old = [
      {
        kind: 'LOCAL_PURCHASE',
        paid: 100,
        text: 'Acquisto locale da Bottega / Rosa / Local purchase at Bottega / Rosa',
        it: 'Acquisto locale da Bottega / Rosa',
        en: 'Local purchase at Bottega / Rosa',
        code: 'LOCAL_PURCHASE',
      },
      {
        kind: 'ATTENDANCE',
        paid: 50,
        text: 'Presenza: Doposcuola / Attendance: Doposcuola — pagato fino al tetto del periodo / paid up to the cap of the period',
        it: 'Presenza: Doposcuola — pagato fino al tetto del periodo',
        en: 'Attendance: Doposcuola — paid up to the cap of the period',
        code: 'ATTENDANCE',
      },
      {
        kind: 'VOLUNTEERING',
        paid: 0,
        text: 'Volontariato con Pro Loco: Festa: allestimento / Volunteering with Pro Loco: Festa: allestimento — tetto del periodo raggiunto: nulla pagato / cap of the period reached: nothing paid',
        it: 'Volontariato con Pro Loco: Festa: allestimento — tetto del periodo raggiunto: nulla pagato',
        en: 'Volunteering with Pro Loco: Festa: allestimento — cap of the period reached: nothing paid',
        code: 'VOLUNTEERING',
      },
      {
        kind: 'SHARING',
        paid: 100,
        text: 'Condivisione: Mercato (5 visite) / Sharing: Mercato (5 visits)',
        it: 'Condivisione: Mercato (5 visite)',
        en: 'Sharing: Mercato (5 visits)',
        code: 'SHARING',
      },
      {
        kind: 'ATTENDANCE',
        paid: 100,
        text: 'Premio speciale / Special prize',
        it: 'Premio speciale',
        en: 'Special prize',
        code: 'TEXT',
      },
    ];
    const migrator = suite.orm.getMigrator();
    await migrator.down({ to: 'Migration20261207100000_projects' });
    try {
      for (const [i, row] of old.entries()) {
        await suite.sql(
          `insert into ies_circuit.reward (id, circuit_id, rule_id, member_id, kind, source,
             requested_cents, paid_cents, period_start, description)
           values (?, ?, ?, ?, ?, ?, 100, ?, '2026-12-01', ?)`,
          [
            randomUUID(),
            circuit.id,
            rules.get(row.kind)!,
            pupil.member.id,
            row.kind,
            `legacy:${i}`,
            row.paid,
            row.text,
          ],
        );
      }
    } finally {
      await migrator.up();
    }
    const read = async () =>
      suite.sql<{
        source: string;
        paid_cents: number;
        requested_cents: number;
        description_code: string;
        description_params: unknown;
      }>(
        `select source, paid_cents, requested_cents, description_code, description_params
           from ies_circuit.reward where member_id = ? order by source`,
        [pupil.member.id],
      );
    const migrated = await read();
    expect(migrated).toHaveLength(old.length);
    for (const [i, row] of old.entries()) {
      const stored = migrated.find((r) => r.source === `legacy:${i}`)!;
      expect(stored.description_code).toBe(row.code);
      const text = renderDescription(
        storedDescription(stored.description_code, stored.description_params),
        { requestedCents: stored.requested_cents, paidCents: stored.paid_cents },
      );
      expect(text).toEqual({ it: row.it, en: row.en });
    }
    // down() writes the one text back as it was.
    await migrator.down({ to: 'Migration20261207100000_projects' });
    try {
      const back = await suite.sql<{ source: string; description: string }>(
        `select source, description from ies_circuit.reward where member_id = ? order by source`,
        [pupil.member.id],
      );
      expect(back.map((r) => r.description)).toEqual(old.map((r) => r.text));
    } finally {
      await migrator.up();
    }
    expect(await read()).toEqual(migrated);
  });
});
