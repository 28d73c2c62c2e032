// Issue 15, the provider's payments area in the portal: its ADMIN onboards on the (fake) Stripe's
// page and comes back to "pagamenti abilitati"; a booking paid with voucher credit and a card is
// listed with its parts and in the month's payouts; a partial refund with a bad amount shows field
// errors and changes nothing, a good one shows the refunded amount; another provider's admin
// cannot open the page; the platform admins' page lists the Stripe reconciliations. axe on every
// portal page.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, DEMO_PASSWORD, demoEmail, staffEmail } from '../support/demo.js';
import { login } from '../support/graphql.js';
import {
  BABY_SITTING,
  bookHours,
  catalogueOffer,
  citizenToken,
  payBooking,
  serviceDay,
  voucherHolders,
  type PaidCheckout,
} from '../support/payments.js';
import { openPortal, type Portal } from '../support/portal.js';

const LA_ESSE = DEMO_ORG.laEsse;
const AMICI = DEMO_ORG.amiciBalestrate;

describe("the provider's payments in the portal", () => {
  let portal: Portal;
  let web: string;
  let admin: Page;
  let paid: PaidCheckout;

  beforeAll(async () => {
    portal = await openPortal();
    web = portal.web;
  });
  afterAll(async () => {
    await portal?.close();
  });

  const payments = () => `${web}/ente/${LA_ESSE}/pagamenti`;
  const row = (page: Page, id: string) =>
    page.locator(`[data-testid="payment-row"][data-checkout="${id}"]`);

  it('the ADMIN onboards on Stripe’s page and comes back with payments enabled', async () => {
    // La Esse is onboarded by the demo data; the association of the demo starts without an account.
    const amici = await portal.staffPage(staffEmail('amiciBalestrate', 'ADMIN'));
    const amiciPayments = `${web}/ente/${AMICI}/pagamenti`;
    await amici.goto(`${web}/ente`);
    await amici.locator(`a[href="/ente/${AMICI}/pagamenti"]`).click();
    await amici.waitForURL(amiciPayments);
    const status = amici.getByTestId('payments-account-status');
    await expect(status.getAttribute('data-status')).resolves.toBe('NONE');
    await expect(amici.getByTestId('payments-none').isVisible()).resolves.toBe(true);
    await portal.expectAccessible(amici);

    // The button posts to the portal, which sends the admin on to Stripe's onboarding page (the
    // page came from the area's link: its policy must let the form end on Stripe).
    await amici.getByRole('button', { name: 'Attiva i pagamenti con Stripe' }).click();
    await amici.waitForURL(/\/connect\/onboarding\/[0-9a-f]{32}$/);
    await amici.getByRole('button', { name: /Completa l’attivazione/ }).click();
    await amici.waitForURL(`${amiciPayments}?onboarding=return`);
    await expect(amici.getByTestId('payments-onboarding-return').textContent()).resolves.toMatch(
      /pagamenti abilitati/i,
    );
    await expect(status.getAttribute('data-status')).resolves.toBe('ENABLED');
    await expect(status.textContent()).resolves.toMatch(/Pagamenti abilitati/);
    await portal.expectAccessible(amici);
    admin = await portal.staffPage(staffEmail('laEsse', 'ADMIN'));
  });

  it('a paid booking is listed with its parts, and counted in the payouts by source', async () => {
    // Set up through the API: a citizen with 20 € of voucher credit pays 3 hours (30 €).
    const { platform } = portal;
    const [card] = await voucherHolders(platform, { count: 1, creditCents: 2_000, first: 2800 });
    const token = await citizenToken(platform, card!.fiscalCode);
    const staff = (await login(platform.urls.gateway, staffEmail('laEsse', 'ADMIN'), DEMO_PASSWORD))
      .token;
    const offerId = await catalogueOffer(platform.urls.gateway, staff, BABY_SITTING);
    const bookingId = await bookHours(platform.urls.gateway, token, offerId, 3, serviceDay(12));
    paid = await payBooking(platform, token, bookingId);

    await admin.goto(payments());
    const line = row(admin, paid.id);
    await expect(line.getAttribute('data-status')).resolves.toBe('PAID');
    await expect(line.getByTestId('payment-amount').textContent()).resolves.toMatch(/30,00\s*€/);
    const parts = await line.getByTestId('payment-parts').textContent();
    expect(parts).toMatch(/Buoni spesa: 20,00\s*€/);
    expect(parts).toMatch(/Carta: 10,00\s*€/);
    await expect(line.getByTestId('payment-status').textContent()).resolves.toMatch(/Pagato/);
    await expect(line.getByTestId('payment-refunded').textContent()).resolves.toMatch(/0,00\s*€/);
    // The payer as the provider sees bookings: the codice fiscale of who booked.
    await expect(line.textContent()).resolves.toContain(card!.fiscalCode);
    const month = admin.getByTestId('payout-month').first();
    await expect(month.getByTestId('payout-voucher').textContent()).resolves.toMatch(/20,00\s*€/);
    await expect(month.getByTestId('payout-card').textContent()).resolves.toMatch(/10,00\s*€/);
    await expect(month.getByTestId('payout-total').textContent()).resolves.toMatch(/30,00\s*€/);
    await portal.expectAccessible(admin);
  });

  it('a refund with a bad amount shows field errors and changes nothing; a good one is shown', async () => {
    await admin.goto(payments());
    const refund = async (amount: string, reason: string, confirm: boolean) => {
      const line = row(admin, paid.id);
      if (
        !(await line
          .locator('details')
          .getAttribute('open')
          .then((v) => v !== null))
      ) {
        await line.getByTestId('payment-refund-open').click();
      }
      await line.getByLabel('Importo da rimborsare in euro').fill(amount);
      await line.getByLabel('Motivo del rimborso').fill(reason);
      // Bootstrap Italia draws the box on the label, which takes the click.
      const box = line.getByLabel(/Confermo il rimborso/);
      if ((await box.isChecked()) !== confirm) {
        await line.locator(`label[for="refund-confirm-${paid.id}"]`).click();
      }
      expect(await box.isChecked()).toBe(confirm);
      await line.getByTestId('payment-refund-submit').click();
      await admin.waitForLoadState('load');
    };
    const amountField = `#refund-amount-${paid.id}`;

    // Letters and a missing confirmation: field errors, with the summary linking to them.
    await refund('dieci', '', false);
    await admin.getByTestId('error-summary').waitFor();
    await expect(admin.locator(amountField).getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(admin.locator(`${amountField}-error`).textContent()).resolves.toContain(
      'ad esempio 12,50',
    );
    await expect(
      admin.locator(`#refund-reason-${paid.id}`).getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await expect(
      admin.locator(`#refund-confirm-${paid.id}-error`).textContent(),
    ).resolves.toContain('Conferma il rimborso');
    await expect(
      admin.getByTestId('error-summary').getByRole('link').first().getAttribute('href'),
    ).resolves.toBe(amountField);
    await portal.expectAccessible(admin);

    // More than was paid: the API's field error, nothing refunded.
    await refund('30,01', 'Troppo', true);
    await admin.getByTestId('error-summary').waitFor();
    await expect(admin.locator(`${amountField}-error`).textContent()).resolves.toContain(
      'supera quanto resta pagato',
    );
    await portal.expectAccessible(admin);
    await admin.goto(payments());
    await expect(
      row(admin, paid.id).getByTestId('payment-refunded').textContent(),
    ).resolves.toMatch(/0,00\s*€/);

    // A partial refund of 7,50 €: split 5 € of credit and 2,50 € by card.
    await refund('7,50', 'Servizio ridotto', true);
    await expect(admin.getByTestId('payments-refund-done').textContent()).resolves.toMatch(
      /7,50\s*€/,
    );
    const line = row(admin, paid.id);
    await expect(line.getByTestId('payment-refunded').textContent()).resolves.toMatch(/7,50\s*€/);
    await expect(line.getByTestId('payment-status').textContent()).resolves.toMatch(
      /rimborsato in parte/,
    );
    const month = admin.getByTestId('payout-month').first();
    await expect(month.getByTestId('payout-voucher').textContent()).resolves.toMatch(/15,00\s*€/);
    await expect(month.getByTestId('payout-card').textContent()).resolves.toMatch(/7,50\s*€/);
    await expect(month.getByTestId('payout-total').textContent()).resolves.toMatch(/22,50\s*€/);
    await portal.expectAccessible(admin);
  });

  it("another provider's admin cannot open the page", async () => {
    const other = await portal.staffPage(staffEmail('amiciBalestrate', 'ADMIN'));
    const response = await other.goto(payments());
    expect([403, 404]).toContain(response?.status());
    await expect(other.content()).resolves.not.toContain(paid.id);
    await portal.expectAccessible(other);
  });

  it('the platform admins’ page lists the Stripe reconciliations', async () => {
    const page = await portal.staffPage(demoEmail('ADMIN'));
    await page.goto(`${web}/admin`);
    await page.getByTestId('nav-admin-pagamenti').click();
    await page.waitForURL(`${web}/admin/pagamenti`);
    // The nightly reconciliation runs when payments starts (none had run yet).
    const report = page.getByTestId('admin-payments-report').first();
    await report.waitFor();
    await expect(report.getByTestId('admin-payments-status').textContent()).resolves.toMatch(
      /Tutto concorda|Differenze trovate|In corso/,
    );
    await portal.expectAccessible(page);
  });
});
