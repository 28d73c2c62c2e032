import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeStripeControls, TEST_CARDS, type StripeObject } from '../src/dev/fake-stripe.js';
import { ADMIN, ORG_A, caught, errorCode, member, startStripeHarness, until } from './helpers.js';

// The SDK gives up after 400 ms: the fake's delayed answers outlast it.
const harness = await startStripeHarness('card', { timeoutMs: 400, platformFeeBps: 100 });
const { suite, fake } = harness;
const { cardPayments, providerAccounts, reconciliation } = suite.services;
afterAll(() => harness.close());

const adminOfA = member(ORG_A, 'COOPERATIVE', 'ADMIN');
let accountId: string;

const em = () => suite.orm.em.fork();

/** A card payment's row as the database has it. */
async function rowOf(id: string) {
  const [row] = await suite.sql<{
    status: string;
    captured_at: Date | null;
    captured_amount: string;
    refunded_amount: string;
    charge_id: string | null;
    payment_intent_id: string | null;
    failure_code: string | null;
  }>(`select * from payments.card_payment where id = ?`, [id]);
  return row!;
}

/** Posts the hosted page's card form, as the payer's browser does. */
function payOnPage(url: string, card: string) {
  return fetch(url, {
    method: 'POST',
    body: new URLSearchParams({ card, exp: '12/34', cvc: '123' }),
    redirect: 'manual',
  });
}

/** Posts a payload to the webhook endpoint with a `Stripe-Signature` header. */
function deliver(payload: string, signature: string) {
  return fetch(harness.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body: payload,
  });
}

const open = (amount = 2_500) =>
  cardPayments.open(em(), {
    id: randomUUID(),
    organisationId: ORG_A,
    amount,
    description: 'Doposcuola, marzo',
  });

beforeAll(async () => {
  const { url, account } = await providerAccounts.startOnboarding(em(), adminOfA, ORG_A);
  accountId = account.stripeAccountId;
  await fetch(url, { method: 'POST', redirect: 'manual' });
  await until(
    async () => (await providerAccounts.chargeableAccount(em(), ORG_A)) !== undefined,
    'charges enabled',
  );
});

describe('card payments through Stripe Checkout', () => {
  it('open a session on the provider’s account, held until captured', async () => {
    const payment = await open();
    expect(payment.status).toBe('OPEN');
    expect(payment.applicationFee).toBe(25); // 1 % of 25 euro
    const session = fake.controls.sessions.get(payment.checkoutSessionId!)!;
    expect(fake.controls.contextOf.get(session.id)).toBe(accountId);
    const intent = fake.controls.paymentIntents.get(payment.paymentIntentId!)!;
    expect(intent).toMatchObject({
      capture_method: 'manual',
      application_fee_amount: 25,
      amount: 2_500,
    });

    const declined = await payOnPage(payment.checkoutUrl!, TEST_CARDS.declined);
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('role="alert"');
    await until(async () => (await rowOf(payment.id)).failure_code === 'card_declined', 'failure');

    const paid = await payOnPage(payment.checkoutUrl!, '4242 4242 4242 4242');
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(
      `http://portal.test/pagamento/carta/${payment.id}?esito=ok`,
    );
    await until(async () => (await rowOf(payment.id)).status === 'AUTHORIZED', 'authorised');

    const captured = await cardPayments.capture(em(), payment.id);
    expect(captured).toMatchObject({ status: 'CAPTURED', capturedAmount: 2_500 });
    expect(captured.chargeId).toMatch(/^ch_/);
  });

  it('refuse bad input field by field, and a provider without charges, writing nothing', async () => {
    const before = await suite.count('card_payment');
    const bad = await caught(() =>
      cardPayments.open(em(), { id: 'nope', organisationId: ORG_A, amount: 0, description: ' x ' }),
    );
    expect(bad.code).toBe('BAD_USER_INPUT');
    expect(bad.fields.map((f) => f.field)).toEqual(['id', 'amount', 'description']);
    const huge = await caught(() =>
      cardPayments.open(em(), {
        id: randomUUID(),
        organisationId: ORG_A,
        amount: 1e20,
        description: 'Retta',
      }),
    );
    expect(huge.code).toBe('BAD_USER_INPUT');
    const noAccount = await caught(() =>
      cardPayments.open(em(), {
        id: randomUUID(),
        organisationId: randomUUID(),
        amount: 1_000,
        description: 'Retta',
      }),
    );
    expect(noAccount.code).toBe('CONFLICT');
    expect(await suite.count('card_payment')).toBe(before);
  });

  it('follow an expired session and a released hold', async () => {
    const unpaid = await open();
    const expire = await fetch(
      `${fake.url}/__fake/checkout/sessions/${unpaid.checkoutSessionId}/expire`,
      {
        method: 'POST',
      },
    );
    expect(expire.status).toBe(200);
    await until(async () => (await rowOf(unpaid.id)).status === 'EXPIRED', 'expired');

    const held = await open();
    await payOnPage(held.checkoutUrl!, TEST_CARDS.succeeds);
    await until(async () => (await rowOf(held.id)).status === 'AUTHORIZED', 'authorised');
    expect((await cardPayments.cancel(em(), held.id)).status).toBe('CANCELED');
    expect(fake.controls.paymentIntents.get(held.paymentIntentId!)?.status).toBe('canceled');
    // Captured after release: refused, nothing at Stripe.
    expect((await caught(() => cardPayments.capture(em(), held.id))).code).toBe('CONFLICT');
  });

  it('apply each webhook once, whatever the repetitions and the order', async () => {
    const payment = await open(4_000);
    // Deliveries held back: the test delivers the events itself.
    const webhook = fake.controls.webhook;
    fake.controls.webhook = undefined;
    const firstEvent = fake.controls.events.length;
    try {
      await payOnPage(payment.checkoutUrl!, TEST_CARDS.succeeds);
      const intentId = payment.paymentIntentId!;
      // The capture is made at Stripe directly (a dashboard, another process): only events tell.
      await suite.services.gateway!.capture(accountId, intentId, randomUUID());
    } finally {
      fake.controls.webhook = webhook;
    }
    const events = fake.controls.events.slice(firstEvent);
    expect(events.map((e) => e.type)).toEqual([
      'payment_intent.amount_capturable_updated',
      'checkout.session.completed',
      'charge.succeeded',
      'payment_intent.succeeded',
    ]);
    const send = async (event: StripeObject) => {
      const payload = JSON.stringify(event);
      const answer = await deliver(
        payload,
        FakeStripeControls.signature(payload, harness.webhookSecret),
      );
      expect(answer.status).toBe(200);
    };
    // Newest first, then the same again twice: the late "authorised" must not undo the capture.
    for (const event of [...events].reverse()) await send(event);
    const afterFirst = await rowOf(payment.id);
    expect(afterFirst.status).toBe('CAPTURED');
    expect(afterFirst.captured_amount).toBe('4000');
    for (let round = 0; round < 2; round++) for (const event of events) await send(event);

    const after = await rowOf(payment.id);
    expect(after).toEqual(afterFirst);
    for (const event of events) {
      const [row] = await suite.sql<{ deliveries: number }>(
        `select deliveries from payments.stripe_event where id = ?`,
        [event.id],
      );
      expect(row?.deliveries).toBe(3);
    }

    // A partial refund: the charge.refunded event three times (once by Stripe's redelivery).
    const refund = await cardPayments.refund(em(), {
      id: randomUUID(),
      cardPaymentId: payment.id,
      amount: 1_500,
    });
    expect(refund.status).toBe('SUCCEEDED');
    const refunded = fake.controls.events.find(
      (e) =>
        e.type === 'charge.refunded' &&
        (e.data as { object: { id: string } }).object.id === after.charge_id,
    )!;
    await until(async () => (await rowOf(payment.id)).refunded_amount === '1500', 'refunded');
    const response = await fetch(`${fake.url}/__fake/events/${refunded.id}/redeliver`, {
      method: 'POST',
    });
    expect(response.status).toBe(200);
    await send(refunded);
    await until(async () => {
      const [row] = await suite.sql<{ deliveries: number }>(
        `select deliveries from payments.stripe_event where id = ?`,
        [refunded.id],
      );
      return row?.deliveries === 3;
    }, 'three deliveries');
    expect((await rowOf(payment.id)).refunded_amount).toBe('1500');
    // The same refund asked again (same id): the same refund, made once at Stripe.
    const again = await cardPayments.refund(em(), {
      id: refund.id,
      cardPaymentId: payment.id,
      amount: 1_500,
    });
    expect(again.stripeRefundId).toBe(refund.stripeRefundId);
    expect(
      [...fake.controls.refunds.values()].filter(
        (r) => r.payment_intent === payment.paymentIntentId,
      ),
    ).toHaveLength(1);
  });

  it('refuse a tampered body, a wrong secret and an old timestamp, recording nothing', async () => {
    const event = fake.controls.events.find((e) => e.type === 'payment_intent.succeeded')!;
    const forged = { ...event, id: 'evt_forged000000000000000001' };
    const payload = JSON.stringify(forged);
    const before = await suite.count('stripe_event');

    const signature = FakeStripeControls.signature(payload, harness.webhookSecret);
    const tampered = payload.replace(/"amount":\d+/, '"amount":1');
    expect(tampered).not.toBe(payload);
    expect((await deliver(tampered, signature)).status).toBe(400);
    expect(
      (await deliver(payload, FakeStripeControls.signature(payload, 'whsec_not_the_secret')))
        .status,
    ).toBe(400);
    const old = Math.floor(Date.now() / 1000) - 301;
    expect(
      (await deliver(payload, FakeStripeControls.signature(payload, harness.webhookSecret, old)))
        .status,
    ).toBe(400);
    expect((await deliver(payload, '')).status).toBe(400);

    expect(await suite.count('stripe_event')).toBe(before);
    // The genuine one, signed now, is accepted.
    expect((await deliver(payload, signature)).status).toBe(200);
    expect(await suite.count('stripe_event')).toBe(before + 1);
  });

  it('keep the idempotency key across a retry after a timeout: one session, one payment intent', async () => {
    const id = randomUUID();
    const request = { id, organisationId: ORG_A, amount: 3_000, description: 'Centro estivo' };
    const intentsBefore = fake.controls.paymentIntents.size;
    fake.controls.delayNext(1_500);
    const first = await caught(() => cardPayments.open(em(), request));
    expect(first.code).toBe('SERVICE_UNAVAILABLE');
    // Stored before the call, its outcome unknown.
    expect((await rowOf(id)).status).toBe('CREATING');

    const retried = await cardPayments.open(em(), request);
    expect(retried.status).toBe('OPEN');
    const sent = fake.controls.requests.filter(
      (r) => r.path === '/v1/checkout/sessions' && r.idempotencyKey === id,
    );
    expect(sent).toHaveLength(2);
    expect(fake.controls.paymentIntents.size).toBe(intentsBefore + 1);
    const sessions = [...fake.controls.sessions.values()].filter(
      (s) => s.client_reference_id === id,
    );
    expect(sessions.map((s) => s.id)).toEqual([retried.checkoutSessionId]);

    // The same id for another amount is not the same payment.
    const other = await caught(() => cardPayments.open(em(), { ...request, amount: 3_001 }));
    expect(other.code).toBe('CONFLICT');
  });

  it('reconcile Stripe’s balance transactions with our payments and report every mismatch', async () => {
    const clean = await reconciliation.reconcile(em());
    expect(clean.mismatches).toEqual([]);
    expect(clean.run.balanceTransactions).toBeGreaterThanOrEqual(3);

    const planted = fake.controls.plantBalanceTransaction(accountId, { amount: 1_234 });
    const captured = (
      await suite.sql<{ id: string }>(
        `select id from payments.card_payment where status = 'CAPTURED' order by created_at limit 1`,
      )
    )[0]!;
    await suite.sql(
      `update payments.card_payment set captured_amount = captured_amount - 1 where id = ?`,
      [captured.id],
    );

    const report = await reconciliation.reconcile(em());
    expect(
      report.mismatches.map((m) => [
        m.kind,
        m.balanceTransactionId ?? m.cardPaymentId,
        m.stripeAmount,
        m.ourAmount,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['MISSING_HERE', planted.id, 1_234, null],
        ['AMOUNT_DIFFERS', expect.stringMatching(/^txn_/), 2_500, 2_499],
      ]),
    );
    expect(report.mismatches).toHaveLength(2);

    const QUERY = `{ paymentReconciliations(limit: 1) { mismatchCount mismatches { kind stripeAmount ourAmount } } }`;
    const read = await suite.run<{ paymentReconciliations: { mismatchCount: number }[] }>(
      QUERY,
      {},
      ADMIN,
    );
    expect(read.errors).toBeUndefined();
    expect(read.data?.paymentReconciliations[0]?.mismatchCount).toBe(2);
    expect(errorCode(await suite.run(QUERY, {}, adminOfA))).toBe('FORBIDDEN');
  });
});
