// Issue 16, spending in the portal: Mario (the demo SPID citizen), made an employee with welfare
// plan credit by this test's seed (the plan covers childcare), sees "Coperto dal mio piano welfare"
// on the catalogue and on the offer's page (not on an offer the plan does not cover), books a
// covered offer and pays it with his plan credit alone; then a split asking more of the plan than
// its credit is a field error that holds nothing, and he pays with plan credit, his voucher credit
// (the demo campaign's, DEMO_CITIZEN_CARD) and a card on the fake Stripe's page. Every page is
// checked with axe. Its own platform: it spends the credit it seeds.
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offerTitled } from '../support/checkout.js';
import { planCredit, seedPlanCredit, type SeededPlan } from '../support/corporate.js';
import { DEMO_CAMPAIGN_TITLE, DEMO_CITIZEN, DEMO_PASSWORD, staffEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { bookProblems } from '../support/money.js';
import type { TestPlatform } from '../support/platform.js';
import { openPortal, type Portal } from '../support/portal.js';

const MARIO = DEMO_CITIZEN.fiscalCode;
/** "Baby sitting a domicilio" of La Esse: 10 € an hour, CHILDCARE (covered by the plan). */
const COVERED = 'Baby sitting a domicilio';
/** "Lezioni di matematica individuali": EDUCATION (not covered by the plan). */
const NOT_COVERED = 'Lezioni di matematica individuali';
const PLAN_NAME = 'Piano welfare Officine Rossi (prova)';
/** Mario's plan credit: 20 €. */
const CREDIT = 2_000;

/** A day `days` from today in Rome, as `yyyy-mm-dd`. */
function romeDayFromToday(days: number): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

describe('paying a booking in the portal with welfare plan credit', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let web: string;
  let gateway: string;
  let mario: Page;
  let token = '';
  let covered = '';
  let notCovered = '';
  let plan: SeededPlan;

  const expectAccessible = (page: Page) => portal.expectAccessible(page);
  const credit = () => planCredit(platform.databaseUrl, plan.planId, plan.employees[MARIO]!);

  async function expectBooksBalanced(): Promise<void> {
    const db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    try {
      expect(await bookProblems(db)).toEqual([]);
    } finally {
      await db.end();
    }
  }

  /** Books `hours` of the covered offer on a day in the form, answers the booking's id. */
  async function bookInTheForm(day: string, hours: number): Promise<string> {
    await mario.goto(`${web}/servizi/${covered}/prenota`);
    await mario.getByLabel('Giorno del servizio').fill(day);
    await mario.getByLabel('Numero di ore').fill(String(hours));
    await mario.getByRole('button', { name: 'Invia la prenotazione' }).click();
    await mario.waitForURL(new RegExp(`^${web}/prenotazioni/servizi\\?prenotata=`));
    return new URL(mario.url()).searchParams.get('prenotata')!;
  }

  /** The checkout page of a booking, from the bookings list. */
  async function openCheckout(bookingId: string): Promise<void> {
    await mario.goto(`${web}/prenotazioni/servizi`);
    await mario.locator(`a[href="/prenotazioni/servizi/${bookingId}/pagamento"]`).click();
    await mario.waitForURL(`${web}/prenotazioni/servizi/${bookingId}/pagamento`);
  }

  beforeAll(async () => {
    // Mario's voucher card in the demo campaign too, as under `npm start`.
    portal = await openPortal({ subgraphEnv: { 'public-welfare': { DEMO_CITIZEN_CARD: 'true' } } });
    ({ platform, web } = portal);
    gateway = platform.urls.gateway;
    const admin = await login(gateway, staffEmail('laEsse', 'ADMIN'), DEMO_PASSWORD);
    covered = await offerTitled(gateway, admin.token, COVERED);
    notCovered = await offerTitled(gateway, admin.token, NOT_COVERED);
    // Mario is an employee of an employer whose ACTIVE plan covers childcare, with 20 € of credit.
    // It ends in a month, before the demo campaign's spending: the checkout proposes it first.
    plan = await seedPlanCredit(platform.databaseUrl, {
      name: PLAN_NAME,
      coveredCategories: ['CHILDCARE'],
      fiscalCodes: [MARIO],
      creditCents: CREDIT,
      validUntil: romeDayFromToday(30),
    });
    ({ page: mario, token } = await portal.citizenPage(MARIO));
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('shows the badge on the covered offers of the catalogue and on the offer’s page', async () => {
    await mario.goto(`${web}/servizi?q=${encodeURIComponent(COVERED)}`);
    const card = mario
      .getByTestId('catalogue-offer')
      .filter({ has: mario.locator(`a[href="/servizi/${covered}"]`) });
    await expect(card.getByTestId('catalogue-offer-my-plan').textContent()).resolves.toBe(
      'Coperto dal mio piano welfare',
    );
    await expectAccessible(mario);
    await mario.goto(`${web}/servizi?q=${encodeURIComponent(NOT_COVERED)}`);
    const other = mario
      .getByTestId('catalogue-offer')
      .filter({ has: mario.locator(`a[href="/servizi/${notCovered}"]`) });
    await other.waitFor();
    await expect(other.getByTestId('catalogue-offer-my-plan').count()).resolves.toBe(0);

    await mario.goto(`${web}/servizi/${covered}`);
    await expect(mario.getByTestId('offer-my-plan').textContent()).resolves.toContain(
      `Coperto dal mio piano welfare: ${PLAN_NAME}`,
    );
    await expectAccessible(mario);
    await mario.goto(`${web}/servizi/${notCovered}`);
    await mario.getByTestId('offer-detail').waitFor();
    await expect(mario.getByTestId('offer-my-plan').count()).resolves.toBe(0);

    // Anonymous visitors see no badge.
    const anonymous = await portal.page();
    await anonymous.goto(`${web}/servizi?q=${encodeURIComponent(COVERED)}`);
    await anonymous.getByTestId('catalogue-offer').first().waitFor();
    await expect(anonymous.getByTestId('catalogue-offer-my-plan').count()).resolves.toBe(0);
  });

  it('books a covered offer and pays it with plan credit alone', async () => {
    const bookingId = await bookInTheForm(romeDayFromToday(7), 1);
    await openCheckout(bookingId);
    const field = mario.getByLabel(`Da pagare con ${PLAN_NAME} (euro)`);
    await expect(field.inputValue()).resolves.toBe('10');
    await expect(mario.getByTestId('checkout-card-part').textContent()).resolves.toMatch(
      /carta: 0,00\s*€/,
    );
    await expectAccessible(mario);
    await mario.getByTestId('checkout-submit').click();
    await mario.waitForURL(/\/pagamenti\/[0-9a-f-]{36}$/);
    const receipt = mario.getByTestId('receipt');
    await expect(receipt.getAttribute('data-status')).resolves.toBe('PAID');
    const legs = mario.getByTestId('receipt-leg');
    await expect(legs.count()).resolves.toBe(1);
    await expect(legs.nth(0).getAttribute('data-kind')).resolves.toBe('FUND');
    await expect(legs.nth(0).textContent()).resolves.toMatch(
      new RegExp(`${PLAN_NAME.replace(/[()]/g, '\\$&')}[\\s\\S]*10,00\\s*€`),
    );
    await expectAccessible(mario);
    expect(await credit()).toBe(CREDIT - 1_000);
    const status = await gql<{ offerBooking: { paymentStatus: string } }>(
      gateway,
      `query($id: ID!) { offerBooking(id: $id) { paymentStatus } }`,
      { id: bookingId },
      { token },
    );
    expect(status.data?.offerBooking.paymentStatus).toBe('PAID');
    await expectBooksBalanced();
  });

  it('refuses a plan part over the credit, holding nothing; then pays with plan credit, voucher credit and a card', async () => {
    const bookingId = await bookInTheForm(romeDayFromToday(8), 3);
    await openCheckout(bookingId);
    const field = mario.getByLabel(`Da pagare con ${PLAN_NAME} (euro)`);
    // 10 € of plan credit left: the default split spends it first, then the voucher credit.
    const voucher = mario.getByLabel(`Da pagare con ${DEMO_CAMPAIGN_TITLE} (euro)`);
    await expect(field.inputValue()).resolves.toBe('10');
    await expect(voucher.inputValue()).resolves.toBe('20');
    const id = (await field.getAttribute('id'))!;
    await field.fill('25');
    await mario.getByTestId('checkout-submit').click();
    await mario.getByTestId('error-summary').waitFor();
    await expect(mario.locator(`#${id}`).getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(mario.locator(`#${id}-error`).textContent()).resolves.toContain(
      'supera quanto questo credito può pagare',
    );
    await expectAccessible(mario);
    // Nothing held, nothing started: the credit is whole and the booking still due.
    expect(await credit()).toBe(CREDIT - 1_000);
    const status = await gql<{ offerBooking: { paymentStatus: string } }>(
      gateway,
      `query($id: ID!) { offerBooking(id: $id) { paymentStatus } }`,
      { id: bookingId },
      { token },
    );
    expect(status.data?.offerBooking.paymentStatus).toBe('PAYMENT_DUE');
    await expectBooksBalanced();

    // Mario's split: 10 € of plan credit, 10 € of voucher credit, 10 € by card on Stripe's page.
    await field.fill('10');
    await voucher.fill('10');
    await expect(mario.getByTestId('checkout-card-part').textContent()).resolves.toMatch(
      /carta: 10,00\s*€/,
    );
    await mario.getByTestId('checkout-submit').click();
    await mario.waitForURL(/\/pagamenti\/[0-9a-f-]{36}$/);
    await expect(mario.getByTestId('receipt').getAttribute('data-status')).resolves.toBe(
      'AWAITING_CARD',
    );
    expect(await credit()).toBe(0); // held
    await expectAccessible(mario);
    await mario.getByTestId('receipt-go-card').click();
    await mario.waitForURL(new RegExp(`^${platform.urls.stripe!}/pay/cs_test_`));
    await mario.getByLabel(/Numero della carta/).fill('4242 4242 4242 4242');
    await mario.getByLabel(/Scadenza/).fill('12/34');
    await mario.getByLabel('CVC').fill('123');
    await mario.getByRole('button', { name: /Paga/ }).click();
    await mario.waitForURL(/\/pagamenti\/[0-9a-f-]{36}$/);
    const receipt = mario.getByTestId('receipt');
    for (let i = 0; (await receipt.getAttribute('data-status')) !== 'PAID'; i++) {
      expect(i, 'the checkout is PAID within 15 s').toBeLessThan(30);
      await new Promise((r) => setTimeout(r, 500));
      await mario.reload();
    }
    const legs = mario.getByTestId('receipt-leg');
    await expect(legs.count()).resolves.toBe(3);
    const kinds = await legs.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
    expect(kinds).toEqual(['FUND', 'FUND', 'CARD']);
    await expect(mario.getByTestId('receipt-total').textContent()).resolves.toMatch(/30,00\s*€/);
    await expectAccessible(mario);
    expect(await credit()).toBe(0);
    await expectBooksBalanced();
  });
});
