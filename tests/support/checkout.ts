// The checkout (issue 15) as the portal drives it through the gateway, for the federation tests
// and the benchmark: a priced booking of an offer, its checkout, the card part paid on the fake
// Stripe's page (its `/__fake/` control), and the provider's card payments switched on.
import { randomUUID } from 'node:crypto';
import { TEST_CONTACT_EMAIL, bookableDayFor } from './booking-days.js';
import { DEMO_COMUNE_ID } from './demo.js';
import { gql, type GraphQLResponse } from './graphql.js';

export const CHECKOUT_FIELDS = `id status failureReason cardUrl amountCents
  legs { id kind fundKind amountCents status refundedCents }`;

export interface Checkout {
  id: string;
  status: string;
  failureReason: string | null;
  cardUrl: string | null;
  amountCents: number;
  legs: {
    id: string;
    kind: string;
    fundKind: string | null;
    amountCents: number;
    status: string;
    refundedCents: number;
  }[];
}

/** How much of one fund a checkout spends (`StartCheckoutInput.parts`). */
export interface CheckoutPart {
  owner: string;
  fundId: string;
  amountCents: number;
}

/** The fake Stripe's test cards. */
export const TEST_CARD = { succeeds: '4242424242424242', declined: '4000000000000002' };

/** An answer's data, or an error naming the operation and its errors. */
export function must<T>(answer: GraphQLResponse<T>, what: string): T {
  if (!answer.data || answer.errors) {
    throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.errors)}`);
  }
  return answer.data;
}

/** The checkout operations through `gateway`, the card page on the fake Stripe at `stripe`. */
export function checkoutClient(gateway: string, stripe: string) {
  const call = <T>(query: string, variables: Record<string, unknown>, token: string) =>
    gql<T>(gateway, query, variables, { token });

  /**
   * Books `hours` of the offer on the bookable day meant by `serviceDate` (YYYY-MM-DD, some days
   * ahead: see booking-days.ts): PAYMENT_DUE.
   */
  const bookRaw = async (token: string, offerId: string, serviceDate: string, hours: number) =>
    call<{ bookOffer: { id: string; paymentStatus: string } }>(
      `mutation($input: BookOfferInput!) { bookOffer(input: $input) { id paymentStatus } }`,
      {
        input: {
          offerId,
          serviceDate: await bookableDayFor(gateway, offerId, serviceDate),
          quantity: hours,
          note: null,
          idempotencyKey: `checkout-${randomUUID()}`,
          contactEmail: TEST_CONTACT_EMAIL,
        },
      },
      token,
    );

  /** Starts paying the booking: the default split, or `parts` of the funds and the card for the rest. */
  const startRaw = (
    token: string,
    bookingId: string,
    checkoutId: string = randomUUID(),
    parts?: CheckoutPart[],
  ) =>
    call<{ startCheckout: Checkout }>(
      `mutation($input: StartCheckoutInput!) { startCheckout(input: $input) { ${CHECKOUT_FIELDS} } }`,
      {
        input: {
          checkoutId,
          payableRef: `offer-booking:${bookingId}`,
          ...(parts ? { parts } : {}),
        },
      },
      token,
    );

  /** Takes the checkout on as far as it goes now (what the card page's return does). */
  const refreshRaw = (token: string, id: string) =>
    call<{ refreshCheckout: Checkout }>(
      `mutation($id: ID!) { refreshCheckout(id: $id) { ${CHECKOUT_FIELDS} } }`,
      { id },
      token,
    );
  const refresh = async (token: string, id: string) =>
    must(await refreshRaw(token, id), 'refreshCheckout').refreshCheckout;

  const view = async (token: string, id: string) =>
    must(
      await call<{ checkout: Checkout }>(
        `query($id: ID!) { checkout(id: $id) { ${CHECKOUT_FIELDS} } }`,
        { id },
        token,
      ),
      'checkout',
    ).checkout;

  /** The card page's session id (`cs_test_…`) of a checkout waiting for its card. */
  const sessionOf = (checkout: Checkout): string => {
    const session = /\/pay\/(cs_test_\w+)/.exec(checkout.cardUrl ?? '')?.[1];
    if (!session) throw new Error(`no card page on ${JSON.stringify(checkout)}`);
    return session;
  };

  return {
    bookRaw,
    async book(token: string, offerId: string, serviceDate: string, hours: number) {
      return must(await bookRaw(token, offerId, serviceDate, hours), 'bookOffer').bookOffer.id;
    },
    startRaw,
    async start(token: string, bookingId: string, checkoutId?: string, parts?: CheckoutPart[]) {
      return must(await startRaw(token, bookingId, checkoutId, parts), 'startCheckout')
        .startCheckout;
    },
    refreshRaw,
    refresh,
    view,
    async cancel(token: string, id: string) {
      return must(
        await call<{ cancelCheckout: Checkout }>(
          `mutation($id: ID!) { cancelCheckout(id: $id) { ${CHECKOUT_FIELDS} } }`,
          { id },
          token,
        ),
        'cancelCheckout',
      ).cancelCheckout;
    },
    async paymentStatus(token: string, bookingId: string) {
      return must(
        await call<{ offerBooking: { paymentStatus: string } }>(
          `query($id: ID!) { offerBooking(id: $id) { paymentStatus } }`,
          { id: bookingId },
          token,
        ),
        'offerBooking',
      ).offerBooking.paymentStatus;
    },
    sessionOf,
    /** What the person does on Stripe's page: pays the session with `card` (answers Stripe's status). */
    async payOnStripe(checkout: Checkout, card = TEST_CARD.succeeds): Promise<number> {
      const session = sessionOf(checkout);
      const res = await fetch(`${stripe}/__fake/checkout/sessions/${session}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ card }),
      });
      await res.body?.cancel();
      return res.status;
    },
    /** The checkout once it has ended (PAID or FAILED), refreshing it every 200 ms. */
    async settled(
      token: string,
      id: string,
      withinMs = 20_000,
      ask: 'refresh' | 'view' = 'refresh',
    ) {
      const deadline = Date.now() + withinMs;
      for (;;) {
        const seen = ask === 'refresh' ? await refresh(token, id) : await view(token, id);
        if (seen.status === 'PAID' || seen.status === 'FAILED') return seen;
        if (Date.now() > deadline) throw new Error(`checkout not ended: ${JSON.stringify(seen)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  };
}

export type CheckoutClient = ReturnType<typeof checkoutClient>;

/**
 * The provider's ADMIN completes the (fake) Stripe onboarding of `organisationId`, then waits until
 * its account takes card payments.
 */
export async function enableCardPayments(
  gateway: string,
  adminToken: string,
  organisationId: string,
): Promise<void> {
  const started = must(
    await gql<{ startPaymentOnboarding: { url: string } }>(
      gateway,
      `mutation($o: ID!) { startPaymentOnboarding(organisationId: $o) { url } }`,
      { o: organisationId },
      { token: adminToken },
    ),
    'startPaymentOnboarding',
  );
  const done = await fetch(started.startPaymentOnboarding.url, {
    method: 'POST',
    redirect: 'manual',
  });
  if (done.status !== 303) throw new Error(`onboarding answered ${done.status}`);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const read = must(
      await gql<{ paymentAccount: { chargesEnabled: boolean } | null }>(
        gateway,
        `query($o: ID!) { paymentAccount(organisationId: $o) { chargesEnabled } }`,
        { o: organisationId },
        { token: adminToken },
      ),
      'paymentAccount',
    );
    if (read.paymentAccount?.chargesEnabled) return;
    if (Date.now() > deadline) throw new Error('the provider account never took card payments');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The demo catalogue's offer titled `title` (in the demo Comune). */
export async function offerTitled(gateway: string, token: string, title: string): Promise<string> {
  const found = must(
    await gql<{ catalogue: { items: { id: string; title: string }[] } }>(
      gateway,
      `query($c: ID!, $t: String!) { catalogue(input: { comuneId: $c, text: $t, pageSize: 5 }) { items { id title } } }`,
      { c: DEMO_COMUNE_ID, t: title },
      { token },
    ),
    'catalogue',
  );
  const offer = found.catalogue.items.find((i) => i.title === title);
  if (!offer) throw new Error(`no offer titled ${title}`);
  return offer.id;
}

/** A day of service `daysAhead` days from today (YYYY-MM-DD, UTC). */
export const dayAhead = (daysAhead: number): string =>
  new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10);
