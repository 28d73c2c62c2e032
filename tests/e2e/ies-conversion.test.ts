// Issue 17 items 2 and 3 in the portal: the Balestrate circuit's MANAGER records euro received
// for Alimentari Da Rosa (IES issued into its wallet), the shop's owner asks to convert IES to
// euro with the fee shown before sending, the MANAGER approves it (after a confirmation stating the
// consequence, issue 19 item 4; cancelling it first changes nothing) and downloads the SEPA file;
// the public page shows the reserve equal to the IES in circulation, also as its live JSON. axe on
// every page. Shared platform: the demo circuit's balances change, so amounts are compared as
// deltas and rows found by this run's own bank reference.
import { randomUUID } from 'node:crypto';
import { DEMO_CIRCUIT_CODE, DEMO_CIRCUIT_ID, DEMO_MEMBER_IDS } from '@welfare/ies-circuit/demo';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, staffEmail } from '../support/demo.js';
import { openPortal, type Portal } from '../support/portal.js';

const COMUNE = DEMO_ORG.balestrate;
const SHOP = DEMO_ORG.daRosa;
const BANK_REFERENCE = `CRO-${randomUUID().slice(0, 8)}`;

interface Figures {
  reserveCents: number;
  circulationCents: number;
  redeemedCents: number;
}

describe('an IES conversion to euro in the portal', () => {
  let portal: Portal;
  let web: string;
  let manager: Page;
  let before: Figures;

  beforeAll(async () => {
    portal = await openPortal({ shared: true });
    web = portal.web;
  });
  afterAll(() => portal?.close());

  const managerBase = () => `${web}/comune/${COMUNE}/ies/${DEMO_CIRCUIT_ID}`;
  const figures = async (page: Page): Promise<Figures> => {
    const response = await page.request.get(`${web}/circuiti-ies/${DEMO_CIRCUIT_CODE}/dati.json`);
    expect(response.status()).toBe(200);
    return (await response.json()) as Figures;
  };

  it('the manager records euro received for the shop: its IES are issued', async () => {
    manager = await portal.staffPage(staffEmail('balestrate', 'MANAGER'));
    before = await figures(manager);
    await manager.goto(`${managerBase()}/riserva`);
    await portal.expectAccessible(manager);

    const form = manager.getByTestId('ier-receipt-form');
    await form.getByLabel('Causale').selectOption('PURCHASE');
    await form.getByRole('button').click();
    await manager.getByTestId('error-summary').waitFor();
    await expect(
      manager.getByLabel('Importo in euro').first().getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await portal.expectAccessible(manager);

    await form.getByLabel('Causale').selectOption('PURCHASE');
    await form.getByLabel('Socio che acquista').selectOption(DEMO_MEMBER_IDS.shop);
    await form.getByLabel('Chi ha versato').fill('Alimentari Da Rosa');
    await form.getByLabel('Riferimento del bonifico (CRO/TRN)').fill(BANK_REFERENCE);
    await form.getByLabel('Importo in euro').fill('100,00');
    await form.getByRole('button').click();
    await manager.getByTestId('ier-done').waitFor();
    await expect(manager.getByTestId('ier-receipts').innerText()).resolves.toContain(
      BANK_REFERENCE,
    );
    const after = await figures(manager);
    expect(after.reserveCents - before.reserveCents).toBe(10_000);
    expect(after.circulationCents).toBe(after.reserveCents);
  });

  it('the shop asks to convert 50,00 IES, with the fee shown before sending', async () => {
    const owner = await portal.staffPage(staffEmail('daRosa', 'OWNER'));
    await owner.goto(`${web}/esercente/${SHOP}/ies/conversioni`);
    await portal.expectAccessible(owner);
    await owner.getByLabel('IES da convertire').fill('50,00');
    // 2% of 50,00 = 1,00 (above the 0,50 minimum): 49,00 € reach the shop.
    await expect.poll(() => owner.getByTestId('ier-fee-preview').innerText()).toContain('1,00 IES');
    await expect(owner.getByTestId('ier-fee-preview').innerText()).resolves.toContain('49,00');
    await owner.getByTestId('ier-request').click();
    await owner.getByTestId('ier-request-done').waitFor();
    await expect(
      owner.locator('[data-testid="ier-org-conversion"][data-status="PENDING"]').count(),
    ).resolves.toBeGreaterThanOrEqual(1);
    await portal.expectAccessible(owner);
  });

  it('the manager approves it and downloads the SEPA file; the reserve still equals circulation', async () => {
    manager = await portal.staffPage(staffEmail('balestrate', 'MANAGER'), { reuse: manager });
    await manager.goto(`${managerBase()}/conversioni`);
    await portal.expectAccessible(manager);
    const row = manager.getByTestId('ier-conversion-row').filter({ hasText: 'Da Rosa' }).first();
    await row.getByTestId('ier-approve').click();
    // Issue 19 item 4: the first click only states the consequence; the confirmation acts.
    await expect(manager.getByTestId('ier-consequence').textContent()).resolves.toMatch(
      /sarà approvata: 49,00 IES saranno distrutti e 49,00\s*€ usciranno dalla riserva/,
    );
    await expect(manager.getByTestId('ier-conversion-done').count()).resolves.toBe(0);
    await portal.expectAccessible(manager);
    // Cancel (Annulla) changes nothing: the request still waits, no IES destroyed.
    const redeemed = (await figures(manager)).redeemedCents;
    await manager.getByTestId('ier-cancel').click();
    await manager.waitForURL(`${managerBase()}/conversioni`);
    await expect(manager.getByTestId('ier-confirm').count()).resolves.toBe(0);
    await expect(row.getAttribute('data-status')).resolves.toBe('PENDING');
    expect((await figures(manager)).redeemedCents).toBe(redeemed);
    // Asked again, and confirmed this time.
    await row.getByTestId('ier-approve').click();
    await manager.getByTestId('ier-confirm-form').getByRole('button').click();
    await manager.getByTestId('ier-conversion-done').waitFor();
    await portal.expectAccessible(manager);

    const sepa = await manager.request.get(`${managerBase()}/conversioni/sepa.xml`);
    expect(sepa.status()).toBe(200);
    expect(sepa.headers()['content-disposition']).toContain('conversioni-ies-balestrate');
    const xml = await sepa.text();
    expect(xml).toContain('urn:iso:std:iso:20022:tech:xsd:pain.001.001.03');
    expect(xml).toContain('<InstdAmt Ccy="EUR">49.00</InstdAmt>');

    const after = await figures(manager);
    // +100,00 issued, -49,00 destroyed (the 1,00 fee stays in circulation, in the fees account).
    expect(after.reserveCents - before.reserveCents).toBe(10_000 - 4_900);
    expect(after.redeemedCents - before.redeemedCents).toBe(4_900);
    expect(after.circulationCents).toBe(after.reserveCents);
  });

  it('the public page shows reserve = circulation without logging in', async () => {
    const visitor = await portal.page();
    await visitor.goto(`${web}/circuiti-ies`);
    await portal.expectAccessible(visitor);
    await visitor.goto(`${web}/circuiti-ies/${DEMO_CIRCUIT_CODE}`);
    await portal.expectAccessible(visitor);
    const reserve = await visitor.getByTestId('ies-reserve').innerText();
    const circulation = await visitor.getByTestId('ies-circulation').innerText();
    const digits = (text: string) => text.replace(/[^0-9]/g, '');
    expect(digits(reserve)).toBe(digits(circulation));
    await expect(visitor.getByTestId('ies-backed').innerText()).resolves.toContain(
      'coperto da un euro',
    );
    await visitor.goto(`${web}/circuiti-ies/${DEMO_CIRCUIT_CODE}/impatto`);
    await portal.expectAccessible(visitor);
    // Another Comune's staff cannot open the manager's pages.
    const stranger = await portal.page();
    const response = await stranger.goto(`${managerBase()}/conversioni`);
    expect(response?.url()).toContain('/accedi');
  });
});
