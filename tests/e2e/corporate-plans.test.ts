import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, staffEmail } from '../support/demo.js';
import { openPortal, type Portal } from '../support/portal.js';

/**
 * HR's welfare plan editor in the portal: Officine Rossi's HR creates a plan with two categories
 * (a bad field first: the error summary and the field's message), uploads its regulation,
 * publishes and funds it; the demo's 25 employees of Officine Rossi (15 OPERAI, 10 IMPIEGATI) are
 * credited. On the shared platform: funding credits the demo employees in a second plan, which the
 * employees' pages of other tests read (corporate-claims, corporate-employee: not sharers); it
 * reads the demo employees' categories, which no sharer changes.
 */
const EMPLOYER = DEMO_ORG.officineRossi;

function pdf(label: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${label}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );
}

const thisYear = () =>
  Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric' }).format());

describe('corporate welfare plans in the portal', () => {
  let portal: Portal;
  let web: string;
  let hr: Page;

  beforeAll(async () => {
    portal = await openPortal({ shared: true });
    ({ web } = portal);
  });
  afterAll(async () => {
    await portal?.close();
  });

  it('HR creates a plan (a bad field first), uploads its regulation, publishes and funds it', async () => {
    hr = await portal.staffPage(staffEmail('officineRossi', 'HR'));
    await hr.goto(`${web}/azienda`);
    await portal.expectAccessible(hr);
    await hr
      .getByTestId('cwp-landing-links')
      .locator(`a[href="/azienda/${EMPLOYER}/piani"]`)
      .click();
    await hr.waitForURL(`${web}/azienda/${EMPLOYER}/piani`);
    await expect(hr.getByTestId('cwp-plans').textContent()).resolves.toContain(
      `Piano welfare ${thisYear()}`,
    );
    await portal.expectAccessible(hr);

    await hr.getByRole('link', { name: 'Nuovo piano welfare' }).click();
    await hr.waitForURL(`${web}/azienda/${EMPLOYER}/piani/nuovo`);
    await portal.expectAccessible(hr);
    const form = hr.getByTestId('cwp-plan-form');
    await form.getByLabel('Nome del piano').fill('Piano welfare integrativo');
    // Services in kind are ticked, no catalogue category is (the API's field error), and an
    // amount that is not euro (the portal's).
    await hr.locator('#cwp-category-0-code').fill('OPERAI');
    await hr.locator('#cwp-category-0-name').fill('Operai');
    await hr.locator('#cwp-category-0-criterion').fill('Livelli 1-3 del CCNL');
    await hr.locator('#cwp-category-0-credit').fill('cinquecento');
    await form.getByRole('button', { name: 'Crea il piano' }).click();
    await hr.getByTestId('error-summary').waitFor();
    await expect(hr.locator('#cwp-category-0-credit').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await expect(hr.locator('#cwp-category-0-credit-error').textContent()).resolves.toContain(
      'Importo in euro non valido',
    );
    await expect(hr.locator('#cwp-category-0-code').inputValue()).resolves.toBe('OPERAI');
    await portal.expectAccessible(hr);

    await hr.locator('#cwp-category-0-credit').fill('500');
    await form.getByRole('button', { name: 'Crea il piano' }).click();
    await hr.getByTestId('error-summary').waitFor();
    await expect(hr.locator('#cwp-covered-error').textContent()).resolves.toContain(
      'Per i servizi in natura scegliere almeno una categoria del catalogo',
    );
    await expect(hr.locator('#cwp-covered-0').getAttribute('aria-invalid')).resolves.toBe('true');
    await portal.expectAccessible(hr);

    // Bootstrap Italia draws the boxes on the labels: click them, as a person does.
    await hr.locator('label[for="cwp-covered-0"]').click();
    await hr.locator('label[for="cwp-covered-1"]').click();
    await hr.locator('#cwp-category-1-code').fill('IMPIEGATI');
    await hr.locator('#cwp-category-1-name').fill('Impiegati');
    await hr.locator('#cwp-category-1-criterion').fill('Livelli 4-9 del CCNL');
    await hr.locator('#cwp-category-1-credit').fill('300,00');
    await form.getByRole('button', { name: 'Crea il piano' }).click();
    await hr.getByTestId('cwp-notice').waitFor();
    expect(hr.url()).toMatch(
      new RegExp(`/azienda/${EMPLOYER}/piani/[0-9a-f-]{36}\\?esito=created`),
    );
    await expect(hr.getByTestId('cwp-categories').textContent()).resolves.toMatch(
      /IMPIEGATI[\s\S]*300,00[\s\S]*OPERAI[\s\S]*500,00/,
    );
    await portal.expectAccessible(hr);

    // Publishing needs the regulation: the refusal says so.
    await hr.getByRole('button', { name: 'Pubblica il piano' }).click();
    await hr.getByTestId('error-summary').waitFor();
    await expect(hr.getByTestId('error-summary').textContent()).resolves.toContain(
      'Caricare il regolamento',
    );

    await hr.locator('#cwp-regulation-file').setInputFiles({
      name: 'regolamento.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('regolamento'),
    });
    await hr.getByRole('button', { name: 'Carica il regolamento' }).click();
    await hr.waitForURL(/esito=uploaded/);
    const link = hr.getByTestId('cwp-regulation-link');
    await expect(link.textContent()).resolves.toContain('regolamento.pdf');
    const download = await hr.request.get(new URL((await link.getAttribute('href'))!, web).href);
    expect(download.status()).toBe(200);
    expect((await download.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await portal.expectAccessible(hr);

    await hr.getByRole('button', { name: 'Pubblica il piano' }).click();
    await hr.waitForURL(/esito=published/);
    await portal.expectAccessible(hr);
    await hr.getByRole('button', { name: 'Finanzia il piano' }).click();
    await hr.waitForURL(/esito=funded/);
    await expect(hr.getByTestId('cwp-status').textContent()).resolves.toContain('Attivo');
    const funding = (await hr.getByTestId('cwp-funding').textContent()) ?? '';
    expect(funding).toMatch(/Versato dall’azienda\s*10\.500,00/);
    expect(funding).toMatch(/Dipendenti accreditati\s*25/);
    expect(funding).toMatch(/Non assegnato\s*0,00/);
    await portal.expectAccessible(hr);

    // The plan's usage: 25 employees credited in two categories, nothing spent yet.
    await hr.getByTestId('cw-report-link').click();
    await hr.getByTestId('cw-report-totals').waitFor();
    const totals = (await hr.getByTestId('cw-report-totals').textContent()) ?? '';
    expect(totals).toMatch(/Dipendenti con credito\s*25/);
    expect(totals).toMatch(/Credito assegnato\s*10\.500,00/);
    await expect(hr.getByTestId('cw-report-spent').textContent()).resolves.toContain('0,00');
    await expect(hr.getByTestId('cw-report-categories').locator('tbody tr').count()).resolves.toBe(
      2,
    );
    await portal.expectAccessible(hr);
  });

  it('refuses the plan pages to another organisation’s staff', async () => {
    const other = await portal.staffPage(staffEmail('laEsse'));
    const response = await other.goto(`${web}/azienda/${EMPLOYER}/piani`);
    expect(response?.status()).toBe(403);
  });
});
