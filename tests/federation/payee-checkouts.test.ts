// Issue 15, tenancy of the provider's payments through the gateway: a provider's ADMIN sees and
// refunds only its own payments and Stripe account; another provider's admin, a citizen and a
// Comune get FORBIDDEN or NOT_FOUND and change nothing. A checkout's payee is named by identity.
// Bad input to startCheckout and refundCheckout gets field-level BAD_USER_INPUT and writes nothing.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_ORG,
  DEMO_ORGANISATIONS,
  DEMO_PASSWORD,
  demoEmail,
  staffEmail,
} from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { bookProblems, type SeededCard } from '../support/money.js';
import {
  BABY_SITTING,
  CHECKOUT_FIELDS,
  bookHours,
  catalogueOffer,
  citizenToken,
  onboardProvider,
  payBooking,
  serviceDay,
  voucherHolders,
  type PaidCheckout,
} from '../support/payments.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const CREDIT = 2_000; // 20 € of voucher credit per card
const HOUR = 1_000; // the baby sitting: 10 € an hour

describe("a provider's payments, through the gateway", () => {
  let platform: TestPlatform;
  let gateway: string;
  let db: pg.Client;
  let cards: SeededCard[];
  let offerId: string;
  let laEsse: string; // La Esse's ADMIN
  let payer: string; // the citizen who paid
  let paid: PaidCheckout;
  const others: Record<string, string> = {}; // who must not see La Esse's payments

  const call = (query: string, variables: Record<string, unknown>, token: string) =>
    gql<Record<string, unknown>>(gateway, query, variables, { token });

  /** What the database holds of payments: a change here means something was written. */
  async function paymentsState(): Promise<string> {
    const { rows } = await db.query<{ state: string }>(
      `select json_build_object(
         'accounts', (select count(*) from payments.provider_account),
         'checkouts', (select count(*) from payments.checkout),
         'legs', (select coalesce(json_agg(json_build_array(id, status, refunded_cents) order by id), '[]') from payments.checkout_leg),
         'refunds', (select count(*) from payments.checkout_refund),
         'cardRefunds', (select count(*) from payments.card_refund))::text as state`,
    );
    return rows[0]!.state;
  }

  beforeAll(async () => {
    platform = await startTestPlatform();
    gateway = platform.urls.gateway;
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    cards = await voucherHolders(platform, { count: 3, creditCents: CREDIT, first: 2600 });
    laEsse = (await login(gateway, staffEmail('laEsse', 'ADMIN'), DEMO_PASSWORD)).token;
    await onboardProvider(gateway, laEsse, DEMO_ORG.laEsse);
    offerId = await catalogueOffer(gateway, laEsse, BABY_SITTING);
    // 3 hours: 20 € of voucher credit and 10 € by card.
    payer = await citizenToken(platform, cards[0]!.fiscalCode);
    paid = await payBooking(
      platform,
      payer,
      await bookHours(gateway, payer, offerId, 3, serviceDay(9)),
    );
    expect(paid.legs.map((l) => [l.kind, l.amountCents])).toEqual([
      ['FUND', CREDIT],
      ['CARD', 3 * HOUR - CREDIT],
    ]);
    others.provider = (
      await login(gateway, staffEmail('amiciBalestrate', 'ADMIN'), DEMO_PASSWORD)
    ).token;
    others.comune = (await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD)).token;
    others.citizen = await citizenToken(platform, cards[1]!.fiscalCode);
  });

  afterAll(async () => {
    await db?.end();
    await platform?.close();
  });

  it("lists the provider's payments to its ADMIN, with the payee named by identity", async () => {
    const answer = await call(
      `query($o: ID!) { payeeCheckouts(organisationId: $o) { id payee { id name } legs { kind amountCents } } }`,
      { o: DEMO_ORG.laEsse },
      laEsse,
    );
    expect(answer.errors).toBeUndefined();
    const list = answer.data!.payeeCheckouts as {
      id: string;
      payee: { id: string; name: string };
    }[];
    expect(list.map((c) => c.id)).toEqual([paid.id]);
    expect(list[0]!.payee).toEqual({ id: DEMO_ORG.laEsse, name: DEMO_ORGANISATIONS.laEsse.name });
    // The payer sees the same name on their own payment.
    const mine = await call(`{ myCheckouts { id payee { name } } }`, {}, payer);
    expect(mine.data!.myCheckouts).toEqual([
      { id: paid.id, payee: { name: DEMO_ORGANISATIONS.laEsse.name } },
    ]);
  });

  for (const who of ['provider', 'comune', 'citizen'] as const) {
    it(`refuses La Esse's payments, account and onboarding to ${who === 'provider' ? "another provider's admin" : `a ${who}`}, and changes nothing`, async () => {
      const token = others[who]!;
      const before = await paymentsState();
      const list = await call(
        `query($o: ID!) { payeeCheckouts(organisationId: $o) { id } }`,
        { o: DEMO_ORG.laEsse },
        token,
      );
      expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(list.data?.payeeCheckouts ?? null).toBeNull();
      const account = await call(
        `query($o: ID!) { paymentAccount(organisationId: $o) { stripeAccountId } }`,
        { o: DEMO_ORG.laEsse },
        token,
      );
      expect(account.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const onboarding = await call(
        `mutation($o: ID!) { startPaymentOnboarding(organisationId: $o) { url } }`,
        { o: DEMO_ORG.laEsse },
        token,
      );
      expect(onboarding.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      // Its payment cannot be read or refunded: as if it did not exist.
      const read = await call(
        `query($id: ID!) { checkout(id: $id) { id } }`,
        { id: paid.id },
        token,
      );
      expect(read.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const refund = await call(
        `mutation($input: RefundCheckoutInput!) { refundCheckout(input: $input) { id } }`,
        {
          input: {
            checkoutId: paid.id,
            refundId: randomUUID(),
            amountCents: 100,
            reason: 'not mine',
            cancel: false,
          },
        },
        token,
      );
      expect(refund.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(await paymentsState()).toBe(before);
    });
  }

  it('a refund of more than remains, or with a reason too long, is a field error and changes nothing', async () => {
    const before = await paymentsState();
    const refund = (amountCents: number, reason: string) =>
      call(
        `mutation($input: RefundCheckoutInput!) { refundCheckout(input: $input) { id } }`,
        {
          input: {
            checkoutId: paid.id,
            refundId: randomUUID(),
            amountCents,
            reason,
            cancel: false,
          },
        },
        laEsse,
      );
    for (const [amount, reason, field] of [
      [3 * HOUR + 1, 'too much', 'amountCents'],
      [0, 'nothing', 'amountCents'],
      [-500, 'negative', 'amountCents'],
      [100, 'x'.repeat(501), 'reason'],
    ] as const) {
      const answer = await refund(amount, reason);
      expect(answer.errors?.[0]?.extensions?.code, `${amount} ${reason.length}`).toBe(
        'BAD_USER_INPUT',
      );
      expect(answer.errors?.[0]?.extensions?.fields?.map((f) => f.field)).toEqual([field]);
    }
    expect(await paymentsState()).toBe(before);
  });

  it("the provider's ADMIN refunds part of it, split in proportion over credit and card", async () => {
    const refunded = await call(
      `mutation($input: RefundCheckoutInput!) { refundCheckout(input: $input) { ${CHECKOUT_FIELDS} } }`,
      {
        input: {
          checkoutId: paid.id,
          refundId: randomUUID(),
          amountCents: 600,
          reason: 'Servizio ridotto di un’ora',
          cancel: false,
        },
      },
      laEsse,
    );
    expect(refunded.errors).toBeUndefined();
    const checkout = refunded.data!.refundCheckout as PaidCheckout;
    // 6 € of 30 €: 4 € of the 20 € of credit, 2 € of the 10 € by card.
    expect(checkout.legs.map((l) => l.refundedCents)).toEqual([400, 200]);
    expect(checkout.status).toBe('PAID');
    const { rows } = await db.query<{ reason: string }>(
      `select reason from payments.checkout_refund where checkout_id = $1`,
      [paid.id],
    );
    expect(rows).toEqual([{ reason: 'Servizio ridotto di un’ora' }]);
    expect(await bookProblems(db)).toEqual([]);
  });

  it('startCheckout with bad input is refused field by field and writes nothing', async () => {
    const token = await citizenToken(platform, cards[2]!.fiscalCode);
    const bookingId = await bookHours(gateway, token, offerId, 3, serviceDay(10));
    const before = await paymentsState();
    const options = await call(
      `query($r: String!) { checkoutOptions(payableRef: $r) { funds { owner fundId balanceCents } payee { name } } }`,
      { r: `offer-booking:${bookingId}` },
      token,
    );
    const funds = options.data!.checkoutOptions as {
      funds: { owner: string; fundId: string; balanceCents: number }[];
      payee: { name: string };
    };
    expect(funds.payee.name).toBe(DEMO_ORGANISATIONS.laEsse.name);
    const fund = funds.funds[0]!;
    expect(fund.balanceCents).toBe(CREDIT);
    const start = (
      parts: unknown,
      payableRef = `offer-booking:${bookingId}`,
      checkoutId: string = randomUUID(),
    ) =>
      call(
        `mutation($input: StartCheckoutInput!) { startCheckout(input: $input) { id } }`,
        { input: { checkoutId, payableRef, parts } },
        token,
      );
    const cases: [unknown, string[], string?, string?][] = [
      // A negative part and an unknown fund: both named.
      [
        [
          { owner: fund.owner, fundId: fund.fundId, amountCents: -1 },
          { owner: 'public-welfare', fundId: randomUUID(), amountCents: 100 },
        ],
        ['parts.0.amountCents', 'parts.1.fundId'],
      ],
      // More than the fund can pay.
      [
        [{ owner: fund.owner, fundId: fund.fundId, amountCents: CREDIT + 1 }],
        ['parts.0.amountCents'],
      ],
      // A reference to nothing payments knows.
      [null, ['payableRef'], 'nonsense:1'],
      // A malformed checkout id.
      [null, ['checkoutId'], undefined, 'not-a-uuid'],
    ];
    for (const [parts, fields, ref, id] of cases) {
      const answer = await start(parts, ref, id);
      expect(answer.errors?.[0]?.extensions?.code, JSON.stringify(parts)).toBe('BAD_USER_INPUT');
      expect(answer.errors?.[0]?.extensions?.fields?.map((f) => f.field)).toEqual(fields);
      expect(answer.data?.startCheckout ?? null).toBeNull();
    }
    expect(await paymentsState()).toBe(before);
    const booking = await call(
      `query($id: ID!) { offerBooking(id: $id) { paymentStatus } }`,
      { id: bookingId },
      token,
    );
    expect(booking.data!.offerBooking).toEqual({ paymentStatus: 'PAYMENT_DUE' });
    const after = await call(
      `query($r: String!) { checkoutOptions(payableRef: $r) { funds { balanceCents } } }`,
      { r: `offer-booking:${bookingId}` },
      token,
    );
    expect(after.data!.checkoutOptions).toEqual({ funds: [{ balanceCents: CREDIT }] });
    expect(await bookProblems(db)).toEqual([]);
  });
});
