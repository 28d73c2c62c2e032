// Issue 15: a priced booking paid through the gateway with the Comune's voucher credit and a card
// (the fake Stripe), each fund leg held, the card authorised, everything captured; a declined card
// undoes the holds; a cancellation refunds every leg where it came from. Every book is checked.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CAMPAIGN_ID,
  DEMO_COMUNE_ID,
  DEMO_ORG,
  DEMO_PASSWORD,
  demoEmail,
  staffEmail,
} from '../support/demo.js';
import { CHECKOUT_FIELDS, enableCardPayments, type Checkout } from '../support/checkout.js';
import { TEST_CONTACT_EMAIL, bookableDayFor } from '../support/booking-days.js';
import { citizenToken } from '../support/citizen.js';
import { gql, login } from '../support/graphql.js';
import { bookProblems, creditCampaign, seedCards, type SeededCard } from '../support/money.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const CREDIT = 2_000; // 20 € of voucher credit per card
const UNIT = 1_000; // "Baby sitting a domicilio": 10 € an hour (CHILDCARE, La Esse)

/** A day of service per booking: the offer takes one booking a day (individual). */
let nextDay = 7;
const serviceDay = () => new Date(Date.now() + nextDay++ * 86_400_000).toISOString().slice(0, 10);

describe('checkout: voucher credit and a card, through the gateway', () => {
  let platform: TestPlatform;
  let gateway: string;
  let stripe: string;
  let db: pg.Client;
  let cards: SeededCard[];
  let offerId: string;
  let providerAdmin: string;

  async function ok<T>(
    query: string,
    variables: Record<string, unknown>,
    token: string,
  ): Promise<T> {
    const answer = await gql<T>(gateway, query, variables, { token });
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data!;
  }

  const cancelCheckout = (id: string, token: string) =>
    gql<{ cancelCheckout: Checkout }>(
      gateway,
      `mutation($id: ID!) { cancelCheckout(id: $id) { ${CHECKOUT_FIELDS} } }`,
      { id },
      { token },
    );

  /** The card account's balance of a seeded card in the demo campaign, from the book. */
  async function voucherBalance(cardId: string): Promise<number> {
    const { rows } = await db.query<{ balance: string }>(
      `select (credits_posted - debits_posted - debits_pending)::text as balance from public_welfare.book_account where code = $1`,
      [`card:${cardId}:campaign:${DEMO_CAMPAIGN_ID}`],
    );
    return Number(rows[0]?.balance ?? NaN);
  }

  async function book(token: string, hours: number): Promise<string> {
    const data = await ok<{ bookOffer: { id: string; paymentStatus: string } }>(
      `mutation($input: BookOfferInput!) { bookOffer(input: $input) { id paymentStatus } }`,
      {
        input: {
          offerId,
          serviceDate: await bookableDayFor(gateway, offerId, serviceDay()),
          quantity: hours,
          note: null,
          idempotencyKey: `checkout-${randomUUID()}`,
          contactEmail: TEST_CONTACT_EMAIL,
        },
      },
      token,
    );
    expect(data.bookOffer.paymentStatus).toBe('PAYMENT_DUE');
    return data.bookOffer.id;
  }

  async function paymentStatusOf(token: string, bookingId: string): Promise<string> {
    const data = await ok<{ offerBooking: { paymentStatus: string } }>(
      `query($id: ID!) { offerBooking(id: $id) { paymentStatus } }`,
      { id: bookingId },
      token,
    );
    return data.offerBooking.paymentStatus;
  }

  async function start(token: string, bookingId: string): Promise<Checkout> {
    const data = await ok<{ startCheckout: Checkout }>(
      `mutation($input: StartCheckoutInput!) { startCheckout(input: $input) { ${CHECKOUT_FIELDS} } }`,
      { input: { checkoutId: randomUUID(), payableRef: `offer-booking:${bookingId}` } },
      token,
    );
    return data.startCheckout;
  }

  /** Pays the card page's session on the fake (what the person does on Stripe's page). */
  async function payOnStripe(checkout: Checkout, card: string): Promise<void> {
    const session = /\/pay\/(cs_test_\w+)/.exec(checkout.cardUrl ?? '')?.[1];
    expect(session, checkout.cardUrl ?? 'no card url').toBeTruthy();
    const res = await fetch(`${stripe}/__fake/checkout/sessions/${session}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ card }),
    });
    expect(res.status).toBe(200);
  }

  /** The checkout once it has left AWAITING_CARD (the webhook takes it on), within 15 s. */
  async function settled(token: string, id: string): Promise<Checkout> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const data = await ok<{ refreshCheckout: Checkout }>(
        `mutation($id: ID!) { refreshCheckout(id: $id) { ${CHECKOUT_FIELDS} } }`,
        { id },
        token,
      );
      if (['PAID', 'FAILED'].includes(data.refreshCheckout.status)) return data.refreshCheckout;
      expect(Date.now(), JSON.stringify(data.refreshCheckout)).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    // The recovery job looks for checkouts left untouched for a second (the crash test).
    platform = await startTestPlatform({
      subgraphEnv: { payments: { CHECKOUT_IDLE_MS: '1000', CHECKOUT_RECOVERY_INTERVAL_MS: '500' } },
    });
    gateway = platform.urls.gateway;
    stripe = platform.urls.stripe!;
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    const manager = await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
    cards = await seedCards(db, {
      dataDir: platform.dataDir,
      comuneId: DEMO_COMUNE_ID,
      campaignId: DEMO_CAMPAIGN_ID,
      staffId: manager.viewer.person.id,
      count: 9,
      amountCents: CREDIT,
      first: 1500,
    });
    await creditCampaign(gateway, manager.token, DEMO_CAMPAIGN_ID, 10_000_000);

    // La Esse takes card payments: its admin completes the (fake) Stripe onboarding.
    providerAdmin = (await login(gateway, staffEmail('laEsse', 'ADMIN'), DEMO_PASSWORD)).token;
    await enableCardPayments(gateway, providerAdmin, DEMO_ORG.laEsse);

    const found = await ok<{ catalogue: { items: { id: string; title: string }[] } }>(
      `query($c: ID!) { catalogue(input: { comuneId: $c, text: "Baby sitting a domicilio", pageSize: 5 }) { items { id title } } }`,
      { c: DEMO_COMUNE_ID },
      providerAdmin,
    );
    offerId = found.catalogue.items.find((i) => i.title === 'Baby sitting a domicilio')!.id;
  });

  afterAll(async () => {
    await db?.end();
    await platform?.close();
  });

  it('proposes the voucher credit first and the card for the rest', async () => {
    const token = await citizenToken(platform, cards[0]!.fiscalCode);
    const bookingId = await book(token, 3);
    const data = await ok<{
      checkoutOptions: {
        state: string;
        amountCents: number;
        cardAvailable: boolean;
        funds: { kind: string; spendableCents: number; balanceCents: number }[];
        proposed: { kind: string; amountCents: number }[];
      };
    }>(
      `query($r: String!) { checkoutOptions(payableRef: $r) { state amountCents cardAvailable
        funds { kind spendableCents balanceCents } proposed { kind amountCents } } }`,
      { r: `offer-booking:${bookingId}` },
      token,
    );
    expect(data.checkoutOptions).toMatchObject({
      state: 'DUE',
      amountCents: 3 * UNIT,
      cardAvailable: true,
      funds: [{ kind: 'VOUCHER', spendableCents: CREDIT, balanceCents: CREDIT }],
      proposed: [
        { kind: 'FUND', amountCents: CREDIT },
        { kind: 'CARD', amountCents: 3 * UNIT - CREDIT },
      ],
    });
    // Another person cannot see or pay it.
    const other = await citizenToken(platform, cards[3]!.fiscalCode);
    const refused = await gql(
      gateway,
      `query($r: String!) { checkoutOptions(payableRef: $r) { state } }`,
      { r: `offer-booking:${bookingId}` },
      { token: other },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('pays with voucher credit and a card: both captured, the booking PAID; then a cancellation refunds both', async () => {
    const card = cards[1]!;
    const token = await citizenToken(platform, card.fiscalCode);
    const bookingId = await book(token, 3);
    const checkout = await start(token, bookingId);
    expect(checkout.status).toBe('AWAITING_CARD');
    expect(await voucherBalance(card.cardId)).toBe(0); // held
    await payOnStripe(checkout, '4242424242424242');
    const paid = await settled(token, checkout.id);
    expect(paid.status).toBe('PAID');
    expect(paid.legs.map((l) => [l.kind, l.amountCents, l.status])).toEqual([
      ['FUND', CREDIT, 'CAPTURED'],
      ['CARD', 3 * UNIT - CREDIT, 'CAPTURED'],
    ]);
    expect(await paymentStatusOf(token, bookingId)).toBe('PAID');
    expect(await bookProblems(db)).toEqual([]);

    // The provider sees it; another organisation's admin does not.
    const seen = await ok<{ checkout: { id: string } }>(
      `query($id: ID!) { checkout(id: $id) { id } }`,
      { id: checkout.id },
      providerAdmin,
    );
    expect(seen.checkout.id).toBe(checkout.id);
    const amici = (await login(gateway, staffEmail('amiciBalestrate', 'ADMIN'), DEMO_PASSWORD))
      .token;
    const hidden = await gql(
      gateway,
      `query($id: ID!) { checkout(id: $id) { id } }`,
      { id: checkout.id },
      { token: amici },
    );
    expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    // The citizen cancels with a full refund: the voucher credit back on the card, the card refunded.
    const refundId = randomUUID();
    const refund = (id: string) =>
      ok<{ refundCheckout: Checkout }>(
        `mutation($input: RefundCheckoutInput!) { refundCheckout(input: $input) { ${CHECKOUT_FIELDS} } }`,
        { input: { checkoutId: checkout.id, refundId: id, cancel: true } },
        token,
      );
    const refunded = (await refund(refundId)).refundCheckout;
    expect(refunded.legs.map((l) => l.refundedCents)).toEqual([CREDIT, 3 * UNIT - CREDIT]);
    expect(await voucherBalance(card.cardId)).toBe(CREDIT);
    // Again with the same id: nothing more.
    expect((await refund(refundId)).refundCheckout.legs.map((l) => l.refundedCents)).toEqual([
      CREDIT,
      3 * UNIT - CREDIT,
    ]);
    expect(await voucherBalance(card.cardId)).toBe(CREDIT);
    const stripeRefunds = (await (await fetch(`${stripe}/__fake/objects/refunds`)).json()) as {
      data: { amount: number }[];
    };
    expect(stripeRefunds.data.filter((r) => r.amount === 3 * UNIT - CREDIT)).toHaveLength(1);
    expect(await paymentStatusOf(token, bookingId)).toBe('REFUNDED');
    expect(await bookProblems(db)).toEqual([]);
  });

  it('a declined card leaves the page open; giving up undoes the voucher hold and the booking is due again', async () => {
    const card = cards[2]!;
    const token = await citizenToken(platform, card.fiscalCode);
    const bookingId = await book(token, 3);
    const checkout = await start(token, bookingId);
    expect(await voucherBalance(card.cardId)).toBe(0);
    await payOnStripe(checkout, '4000000000000002');
    const still = await ok<{ refreshCheckout: Checkout }>(
      `mutation($id: ID!) { refreshCheckout(id: $id) { ${CHECKOUT_FIELDS} } }`,
      { id: checkout.id },
      token,
    );
    expect(still.refreshCheckout.status).toBe('AWAITING_CARD');
    // Stripe's notice of the declined card may be taking the checkout on right now: then the
    // cancellation answers CONFLICT "try again shortly", and the person tries again, as told.
    let answer = await cancelCheckout(checkout.id, token);
    for (
      let tries = 1;
      answer.errors?.[0]?.extensions?.code === 'CONFLICT' && tries < 20;
      tries++
    ) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await cancelCheckout(checkout.id, token);
    }
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    const failed = answer.data!.cancelCheckout;
    expect(failed).toMatchObject({ status: 'FAILED', failureReason: 'CANCELLED' });
    expect(failed.legs.every((l) => l.status === 'RELEASED')).toBe(true);
    expect(await voucherBalance(card.cardId)).toBe(CREDIT);
    expect(await paymentStatusOf(token, bookingId)).toBe('PAYMENT_DUE');
    expect(await bookProblems(db)).toEqual([]);
  });

  it('pays a price the credit covers with the credit alone, at once', async () => {
    const card = cards[3]!;
    const token = await citizenToken(platform, card.fiscalCode);
    const bookingId = await book(token, 1);
    const checkout = await start(token, bookingId);
    expect(checkout.status).toBe('PAID');
    expect(checkout.legs).toHaveLength(1);
    expect(await voucherBalance(card.cardId)).toBe(CREDIT - UNIT);
    expect(await paymentStatusOf(token, bookingId)).toBe('PAID');
    // A second checkout of a paid booking is refused.
    const again = await gql(
      gateway,
      `mutation($input: StartCheckoutInput!) { startCheckout(input: $input) { id } }`,
      { input: { checkoutId: randomUUID(), payableRef: `offer-booking:${bookingId}` } },
      { token },
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await bookProblems(db)).toEqual([]);
  });

  it('the citizen may cancel a paid booking only before its day (the provider’s policy); the provider may refund after', async () => {
    const card = cards[7]!;
    const token = await citizenToken(platform, card.fiscalCode);
    const bookingId = await book(token, 1);
    const checkout = await start(token, bookingId);
    expect(checkout.status).toBe('PAID');
    // The day of the service has come.
    await db.query(
      `update third_sector.offer_booking set service_date = (now() at time zone 'Europe/Rome')::date where id = $1`,
      [bookingId],
    );
    const refund = (who: string) =>
      gql<{ refundCheckout: Checkout }>(
        gateway,
        `mutation($input: RefundCheckoutInput!) { refundCheckout(input: $input) { ${CHECKOUT_FIELDS} } }`,
        { input: { checkoutId: checkout.id, refundId: randomUUID(), cancel: true } },
        { token: who },
      );
    const late = await refund(token);
    expect(late.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(late.errors?.[0]?.message).toContain('Il termine per annullare è passato');
    expect(await voucherBalance(card.cardId)).toBe(CREDIT - UNIT);
    expect(await paymentStatusOf(token, bookingId)).toBe('PAID');
    // The provider refunds it in full and cancels it: the credit is back on the card.
    const byProvider = await refund(providerAdmin);
    expect(byProvider.errors, JSON.stringify(byProvider.errors)).toBeUndefined();
    expect(byProvider.data!.refundCheckout.legs.map((l) => l.refundedCents)).toEqual([UNIT]);
    expect(await voucherBalance(card.cardId)).toBe(CREDIT);
    expect(await paymentStatusOf(token, bookingId)).toBe('REFUNDED');
    expect(await bookProblems(db)).toEqual([]);
  });

  it('two checkouts racing for one card’s credit: one holds it, the other is undone before any card page', async () => {
    const card = cards[4]!;
    const token = await citizenToken(platform, card.fiscalCode);
    const first = await book(token, 3);
    const second = await book(token, 3);
    const [a, b] = await Promise.all([start(token, first), start(token, second)]);
    const results = [a, b].sort((x, y) => x.status.localeCompare(y.status));
    // Each would spend the whole 20 € of credit: one holds it (and waits for its card part)…
    expect(results.map((r) => r.status)).toEqual(['AWAITING_CARD', 'FAILED']);
    const failed = results[1]!;
    expect(failed.failureReason).toBe('FUND_INSUFFICIENT_FUNDS');
    // …the other released everything and never opened a card page.
    expect(failed.cardUrl).toBeNull();
    expect(failed.legs.every((l) => l.status === 'RELEASED' || l.status === 'PLANNED')).toBe(true);
    expect(await voucherBalance(card.cardId)).toBe(0);
    const statuses = [await paymentStatusOf(token, first), await paymentStatusOf(token, second)];
    expect(statuses.sort()).toEqual(['PAYMENT_DUE', 'PAYMENT_IN_PROGRESS']);
    expect(await bookProblems(db)).toEqual([]);
  });

  it('payments killed (SIGKILL) while the card page is open: after the restart the checkout is finished once', async () => {
    const card = cards[5]!;
    const token = await citizenToken(platform, card.fiscalCode);
    const bookingId = await book(token, 3);
    const checkout = await start(token, bookingId);
    expect(checkout.status).toBe('AWAITING_CARD');
    await platform.killService('payments');
    // The person pays while payments is down: Stripe's notices fail and are retried.
    await payOnStripe(checkout, '4242424242424242');
    await platform.startService('payments');
    // Nobody asks: the recovery job (or the redelivered notice) finishes it.
    const deadline = Date.now() + 20_000;
    let seen: Checkout;
    for (;;) {
      seen = (
        await ok<{ checkout: Checkout }>(
          `query($id: ID!) { checkout(id: $id) { ${CHECKOUT_FIELDS} } }`,
          { id: checkout.id },
          token,
        )
      ).checkout;
      if (seen.status === 'PAID') break;
      expect(Date.now(), JSON.stringify(seen)).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(seen.legs.map((l) => l.status)).toEqual(['CAPTURED', 'CAPTURED']);
    expect(await voucherBalance(card.cardId)).toBe(0);
    expect(await paymentStatusOf(token, bookingId)).toBe('PAID');
    // One capture at Stripe, not two.
    const intents = (await (await fetch(`${stripe}/__fake/objects/payment_intents`)).json()) as {
      data: { amount: number; status: string; metadata?: Record<string, string> }[];
    };
    const cardLeg = seen.legs.find((l) => l.kind === 'CARD')!;
    const mine = intents.data.filter((i) => i.metadata?.cardPaymentId === cardLeg.id);
    expect(mine.map((i) => i.status)).toEqual(['succeeded']);
    expect(await bookProblems(db)).toEqual([]);
  });

  it('a booking taken by another checkout before completion: every captured leg is given back', async () => {
    const card = cards[6]!;
    const token = await citizenToken(platform, card.fiscalCode);
    const bookingId = await book(token, 3);
    const checkout = await start(token, bookingId);
    expect(checkout.status).toBe('AWAITING_CARD');
    // What third-sector allows once a checkout's time has passed: another checkout holds the
    // booking now (written directly: waiting out the 31 minutes is not a test).
    await db.query(
      `update third_sector.offer_booking set checkout_id = $2 where id = $1 and checkout_id = $3`,
      [bookingId, randomUUID(), checkout.id],
    );
    await payOnStripe(checkout, '4242424242424242');
    const failed = await settled(token, checkout.id);
    expect(failed).toMatchObject({ status: 'FAILED', failureReason: 'PAYABLE_NOT_PAYABLE' });
    // Both legs were captured, then given back in full: the credit is on the card again and the
    // card payment is refunded at Stripe.
    expect(failed.legs.map((l) => l.status)).toEqual(['RELEASED', 'RELEASED']);
    expect(await voucherBalance(card.cardId)).toBe(CREDIT);
    const refunds = (await (await fetch(`${stripe}/__fake/objects/refunds`)).json()) as {
      data: { amount: number; metadata?: Record<string, string> }[];
    };
    const paid = (await (await fetch(`${stripe}/__fake/objects/payment_intents`)).json()) as {
      data: { id: string; metadata?: Record<string, string>; status: string }[];
    };
    const cardLeg = failed.legs.find((l) => l.kind === 'CARD')!;
    const intent = paid.data.find((i) => i.metadata?.cardPaymentId === cardLeg.id);
    expect(intent).toBeTruthy();
    expect(refunds.data.filter((r) => r.amount === 3 * UNIT - CREDIT).length).toBeGreaterThan(0);
    expect(await bookProblems(db)).toEqual([]);
  });
  it('a refund after the Comune paid the provider out is refused by the fund, and nothing is given back', async () => {
    const card = cards[8]!;
    const token = await citizenToken(platform, card.fiscalCode);
    const bookingId = await book(token, 1);
    const checkout = await start(token, bookingId);
    expect(checkout.status).toBe('PAID');
    // The Comune's reimbursement batch pays La Esse what its account holds, this service included.
    const operator = (await login(gateway, demoEmail('COMUNE', 'OPERATOR'), DEMO_PASSWORD)).token;
    const manager = (await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD)).token;
    const created = await ok<{ createReimbursementBatch: { batch: { id: string } } }>(
      `mutation ($input: CreateReimbursementBatchInput!) { createReimbursementBatch(input: $input) { batch { id } } }`,
      {
        input: {
          campaignId: DEMO_CAMPAIGN_ID,
          cutOff: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
          debtorName: 'Comune di Balestrate – Tesoreria',
          debtorIban: 'IT77X0100003245348300012345',
        },
      },
      operator,
    );
    const batchId = created.createReimbursementBatch.batch.id;
    await ok(
      `mutation ($id: ID!) { approveReimbursementBatch(id: $id) { id } }`,
      { id: batchId },
      manager,
    );
    await ok(
      `mutation ($id: ID!, $input: MarkReimbursementPaidInput!) { markReimbursementBatchPaid(id: $id, input: $input) { id } }`,
      {
        id: batchId,
        input: { bankDate: new Date().toISOString().slice(0, 10), bankReference: 'TRN-CHECKOUT' },
      },
      manager,
    );
    const refused = await gql(
      gateway,
      `mutation($input: RefundCheckoutInput!) { refundCheckout(input: $input) { id } }`,
      { input: { checkoutId: checkout.id, refundId: randomUUID(), cancel: true } },
      { token: providerAdmin },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toContain('Il Comune ha già pagato questo importo');
    // Nothing was recorded or given back: the credit stays spent, the booking PAID.
    const { rows } = await db.query<{ n: string }>(
      `select count(*)::text as n from payments.checkout_refund where checkout_id = $1`,
      [checkout.id],
    );
    expect(rows[0]!.n).toBe('0');
    expect(await voucherBalance(card.cardId)).toBe(CREDIT - UNIT);
    expect(await paymentStatusOf(token, bookingId)).toBe('PAID');
    expect(await bookProblems(db)).toEqual([]);
  });
});
