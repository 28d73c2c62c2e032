import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, launchBrowser, newPage } from '../support/browser.js';
import {
  employeeFiscalCode,
  enrolmentCsv,
  seedPlanCategories,
} from '../support/corporate-enrolment.js';
import { DEMO_ORG, staffEmail } from '../support/demo.js';
import { logInStaff } from '../support/login.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

// Its own platform: the file enrols employees of the demo employer (Officine Rossi), which other
// files count.
describe('HR enrols employees by CSV in a browser', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let web: string;
  const employer = DEMO_ORG.officineRossi;
  const ANNA = employeeFiscalCode(0, 'W');
  const BRUNO = employeeFiscalCode(1, 'W');
  const CARLO = employeeFiscalCode(2, 'W');

  beforeAll(async () => {
    platform = await startTestPlatform({ web: true });
    web = platform.urls.web;
    browser = await launchBrowser();
    // The plan editor is another module: a plan with two categories for the enrolment to name.
    await seedPlanCategories(
      platform.databaseUrl,
      employer,
      '0b7c2d1e-0000-4000-8000-00000000ee01',
      ['TURNISTI', 'UFFICIO'],
    );
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  async function expectAccessible(page: Page): Promise<void> {
    expect(await accessibilityViolations(page), `axe on ${page.url()}`).toEqual([]);
  }

  /** Uploads a file from the import page and waits for the job page to show the outcome. */
  async function upload(page: Page, name: string, buffer: Buffer): Promise<string> {
    await page.goto(`${web}/azienda/${employer}/dipendenti/importa`);
    const form = page.getByTestId('enrolment-form');
    await form.getByLabel(/^File CSV dei dipendenti/).setInputFiles({
      name,
      mimeType: 'text/csv',
      buffer,
    });
    await form.getByRole('button', { name: 'Carica e importa' }).click();
    await page.waitForURL(new RegExp(`/azienda/${employer}/dipendenti/importa/[0-9a-f-]{36}$`));
    // The page refreshes itself every 2 s (no JavaScript) until the job is over.
    await expect
      .poll(
        async () =>
          (await page
            .getByTestId('enrolment-status')
            .getAttribute('data-status', { timeout: 2_000 })
            .catch(() => '')) ?? '',
        { timeout: 45_000, interval: 500 },
      )
      .toMatch(/SUCCEEDED|FAILED/);
    return (await page.getByTestId('enrolment-status').getAttribute('data-status')) ?? '';
  }

  it('shows bad rows by line and writes nothing, then enrols a good file, then marks a leaver', async () => {
    const { context, page } = await newPage(browser);
    await logInStaff(page, web, staffEmail('officineRossi', 'HR'));

    await page.goto(`${web}/azienda/${employer}/dipendenti`);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Importa dipendenti da file CSV' }).click();
    await page.waitForURL(`${web}/azienda/${employer}/dipendenti/importa`);
    await expect(page.getByTestId('enrolment-columns').textContent()).resolves.toContain(
      'figli_a_carico',
    );
    const template = await page.request.get(
      `${web}/azienda/${employer}/dipendenti/importa/modello.csv`,
    );
    expect(template.status()).toBe(200);
    expect(await template.text()).toContain('codice_fiscale;nome;cognome;email;categoria');
    await expectAccessible(page);

    // A file with bad rows: each reported by line and field, nothing written.
    const bad = enrolmentCsv([
      `${ANNA};Anna;Zanardi;anna.zanardi@example.it;TURNISTI;01/02/2026;1;`,
      `${BRUNO.slice(0, 15)}${BRUNO.endsWith('X') ? 'Y' : 'X'};Bruno;Zanardi;;TURNISTI;01/02/2026;0;`,
      `${CARLO};Carlo;Zanardi;carlo@;DIRIGENTI;01/02/2026;0;`,
    ]);
    expect(await upload(page, 'dipendenti-errati.csv', bad)).toBe('FAILED');
    const rejections = page.getByTestId('enrolment-rejections').locator('tbody tr');
    const rows = await rejections.evaluateAll((trs) =>
      trs.map((tr) =>
        Array.from(tr.querySelectorAll('td'))
          .slice(0, 2)
          .map((td) => td.textContent ?? ''),
      ),
    );
    expect(rows).toEqual([
      ['3', 'codice_fiscale'],
      ['4', 'categoria'],
      ['4', 'email'],
    ]);
    await expect(page.getByTestId('enrolment-status').textContent()).resolves.toContain(
      'nessun dipendente è stato scritto',
    );
    const scarti = await page.request.get(`${page.url()}/scarti.csv`);
    expect(scarti.status()).toBe(200);
    expect(await scarti.text()).toContain('4;categoria;Categoria non definita');
    await expectAccessible(page);
    await page.goto(`${web}/azienda/${employer}/dipendenti?cerca=Zanardi`);
    await expect(page.getByTestId('employees-empty').isVisible()).resolves.toBe(true);

    // The good file: three employees enrolled.
    const good = enrolmentCsv([
      `${ANNA};Anna;Zanardi;anna.zanardi@example.it;TURNISTI;01/02/2026;1;`,
      `${BRUNO};Bruno;Zanardi;;turnisti;01/02/2026;0;`,
      `${CARLO};Carlo;Zanardi;carlo.zanardi@example.it;UFFICIO;15/01/2026;2;`,
    ]);
    expect(await upload(page, 'dipendenti.csv', good)).toBe('SUCCEEDED');
    await expect(page.getByTestId('enrolment-status').textContent()).resolves.toContain(
      '3 dipendenti nuovi',
    );
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Torna ai dipendenti' }).click();
    await page.getByLabel('Cerca', { exact: true }).fill('Zanardi');
    await page.getByRole('button', { name: 'Cerca' }).click();
    await page.waitForURL(/cerca=Zanardi/);
    const table = page.getByTestId('employees');
    await expect(table.locator('tbody tr').count()).resolves.toBe(3);
    await expect(table.textContent()).resolves.toContain(CARLO);
    await expectAccessible(page);

    // Carlo leaves: a malformed date first (a field error), then the date.
    await table.getByRole('link', { name: 'Zanardi Carlo' }).click();
    await page.waitForURL(new RegExp(`/azienda/${employer}/dipendenti/[0-9a-f-]{36}$`));
    await expectAccessible(page);
    const form = page.getByTestId('employee-form');
    await form.getByLabel(/^Data di cessazione/).fill('31/13/2026');
    await form.getByRole('button', { name: 'Salva' }).click();
    await expect(page.getByTestId('error-summary').isVisible()).resolves.toBe(true);
    await expect(page.locator('#employee-endDate[aria-invalid="true"]').count()).resolves.toBe(1);
    await expectAccessible(page);
    await form.getByLabel(/^Data di cessazione/).fill('31/12/2026');
    await form.getByRole('button', { name: 'Salva' }).click();
    await page.waitForURL(/esito=salvato/);
    await expect(page.getByTestId('employee-saved').isVisible()).resolves.toBe(true);
    await expect(form.getByLabel(/^Data di cessazione/).inputValue()).resolves.toBe('31/12/2026');
    await expectAccessible(page);

    await page.goto(`${web}/azienda/${employer}/dipendenti?cerca=${CARLO}`);
    await expect(
      page.getByTestId('employees').locator('tbody tr').textContent(),
    ).resolves.toContain('31/12/2026');
    await context.close();
  });
});
