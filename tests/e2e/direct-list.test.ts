// Issue 19, item 5 (first part), in the portal: a measure decided outside the platform. The
// Comune's manager creates and publishes a campaign of its own (through the API), uploads a list
// of beneficiaries with a bad line (refused: the rejection's line, column and reason, nothing
// written), then the corrected list (two beneficiaries added); the same page issues their cards
// (the letters' PDF) and the top-ups page credits them (its dates dd/mm/yyyy); the page's
// list shows them before (no card, nothing credited) and after (card issued, credited), and its CSV
// template downloads. A correction: the second beneficiary's amount is changed from the list (the
// shared confirmation states the consequence) before the cards; a correction of the first one,
// opened in another tab before the top-up and sent after it, is refused (credit is on the card),
// as a withdrawal once the card is issued is: both point to revoking the benefit instead.
// Every page is checked with axe. On the
// shared platform: the campaign and the two beneficiaries (codici fiscali no demo person has) are
// its own; the campaign is closed at the end.
import { randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCampaign, createCampaign } from '../support/campaigns.js';
import { DEMO_COMUNE_ID, DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { login } from '../support/graphql.js';
import { beneficiaryFiscalCode } from '../support/money.js';
import type { TestPlatform } from '../support/platform.js';
import { openPortal, type Portal } from '../support/portal.js';

const COMUNE = DEMO_COMUNE_ID;
const MANAGER = demoEmail('COMUNE', 'MANAGER');
const DAY = 86_400_000;

/** Euro cents as the Italian pages print them. */
const euro = (cents: number) =>
  new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' }).format(cents / 100);

describe('a list of beneficiaries decided outside the platform', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let web: string;
  let managerToken = '';
  let campaignId = '';
  // Beneficiaries far beyond the benchmarks' numbers: no demo person and no other file has them.
  const base = 2_000_000 + randomInt(900_000);
  const [first, second] = [beneficiaryFiscalCode(base), beneficiaryFiscalCode(base + 1)];
  const title = `Contributo straordinario ${base}`;
  const spendingUntil = new Date(Date.now() + 90 * DAY).toISOString().slice(0, 10);
  /** The list's rows: the cells' texts (protocol, codice fiscale, amount, reason, card, credited). */
  const listRows = async (page: Page) => {
    const rows = page.getByTestId('dl-list-row');
    const cells: string[][] = [];
    for (let i = 0; i < (await rows.count()); i++)
      cells.push((await rows.nth(i).locator('th, td').allTextContents()).map((t) => t.trim()));
    return cells;
  };

  const expectAccessible = (page: Page) => portal.expectAccessible(page);
  const upload = async (page: Page, lines: string[]) => {
    await page
      .getByTestId('dl-form')
      .locator('input[type=file]')
      .setInputFiles({
        name: 'beneficiari.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8'),
      });
    await page.getByRole('button', { name: "Carica l'elenco" }).click();
  };

  beforeAll(async () => {
    portal = await openPortal({ shared: true });
    ({ platform, web } = portal);
    managerToken = (await login(platform.urls.gateway, MANAGER, DEMO_PASSWORD)).token;
    campaignId = await createCampaign(platform.urls.gateway, managerToken, {
      title,
      description: 'Contributo deciso con delibera di Giunta.',
      spendingUntil,
    });
  });
  afterAll(async () => {
    if (campaignId) await closeCampaign(platform.urls.gateway, managerToken, campaignId);
    await portal?.close();
  });

  it('refuses a bad list, takes the corrected one, then issues the cards and credits them', async () => {
    const page = await portal.staffPage(MANAGER);
    await page.goto(`${web}/comune/${COMUNE}/misure/${campaignId}`);
    await page.getByTestId('campaign-direct-list-link').click();
    await page.waitForURL(`${web}/comune/${COMUNE}/misure/${campaignId}/beneficiari`);
    await expect(page.getByTestId('dl-list-empty').isVisible()).resolves.toBe(true);
    await expectAccessible(page);

    // The template: the documented header only, as Excel opens it (an example row would become a
    // real beneficiary if uploaded unchanged). Uploaded unchanged, it is refused: nothing written.
    const href = await page.getByTestId('dl-template').getAttribute('href');
    const template = await page.request.get(new URL(href!, web).toString());
    expect(template.status()).toBe(200);
    expect(template.headers()['content-disposition']).toContain('modello-elenco-beneficiari.csv');
    const text = await template.text();
    expect(text).toBe('\ufeffcodice_fiscale;importo;motivo\r\n');
    await upload(
      page,
      text
        .replace(/^\ufeff/, '')
        .split('\r\n')
        .filter(Boolean),
    );
    await expect(
      page.getByTestId('dl-rejections').locator('tbody tr').textContent(),
    ).resolves.toMatch(/1\s*file\s*Nessuna riga da importare/);
    await expect(page.getByTestId('dl-list-empty').isVisible()).resolves.toBe(true);

    // A malformed amount on line 3: nothing is written, the line and column are shown.
    await upload(page, [
      'codice_fiscale;importo;motivo',
      `${first};150,50;Delibera di Giunta n. 7`,
      `${second};12.34;Delibera di Giunta n. 7`,
    ]);
    const refused = page.getByTestId('dl-rejections');
    await expect(refused.locator('tbody tr').count()).resolves.toBe(1);
    await expect(refused.locator('tbody tr').textContent()).resolves.toMatch(
      /3\s*importo\s*Importo non valido/,
    );
    await expectAccessible(page);

    await upload(page, [
      'codice_fiscale;importo;motivo',
      `${first};150,50;Delibera di Giunta n. 7`,
      `${second};200;Delibera di Giunta n. 7`,
    ]);
    await expect(page.getByTestId('dl-created').textContent()).resolves.toContain('2');
    // The list: both beneficiaries by protocol, no card yet, nothing credited.
    const before = await listRows(page);
    expect(before.map((r) => r.slice(1))).toEqual([
      [first, euro(15_050), 'Delibera di Giunta n. 7', 'Non ancora emessa', euro(0), 'Correggi'],
      [second, euro(20_000), 'Delibera di Giunta n. 7', 'Non ancora emessa', euro(0), 'Correggi'],
    ]);
    for (const row of before) expect(row[0]).toMatch(/^\d{4}\/\d{6}$/);
    await expectAccessible(page);

    // A correction: the second beneficiary's amount, 200 → 180 €, after the confirmation.
    const correctForm = async (on: Page, row: number, amount: string) => {
      await on.getByTestId('dl-list-row').nth(row).getByTestId('dl-correct-link').click();
      const form = on.getByTestId('dl-correct-form');
      await form.getByLabel('Nuovo importo (euro)').fill(amount);
      await form.getByLabel('Motivo della correzione').fill('Delibera di Giunta n. 8: rettifica');
      return form;
    };
    await (await correctForm(page, 1, '180')).getByRole('button', { name: 'Correggi' }).click();
    await expect(page.getByTestId('dl-correct-consequence').textContent()).resolves.toContain(
      `da ${euro(20_000)} a ${euro(18_000)}`,
    );
    await expectAccessible(page);
    await page.getByTestId('dl-correct-confirm-form').getByRole('button').click();
    await expect(page.getByTestId('dl-correct-notice').textContent()).resolves.toContain(
      'Correzione registrata',
    );
    expect((await listRows(page))[1]!.slice(1, 3)).toEqual([second, euro(18_000)]);
    // Another tab opens a correction of the first beneficiary, to be sent after the top-up.
    const stale = await page.context().newPage();
    await stale.goto(`${web}/comune/${COMUNE}/misure/${campaignId}/beneficiari`);
    const staleForm = await correctForm(stale, 0, '100');

    // The existing issuance: the letters of exactly the two new cards.
    const [letters] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('dl-issue-form').getByRole('button').click(),
    ]);
    expect(letters.suggestedFilename()).toBe('lettere-carte.pdf');
    // A withdrawal once the card is issued (still empty): refused, pointing to the revocation.
    await page.goto(`${web}/comune/${COMUNE}/misure/${campaignId}/beneficiari`);
    const withdrawal = await correctForm(page, 0, '');
    // Bootstrap Italia draws the radio on its label: the label is what a person clicks.
    await withdrawal.getByText("Ritira la voce dall'elenco", { exact: true }).click();
    await withdrawal.getByRole('button', { name: 'Correggi' }).click();
    await page.getByTestId('dl-correct-confirm-form').getByRole('button').click();
    await expect(page.getByTestId('dl-correct-form').textContent()).resolves.toContain(
      'revocare il beneficio dalla pagina della domanda',
    );

    // The existing top-up: both entitlements credited.
    await page.goto(`${web}/comune/${COMUNE}/misure/${campaignId}/beneficiari`);
    await page.getByTestId('dl-topup-link').click();
    await page.waitForURL(`${web}/comune/${COMUNE}/misure/${campaignId}/ricariche`);
    // Dates as dd/mm/yyyy (issue 19), never a two-digit year.
    const [y, mo, d] = spendingUntil.split('-');
    const ricariche = (await page.locator('main').textContent()) ?? '';
    expect(ricariche).toContain(`${d}/${mo}/${y}`);
    expect(ricariche).not.toMatch(/\b\d{2}\/\d{2}\/\d{2}(?!\d)/);
    await page.getByRole('button', { name: 'Ricarica tutta la misura' }).click();
    await expect(page.getByTestId('topup-credited').textContent()).resolves.toContain(euro(33_050));
    await expect(page.getByTestId('topup-without-card').textContent()).resolves.toContain('0');

    // The list again: both cards issued and the whole amounts credited.
    await page.goto(`${web}/comune/${COMUNE}/misure/${campaignId}/beneficiari`);
    const after = await listRows(page);
    const credited = 'Già accreditata: si revoca dalla pagina della domanda';
    expect(after.map((r) => r.slice(1))).toEqual([
      [first, euro(15_050), 'Delibera di Giunta n. 7', 'Emessa', euro(15_050), credited],
      [second, euro(18_000), 'Delibera di Giunta n. 7', 'Emessa', euro(18_000), credited],
    ]);
    await expectAccessible(page);

    // The stale correction, sent now: refused, the credit is on the card; nothing changed.
    await staleForm.getByRole('button', { name: 'Correggi' }).click();
    await stale.getByTestId('dl-correct-confirm-form').getByRole('button').click();
    await expect(stale.getByTestId('dl-correct-form').textContent()).resolves.toContain(
      'revocare il beneficio dalla pagina della domanda',
    );
    await expectAccessible(stale);
    expect((await listRows(stale))[0]!.slice(1, 3)).toEqual([first, euro(15_050)]);
    await stale.close();
  });
});
