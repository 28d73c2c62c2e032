import { createHash, randomUUID } from 'node:crypto';
import { createLogger } from '@welfare/kit';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import { httpRequest } from '@welfare/kit/client';
import {
  FUND_PATHS,
  fundLeg,
  type FundLeg,
  fundRoutes,
  type HoldRequest,
  type QuoteRequest,
  quoteResponse,
} from '@welfare/kit/contracts';
import { ServiceClient, ServiceRefusal } from '@welfare/kit/service';
import { startSubgraph, type RunningSubgraph } from '@welfare/kit/subgraph';
import type { Suite } from '@welfare/kit/test-suite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCorporateWelfareConfig } from '../src/config.js';
import {
  AccountKind,
  TransferCode,
  accountCodes,
  book,
  deterministicId,
  owners,
} from '../src/modules/ledger/ledger.js';
import { buildCorporateWelfareSchema } from '../src/schema.js';
import type { Services } from '../src/services.js';
import { citizen } from '@welfare/kit/test-suite';
import { ANONYMOUS, ORG_A, ORG_B, member, setupSuite } from './helpers.js';

/*
 * The fund contract of corporate-welfare (payments' checkout pays with plan credit): the rule of
 * each option, hold/capture/release/refund with their refusals, idempotency by leg, concurrent
 * holds on one employee's credit, tenancy between employees; `Offer.coveredByMyPlan` with the same
 * rule. Plans, employees and credit are seeded here (SQL rows and the kit's Book API): the plan
 * mutations are another module's.
 */

const MARIO_CF = 'RSSMRA80A01G273X';
const SARA_CF = 'BNCSRA85A41G273Y';
const ROSA_CF = 'VRDRSO70A41G273Z'; // employed, but in no plan with credit
const CREDIT = 50_000;

let suite: Suite<Services>;
let server: RunningSubgraph;
let payments: ServiceClient;
let identity: ServiceClient;
let gatewaySign: Awaited<ReturnType<typeof createTokenSigner>>;
/** The clock of the plans' validity (null: the real one). */
let windowClock: Date | null = null;
const em = () => suite.orm.em.fork();
const PROVIDER = randomUUID();
const OFFER = randomUUID();
const COMUNE = randomUUID();

/** The plans: the one under test, and those that must never pay. */
const PLAN = randomUUID(); // ORG_A, ACTIVE, services in kind, EDUCATION and SPORT
const PLAN_OTHER_EMPLOYER = randomUUID(); // ORG_B, ACTIVE, EDUCATION (Mario is not employed there)
const PLAN_NO_KIND = randomUUID(); // ORG_A, ACTIVE, reimbursements only
const PLAN_DRAFT = randomUUID(); // ORG_A, DRAFT
const PLAN_CLOSED_WINDOW = randomUUID(); // ORG_A, ACTIVE, valid in 2025 only
let marioEmployee: string;
let saraEmployee: string;

const offer = (over: Partial<QuoteRequest['offer']> = {}): QuoteRequest['offer'] => ({
  payableRef: `offer-booking:${OFFER}`,
  offerId: OFFER,
  comuneId: COMUNE,
  providerId: PROVIDER,
  category: 'EDUCATION',
  providerAccredited: true,
  ...over,
});
const person = (fiscalCode?: string) => ({
  personId: randomUUID(),
  ...(fiscalCode ? { fiscalCode } : {}),
});
const mario = person(MARIO_CF);
const sara = person(SARA_CF);

function quote(request: Partial<QuoteRequest> = {}) {
  return payments.call(
    FUND_PATHS.quote,
    { person: mario, offer: offer(), amountCents: 10_000, ...request },
    quoteResponse,
  );
}

function holdOf(over: Partial<HoldRequest> = {}): HoldRequest {
  return {
    legId: randomUUID(),
    checkoutId: randomUUID(),
    fundId: PLAN,
    person: mario,
    offer: offer(),
    amountCents: 1_000,
    expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    ...over,
  };
}

const hold = (request: HoldRequest) => payments.call(FUND_PATHS.hold, request, fundLeg);
const capture = (legId: string) => payments.call(FUND_PATHS.capture, { legId }, fundLeg);
const release = (legId: string) => payments.call(FUND_PATHS.release, { legId }, fundLeg);
const legState = (legId: string) => payments.call(FUND_PATHS.leg, { legId }, fundLeg);
const refund = (legId: string, refundId: string, amountCents: number) =>
  payments.call(FUND_PATHS.refund, { legId, refundId, amountCents }, fundLeg);

/** The refusal of a call, or a failure of the test when it was answered. */
async function refusal(call: Promise<unknown>): Promise<ServiceRefusal> {
  const outcome = await call.then(
    (answer) => ({ answer }),
    (err: unknown) => ({ err }),
  );
  if (!('err' in outcome)) throw new Error(`answered ${JSON.stringify(outcome.answer)}`);
  expect(outcome.err).toBeInstanceOf(ServiceRefusal);
  return outcome.err as ServiceRefusal;
}

/** What an employee can spend of a plan's credit now (from the book). */
async function available(planId: string, employeeId: string): Promise<number> {
  const [account] = await book.accounts(em(), {
    codes: [accountCodes.employee(planId, employeeId)],
  });
  return account?.available ?? 0;
}

/** The provider's account in the plan: its posted balance (0 before it exists). */
async function providerBalance(): Promise<number> {
  const [account] = await book.accounts(em(), { codes: [accountCodes.provider(PLAN, PROVIDER)] });
  return account?.posted ?? 0;
}

/** The book's movements on the employees' accounts (every fund operation writes one). */
async function transferCount(): Promise<number> {
  let count = 0;
  let before: number | undefined;
  do {
    const page = await book.statement(
      em(),
      { owner: { kind: 'employee', ids: [marioEmployee, saraEmployee] } },
      { limit: 500, ...(before ? { before } : {}) },
    );
    count += page.items.length;
    before = page.next ?? undefined;
  } while (before !== undefined);
  return count;
}

async function insertPlan(
  id: string,
  employerId: string,
  over: { status?: string; purposes?: string; categories?: string; from?: string; until?: string },
): Promise<void> {
  const regulation = Buffer.from('%PDF-1.4 regolamento');
  await suite.sql(
    `insert into corporate_welfare.plan (id, employer_id, name, year, valid_from, valid_until, status,
       purposes, covered_categories, end_rule, regulation_file_name, regulation_content_type,
       regulation_size_bytes, regulation_sha256, regulation, created_by)
     values (?, ?, ?, 2026, ?, ?, ?, ?::text[], ?::text[], 'RETURN_TO_EMPLOYER', 'regolamento.pdf',
       'application/pdf', ?, ?, ?, ?)`,
    [
      id,
      employerId,
      `Piano ${id.slice(0, 8)}`,
      over.from ?? '2026-01-01',
      over.until ?? '2030-12-31',
      over.status ?? 'ACTIVE',
      over.purposes ?? '{SERVICES_IN_KIND}',
      over.categories ?? '{EDUCATION,SPORT}',
      regulation.length,
      createHash('sha256').update(regulation).digest('hex'),
      regulation,
      randomUUID(),
    ],
  );
}

async function insertEmployee(employerId: string, fiscalCode: string): Promise<string> {
  const id = randomUUID();
  await suite.sql(
    `insert into corporate_welfare.employee (id, employer_id, fiscal_code, given_name, family_name, category_code, start_date)
     values (?, ?, ?, 'Nome', 'Cognome', 'OPERAI', '2024-01-01')`,
    [id, employerId, fiscalCode],
  );
  return id;
}

/** The employer funds the plan and credits the employee (the kit's Book, as the funding module would). */
async function credit(
  employerId: string,
  planId: string,
  employeeId: string,
  cents: number,
): Promise<void> {
  await em().transactional(async (tx) => {
    const issuer = await book.openAccount(tx, {
      code: accountCodes.issuer(employerId),
      kind: AccountKind.ISSUER,
      allowNegative: true,
      owner: owners.employer(employerId),
    });
    const pool = await book.openAccount(tx, {
      code: accountCodes.pool(planId),
      kind: AccountKind.FUND,
      owner: owners.plan(planId),
    });
    const account = await book.openAccount(tx, {
      code: accountCodes.employee(planId, employeeId),
      kind: AccountKind.HOLDER,
      owner: owners.employee(employeeId, planId),
    });
    await book.transfer(tx, {
      id: deterministicId('test-funding', planId, employeeId),
      debit: issuer.id,
      credit: pool.id,
      amount: cents,
      code: TransferCode.FUNDING,
    });
    await book.transfer(tx, {
      id: deterministicId('test-credit', planId, employeeId),
      debit: pool.id,
      credit: account.id,
      amount: cents,
      code: TransferCode.CREDIT,
    });
  });
}

beforeAll(async () => {
  suite = await setupSuite('fund_contract', { now: () => windowClock ?? new Date() });
  const keys = {
    payments: await generateGatewayKeys(),
    identity: await generateGatewayKeys(),
    gateway: await generateGatewayKeys(),
  };
  gatewaySign = await createTokenSigner(keys.gateway.privateKey);
  server = await startSubgraph({
    name: 'corporate-welfare',
    schema: await buildCorporateWelfareSchema(suite.services),
    orm: suite.orm,
    host: '127.0.0.1',
    port: 0,
    gatewayPublicKey: keys.gateway.publicKey,
    logger: createLogger('corporate-welfare-test', 'silent'),
    internal: {
      publicKeys: { payments: keys.payments.publicKey, identity: keys.identity.publicKey },
      routes: fundRoutes({ orm: suite.orm, funds: suite.services.funds }),
    },
  });
  const client = (service: 'payments' | 'identity') =>
    new ServiceClient({
      service,
      privateKey: keys[service].privateKey,
      audience: 'corporate-welfare',
      baseUrl: server.url,
    });
  payments = client('payments');
  identity = client('identity');

  await insertPlan(PLAN, ORG_A, {});
  await insertPlan(PLAN_OTHER_EMPLOYER, ORG_B, { categories: '{EDUCATION}' });
  await insertPlan(PLAN_NO_KIND, ORG_A, { purposes: '{EDUCATION_CHILDCARE}' });
  await insertPlan(PLAN_DRAFT, ORG_A, { status: 'DRAFT' });
  await insertPlan(PLAN_CLOSED_WINDOW, ORG_A, { from: '2025-01-01', until: '2025-12-31' });
  marioEmployee = await insertEmployee(ORG_A, MARIO_CF);
  saraEmployee = await insertEmployee(ORG_A, SARA_CF);
  await insertEmployee(ORG_A, ROSA_CF);
  const saraAtB = await insertEmployee(ORG_B, SARA_CF);
  for (const plan of [PLAN, PLAN_NO_KIND, PLAN_DRAFT, PLAN_CLOSED_WINDOW]) {
    await credit(ORG_A, plan, marioEmployee, CREDIT);
    await credit(ORG_A, plan, saraEmployee, CREDIT);
  }
  await credit(ORG_B, PLAN_OTHER_EMPLOYER, saraAtB, CREDIT);
}, 120_000);

afterEach(async () => {
  windowClock = null;
  const report = await book.checkInvariants(em());
  expect(report.problems).toEqual([]);
});

afterAll(async () => {
  await server?.stop(); // also closes the ORM
});

describe('quote', () => {
  it('lists the covering plan with the employee’s credit there, labelled with its name', async () => {
    const balance = await available(PLAN, marioEmployee);
    const { options } = await quote({ amountCents: 10_000 });
    expect(options).toEqual([
      {
        fundId: PLAN,
        kind: 'EMPLOYER',
        label: { it: `Piano ${PLAN.slice(0, 8)}`, en: `Piano ${PLAN.slice(0, 8)}` },
        balanceCents: balance,
        spendableCents: 10_000,
        restricted: true,
        endsOn: '2030-12-31',
        rule: {
          categoryCovered: true,
          providerAccredited: true,
          spendFrom: '2026-01-01',
          spendUntil: '2030-12-31',
        },
      },
    ]);
    const dear = await quote({ amountCents: balance + 1 });
    expect(dear.options[0]!.spendableCents).toBe(balance);
  });

  it('lists one option per plan the person holds credit in (two employers)', async () => {
    const { options } = await quote({ person: sara });
    expect(options.map((o) => o.fundId).sort()).toEqual([PLAN, PLAN_OTHER_EMPLOYER].sort());
    // Not for SPORT: the other employer's plan does not cover it.
    const sport = await quote({ person: sara, offer: offer({ category: 'SPORT' }) });
    expect(sport.options.map((o) => o.fundId)).toEqual([PLAN]);
  });

  it('lists none for an uncovered category, an unaccredited provider, no codice fiscale, no plan credit', async () => {
    for (const request of [
      { offer: offer({ category: 'HEALTH' }) },
      { offer: offer({ providerAccredited: false }) },
      { person: person() },
      { person: person(ROSA_CF) },
      { person: person('XXXXXX00X00X000X') },
    ]) {
      expect((await quote(request)).options).toEqual([]);
    }
  });

  it('lists none outside the plan’s validity (Italian days) or after the employee left', async () => {
    windowClock = new Date('2030-12-31T23:30:00Z'); // already 1 January 2031 in Italy
    expect((await quote()).options).toEqual([]);
    windowClock = new Date('2030-12-31T22:30:00Z'); // still 31 December 2030 in Italy
    expect((await quote()).options).toHaveLength(1);
    windowClock = new Date('2025-12-31T22:30:00Z'); // 2025: only the 2025 plan is valid
    expect((await quote()).options.map((o) => o.fundId)).toEqual([PLAN_CLOSED_WINDOW]);
    windowClock = null;
    await suite.sql(`update corporate_welfare.employee set end_date = '2025-06-30' where id = ?`, [
      marioEmployee,
    ]);
    try {
      expect((await quote()).options).toEqual([]);
      expect(await refusal(hold(holdOf()))).toMatchObject({ reason: 'NOT_COVERED' });
    } finally {
      await suite.sql(`update corporate_welfare.employee set end_date = null where id = ?`, [
        marioEmployee,
      ]);
    }
  });
});

describe('hold, capture, release', () => {
  it('hold then capture moves the money from the employee to the provider account', async () => {
    const before = await available(PLAN, marioEmployee);
    const provider = await providerBalance();
    const request = holdOf({ amountCents: 5_000 });
    const held = await hold(request);
    expect(held).toMatchObject({ legId: request.legId, status: 'HELD', amountCents: 5_000 });
    expect(Date.parse(held.expiresAt!)).toBeGreaterThan(Date.now());
    expect(await available(PLAN, marioEmployee)).toBe(before - 5_000);
    expect(await providerBalance()).toBe(provider);

    const captured = await capture(request.legId);
    expect(captured).toMatchObject({ status: 'CAPTURED', amountCents: 5_000, refundedCents: 0 });
    expect(await capture(request.legId)).toEqual(captured);
    expect(await legState(request.legId)).toEqual(captured);
    expect(await available(PLAN, marioEmployee)).toBe(before - 5_000);
    expect(await providerBalance()).toBe(provider + 5_000);
    const [account] = await book.accounts(em(), {
      codes: [accountCodes.provider(PLAN, PROVIDER)],
    });
    expect(account).toMatchObject({ kind: 'PROVIDER', hot: true });
    const movements = await book.movementTotals(
      em(),
      { codes: [accountCodes.employee(PLAN, marioEmployee)] },
      { codes: [TransferCode.SERVICE_PAYMENT], referencePrefix: `fund-leg:${request.legId};` },
    );
    expect(movements.reduce((s, m) => s + m.debits, 0)).toBe(5_000);
    expect(await refusal(release(request.legId))).toMatchObject({ reason: 'HOLD_NOT_PENDING' });
  });

  it('hold then release gives the credit back; releasing again or a leg never held is harmless', async () => {
    const before = await available(PLAN, marioEmployee);
    const request = holdOf({ amountCents: 3_000 });
    await hold(request);
    expect(await available(PLAN, marioEmployee)).toBe(before - 3_000);
    const released = await release(request.legId);
    expect(released).toMatchObject({ status: 'RELEASED', amountCents: 3_000 });
    expect(await release(request.legId)).toEqual(released);
    expect(await available(PLAN, marioEmployee)).toBe(before);
    const refused = await refusal(capture(request.legId));
    expect(refused).toMatchObject({ code: 'CONFLICT', reason: 'HOLD_NOT_PENDING' });
    expect(refused.localized.it).toMatch(/prenotazione/);

    const never = randomUUID();
    const count = await transferCount();
    expect(await release(never)).toEqual({
      legId: never,
      status: 'UNKNOWN',
      amountCents: 0,
      refundedCents: 0,
      expiresAt: null,
    });
    expect((await legState(never)).status).toBe('UNKNOWN');
    expect(await refusal(capture(never))).toMatchObject({ reason: 'HOLD_NOT_PENDING' });
    expect(await transferCount()).toBe(count);
  });

  it('an expired hold cannot be captured, and its credit is the employee’s again', async () => {
    const before = await available(PLAN, marioEmployee);
    const request = holdOf({
      amountCents: 2_000,
      expiresAt: new Date(Date.now() + 1_000).toISOString(),
    });
    expect((await hold(request)).status).toBe('HELD');
    await new Promise((r) => setTimeout(r, 2_100));
    expect((await legState(request.legId)).status).toBe('EXPIRED');
    const refused = await refusal(capture(request.legId));
    expect(refused).toMatchObject({ code: 'CONFLICT', reason: 'HOLD_EXPIRED' });
    expect(await available(PLAN, marioEmployee)).toBe(before);
    expect((await release(request.legId)).status).toBe('EXPIRED');
    expect(await available(PLAN, marioEmployee)).toBe(before);
  });

  it('refuses an expiry in the past with its field, changing nothing', async () => {
    const count = await transferCount();
    const past = await refusal(hold(holdOf({ expiresAt: new Date(Date.now() - 1).toISOString() })));
    expect(past).toMatchObject({ code: 'BAD_USER_INPUT', status: 400 });
    expect(past.fields.map((f) => f.field)).toEqual(['expiresAt']);
    expect(await transferCount()).toBe(count);
  });

  it('the same hold twice is one hold; the same leg with other terms is LEG_CONFLICT', async () => {
    const before = await available(PLAN, marioEmployee);
    const request = holdOf({ amountCents: 1_500 });
    const first = await hold(request);
    const count = await transferCount();
    expect(await hold(request)).toEqual(first);
    expect(await transferCount()).toBe(count);
    for (const other of [
      { ...request, amountCents: 1_600 },
      { ...request, checkoutId: randomUUID() },
      { ...request, offer: offer({ offerId: randomUUID() }) },
      { ...request, person: sara },
    ]) {
      expect(await refusal(hold(other))).toMatchObject({
        code: 'CONFLICT',
        reason: 'LEG_CONFLICT',
      });
    }
    expect(await transferCount()).toBe(count);
    expect(await available(PLAN, marioEmployee)).toBe(before - 1_500);
    await release(request.legId);
  });

  it('refuses a hold above the credit (INSUFFICIENT_FUNDS) and of a plan that does not cover (NOT_COVERED)', async () => {
    const balance = await available(PLAN, marioEmployee);
    const count = await transferCount();
    const dear = await refusal(hold(holdOf({ amountCents: balance + 1 })));
    expect(dear).toMatchObject({ code: 'CONFLICT', reason: 'INSUFFICIENT_FUNDS' });
    expect(dear.localized.it).toMatch(/insufficiente/);
    for (const request of [
      holdOf({ fundId: randomUUID() }),
      holdOf({ fundId: PLAN_NO_KIND }),
      holdOf({ fundId: PLAN_DRAFT }),
      holdOf({ fundId: PLAN_CLOSED_WINDOW }),
      holdOf({ fundId: PLAN_OTHER_EMPLOYER }),
      holdOf({ offer: offer({ category: 'HEALTH' }) }),
      holdOf({ offer: offer({ providerAccredited: false }) }),
      holdOf({ person: person(ROSA_CF) }),
      holdOf({ person: person() }),
    ]) {
      expect(await refusal(hold(request))).toMatchObject({ reason: 'NOT_COVERED' });
    }
    expect(await transferCount()).toBe(count);
    expect(await available(PLAN, marioEmployee)).toBe(balance);
  });
});

describe('tenancy', () => {
  it('a person spends only their own credit: Sara’s hold never touches Mario’s account', async () => {
    const marioBefore = await available(PLAN, marioEmployee);
    const saraBefore = await available(PLAN, saraEmployee);
    const request = holdOf({ person: sara, amountCents: 700 });
    await hold(request);
    expect(await available(PLAN, marioEmployee)).toBe(marioBefore);
    expect(await available(PLAN, saraEmployee)).toBe(saraBefore - 700);
    // Mario's quote shows his balance only.
    expect((await quote()).options[0]!.balanceCents).toBe(marioBefore);
    await release(request.legId);
    // Sara cannot spend a plan of an employer that does not employ her in it... and Mario cannot
    // spend the other employer's plan where Sara holds credit.
    expect(
      await refusal(hold(holdOf({ person: mario, fundId: PLAN_OTHER_EMPLOYER }))),
    ).toMatchObject({ reason: 'NOT_COVERED' });
  });
});

describe('refund', () => {
  it('refunds in parts up to the captured amount, each refund once', async () => {
    const before = await available(PLAN, marioEmployee);
    const provider = await providerBalance();
    const request = holdOf({ amountCents: 6_000 });
    await hold(request);
    expect(await refusal(refund(request.legId, randomUUID(), 100))).toMatchObject({
      reason: 'HOLD_NOT_PENDING',
    });
    expect(await refusal(refund(randomUUID(), randomUUID(), 100))).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'HOLD_NOT_PENDING',
    });
    await capture(request.legId);
    const [r1, r2, r3, r4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    expect(await refund(request.legId, r1, 2_500)).toMatchObject({
      status: 'CAPTURED',
      refundedCents: 2_500,
    });
    expect((await refund(request.legId, r1, 2_500)).refundedCents).toBe(2_500);
    expect((await refund(request.legId, r2, 2_500)).refundedCents).toBe(5_000);
    const count = await transferCount();
    const beyond = await refusal(refund(request.legId, r3, 1_001));
    expect(beyond).toMatchObject({ code: 'CONFLICT', reason: 'REFUND_EXCEEDS_CAPTURE' });
    expect(beyond.localized.en).toMatch(/1000/);
    expect(await refusal(refund(request.legId, r1, 2_400))).toMatchObject({
      reason: 'LEG_CONFLICT',
    });
    expect(await transferCount()).toBe(count);
    expect((await refund(request.legId, r4, 1_000)).refundedCents).toBe(6_000);
    expect(await refusal(refund(request.legId, randomUUID(), 1))).toMatchObject({
      reason: 'REFUND_EXCEEDS_CAPTURE',
    });
    expect(await available(PLAN, marioEmployee)).toBe(before);
    expect(await providerBalance()).toBe(provider);
    const refunds = await book.movementTotals(
      em(),
      { codes: [accountCodes.employee(PLAN, marioEmployee)] },
      { codes: [TransferCode.SERVICE_REFUND], referencePrefix: `fund-leg:${request.legId};` },
    );
    expect(refunds.reduce((s, r) => s + r.credits, 0)).toBe(6_000);
  });

  it('concurrent refunds of one leg never exceed the captured amount', async () => {
    const request = holdOf({ amountCents: 1_000 });
    await hold(request);
    await capture(request.legId);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () => refund(request.legId, randomUUID(), 300)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    for (const o of outcomes) {
      if (o.status === 'rejected')
        expect(o.reason).toMatchObject({ reason: 'REFUND_EXCEEDS_CAPTURE' });
    }
    expect((await legState(request.legId)).refundedCents).toBe(900);
  });
});

describe('concurrency', () => {
  it('20 concurrent holds on one employee’s credit never take it below zero', async () => {
    const balance = await available(PLAN, saraEmployee);
    const amount = Math.floor(balance / 7) + 1; // six fit, the seventh does not
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => hold(holdOf({ person: sara, amountCents: amount }))),
    );
    const held = outcomes.filter(
      (o): o is PromiseFulfilledResult<FundLeg> => o.status === 'fulfilled',
    );
    expect(held).toHaveLength(6);
    for (const o of outcomes) {
      if (o.status === 'rejected') {
        expect(o.reason).toBeInstanceOf(ServiceRefusal);
        expect(o.reason).toMatchObject({ reason: 'INSUFFICIENT_FUNDS' });
      }
    }
    expect(await available(PLAN, saraEmployee)).toBe(balance - 6 * amount);
    // Capture all at once, then every credit is accounted for.
    await Promise.all(held.map((o) => capture(o.value.legId)));
    expect(await available(PLAN, saraEmployee)).toBe(balance - 6 * amount);
    expect(await available(PLAN, saraEmployee)).toBeGreaterThanOrEqual(0);
    await Promise.all(held.map((o) => refund(o.value.legId, randomUUID(), amount)));
    expect(await available(PLAN, saraEmployee)).toBe(balance);
  });
});

describe('service authentication', () => {
  it('refuses another known service (403) and a gateway token (401), changing nothing', async () => {
    const before = await available(PLAN, marioEmployee);
    const count = await transferCount();
    const request = holdOf({ amountCents: 500 });
    expect(await refusal(identity.call(FUND_PATHS.hold, request, fundLeg))).toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
    });
    const token = await gatewaySign(
      'corporate-welfare',
      { kind: 'service', service: 'payments' },
      'req-1',
    );
    for (const path of Object.values(FUND_PATHS)) {
      const res = await httpRequest(`${server.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      expect(res.status).toBe(401);
      await res.text();
    }
    expect(await transferCount()).toBe(count);
    expect(await available(PLAN, marioEmployee)).toBe(before);
    expect((await legState(request.legId)).status).toBe('UNKNOWN');
  });

  it('answers a malformed body with its fields (400), changing nothing', async () => {
    const count = await transferCount();
    const refused = await refusal(
      payments.call(FUND_PATHS.hold, { ...holdOf(), legId: 'leg-1', amountCents: 0 }, fundLeg),
    );
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', status: 400 });
    expect(refused.fields.map((f) => f.field).sort()).toEqual(['amountCents', 'legId']);
    expect(await transferCount()).toBe(count);
  });

  it('reads the known services’ public keys from the configuration', async () => {
    const { publicKey } = await generateGatewayKeys();
    const base = {
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
      GATEWAY_PUBLIC_KEY: '{"kty":"OKP","crv":"Ed25519","x":"abc"}',
    };
    expect(loadCorporateWelfareConfig(base).servicePublicKeys).toEqual({});
    expect(
      loadCorporateWelfareConfig({
        ...base,
        SERVICE_PUBLIC_KEYS: JSON.stringify({ payments: publicKey }),
      }).servicePublicKeys,
    ).toEqual({ payments: publicKey });
    expect(() => loadCorporateWelfareConfig({ ...base, SERVICE_PUBLIC_KEYS: '[1]' })).toThrow(
      /SERVICE_PUBLIC_KEYS/,
    );
  });
});

describe('Offer.coveredByMyPlan', () => {
  const COVERAGE = `query ($r: [_Any!]!) {
    _entities(representations: $r) {
      ... on Offer { id coveredByMyPlan myCoveringWelfarePlans { planId planName validUntil availableCents } }
    }
  }`;
  const reps = [
    { __typename: 'Offer', id: randomUUID(), category: 'EDUCATION' },
    { __typename: 'Offer', id: randomUUID(), category: 'HEALTH' },
  ];
  type Answer = {
    _entities: {
      id: string;
      coveredByMyPlan: boolean;
      myCoveringWelfarePlans: { planId: string; availableCents: number }[];
    }[];
  };

  it('tells the logged-in employee which of their plans cover each offer, by category', async () => {
    const caller = { ...citizen(), fiscalCode: MARIO_CF };
    const result = await suite.run<Answer>(COVERAGE, { r: reps }, caller);
    expect(result.errors).toBeUndefined();
    const [education, health] = result.data!._entities;
    expect(education).toMatchObject({
      coveredByMyPlan: true,
      myCoveringWelfarePlans: [
        { planId: PLAN, availableCents: await available(PLAN, marioEmployee) },
      ],
    });
    expect(health).toMatchObject({ coveredByMyPlan: false, myCoveringWelfarePlans: [] });
  });

  it('answers false and nothing to anyone else: anonymous, no codice fiscale, HR, not employed', async () => {
    for (const caller of [
      ANONYMOUS,
      citizen(),
      member(ORG_A, 'EMPLOYER', 'HR'),
      { ...citizen(), fiscalCode: ROSA_CF },
    ]) {
      const result = await suite.run<Answer>(COVERAGE, { r: reps }, caller);
      expect(result.errors).toBeUndefined();
      for (const o of result.data!._entities) {
        expect(o).toMatchObject({ coveredByMyPlan: false, myCoveringWelfarePlans: [] });
      }
    }
  });

  it('shows each person only their own plans (Sara sees hers, never Mario’s balance)', async () => {
    const caller = { ...citizen(), fiscalCode: SARA_CF };
    const result = await suite.run<Answer>(COVERAGE, { r: [reps[0]] }, caller);
    const plans = result.data!._entities[0]!.myCoveringWelfarePlans;
    expect(plans.map((p) => p.planId).sort()).toEqual([PLAN, PLAN_OTHER_EMPLOYER].sort());
    expect(plans.find((p) => p.planId === PLAN)!.availableCents).toBe(
      await available(PLAN, saraEmployee),
    );
  });
});
