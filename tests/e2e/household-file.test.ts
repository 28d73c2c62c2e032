import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, launchBrowser, newPage } from '../support/browser.js';
import { DEMO_COMUNE_ID, demoCitizen, demoEmail } from '../support/demo.js';
import { logInStaff } from '../support/login.js';
import type { TestPlatform } from '../support/platform.js';
import { sharedTestPlatform } from '../support/shared-platform.js';

/*
 * The household file (issue 19): the operator finds Giuseppe's household by his codice fiscale,
 * opens it (members, ISEE history, applications), adds a social worker's note (empty first:
 * a field error) and attaches a file (a text file first: refused by content), then downloads it.
 * It reads the demo's fixed registry facts and writes only its own note and attachment (which
 * only the household page shows): the worker's shared platform (support/shared-platform.ts).
 */
/** Giuseppe: in the demo registry with ISEE, an approved application, a card and payments. */
const GIUSEPPE = demoCitizen('Giuseppe');

describe('the household file in a browser', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let web: string;

  beforeAll(async () => {
    platform = await sharedTestPlatform();
    web = platform.urls.web;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  async function expectAccessible(page: Page): Promise<void> {
    expect(await accessibilityViolations(page), `axe on ${page.url()}`).toEqual([]);
  }

  it('finds a household by codice fiscale, shows its file, takes a note and an attachment', async () => {
    const { context, page } = await newPage(browser);
    try {
      await logInStaff(page, web, demoEmail('COMUNE', 'OPERATOR'));
      await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/anagrafe`);

      // An empty search is a field error, not a list.
      const search = page.getByTestId('household-search');
      await search.getByRole('button', { name: 'Cerca' }).click();
      await expect
        .poll(() => page.getByLabel('Codice fiscale di un componente').getAttribute('aria-invalid'))
        .toBe('true');
      await expectAccessible(page);

      // By codice fiscale, in lower case: Giuseppe's household, and only it.
      await page
        .getByLabel('Codice fiscale di un componente')
        .fill(GIUSEPPE.fiscalCode.toLowerCase());
      await page.getByTestId('household-search').getByRole('button', { name: 'Cerca' }).click();
      await expect
        .poll(() => page.getByTestId('household-search-count').textContent())
        .toContain('1 nucleo familiare trovato');
      const results = page.getByTestId('household-search-results');
      await expect
        .poll(() => results.textContent())
        .toContain(`${GIUSEPPE.givenName} ${GIUSEPPE.familyName}`);
      await expectAccessible(page);

      await results.getByRole('link').first().click();
      await page.waitForURL(new RegExp(`/comune/${DEMO_COMUNE_ID}/anagrafe/[0-9a-f-]{36}$`));
      const householdUrl = page.url();
      const members = page.getByTestId('household-members');
      expect(await members.textContent()).toContain(GIUSEPPE.fiscalCode);
      expect(await members.locator('tbody tr').count()).toBeGreaterThan(0);
      // The ISEE history (an amount in euro, valid until a dd/mm/yyyy day) and his applications.
      expect(await page.getByTestId('household-income').textContent()).toMatch(
        /\d,\d{2}\s€.*\d{2}\/\d{2}\/\d{4}/,
      );
      const applications = page.getByTestId('household-applications');
      expect(await applications.locator('tbody tr').count()).toBeGreaterThan(0);
      expect(await applications.textContent()).toMatch(/\d{2}\/\d{2}\/\d{4}/);
      await expectAccessible(page);

      // An empty note: a field error, nothing written.
      const written = () => page.locator('[data-testid="household-notes"] li').count();
      const before = await written();
      const notes = page.getByTestId('note-form');
      await notes.getByRole('button', { name: 'Aggiungi la nota' }).click();
      await expect
        .poll(() => page.getByLabel('Nuova nota').getAttribute('aria-invalid'))
        .toBe('true');
      expect(await written()).toBe(before);
      await expectAccessible(page);

      const text = `Colloquio del ${Date.now().toString(36)}: richiesto ISEE aggiornato.`;
      await page.getByLabel('Nuova nota').fill(text);
      await notes.getByRole('button', { name: 'Aggiungi la nota' }).click();
      await page.waitForURL(`${householdUrl}?nota=aggiunta#notes`);
      expect(await page.getByTestId('note-added').textContent()).toContain('Nota aggiunta');
      expect(await page.getByTestId('household-notes').textContent()).toContain(text);
      expect(await written()).toBe(before + 1);
      await expectAccessible(page);

      // An attachment: a text file is refused by content (a field error), a PDF is attached,
      // listed and downloaded (the subgraph logs the read).
      const attachments = page.getByTestId('attachment-form');
      const description = `Relazione della visita ${Date.now().toString(36)}`;
      await page.getByLabel('Descrizione del documento').fill(description);
      await page.getByLabel('File', { exact: true }).setInputFiles({
        name: 'relazione.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('not really a pdf'),
      });
      await attachments.getByRole('button', { name: 'Allega il file' }).click();
      await expect
        .poll(() => page.getByLabel('File', { exact: true }).getAttribute('aria-invalid'))
        .toBe('true');
      expect(await page.locator('#attachment-file-error').textContent()).toContain(
        'Sono ammessi solo PDF, JPEG o PNG',
      );
      await expectAccessible(page);
      const pdf = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');
      await page.getByLabel('File', { exact: true }).setInputFiles({
        name: 'relazione.pdf',
        mimeType: 'application/pdf',
        buffer: pdf,
      });
      await attachments.getByRole('button', { name: 'Allega il file' }).click();
      await page.waitForURL(`${householdUrl}?allegato=aggiunto#attachments`);
      expect(await page.getByTestId('attachment-added').textContent()).toContain('File allegato');
      const row = page.getByTestId('household-attachments').locator('tr', { hasText: description });
      const link = row.getByRole('link', { name: 'Scarica relazione.pdf' });
      const href = await link.getAttribute('href');
      expect(href).toMatch(/\/allegati\/[0-9a-f-]{36}$/);
      const download = await context.request.get(new URL(href!, web).toString());
      expect(download.status()).toBe(200);
      expect(download.headers()['content-type']).toBe('application/pdf');
      expect((await download.body()).equals(pdf)).toBe(true);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});
