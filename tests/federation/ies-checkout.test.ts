// Issue 17, beyond payments: a member of the Balestrate IES circuit (Giuseppe, the demo citizen
// holding 40 IES) pays a booking of La Esse (a cooperative member that accepts IES) with IES
// through payments' checkout (ies-circuit is a fund owner of the fund contract): the circuit's
// movement fee is paid on top, the provider's wallet receives the price; `Offer.acceptsIes` says
// which offers of the catalogue take IES, to anyone. The book of ies_circuit keeps its invariants.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CHECKOUT_FIELDS,
  checkoutClient,
  dayAhead,
  offerTitled,
  type Checkout,
  type CheckoutClient,
} from '../support/checkout.js';
import { citizenToken } from '../support/citizen.js';
import { DEMO_COMUNE_ID, DEMO_ORG, DEMO_PASSWORD, staffEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { beneficiaryFiscalCode, bookProblems } from '../support/money.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

// The IES demo's facts (subgraphs/ies-circuit/src/demo/facts.ts; the tests package does not
// depend on the ies-circuit package).
const DEMO_CIRCUIT_ID = '1e5c0000-0000-4000-8000-000000000001';
const DEMO_CITIZEN_FISCAL_CODE = 'LCSGPP72S03A592D';
const DEMO_GIUSEPPE_IES_CENTS = 4_000;
const DEMO_MEMBER_IDS = {
  cooperative: '1e5c0000-0000-4000-8000-000000000103',
  giuseppe: '1e5c0000-0000-4000-8000-000000000105',
} as const;

const UNIT = 1_000; // "Baby sitting a domicilio": 10 € an hour (La Esse)
/** The Balestrate circuit's fee on 10 €: 5 cents + 1%, paid by the payer. */
const FEE = 15;

describe('checkout: IES, through the gateway', () => {
  let platform: TestPlatform;
  let gateway: string;
  let db: pg.Client;
  let checkout: CheckoutClient;
  let babySitting: string;

  /** A wallet's posted balance, read from the book's tables (an oracle: hot credits included). */
  async function walletBalance(memberId: string): Promise<number> {
    const code = `circuit:${DEMO_CIRCUIT_ID}:member:${memberId}`;
    const { rows } = await db.query<{ balance: string }>(
      `select (a.credits_posted - a.debits_posted + coalesce(
          (select sum(p.amount) from ies_circuit.book_pending_credit p where p.account_id = a.id), 0
        ))::text as balance
       from ies_circuit.book_account a where a.code = $1`,
      [code],
    );
    return Number(rows[0]?.balance ?? 0);
  }

  async function ok<T>(
    query: string,
    variables: Record<string, unknown>,
    token?: string,
  ): Promise<T> {
    const answer = await gql<T>(gateway, query, variables, token ? { token } : {});
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data!;
  }

  beforeAll(async () => {
    platform = await startTestPlatform();
    gateway = platform.urls.gateway;
    checkout = checkoutClient(gateway, platform.urls.stripe!);
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    const providerAdmin = (await login(gateway, staffEmail('laEsse', 'ADMIN'), DEMO_PASSWORD))
      .token;
    babySitting = await offerTitled(gateway, providerAdmin, 'Baby sitting a domicilio');
  });

  afterEach(async () => {
    expect(await bookProblems(db, 'ies_circuit')).toEqual([]);
  });

  afterAll(async () => {
    await db?.end();
    await platform?.close();
  });

  it('the catalogue tells anyone which offers take IES: those of La Esse', async () => {
    type Items = {
      catalogue: { items: { id: string; providerId: string; acceptsIes: boolean }[] };
    };
    const query = `query($c: ID!) { catalogue(input: { comuneId: $c, pageSize: 50 }) {
      items { id providerId acceptsIes } } }`;
    const { items } = (await ok<Items>(query, { c: DEMO_COMUNE_ID })).catalogue;
    expect(items.find((i) => i.id === babySitting)?.acceptsIes).toBe(true);
    expect(items.some((i) => i.providerId !== DEMO_ORG.laEsse)).toBe(true);
    for (const item of items) expect(item.acceptsIes).toBe(item.providerId === DEMO_ORG.laEsse);
    const one = await ok<{ offer: { acceptsIes: boolean } }>(
      `query($id: ID!) { offer(id: $id) { acceptsIes } }`,
      { id: babySitting },
    );
    expect(one.offer.acceptsIes).toBe(true);
  });

  it('a member pays a booking of La Esse with IES, the fee on top; a non-member is not offered IES', async () => {
    const token = await citizenToken(platform, DEMO_CITIZEN_FISCAL_CODE);
    const giuseppeBefore = await walletBalance(DEMO_MEMBER_IDS.giuseppe);
    const laEsseBefore = await walletBalance(DEMO_MEMBER_IDS.cooperative);
    expect(giuseppeBefore).toBe(DEMO_GIUSEPPE_IES_CENTS);
    const bookingId = await checkout.book(token, babySitting, dayAhead(11), 1);
    type Options = {
      checkoutOptions: {
        funds: {
          owner: string;
          fundId: string;
          kind: string;
          labelIt: string;
          balanceCents: number;
          spendableCents: number;
        }[];
        proposed: { kind: string; owner: string | null; amountCents: number }[];
      };
    };
    const options = (
      await ok<Options>(
        `query($r: String!) { checkoutOptions(payableRef: $r) {
          funds { owner fundId kind labelIt balanceCents spendableCents }
          proposed { kind owner amountCents } } }`,
        { r: `offer-booking:${bookingId}` },
        token,
      )
    ).checkoutOptions;
    const ies = options.funds.find((f) => f.owner === 'ies-circuit');
    expect(ies).toEqual({
      owner: 'ies-circuit',
      fundId: DEMO_CIRCUIT_ID,
      kind: 'IES',
      labelIt: 'IES – Circuito IES Balestrate',
      balanceCents: DEMO_GIUSEPPE_IES_CENTS,
      spendableCents: UNIT,
    });
    const paid: Checkout = await checkout.start(token, bookingId, undefined, [
      { owner: 'ies-circuit', fundId: DEMO_CIRCUIT_ID, amountCents: UNIT },
    ]);
    expect(paid.status).toBe('PAID');
    expect(paid.legs.map((l) => [l.kind, l.fundKind, l.amountCents, l.status])).toEqual([
      ['FUND', 'IES', UNIT, 'CAPTURED'],
    ]);
    expect(await checkout.paymentStatus(token, bookingId)).toBe('PAID');
    expect(await walletBalance(DEMO_MEMBER_IDS.giuseppe)).toBe(giuseppeBefore - UNIT - FEE);
    expect(await walletBalance(DEMO_MEMBER_IDS.cooperative)).toBe(laEsseBefore + UNIT);

    // A citizen who is no member of the circuit is not offered IES.
    const stranger = await citizenToken(platform, beneficiaryFiscalCode(2990));
    const theirBooking = await checkout.book(stranger, babySitting, dayAhead(12), 1);
    const theirs = (
      await ok<Options>(
        `query($r: String!) { checkoutOptions(payableRef: $r) {
          funds { owner fundId kind labelIt balanceCents spendableCents }
          proposed { kind owner amountCents } } }`,
        { r: `offer-booking:${theirBooking}` },
        stranger,
      )
    ).checkoutOptions;
    expect(theirs.funds.some((f) => f.owner === 'ies-circuit')).toBe(false);
  });

  it('refunds a cancelled IES payment to the wallet, once (the fee stays)', async () => {
    const token = await citizenToken(platform, DEMO_CITIZEN_FISCAL_CODE);
    const before = await walletBalance(DEMO_MEMBER_IDS.giuseppe);
    const bookingId = await checkout.book(token, babySitting, dayAhead(13), 1);
    const paid = await checkout.start(token, bookingId, undefined, [
      { owner: 'ies-circuit', fundId: DEMO_CIRCUIT_ID, amountCents: UNIT },
    ]);
    expect(paid.status).toBe('PAID');
    const refundId = randomUUID();
    const refund = () =>
      ok<{ refundCheckout: Checkout }>(
        `mutation($input: RefundCheckoutInput!) { refundCheckout(input: $input) { ${CHECKOUT_FIELDS} } }`,
        { input: { checkoutId: paid.id, refundId, cancel: true } },
        token,
      );
    expect((await refund()).refundCheckout.legs.map((l) => l.refundedCents)).toEqual([UNIT]);
    expect((await refund()).refundCheckout.legs.map((l) => l.refundedCents)).toEqual([UNIT]);
    expect(await walletBalance(DEMO_MEMBER_IDS.giuseppe)).toBe(before - FEE);
  });

  it('the catalogue still loads when the IES circuit is down: acceptsIes is null, the rest is there', async () => {
    const query = `query($c: ID!) { catalogue(input: { comuneId: $c, pageSize: 50 }) {
      items { id title acceptsIes } } }`;
    await platform.stopService('ies-circuit');
    try {
      const answer = await gql<{
        catalogue: { items: { id: string; title: string; acceptsIes: boolean | null }[] };
      }>(gateway, query, { c: DEMO_COMUNE_ID });
      const items = answer.data?.catalogue.items ?? [];
      expect(items.find((i) => i.id === babySitting)?.title).toBe('Baby sitting a domicilio');
      expect(items.every((i) => i.acceptsIes === null)).toBe(true);
    } finally {
      await platform.startService('ies-circuit');
    }
    const again = await ok<{ offer: { acceptsIes: boolean } }>(
      `query($id: ID!) { offer(id: $id) { acceptsIes } }`,
      { id: babySitting },
    );
    expect(again.offer.acceptsIes).toBe(true);
  });
});
