// Payments set up through the gateway, as the checkout tests do it: a provider's Stripe account
// onboarded on the fake Stripe, and a booking paid with the Comune's voucher credit and a card.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DEMO_CAMPAIGN_ID, DEMO_COMUNE_ID, DEMO_PASSWORD, demoEmail } from './demo.js';
import { TEST_CONTACT_EMAIL, bookableDayFor } from './booking-days.js';
import { citizenToken } from './citizen.js';
import { gql, login } from './graphql.js';
import { creditCampaign, seedCards, type SeededCard } from './money.js';
import type { TestPlatform } from './platform.js';

/** "Baby sitting a domicilio" (La Esse, CHILDCARE): 10 € an hour, one booking a day. */
export const BABY_SITTING = 'Baby sitting a domicilio';

/** The fields of a checkout the payments tests read. */
export const CHECKOUT_FIELDS = `id status failureReason cardUrl amountCents payeeOrganisationId
  legs { id kind fundKind amountCents status refundedCents }`;

export interface PaidCheckout {
  id: string;
  status: string;
  failureReason: string | null;
  cardUrl: string | null;
  amountCents: number;
  payeeOrganisationId: string;
  legs: {
    id: string;
    kind: string;
    fundKind: string | null;
    amountCents: number;
    status: string;
    refundedCents: number;
  }[];
}

async function ok<T>(
  gateway: string,
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<T> {
  const answer = await gql<T>(gateway, query, variables, { token });
  if (answer.errors || !answer.data) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
}

async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within 20 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The provider's Stripe account onboarded on the fake (its ADMIN's token), charges enabled. */
export async function onboardProvider(
  gateway: string,
  adminToken: string,
  organisationId: string,
): Promise<void> {
  const started = await ok<{ startPaymentOnboarding: { url: string } }>(
    gateway,
    `mutation($o: ID!) { startPaymentOnboarding(organisationId: $o) { url } }`,
    { o: organisationId },
    adminToken,
  );
  const done = await fetch(started.startPaymentOnboarding.url, {
    method: 'POST',
    redirect: 'manual',
  });
  if (done.status !== 303) throw new Error(`onboarding page answered ${done.status}`);
  await until('charges enabled', async () => {
    const read = await ok<{ paymentAccount: { chargesEnabled: boolean } | null }>(
      gateway,
      `query($o: ID!) { paymentAccount(organisationId: $o) { chargesEnabled } }`,
      { o: organisationId },
      adminToken,
    );
    return read.paymentAccount?.chargesEnabled ? true : undefined;
  });
}

/**
 * Citizens with voucher credit to pay with: `count` approved applications and cards of the demo
 * campaign (numbers from `first`), each credited `creditCents`.
 */
export async function voucherHolders(
  platform: TestPlatform,
  options: { count: number; creditCents: number; first: number },
): Promise<SeededCard[]> {
  const gateway = platform.urls.gateway;
  const db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
  try {
    const manager = await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
    const cards = await seedCards(db, {
      dataDir: platform.dataDir,
      comuneId: DEMO_COMUNE_ID,
      campaignId: DEMO_CAMPAIGN_ID,
      staffId: manager.viewer.person.id,
      count: options.count,
      amountCents: options.creditCents,
      first: options.first,
    });
    await creditCampaign(gateway, manager.token, DEMO_CAMPAIGN_ID, 10_000_000);
    return cards;
  } finally {
    await db.end();
  }
}

/** The id of a published offer of the demo Comune's catalogue, by its exact title. */
export async function catalogueOffer(gateway: string, token: string, title: string) {
  const found = await ok<{ catalogue: { items: { id: string; title: string }[] } }>(
    gateway,
    `query($c: ID!, $t: String!) { catalogue(input: { comuneId: $c, text: $t, pageSize: 5 }) { items { id title } } }`,
    { c: DEMO_COMUNE_ID, t: title },
    token,
  );
  const offer = found.catalogue.items.find((i) => i.title === title);
  if (!offer) throw new Error(`no offer ${title}`);
  return offer.id;
}

/** A day of service `days` from now (the baby sitting takes one booking a day). */
export function serviceDay(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** A citizen's booking of `hours` of the offer on `day`: its id (PAYMENT_DUE). */
export async function bookHours(
  gateway: string,
  token: string,
  offerId: string,
  hours: number,
  day: string,
): Promise<string> {
  const data = await ok<{ bookOffer: { id: string; paymentStatus: string } }>(
    gateway,
    `mutation($input: BookOfferInput!) { bookOffer(input: $input) { id paymentStatus } }`,
    {
      input: {
        offerId,
        serviceDate: await bookableDayFor(gateway, offerId, day),
        quantity: hours,
        note: null,
        idempotencyKey: `pay-${randomUUID()}`,
        contactEmail: TEST_CONTACT_EMAIL,
      },
    },
    token,
  );
  if (data.bookOffer.paymentStatus !== 'PAYMENT_DUE') {
    throw new Error(`booking ${data.bookOffer.id} is ${data.bookOffer.paymentStatus}`);
  }
  return data.bookOffer.id;
}

/**
 * The booking paid by its citizen with the default split (voucher credit first, the card for the
 * rest, paid on the fake's card page with Stripe's test card): the checkout once PAID.
 */
export async function payBooking(
  platform: TestPlatform,
  token: string,
  bookingId: string,
): Promise<PaidCheckout> {
  const gateway = platform.urls.gateway;
  const started = await ok<{ startCheckout: PaidCheckout }>(
    gateway,
    `mutation($input: StartCheckoutInput!) { startCheckout(input: $input) { ${CHECKOUT_FIELDS} } }`,
    { input: { checkoutId: randomUUID(), payableRef: `offer-booking:${bookingId}` } },
    token,
  );
  const checkout = started.startCheckout;
  if (checkout.status === 'AWAITING_CARD') {
    const session = /\/pay\/(cs_test_\w+)/.exec(checkout.cardUrl ?? '')?.[1];
    if (!session) throw new Error(`no card page in ${checkout.cardUrl}`);
    const paid = await fetch(`${platform.urls.stripe}/__fake/checkout/sessions/${session}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ card: '4242424242424242' }),
    });
    if (paid.status !== 200) throw new Error(`card page answered ${paid.status}`);
  }
  return until('checkout paid', async () => {
    const data = await ok<{ refreshCheckout: PaidCheckout }>(
      gateway,
      `mutation($id: ID!) { refreshCheckout(id: $id) { ${CHECKOUT_FIELDS} } }`,
      { id: checkout.id },
      token,
    );
    const now = data.refreshCheckout;
    if (now.status === 'FAILED') throw new Error(`checkout failed: ${now.failureReason}`);
    return now.status === 'PAID' ? now : undefined;
  });
}

/** A citizen's session through the test SPID provider (re-exported for the payments tests). */
export { citizenToken };
