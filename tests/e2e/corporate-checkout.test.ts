// Issue 16, spending in the portal: Giulia (a demo SPID citizen), made an employee with welfare
// plan credit by this test's seed (the plan covers childcare), sees "Coperto dal mio piano welfare"
// on the catalogue and on the offer's page (not on an offer the plan does not cover), books a
// covered offer and pays it with her plan credit alone. Mario (the demo's employee of Officine
// Rossi, with the credit of its demo plan "Piano welfare <year>", which covers every category of
// the demo offers) is enrolled in the seeded plan too: a split asking more of the seeded plan than
// its credit is a field error that holds nothing, and he pays with the seeded plan's credit, his
// voucher credit (the demo campaign's, DEMO_CITIZEN_CARD) and a card on the fake Stripe's page,
// none of the demo plan's. Every page is checked with axe. Its own platform: it spends the credit
// it seeds.
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseDay, fillContact, offsetOf } from '../support/booking-days.js';
import { offerTitled } from '../support/checkout.js';
import { planCredit, seedPlanCredit, type SeededPlan } from '../support/corporate.js';
import {
  DEMO_CAMPAIGN_TITLE,
  DEMO_CITIZEN,
  DEMO_PASSWORD,
  demoCitizen,
  staffEmail,
} from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { bookProblems } from '../support/money.js';
import type { TestPlatform } from '../support/platform.js';
import { openPortal, type Portal } from '../support/portal.js';

const MARIO = DEMO_CITIZEN.fiscalCode;
/** Giulia Bianchi: no employee of the demo employer, so the seeded plan is her only one. */
const GIULIA = demoCitizen('Giulia').fiscalCode;
/** "Baby sitting a domicilio" of La Esse: 10 € an hour, CHILDCARE (covered by the plan). */
const COVERED = 'Baby sitting a domicilio';
/** "Lezioni di matematica individuali": EDUCATION (not covered by the plan). */
const NOT_COVERED = 'Lezioni di matematica individuali';
const PLAN_NAME = 'Piano welfare Officine Rossi (prova)';
/** Each employee's credit in the seeded plan: 20 €. */
const CREDIT = 2_000;
/** The demo's plan of Officine Rossi for this year (Rome), in which Mario has credit too. */
const DEMO_PLAN = `Piano welfare ${new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric' }).format(new Date())}`;

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
  let giulia: Page;
  let token = '';
  let giuliaToken = '';
  let covered = '';
  let notCovered = '';
  let plan: SeededPlan;

  const expectAccessible = (page: Page) => portal.expectAccessible(page);
  /** What `fiscalCode` can spend now of the seeded plan's credit. */
  const credit = (fiscalCode: string) =>
    planCredit(platform.databaseUrl, plan.planId, plan.employees[fiscalCode]!);

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
  async function bookInTheForm(citizen: Page, day: string, hours: number): Promise<string> {
    await citizen.goto(`${web}/servizi/${covered}/prenota`);
    await chooseDay(citizen, offsetOf(day));
    await citizen.getByLabel('Numero di ore').fill(String(hours));
    await fillContact(citizen);
    await citizen.getByRole('button', { name: 'Invia la prenotazione' }).click();
    await citizen.waitForURL(new RegExp(`^${web}/prenotazioni/servizi\\?prenotata=`));
    return new URL(citizen.url()).searchParams.get('prenotata')!;
  }

  /** The checkout page of a booking, from the bookings list. */
  async function openCheckout(citizen: Page, bookingId: string): Promise<void> {
    await citizen.goto(`${web}/prenotazioni/servizi`);
    await citizen.locator(`a[href="/prenotazioni/servizi/${bookingId}/pagamento"]`).click();
    await citizen.waitForURL(`${web}/prenotazioni/servizi/${bookingId}/pagamento`);
  }

  beforeAll(async () => {
    // Mario's voucher card in the demo campaign too, as under `npm start`.
    portal = await openPortal({ subgraphEnv: { 'public-welfare': { DEMO_CITIZEN_CARD: 'true' } } });
    ({ platform, web } = portal);
    gateway = platform.urls.gateway;
    const admin = await login(gateway, staffEmail('laEsse', 'ADMIN'), DEMO_PASSWORD);
    covered = await offerTitled(gateway, admin.token, COVERED);
    notCovered = await offerTitled(gateway, admin.token, NOT_COVERED);
    // Giulia and Mario are employees of an employer whose ACTIVE plan covers childcare, with 20 €
    // of credit each.
    plan = await seedPlanCredit(platform.databaseUrl, {
      name: PLAN_NAME,
      coveredCategories: ['CHILDCARE'],
      fiscalCodes: [GIULIA, MARIO],
      creditCents: CREDIT,
      validUntil: romeDayFromToday(30),
    });
    ({ page: giulia, token: giuliaToken } = await portal.citizenPage(GIULIA));
    ({ page: mario, token } = await portal.citizenPage(MARIO));
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('shows the badge on the covered offers of the catalogue and on the offer’s page', async () => {
    await giulia.goto(`${web}/servizi?q=${encodeURIComponent(COVERED)}`);
    const card = giulia
      .getByTestId('catalogue-offer')
      .filter({ has: giulia.locator(`a[href="/servizi/${covered}"]`) });
    await expect(card.getByTestId('catalogue-offer-my-plan').textContent()).resolves.toBe(
      'Coperto dal mio piano welfare',
    );
    await expectAccessible(giulia);
    await giulia.goto(`${web}/servizi?q=${encodeURIComponent(NOT_COVERED)}`);
    const other = giulia
      .getByTestId('catalogue-offer')
      .filter({ has: giulia.locator(`a[href="/servizi/${notCovered}"]`) });
    await other.waitFor();
    await expect(other.getByTestId('catalogue-offer-my-plan').count()).resolves.toBe(0);

    await giulia.goto(`${web}/servizi/${covered}`);
    await expect(giulia.getByTestId('offer-my-plan').textContent()).resolves.toContain(
      `Coperto dal mio piano welfare: ${PLAN_NAME}`,
    );
    await expectAccessible(giulia);
    await giulia.goto(`${web}/servizi/${notCovered}`);
    await giulia.getByTestId('offer-detail').waitFor();
    await expect(giulia.getByTestId('offer-my-plan').count()).resolves.toBe(0);

    // Anonymous visitors see no badge.
    const anonymous = await portal.page();
    await anonymous.goto(`${web}/servizi?q=${encodeURIComponent(COVERED)}`);
    await anonymous.getByTestId('catalogue-offer').first().waitFor();
    await expect(anonymous.getByTestId('catalogue-offer-my-plan').count()).resolves.toBe(0);
  });

  it('books a covered offer and pays it with plan credit alone', async () => {
    const bookingId = await bookInTheForm(giulia, romeDayFromToday(7), 1);
    await openCheckout(giulia, bookingId);
    const field = giulia.getByLabel(`Da pagare con ${PLAN_NAME} (euro)`);
    await expect(field.inputValue()).resolves.toBe('10');
    await expect(giulia.getByTestId('checkout-card-part').textContent()).resolves.toMatch(
      /carta: 0,00\s*€/,
    );
    await expectAccessible(giulia);
    await giulia.getByTestId('checkout-submit').click();
    await giulia.waitForURL(/\/pagamenti\/[0-9a-f-]{36}$/);
    const receipt = giulia.getByTestId('receipt');
    await expect(receipt.getAttribute('data-status')).resolves.toBe('PAID');
    const legs = giulia.getByTestId('receipt-leg');
    await expect(legs.count()).resolves.toBe(1);
    await expect(legs.nth(0).getAttribute('data-kind')).resolves.toBe('FUND');
    await expect(legs.nth(0).textContent()).resolves.toMatch(
      new RegExp(`${PLAN_NAME.replace(/[()]/g, '\\$&')}[\\s\\S]*10,00\\s*€`),
    );
    await expectAccessible(giulia);
    expect(await credit(GIULIA)).toBe(CREDIT - 1_000);
    const status = await gql<{ offerBooking: { paymentStatus: string } }>(
      gateway,
      `query($id: ID!) { offerBooking(id: $id) { paymentStatus } }`,
      { id: bookingId },
      { token: giuliaToken },
    );
    expect(status.data?.offerBooking.paymentStatus).toBe('PAID');
    await expectBooksBalanced();
  });

  it('refuses a plan part over the credit, holding nothing; then pays with plan credit, voucher credit and a card', async () => {
    const bookingId = await bookInTheForm(mario, romeDayFromToday(8), 3);
    await openCheckout(mario, bookingId);
    // Three credits can pay: the seeded plan's, the demo plan's and the voucher credit.
    const field = mario.getByLabel(`Da pagare con ${PLAN_NAME} (euro)`);
    const demoPlan = mario.getByLabel(`Da pagare con ${DEMO_PLAN} (euro)`);
    const voucher = mario.getByLabel(`Da pagare con ${DEMO_CAMPAIGN_TITLE} (euro)`);
    // By default his credit pays it all, nothing by card.
    await expect(mario.getByTestId('checkout-card-part').textContent()).resolves.toMatch(
      /carta: 0,00\s*€/,
    );
    const id = (await field.getAttribute('id'))!;
    await demoPlan.fill('0');
    await voucher.fill('0');
    await field.fill('25');
    await mario.getByTestId('checkout-submit').click();
    await mario.getByTestId('error-summary').waitFor();
    await expect(mario.locator(`#${id}`).getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(mario.locator(`#${id}-error`).textContent()).resolves.toContain(
      'supera quanto questo credito può pagare',
    );
    await expectAccessible(mario);
    // Nothing held, nothing started: the credit is whole and the booking still due.
    expect(await credit(MARIO)).toBe(CREDIT);
    const status = await gql<{ offerBooking: { paymentStatus: string } }>(
      gateway,
      `query($id: ID!) { offerBooking(id: $id) { paymentStatus } }`,
      { id: bookingId },
      { token },
    );
    expect(status.data?.offerBooking.paymentStatus).toBe('PAYMENT_DUE');
    await expectBooksBalanced();

    // Mario's split: 10 € of the seeded plan's credit, none of the demo plan's, 10 € of voucher
    // credit, 10 € by card on Stripe's page.
    await field.fill('10');
    await demoPlan.fill('0');
    await voucher.fill('10');
    await expect(mario.getByTestId('checkout-card-part').textContent()).resolves.toMatch(
      /carta: 10,00\s*€/,
    );
    await mario.getByTestId('checkout-submit').click();
    await mario.waitForURL(/\/pagamenti\/[0-9a-f-]{36}$/);
    await expect(mario.getByTestId('receipt').getAttribute('data-status')).resolves.toBe(
      'AWAITING_CARD',
    );
    expect(await credit(MARIO)).toBe(CREDIT - 1_000); // held
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
    // The funds' parts are the seeded plan's and the voucher credit's, none of the demo plan's.
    const funds = await legs.evaluateAll((rows) => rows.slice(0, 2).map((r) => r.textContent));
    expect(funds.some((text) => text?.includes(PLAN_NAME))).toBe(true);
    expect(funds.some((text) => text?.includes(DEMO_CAMPAIGN_TITLE))).toBe(true);
    expect(funds.join(' ')).not.toContain(DEMO_PLAN);
    await expect(mario.getByTestId('receipt-total').textContent()).resolves.toMatch(/30,00\s*€/);
    await expectAccessible(mario);
    expect(await credit(MARIO)).toBe(CREDIT - 1_000);
    await expectBooksBalanced();
  });
});
