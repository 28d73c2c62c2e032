// Issue 16, spending: an employee pays a covered catalogue booking with their employer's welfare
// plan credit through payments' checkout (corporate-welfare is a fund owner of the fund contract),
// alone or with the Comune's voucher credit and a card (the fake Stripe); a refund gives the credit
// back; an offer the plan does not cover is not offered it; the catalogue tells the employee which
// offers their plan covers (`Offer.coveredByMyPlan` across subgraphs). Every book is checked.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CHECKOUT_FIELDS,
  checkoutClient,
  dayAhead,
  enableCardPayments,
  offerTitled,
  type Checkout,
  type CheckoutClient,
} from '../support/checkout.js';
import { citizenToken } from '../support/citizen.js';
import { planCredit, seedPlanCredit, type SeededPlan } from '../support/corporate.js';
import {
  DEMO_CAMPAIGN_ID,
  DEMO_COMUNE_ID,
  DEMO_ORG,
  DEMO_PASSWORD,
  demoEmail,
  staffEmail,
} from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import {
  beneficiaryFiscalCode,
  bookProblems,
  creditCampaign,
  seedCards,
  type SeededCard,
} from '../support/money.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const UNIT = 1_000; // "Baby sitting a domicilio": 10 € an hour (CHILDCARE, La Esse)
const PLAN_CREDIT = 5_000; // 50 € of plan credit per employee
const VOUCHER = 2_000; // 20 € of voucher credit per card

/** A day of service per booking: the offer takes one booking a day (individual). */
let nextDay = 9;
const serviceDay = () => dayAhead(nextDay++);

describe('checkout: welfare plan credit, through the gateway', () => {
  let platform: TestPlatform;
  let gateway: string;
  let db: pg.Client;
  let checkout: CheckoutClient;
  let babySitting: string;
  let maths: string;
  let plan: SeededPlan;
  /** The employees with plan credit only (no voucher card), by codice fiscale. */
  const employeesOnly = [0, 1, 2, 3].map((i) => beneficiaryFiscalCode(2700 + i));
  /** Employees who also hold a card with voucher credit in the demo campaign. */
  let withCards: SeededCard[];
  /** A small plan: 5 € to an employee who also holds voucher credit. */
  let smallPlan: SeededPlan;

  async function ok<T>(
    query: string,
    variables: Record<string, unknown>,
    token: string,
  ): Promise<T> {
    const answer = await gql<T>(gateway, query, variables, { token });
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data!;
  }

  interface Options {
    state: string;
    amountCents: number;
    funds: {
      owner: string;
      fundId: string;
      kind: string;
      labelIt: string;
      balanceCents: number;
      spendableCents: number;
    }[];
    proposed: { kind: string; owner: string | null; fundId: string | null; amountCents: number }[];
  }

  async function options(token: string, bookingId: string): Promise<Options> {
    const data = await ok<{ checkoutOptions: Options }>(
      `query($r: String!) { checkoutOptions(payableRef: $r) { state amountCents
        funds { owner fundId kind labelIt balanceCents spendableCents }
        proposed { kind owner fundId amountCents } } }`,
      { r: `offer-booking:${bookingId}` },
      token,
    );
    return data.checkoutOptions;
  }

  const credit = (p: SeededPlan, fiscalCode: string) =>
    planCredit(platform.databaseUrl, p.planId, p.employees[fiscalCode]!);

  beforeAll(async () => {
    platform = await startTestPlatform();
    gateway = platform.urls.gateway;
    checkout = checkoutClient(gateway, platform.urls.stripe!);
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    const manager = await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
    withCards = await seedCards(db, {
      dataDir: platform.dataDir,
      comuneId: DEMO_COMUNE_ID,
      campaignId: DEMO_CAMPAIGN_ID,
      staffId: manager.viewer.person.id,
      count: 2,
      amountCents: VOUCHER,
      first: 2800,
    });
    await creditCampaign(gateway, manager.token, DEMO_CAMPAIGN_ID, 10_000_000);
    // The plan covers childcare only (not education).
    plan = await seedPlanCredit(platform.databaseUrl, {
      name: 'Piano welfare Test 2026',
      coveredCategories: ['CHILDCARE'],
      fiscalCodes: [...employeesOnly, withCards[1]!.fiscalCode],
      creditCents: PLAN_CREDIT,
    });
    smallPlan = await seedPlanCredit(platform.databaseUrl, {
      name: 'Piano welfare piccolo',
      coveredCategories: ['CHILDCARE', 'EDUCATION'],
      fiscalCodes: [withCards[0]!.fiscalCode],
      creditCents: 500,
    });
    const providerAdmin = (await login(gateway, staffEmail('laEsse', 'ADMIN'), DEMO_PASSWORD))
      .token;
    await enableCardPayments(gateway, providerAdmin, DEMO_ORG.laEsse);
    babySitting = await offerTitled(gateway, providerAdmin, 'Baby sitting a domicilio');
    maths = await offerTitled(gateway, providerAdmin, 'Lezioni di matematica individuali');
  });

  afterEach(async () => {
    expect(await bookProblems(db)).toEqual([]);
  });

  afterAll(async () => {
    await db?.end();
    await platform?.close();
  });

  it('the catalogue tells the employee which offers their plan covers, and nobody else', async () => {
    const query = `query($c: ID!) { catalogue(input: { comuneId: $c, pageSize: 50 }) {
      items { id title category coveredByMyPlan myCoveringWelfarePlans { planId planName availableCents } } } }`;
    type Items = {
      catalogue: {
        items: {
          id: string;
          category: string;
          coveredByMyPlan: boolean;
          myCoveringWelfarePlans: { planId: string; planName: string; availableCents: number }[];
        }[];
      };
    };
    const token = await citizenToken(platform, employeesOnly[0]!);
    const { items } = (await ok<Items>(query, { c: DEMO_COMUNE_ID }, token)).catalogue;
    const sitting = items.find((i) => i.id === babySitting)!;
    expect(sitting).toMatchObject({
      coveredByMyPlan: true,
      myCoveringWelfarePlans: [
        { planId: plan.planId, planName: 'Piano welfare Test 2026', availableCents: PLAN_CREDIT },
      ],
    });
    expect(items.find((i) => i.id === maths)).toMatchObject({
      coveredByMyPlan: false,
      myCoveringWelfarePlans: [],
    });
    // Every childcare offer is covered, nothing else.
    for (const item of items) expect(item.coveredByMyPlan).toBe(item.category === 'CHILDCARE');

    // Anonymous, and a citizen who is nobody's employee: covered by nothing.
    const anonymous = await gql<Items>(gateway, query, { c: DEMO_COMUNE_ID });
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.data!.catalogue.items.every((i) => !i.coveredByMyPlan)).toBe(true);
    const stranger = await citizenToken(platform, beneficiaryFiscalCode(2790));
    const theirs = (await ok<Items>(query, { c: DEMO_COMUNE_ID }, stranger)).catalogue.items;
    expect(theirs.every((i) => !i.coveredByMyPlan && i.myCoveringWelfarePlans.length === 0)).toBe(
      true,
    );
    // The offer page's query too.
    const one = await ok<{ offer: { coveredByMyPlan: boolean } }>(
      `query($id: ID!) { offer(id: $id) { coveredByMyPlan } }`,
      { id: babySitting },
      token,
    );
    expect(one.offer.coveredByMyPlan).toBe(true);
  });

  it('pays a covered booking with plan credit alone, at once; a cancellation gives it back', async () => {
    const fiscalCode = employeesOnly[1]!;
    const token = await citizenToken(platform, fiscalCode);
    const bookingId = await checkout.book(token, babySitting, serviceDay(), 2);
    const offered = await options(token, bookingId);
    expect(offered).toMatchObject({
      state: 'DUE',
      amountCents: 2 * UNIT,
      funds: [
        {
          owner: 'corporate-welfare',
          fundId: plan.planId,
          kind: 'EMPLOYER',
          labelIt: 'Piano welfare Test 2026',
          balanceCents: PLAN_CREDIT,
          spendableCents: 2 * UNIT,
        },
      ],
      proposed: [
        { kind: 'FUND', owner: 'corporate-welfare', fundId: plan.planId, amountCents: 2 * UNIT },
      ],
    });
    const paid = await checkout.start(token, bookingId);
    expect(paid.status).toBe('PAID');
    expect(paid.legs.map((l) => [l.kind, l.fundKind, l.amountCents, l.status])).toEqual([
      ['FUND', 'EMPLOYER', 2 * UNIT, 'CAPTURED'],
    ]);
    expect(await credit(plan, fiscalCode)).toBe(PLAN_CREDIT - 2 * UNIT);
    expect(await checkout.paymentStatus(token, bookingId)).toBe('PAID');

    // Cancelled with a full refund: the credit is the employee's again, once.
    const refundId = randomUUID();
    const refund = () =>
      ok<{ refundCheckout: Checkout }>(
        `mutation($input: RefundCheckoutInput!) { refundCheckout(input: $input) { ${CHECKOUT_FIELDS} } }`,
        { input: { checkoutId: paid.id, refundId, cancel: true } },
        token,
      );
    expect((await refund()).refundCheckout.legs.map((l) => l.refundedCents)).toEqual([2 * UNIT]);
    expect((await refund()).refundCheckout.legs.map((l) => l.refundedCents)).toEqual([2 * UNIT]);
    expect(await credit(plan, fiscalCode)).toBe(PLAN_CREDIT);
    expect(await checkout.paymentStatus(token, bookingId)).toBe('REFUNDED');
  });

  it('pays with voucher credit, plan credit and a card: the earliest-ending fund first', async () => {
    const card = withCards[0]!;
    const token = await citizenToken(platform, card.fiscalCode);
    const bookingId = await checkout.book(token, babySitting, serviceDay(), 3);
    const offered = await options(token, bookingId);
    // The demo campaign's spending ends in months, the plan at the end of 2030.
    expect(offered.funds.map((f) => [f.kind, f.spendableCents])).toEqual([
      ['VOUCHER', VOUCHER],
      ['EMPLOYER', 500],
    ]);
    expect(offered.proposed.map((p) => [p.kind, p.owner, p.amountCents])).toEqual([
      ['FUND', 'public-welfare', VOUCHER],
      ['FUND', 'corporate-welfare', 500],
      ['CARD', null, 3 * UNIT - VOUCHER - 500],
    ]);
    const started = await checkout.start(token, bookingId);
    expect(started.status).toBe('AWAITING_CARD');
    expect(await credit(smallPlan, card.fiscalCode)).toBe(0); // held
    expect(await checkout.payOnStripe(started)).toBe(200);
    const paid = await checkout.settled(token, started.id);
    expect(paid.status).toBe('PAID');
    expect(paid.legs.map((l) => [l.kind, l.fundKind, l.amountCents, l.status])).toEqual([
      ['FUND', 'VOUCHER', VOUCHER, 'CAPTURED'],
      ['FUND', 'EMPLOYER', 500, 'CAPTURED'],
      ['CARD', null, 3 * UNIT - VOUCHER - 500, 'CAPTURED'],
    ]);
    expect(await credit(smallPlan, card.fiscalCode)).toBe(0);
    expect(await checkout.paymentStatus(token, bookingId)).toBe('PAID');
  });

  it('does not offer the plan for an offer it does not cover (voucher and card only)', async () => {
    const card = withCards[1]!;
    const token = await citizenToken(platform, card.fiscalCode);
    const bookingId = await checkout.book(token, maths, serviceDay(), 1);
    const offered = await options(token, bookingId);
    expect(offered.funds.map((f) => f.kind)).toEqual(['VOUCHER']);
    // Naming the plan anyway is refused, field by field, and nothing is held.
    const refused = await checkout.startRaw(token, bookingId, randomUUID(), [
      { owner: 'corporate-welfare', fundId: plan.planId, amountCents: 1_000 },
    ]);
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await credit(plan, card.fiscalCode)).toBe(PLAN_CREDIT);
    // The childcare offer is offered the plan, beside the voucher.
    const covered = await checkout.book(token, babySitting, serviceDay(), 1);
    expect((await options(token, covered)).funds.map((f) => f.kind).sort()).toEqual([
      'EMPLOYER',
      'VOUCHER',
    ]);
  });

  it('a person never sees or spends another employee’s plan credit', async () => {
    const token = await citizenToken(platform, employeesOnly[2]!);
    const bookingId = await checkout.book(token, babySitting, serviceDay(), 1);
    // Another citizen cannot see the booking's checkout options at all.
    const other = await citizenToken(platform, beneficiaryFiscalCode(2791));
    const hidden = await gql(
      gateway,
      `query($r: String!) { checkoutOptions(payableRef: $r) { state } }`,
      { r: `offer-booking:${bookingId}` },
      { token: other },
    );
    expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // Their own booking of the same offer: no plan to spend (they are nobody's employee).
    const theirs = await checkout.book(other, babySitting, serviceDay(), 1);
    expect((await options(other, theirs)).funds.filter((f) => f.kind === 'EMPLOYER')).toEqual([]);
    const tried = await checkout.startRaw(other, theirs, randomUUID(), [
      { owner: 'corporate-welfare', fundId: plan.planId, amountCents: UNIT },
    ]);
    expect(tried.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await credit(plan, employeesOnly[2]!)).toBe(PLAN_CREDIT);
  });

  it('two checkouts racing for one employee’s plan credit: one pays, the other is undone', async () => {
    const fiscalCode = employeesOnly[3]!;
    const token = await citizenToken(platform, fiscalCode);
    // Each costs 40 € of the 50 € credit: both cannot be paid with it.
    const first = await checkout.book(token, babySitting, serviceDay(), 4);
    const second = await checkout.book(token, babySitting, serviceDay(), 4);
    const parts = [{ owner: 'corporate-welfare', fundId: plan.planId, amountCents: 4 * UNIT }];
    const [a, b] = await Promise.all([
      checkout.start(token, first, randomUUID(), parts),
      checkout.start(token, second, randomUUID(), parts),
    ]);
    const statuses = [a, b].map((c) => c.status).sort();
    expect(statuses).toEqual(['FAILED', 'PAID']);
    const failed = [a, b].find((c) => c.status === 'FAILED')!;
    expect(failed.failureReason).toBe('FUND_INSUFFICIENT_FUNDS');
    expect(await credit(plan, fiscalCode)).toBe(PLAN_CREDIT - 4 * UNIT);
    expect(await credit(plan, fiscalCode)).toBeGreaterThanOrEqual(0);
  });
});
