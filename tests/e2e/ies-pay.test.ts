// Issue 17 item 3, paying by QR code in the IES circuit: the demo shop (Alimentari Da Rosa, its
// owner) shows a QR code with an amount; Giuseppe (SPID) opens its link, sees the circuit's fee and
// the total, pays; both see the payment; the same request cannot be paid again; an amount above
// his balance is refused with a clear message. axe on every page.
import {
  DEMO_CIRCUIT_CODE,
  DEMO_CITIZEN_FISCAL_CODE,
  DEMO_SHOP_ID,
} from '@welfare/ies-circuit/demo';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEmail } from '../support/demo.js';
import { openPortal, type Portal } from '../support/portal.js';

describe('IES payments by QR code in the portal', () => {
  let portal: Portal;
  let web: string;
  let shop: Page;
  let giuseppe: Page;
  /** A description of this run's own, to find its rows among the demo's. */
  const words = `Spesa di prova ${Date.now()}`;

  beforeAll(async () => {
    portal = await openPortal({ shared: true });
    web = portal.web;
  });
  afterAll(async () => {
    await portal?.close();
  });

  const receive = () => `${web}/esercente/${DEMO_SHOP_ID}/ies/ricevi`;

  /** The shop asks for `amount` (Italian euro text): the link its QR code encodes. */
  async function ask(amount: string, description: string): Promise<string> {
    await shop.goto(receive());
    await shop.getByLabel('Importo (IES, facoltativo)').fill(amount);
    await shop.getByLabel('Causale').fill(description);
    await shop.getByTestId('iep-create').click();
    await shop.getByTestId('iep-qr').waitFor();
    await portal.expectAccessible(shop);
    const link = await shop.getByTestId('iep-link').getAttribute('href');
    expect(link).toMatch(new RegExp(`/ies/${DEMO_CIRCUIT_CODE}/paga/[0-9a-f-]{36}$`));
    return link!;
  }

  it('the shop shows a QR code with an amount; Giuseppe sees the fee, pays; both see it', async () => {
    shop = await portal.staffPage(demoEmail('MERCHANT', 'OWNER'));
    await shop.goto(receive());
    await portal.expectAccessible(shop);
    // Bad input: field errors, nothing created.
    await shop.getByLabel('Importo (IES, facoltativo)').fill('abc');
    await shop.getByTestId('iep-create').click();
    await shop.getByTestId('error-summary').waitFor();
    await expect(
      shop.getByLabel('Importo (IES, facoltativo)').getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await expect(shop.getByTestId('iep-qr').count()).resolves.toBe(0);
    await portal.expectAccessible(shop);

    const link = await ask('3,00', words);
    ({ page: giuseppe } = await portal.citizenPage(DEMO_CITIZEN_FISCAL_CODE));
    await giuseppe.goto(link);
    await expect(giuseppe.getByTestId('iep-payee').innerText()).resolves.toBe('Alimentari Da Rosa');
    await expect(giuseppe.getByTestId('iep-amount').innerText()).resolves.toBe('3,00 IES');
    // 5 cents + 1% of 3,00: 0,08 IES, paid by the payer.
    await expect(giuseppe.getByTestId('iep-fee').innerText()).resolves.toContain('0,08 IES');
    await expect(giuseppe.getByTestId('iep-total').innerText()).resolves.toBe('3,08 IES');
    await portal.expectAccessible(giuseppe);
    await giuseppe.getByTestId('iep-pay').click();
    await giuseppe.getByTestId('iep-paid').waitFor();
    await expect(giuseppe.getByTestId('iep-paid').innerText()).resolves.toContain(
      '3,00 IES a Alimentari Da Rosa',
    );
    await portal.expectAccessible(giuseppe);

    // Both see the payment.
    await giuseppe.goto(`${web}/ies/${DEMO_CIRCUIT_CODE}/ricevi`);
    const mine = giuseppe.locator('[data-testid="iep-payments"] tr', { hasText: words });
    await expect(mine.innerText()).resolves.toContain('Alimentari Da Rosa');
    await portal.expectAccessible(giuseppe);
    await shop.goto(receive());
    const theirs = shop.locator('[data-testid="iep-payments"] tr', { hasText: words });
    await expect(theirs.innerText()).resolves.toContain('Giuseppe Lo Cascio');
    await expect(theirs.innerText()).resolves.toContain('3,00 IES');

    // The same request again: paid, no button to pay it.
    await giuseppe.goto(link);
    await giuseppe.getByTestId('iep-already-paid').waitFor();
    await expect(giuseppe.getByTestId('iep-pay').count()).resolves.toBe(0);
    await portal.expectAccessible(giuseppe);
  });

  it('an amount above his balance is refused with a clear message, and nothing is paid', async () => {
    const link = await ask('1.000,00', `${words} (troppo)`);
    await giuseppe.goto(link);
    await expect(giuseppe.getByTestId('iep-total').innerText()).resolves.toBe('1001,00 IES');
    await giuseppe.getByTestId('iep-pay').click();
    await giuseppe.getByTestId('error-summary').waitFor();
    await expect(giuseppe.getByTestId('error-summary').innerText()).resolves.toContain(
      'Saldo IES insufficiente',
    );
    await portal.expectAccessible(giuseppe);
    // Still payable (nothing happened), and not in his payments.
    await giuseppe.goto(link);
    await expect(giuseppe.getByTestId('iep-pay').count()).resolves.toBe(1);
    await giuseppe.goto(`${web}/ies/${DEMO_CIRCUIT_CODE}/ricevi`);
    await expect(
      giuseppe.locator('[data-testid="iep-payments"] tr', { hasText: '(troppo)' }).count(),
    ).resolves.toBe(0);
  });
});
