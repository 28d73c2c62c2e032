// Issue 15, the citizen's side of the portal: Mario books a paid offer covered by the open demo
// campaign, pays part of it with his voucher credit and the rest by card on the fake Stripe's
// page, comes back to the receipt with both parts, then cancels with a full refund. A bad split
// is a field error that holds nothing; giving up on the card page undoes the checkout and the
// booking can be paid again. Every page of the portal is checked with axe.
// Its own platform: it spends and refunds Mario's credit in the demo campaign, which the demo
// data gives him as under `npm start` (DEMO_CITIZEN_CARD). The demo also makes Mario an employee
// of Officine Rossi with credit of its welfare plan, which the default split spends first: this
// test chooses the split itself (the plan's part 0) to pay with voucher credit and a card.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CAMPAIGN_ID,
  DEMO_CAMPAIGN_TITLE,
  DEMO_CITIZEN,
  DEMO_COMUNE_ID,
  DEMO_ORG,
  DEMO_PASSWORD,
  staffEmail,
} from '../support/demo.js';
import {
  TEST_CONTACT_EMAIL,
  bookableDayFor,
  chooseDay,
  fillContact,
  offsetOf,
} from '../support/booking-days.js';
import { gql, login } from '../support/graphql.js';
import type { TestPlatform } from '../support/platform.js';
import { openPortal, type Portal } from '../support/portal.js';

const MARIO = DEMO_CITIZEN.fiscalCode;
/** "Baby sitting a domicilio" of La Esse: 10 € an hour, CHILDCARE (covered by the campaign). */
const OFFER = 'Baby sitting a domicilio';
const HOURS = 3;
const PRICE = 3_000;
/** Mario's split: 20 € of voucher credit, the card the rest. */
const VOUCHER = 2_000;
/** The demo's welfare plan of Officine Rossi for this year (Rome), in which Mario has credit. */
const DEMO_PLAN = `Piano welfare ${new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric' }).format(new Date())}`;

/** A day `days` from today in Rome, as `yyyy-mm-dd`. */
function romeDayFromToday(days: number): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

describe('paying a booking in the portal: voucher credit and a card', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let gateway: string;
  let web: string;
  let stripe: string;
  let offerId = '';
  let mario: Page;
  let token = '';
  /** Mario's credit in the demo campaign once approved and topped up. */
  let entitlement = 0;

  const expectAccessible = (page: Page) => portal.expectAccessible(page);

  async function api<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const answer = await gql<T>(gateway, query, variables, { token });
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data!;
  }

  /** What the checkout offers for a booking: its state and Mario's voucher balance. */
  async function optionsOf(bookingId: string) {
    const data = await api<{
      checkoutOptions: { state: string; funds: { fundId: string; balanceCents: number }[] };
    }>(
      `query($r: String!) { checkoutOptions(payableRef: $r) { state funds { fundId balanceCents } } }`,
      {
        r: `offer-booking:${bookingId}`,
      },
    );
    const fund = data.checkoutOptions.funds.find((f) => f.fundId === DEMO_CAMPAIGN_ID);
    return { state: data.checkoutOptions.state, balance: fund?.balanceCents ?? NaN };
  }

  async function paymentStatusOf(
    bookingId: string,
  ): Promise<{ paymentStatus: string; status: string }> {
    const data = await api<{ offerBooking: { paymentStatus: string; status: string } }>(
      `query($id: ID!) { offerBooking(id: $id) { paymentStatus status } }`,
      { id: bookingId },
    );
    return data.offerBooking;
  }

  async function myCheckoutCount(): Promise<number> {
    return (await api<{ myCheckouts: { id: string }[] }>(`{ myCheckouts { id } }`, {})).myCheckouts
      .length;
  }

  beforeAll(async () => {
    // Its own platform (it spends and refunds Mario's credit), with the demo citizen's card.
    portal = await openPortal({ subgraphEnv: { 'public-welfare': { DEMO_CITIZEN_CARD: 'true' } } });
    ({ platform, web } = portal);
    gateway = platform.urls.gateway;
    stripe = platform.urls.stripe!;

    // The demo provider takes card payments from the start (payments' demo data, on the fake).
    const admin = await login(gateway, staffEmail('laEsse', 'ADMIN'), DEMO_PASSWORD);
    const account = await gql<{ paymentAccount: { chargesEnabled: boolean } | null }>(
      gateway,
      `query($o: ID!) { paymentAccount(organisationId: $o) { chargesEnabled } }`,
      { o: DEMO_ORG.laEsse },
      { token: admin.token },
    );
    expect(account.data?.paymentAccount?.chargesEnabled, JSON.stringify(account)).toBe(true);
    const found = await gql<{ catalogue: { items: { id: string; title: string }[] } }>(
      gateway,
      `query($c: ID!) { catalogue(input: { comuneId: $c, text: "${OFFER}", pageSize: 5 }) { items { id title } } }`,
      { c: DEMO_COMUNE_ID },
    );
    offerId = found.data!.catalogue.items.find((i) => i.title === OFFER)!.id;

    // The demo as `npm start` has it: Mario's card in the open demo campaign, with its credit.
    ({ page: mario, token } = await portal.citizenPage(MARIO));
    const balances = await api<{ myCardBalance: { campaignId: string; availableCents: number }[] }>(
      `{ myCardBalance { campaignId availableCents } }`,
      {},
    );
    entitlement =
      balances.myCardBalance.find((b) => b.campaignId === DEMO_CAMPAIGN_ID)?.availableCents ?? 0;
    expect(entitlement).toBe(35_000);
  });

  afterAll(async () => {
    await portal?.close();
  });

  /** The row of a booking in Mario's list, by its id (its Paga link or its data). */
  const payLink = (bookingId: string) =>
    mario.locator(`a[href="/prenotazioni/servizi/${bookingId}/pagamento"]`);

  /** Books `OFFER` for HOURS on a day in the form, answers the booking's id. */
  async function bookInTheForm(day: string): Promise<string> {
    await mario.goto(`${web}/servizi/${offerId}/prenota`);
    await chooseDay(mario, offsetOf(day));
    await mario.getByLabel('Numero di ore').fill(String(HOURS));
    // The form tells the truth: paid online after booking, not at the provider.
    const amount = (await mario.getByTestId('booking-amount').textContent()) ?? '';
    expect(amount).toMatch(/30,00\s*€/);
    expect(amount).toContain('paghi online entro 30 minuti');
    expect(amount).not.toContain("presso l'ente");
    await expectAccessible(mario);
    await fillContact(mario);
    await mario.getByRole('button', { name: 'Invia la prenotazione' }).click();
    await mario.waitForURL(new RegExp(`^${web}/prenotazioni/servizi\\?prenotata=`));
    return new URL(mario.url()).searchParams.get('prenotata')!;
  }

  /** The checkout's field of Mario's voucher credit and that of his welfare plan credit. */
  const voucherField = () => mario.getByLabel(`Da pagare con ${DEMO_CAMPAIGN_TITLE} (euro)`);
  const planField = () => mario.getByLabel(`Da pagare con ${DEMO_PLAN} (euro)`);

  /**
   * From the bookings list, the checkout page of a booking, with Mario's split typed in: nothing
   * of his plan credit, `voucher` euro of his voucher credit.
   */
  async function openCheckout(bookingId: string, voucher: string): Promise<void> {
    await mario.goto(`${web}/prenotazioni/servizi`);
    await payLink(bookingId).click();
    await mario.waitForURL(`${web}/prenotazioni/servizi/${bookingId}/pagamento`);
    await planField().fill('0');
    await voucherField().fill(voucher);
  }

  /**
   * After "Paga" with a card part: the payment's page (funds held, waiting for the card), whose
   * button opens the fake Stripe's card page.
   */
  async function goToCardPage(): Promise<void> {
    await mario.waitForURL(/\/pagamenti\/[0-9a-f-]{36}$/);
    await expect(mario.getByTestId('receipt').getAttribute('data-status')).resolves.toBe(
      'AWAITING_CARD',
    );
    await expectAccessible(mario);
    await mario.getByTestId('receipt-go-card').click();
    await mario.waitForURL(new RegExp(`^${stripe}/pay/cs_test_`));
  }

  it('pays with voucher credit and a card, sees the receipt, then cancels with a full refund', async () => {
    const bookingId = await bookInTheForm(romeDayFromToday(7));
    const row = mario.getByTestId('booking-row').filter({ has: payLink(bookingId) });
    await expect(row.getByTestId('booking-payment').textContent()).resolves.toMatch(
      /^Da pagare entro il \d{1,2} \w+ \d{4}/,
    );
    await expectAccessible(mario);

    // The checkout page: the amount, the credits that can pay (all of it by default: the plan
    // credit first, restricted and ending on 31 December, so none of the voucher credit), the card.
    await payLink(bookingId).click();
    await mario.waitForURL(`${web}/prenotazioni/servizi/${bookingId}/pagamento`);
    await expect(mario.getByTestId('checkout-amount').textContent()).resolves.toMatch(/30,00\s*€/);
    const field = voucherField();
    await expect(planField().inputValue()).resolves.toBe('30');
    await expect(field.inputValue()).resolves.toBe('0');
    await expect(mario.getByTestId('checkout-card-part').textContent()).resolves.toMatch(
      /carta: 0,00\s*€/,
    );
    await expectAccessible(mario);
    // Mario pays with his voucher credit instead: all of it from the voucher credit covers the price.
    await planField().fill('0');
    await field.fill('30');
    await expect(mario.getByTestId('checkout-card-part').textContent()).resolves.toMatch(
      /carta: 0,00\s*€/,
    );

    // A bad split: a field error, and nothing is held or started.
    const id = (await field.getAttribute('id'))!;
    await field.fill('venti');
    await mario.getByTestId('checkout-submit').click();
    await mario.getByTestId('error-summary').waitFor();
    await expect(mario.locator(`#${id}`).getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(mario.locator(`#${id}-error`).textContent()).resolves.toContain(
      'Indica un importo in euro',
    );
    await expectAccessible(mario);
    // More than the price: refused too.
    await mario.locator(`#${id}`).fill('31');
    await mario.getByTestId('checkout-submit').click();
    await mario.locator(`#${id}-error`).waitFor();
    expect(await optionsOf(bookingId)).toEqual({ state: 'DUE', balance: entitlement });
    expect(await myCheckoutCount()).toBe(0);
    expect(await paymentStatusOf(bookingId)).toMatchObject({ paymentStatus: 'PAYMENT_DUE' });

    // Mario's split: 20 € of voucher credit, none of the plan's, 10 € by card on the (fake) Stripe page.
    await expect(planField().inputValue()).resolves.toBe('0');
    await mario.locator(`#${id}`).fill('20');
    await expect(mario.getByTestId('checkout-card-part').textContent()).resolves.toMatch(
      /carta: 10,00\s*€/,
    );
    await mario.getByTestId('checkout-submit').click();
    await goToCardPage();
    // The credit is held meanwhile.
    expect((await optionsOf(bookingId)).balance).toBe(entitlement - VOUCHER);
    await mario.getByLabel(/Numero della carta/).fill('4242 4242 4242 4242');
    await mario.getByLabel(/Scadenza/).fill('12/34');
    await mario.getByLabel('CVC').fill('123');
    await mario.getByRole('button', { name: /Paga/ }).click();
    // Back in the portal: the card return page takes the checkout on and shows the receipt.
    await mario.waitForURL(/\/pagamenti\/[0-9a-f-]{36}$/);
    const checkoutId = mario.url().split('/').at(-1)!;
    const receipt = mario.getByTestId('receipt');
    for (let i = 0; (await receipt.getAttribute('data-status')) !== 'PAID'; i++) {
      expect(i, 'the checkout is PAID within 15 s').toBeLessThan(30);
      await new Promise((r) => setTimeout(r, 500));
      await mario.reload();
    }
    const legs = mario.getByTestId('receipt-leg');
    await expect(legs.count()).resolves.toBe(2);
    await expect(legs.nth(0).getAttribute('data-kind')).resolves.toBe('FUND');
    await expect(legs.nth(0).getAttribute('data-status')).resolves.toBe('CAPTURED');
    await expect(legs.nth(0).textContent()).resolves.toMatch(
      new RegExp(`${DEMO_CAMPAIGN_TITLE}[\\s\\S]*20,00\\s*€[\\s\\S]*Addebitato`),
    );
    await expect(legs.nth(1).getAttribute('data-kind')).resolves.toBe('CARD');
    await expect(legs.nth(1).textContent()).resolves.toMatch(/10,00\s*€[\s\S]*Addebitato/);
    await expect(mario.getByTestId('receipt-total').textContent()).resolves.toMatch(/30,00\s*€/);
    await expectAccessible(mario);
    expect(await paymentStatusOf(bookingId)).toMatchObject({ paymentStatus: 'PAID' });
    expect((await optionsOf(bookingId)).state).toBe('PAID');

    // The list of payments, linked from the navigation.
    await mario.getByTestId('nav-pagamenti').click();
    await mario.waitForURL(`${web}/pagamenti`);
    const listed = mario.locator(`[data-testid="payments-row"][data-id="${checkoutId}"]`);
    await expect(listed.getAttribute('data-status')).resolves.toBe('PAID');
    await expect(listed.textContent()).resolves.toMatch(/30,00\s*€/);
    await expectAccessible(mario);

    // Annulla e rimborsa, after a confirmation: both parts given back, the booking cancelled.
    await listed.getByRole('link').click();
    await mario.waitForURL(`${web}/pagamenti/${checkoutId}`);
    await mario.getByTestId('refund-start').click();
    await mario.getByTestId('refund-confirm').waitFor();
    await expect(mario.getByTestId('refund-confirm').textContent()).resolves.toMatch(
      /restituiti 30,00\s*€/,
    );
    await expectAccessible(mario);
    await mario.getByTestId('refund-confirm-submit').click();
    await mario.waitForURL(`${web}/pagamenti/${checkoutId}?esito=rimborsato`);
    await mario.getByTestId('receipt-refunded').waitFor();
    await expect(legs.nth(0).getAttribute('data-refunded')).resolves.toBe(String(VOUCHER));
    await expect(legs.nth(1).getAttribute('data-refunded')).resolves.toBe(String(PRICE - VOUCHER));
    await expect(mario.getByTestId('refund-start').count()).resolves.toBe(0);
    await expectAccessible(mario);
    expect(await paymentStatusOf(bookingId)).toEqual({
      paymentStatus: 'REFUNDED',
      status: 'CANCELLED',
    });
    const refunds = (await (await fetch(`${stripe}/__fake/objects/refunds`)).json()) as {
      data: { amount: number }[];
    };
    expect(refunds.data.map((r) => r.amount)).toEqual([PRICE - VOUCHER]);

    await mario.goto(`${web}/prenotazioni/servizi`);
    const cancelled = mario.getByTestId('booking-row').filter({ hasText: 'Rimborsato' });
    await expect(cancelled.getAttribute('data-status')).resolves.toBe('CANCELLED');
    await expectAccessible(mario);
  });

  it('giving up on the card page undoes the checkout: the credit is back and the booking payable again', async () => {
    const booked = await api<{ bookOffer: { id: string } }>(
      `mutation($input: BookOfferInput!) { bookOffer(input: $input) { id } }`,
      {
        input: {
          offerId,
          serviceDate: await bookableDayFor(gateway, offerId, romeDayFromToday(8)),
          quantity: HOURS,
          note: null,
          idempotencyKey: `checkout-e2e-${randomUUID()}`,
          contactEmail: TEST_CONTACT_EMAIL,
        },
      },
    );
    const bookingId = booked.bookOffer.id;
    await openCheckout(bookingId, '20');
    await mario.getByTestId('checkout-submit').click();
    await goToCardPage();
    expect((await optionsOf(bookingId)).balance).toBe(entitlement - VOUCHER);
    expect(await paymentStatusOf(bookingId)).toMatchObject({
      paymentStatus: 'PAYMENT_IN_PROGRESS',
    });

    // The card page's cancel link: back in the portal, which offers to give up (or go back).
    await mario.getByRole('link', { name: /Annulla e torna indietro/ }).click();
    await mario.waitForURL(/\/pagamento\/carta\/[0-9a-f-]{36}\?esito=annullato$/);
    await mario.getByTestId('card-return').waitFor();
    await expect(mario.getByTestId('card-return-back').getAttribute('href')).resolves.toMatch(
      new RegExp(`^${stripe}/pay/cs_test_`),
    );
    await expectAccessible(mario);
    await mario.getByTestId('card-return-cancel').click();
    await mario.waitForURL(/\/pagamenti\/[0-9a-f-]{36}$/);
    await expect(mario.getByTestId('receipt').getAttribute('data-status')).resolves.toBe('FAILED');
    await expect(mario.getByTestId('receipt-failure-reason').textContent()).resolves.toContain(
      'Hai rinunciato al pagamento',
    );
    await expectAccessible(mario);

    expect(await optionsOf(bookingId)).toEqual({ state: 'DUE', balance: entitlement });
    expect(await paymentStatusOf(bookingId)).toMatchObject({ paymentStatus: 'PAYMENT_DUE' });
    await mario.goto(`${web}/prenotazioni/servizi`);
    await expect(payLink(bookingId).count()).resolves.toBe(1);
    await expectAccessible(mario);
  });

  it('an answer that does not come in time is shown as unknown; the retry pays with the same checkout', async () => {
    const booked = await api<{ bookOffer: { id: string } }>(
      `mutation($input: BookOfferInput!) { bookOffer(input: $input) { id } }`,
      {
        input: {
          offerId,
          serviceDate: await bookableDayFor(gateway, offerId, romeDayFromToday(9)),
          quantity: HOURS,
          note: null,
          idempotencyKey: `checkout-e2e-${randomUUID()}`,
          contactEmail: TEST_CONTACT_EMAIL,
        },
      },
    );
    const bookingId = booked.bookOffer.id;
    const before = await myCheckoutCount();
    await openCheckout(bookingId, '20');
    const checkoutId = await mario.locator('input[name="checkoutId"]').inputValue();
    // Stripe answers the card session after 5 s: past the gateway's 3 s for the subgraph call.
    const delayed = await fetch(`${stripe}/__fake/delay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ms: 5_000, count: 1 }),
    });
    expect(delayed.status).toBe(200);
    await mario.getByTestId('checkout-submit').click();
    await mario.getByTestId('checkout-unknown').waitFor();
    await expect(
      mario.getByTestId('checkout-unknown').locator('input[name="checkoutId"]').inputValue(),
    ).resolves.toBe(checkoutId);
    await expectAccessible(mario);
    // The retry sends the same checkout id: one checkout, which goes on to the card page.
    await mario.getByRole('button', { name: 'Riprova lo stesso pagamento' }).click();
    await mario.waitForURL(`${web}/pagamenti/${checkoutId}`);
    const receipt = mario.getByTestId('receipt');
    for (let i = 0; (await receipt.getAttribute('data-status')) !== 'AWAITING_CARD'; i++) {
      expect(i, 'the checkout waits for the card within 40 s').toBeLessThan(40);
      await new Promise((r) => setTimeout(r, 1_000));
      await mario.reload();
    }
    expect(await myCheckoutCount()).toBe(before + 1);
    expect((await optionsOf(bookingId)).balance).toBe(entitlement - VOUCHER);
    await expectAccessible(mario);
    // Giving up from the payment's page undoes it too.
    await mario.getByTestId('receipt-cancel').click();
    await mario.waitForURL(`${web}/pagamenti/${checkoutId}`);
    await expect(receipt.getAttribute('data-status')).resolves.toBe('FAILED');
    expect(await optionsOf(bookingId)).toEqual({ state: 'DUE', balance: entitlement });
  });
});
