import { readFileSync } from 'node:fs';
import * as codiceFiscaleModule from 'codice-fiscale-js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, launchBrowser, newPage } from '../support/browser.js';
import { DEMO_COMUNE_ID, demoEmail } from '../support/demo.js';
import { logInStaff } from '../support/login.js';
import type { TestPlatform } from '../support/platform.js';
import { sharedTestPlatform } from '../support/shared-platform.js';

interface CodiceFiscaleStatic {
  compute(data: {
    name: string;
    surname: string;
    gender: 'M' | 'F';
    day: number;
    month: number;
    year: number;
    birthplace: string;
    birthplaceProvincia: string;
  }): string;
}
// CommonJS exporting `{ CodiceFiscale }` while its typings declare a default export.
const moduleExports = codiceFiscaleModule as unknown as {
  CodiceFiscale?: CodiceFiscaleStatic;
  default?: { CodiceFiscale?: CodiceFiscaleStatic };
};
const CodiceFiscale = (moduleExports.CodiceFiscale ?? moduleExports.default?.CodiceFiscale)!;

/** A valid codice fiscale of someone born in Balestrate (PA). */
function fiscalCode(
  surname: string,
  name: string,
  gender: 'M' | 'F',
  [day, month, year]: [number, number, number],
): string {
  return CodiceFiscale.compute({
    name,
    surname,
    gender,
    day,
    month,
    year,
    birthplace: 'Balestrate',
    birthplaceProvincia: 'PA',
  });
}

const REGISTRY_HEADER =
  'codice_famiglia;codice_fiscale;cognome;nome;data_nascita;sesso;relazione;indirizzo;residente;disabilita';
const INCOME_HEADER = 'codice_fiscale_dichiarante;isee;tipo_isee;data_validita;sostegno_pubblico';

/** A CSV file as Italian Excel writes it: BOM, `;`, CRLF. */
function csv(lines: string[]): Buffer {
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
}

/** Names unlike the demo registry's, so the codici fiscali are new members. */
const NEW = {
  ottavio: fiscalCode('Zappulla', 'Ottavio', 'M', [14, 3, 1977]),
  ernesta: fiscalCode('Zappulla', 'Ernesta', 'F', [2, 11, 1979]),
  tancredi: fiscalCode('Quattrocchi', 'Tancredi', 'M', [21, 7, 1961]),
  filiberta: fiscalCode('Quattrocchi', 'Filiberta', 'F', [9, 9, 1990]),
  nicolo: fiscalCode('Sciortino', 'Nicolo', 'M', [5, 4, 1984]),
  agata: fiscalCode('Sciortino', 'Agata', 'F', [30, 8, 1986]),
};

describe('the registry and its imports in a browser', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let web: string;
  const run = Date.now().toString(36).toUpperCase();

  beforeAll(async () => {
    // Its own households (new codici fiscali, this run's family codes), the counts compared
    // within a test: the worker's shared platform (support/shared-platform.ts).
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

  async function staffLogin(page: Page, email: string): Promise<void> {
    await logInStaff(page, web, email);
  }

  async function managerPage(): Promise<{ page: Page; close: () => Promise<void> }> {
    const { context, page } = await newPage(browser);
    await staffLogin(page, demoEmail('COMUNE', 'MANAGER'));
    return { page, close: () => context.close() };
  }

  /** The number in `households-count` ("300 nuclei"). */
  async function householdsCount(page: Page): Promise<number> {
    const text = (await page.getByTestId('households-count').textContent()) ?? '';
    const digits = /(\d[\d.]*)/.exec(text)?.[1]?.replace(/\./g, '');
    expect(digits, `households-count: ${text}`).toBeTruthy();
    return Number(digits);
  }

  async function registryCount(page: Page): Promise<number> {
    await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/anagrafe`);
    return householdsCount(page);
  }

  /** Uploads a file from the imports page and waits for the job page to show the outcome. */
  async function upload(
    page: Page,
    kind: 'REGISTRY' | 'INCOME',
    name: string,
    buffer: Buffer,
    beforeSubmit: () => Promise<void> = () => Promise.resolve(),
  ): Promise<string> {
    await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/importazioni`);
    const form = page.getByTestId('import-form');
    await form.getByLabel('Tipo di dati').selectOption(kind);
    await form.getByLabel(/^File CSV/).setInputFiles({ name, mimeType: 'text/csv', buffer });
    await beforeSubmit();
    await form.getByRole('button', { name: 'Carica file' }).click();
    await page.waitForURL(new RegExp(`/comune/${DEMO_COMUNE_ID}/importazioni/[0-9a-f-]{36}$`));
    // The page refreshes itself every 2 s (no JavaScript) until the job is over.
    await expect
      .poll(
        async () =>
          (await page
            .getByTestId('import-status')
            .textContent({ timeout: 2_000 })
            .catch(() => '')) ?? '',
        { timeout: 45_000, interval: 500 },
      )
      .toMatch(/Completata|Non riuscita/);
    return (await page.getByTestId('import-status').textContent()) ?? '';
  }

  it('shows the manager the registry with its count, a filter and pages', async () => {
    const { page, close } = await managerPage();
    await page.getByTestId('nav-comune').click();
    await page.waitForURL(`${web}/comune`);
    await expectAccessible(page);
    await page.getByTestId('nav-anagrafe').click();
    await page.waitForURL(`${web}/comune/${DEMO_COMUNE_ID}/anagrafe`);
    await expectAccessible(page);

    const all = await householdsCount(page);
    expect(all).toBeGreaterThanOrEqual(250);
    await expect(page.getByTestId('households-table').locator('tbody tr').count()).resolves.toBe(
      50,
    );

    const filter = page.getByTestId('households-filter');
    await filter.getByLabel(/^ISEE massimo/).fill('10.000');
    await filter.getByRole('button', { name: 'Applica i filtri' }).click();
    await page.waitForURL(/iseeMax=10\.000/);
    const poorer = await householdsCount(page);
    expect(poorer).toBeGreaterThan(0);
    expect(poorer).toBeLessThan(all);
    await expect(
      page
        .getByTestId('households-filter')
        .getByLabel(/^ISEE massimo/)
        .inputValue(),
    ).resolves.toBe('10.000');
    await expectAccessible(page);

    // A narrower filter on top: fewer still (or as many).
    await filter.getByLabel('Con minorenni').selectOption('true');
    await filter.getByRole('button', { name: 'Applica i filtri' }).click();
    await page.waitForURL(/hasMinors=true/);
    expect(await householdsCount(page)).toBeLessThanOrEqual(poorer);

    // An amount that is not one: a field error, no list.
    await filter.getByLabel(/^ISEE massimo/).fill('diecimila');
    await filter.getByRole('button', { name: 'Applica i filtri' }).click();
    await page.waitForURL(/iseeMax=diecimila/);
    await expect(page.getByTestId('error-summary').isVisible()).resolves.toBe(true);
    await expect(page.locator('#filter-iseeMax[aria-invalid="true"]').count()).resolves.toBe(1);
    await expect(page.getByTestId('households-count').count()).resolves.toBe(0);
    await expectAccessible(page);

    // The next page through the cursor, keeping the count.
    await page.getByRole('link', { name: 'Togli i filtri' }).click();
    await page.waitForURL(`${web}/comune/${DEMO_COMUNE_ID}/anagrafe`);
    const firstCode = await page
      .getByTestId('households-table')
      .locator('tbody th')
      .first()
      .textContent();
    await page.getByRole('link', { name: 'Pagina successiva' }).click();
    await page.waitForURL(/after=/);
    expect(await householdsCount(page)).toBe(all);
    const nextCode = await page
      .getByTestId('households-table')
      .locator('tbody th')
      .first()
      .textContent();
    expect(nextCode).not.toBe(firstCode);
    await expectAccessible(page);
    await close();
  });

  it('imports a valid registry file: the job succeeds and the registry grows by 2', async () => {
    const { page, close } = await managerPage();
    const before = await registryCount(page);

    await page.goto(`${web}/comune`);
    await page.getByTestId('nav-importazioni').click();
    await page.waitForURL(`${web}/comune/${DEMO_COMUNE_ID}/importazioni`);
    await expectAccessible(page);

    const file = csv([
      REGISTRY_HEADER,
      `E2E-${run}-1;${NEW.ottavio};Zappulla;Ottavio;14/03/1977;M;INTESTATARIO;Via del Mare 10;SI;NO`,
      `E2E-${run}-1;${NEW.ernesta};Zappulla;Ernesta;02/11/1979;F;CONIUGE;Via del Mare 10;SI;NO`,
      `E2E-${run}-2;${NEW.tancredi};Quattrocchi;Tancredi;21/07/1961;M;INTESTATARIO;"Via Roma 3; scala B";SI;SI`,
    ]);
    const status = await upload(page, 'REGISTRY', 'anagrafe.csv', file);
    expect(status).toContain('Completata');
    await expect(page.getByTestId('import-status').getAttribute('role')).resolves.toBe('status');
    await expect(page.getByTestId('import-rejections').count()).resolves.toBe(0);
    await expect(page.locator('meta[http-equiv="refresh"]').count()).resolves.toBe(0);
    await expectAccessible(page);

    expect(await registryCount(page)).toBe(before + 2);
    await expectAccessible(page);

    // The job is listed with its Italian status.
    await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/importazioni`);
    await expect(
      page.getByTestId('import-jobs').getByText('Completata').count(),
    ).resolves.toBeGreaterThan(0);
    await close();
  });

  it('refuses malformed files: FAILED with the rejected lines, nothing imported', async () => {
    const { page, close } = await managerPage();
    const before = await registryCount(page);

    // A bad codice fiscale on line 2, a date that does not exist on line 3.
    const registry = csv([
      REGISTRY_HEADER,
      `E2E-${run}-9;RSSMRA80A01A592Z;Rossi;Mario;01/01/1980;M;INTESTATARIO;Via Palermo 1;SI;NO`,
      `E2E-${run}-9;${NEW.filiberta};Quattrocchi;Filiberta;31/02/1990;F;FIGLIO;Via Palermo 1;SI;NO`,
    ]);
    const status = await upload(page, 'REGISTRY', 'anagrafe-errata.csv', registry);
    expect(status).toContain('Non riuscita');
    const rejections = page.getByTestId('import-rejections');
    const lines = await rejections.locator('tbody tr td:first-child').allTextContents();
    expect(lines.map((l) => l.trim())).toEqual(expect.arrayContaining(['2', '3']));
    await expect(rejections.getByText('codice_fiscale').count()).resolves.toBeGreaterThan(0);
    await expect(rejections.getByText('data_nascita').count()).resolves.toBeGreaterThan(0);
    await expectAccessible(page);
    // Every rejection as a file, through the portal and the gateway.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Scarica tutte le righe rifiutate (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('scarti-importazione.csv');
    const chunks: Buffer[] = [];
    for await (const chunk of (await download.createReadStream()) as AsyncIterable<Buffer>) {
      chunks.push(chunk);
    }
    const file = Buffer.concat(chunks)
      .toString('utf8')
      .replace(/^\ufeff/, '')
      .split('\r\n');
    expect(file[0]).toBe('riga;campo;motivo;reason');
    expect(file.filter((l) => /^[23];/.test(l)).length).toBeGreaterThanOrEqual(2);

    // A negative ISEE on line 2, a bad validity date on line 3.
    const income = csv([
      INCOME_HEADER,
      `${NEW.ottavio};-1.500,00;ORDINARIO;31/12/2026;NO`,
      `${NEW.tancredi};4.000,00;ORDINARIO;32/13/2026;SI`,
    ]);
    const incomeStatus = await upload(page, 'INCOME', 'isee-errato.csv', income);
    expect(incomeStatus).toContain('Non riuscita');
    const incomeLines = await page
      .getByTestId('import-rejections')
      .locator('tbody tr td:first-child')
      .allTextContents();
    expect(incomeLines.map((l) => l.trim())).toEqual(expect.arrayContaining(['2', '3']));
    await expect(
      page.getByTestId('import-rejections').getByText('isee', { exact: true }).count(),
    ).resolves.toBeGreaterThan(0);
    await expectAccessible(page);

    expect(await registryCount(page)).toBe(before);

    // Not a CSV, and an empty file: a field error, the gateway is not called.
    await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/importazioni`);
    const jobsBefore = await page.getByTestId('import-jobs').locator('tbody tr').count();
    const form = page.getByTestId('import-form');
    await form.getByLabel('Tipo di dati').selectOption('REGISTRY');
    await form
      .getByLabel(/^File CSV/)
      .setInputFiles({ name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('ciao') });
    await form.getByRole('button', { name: 'Carica file' }).click();
    await page.waitForLoadState('load');
    await expect(page.getByTestId('error-summary').isVisible()).resolves.toBe(true);
    await expect(page.locator('#import-file[aria-invalid="true"]').count()).resolves.toBe(1);
    await expectAccessible(page);
    await form.getByLabel('Tipo di dati').selectOption('REGISTRY');
    await form
      .getByLabel(/^File CSV/)
      .setInputFiles({ name: 'vuoto.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) });
    await form.getByRole('button', { name: 'Carica file' }).click();
    await page.waitForLoadState('load');
    await expect(page.locator('#import-file-error').textContent()).resolves.toContain('vuoto');
    await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/importazioni`);
    await expect(page.getByTestId('import-jobs').locator('tbody tr').count()).resolves.toBe(
      jobsBefore,
    );
    await close();
  });

  it('takes a registry export as exported: its own column names, Windows-1252, no residente', async () => {
    const { context, page } = await newPage(browser);
    await staffLogin(page, demoEmail('COMUNE', 'OPERATOR'));
    const before = await registryCount(page);
    await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/importazioni`);
    // The page lists the columns, the names recognised for them, and offers a template.
    const columns = page.getByTestId('import-columns');
    await expect(columns.getByText('ID_FAMIGLIA', { exact: false }).count()).resolves.toBe(1);
    await expectAccessible(page);
    const [template] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Scarica il modello CSV (Anagrafe)' }).click(),
    ]);
    expect(template.suggestedFilename()).toBe('modello-anagrafe.csv');
    const templateText = readFileSync(await template.path(), 'utf8');
    expect(templateText.split('\r\n')[0]).toBe(`\ufeff${REGISTRY_HEADER}`);

    // A header the platform does not know (NASC_DT): the operator maps it for the Comune.
    const mapping = page.getByTestId('mapping-form');
    await mapping.locator('#mapping-header-0').fill('NASC_DT');
    await mapping.getByRole('button', { name: 'Salva l’associazione' }).click();
    await page.waitForLoadState('load');
    await expect(page.locator('#mapping-column-0[aria-invalid="true"]').count()).resolves.toBe(1);
    await expect(page.getByTestId('error-summary').isVisible()).resolves.toBe(true);
    await expectAccessible(page);
    await mapping.locator('#mapping-column-0').selectOption('data_nascita');
    await mapping.getByRole('button', { name: 'Salva l’associazione' }).click();
    await page.waitForURL(/associazione=salvata/);
    await expect(page.locator('#mapping-header-0').inputValue()).resolves.toBe('NASC_DT');
    await expectAccessible(page);

    // Excel's classic "CSV" of a registry product: its header names, Windows-1252 (Ò = 0xD2).
    const file = Buffer.from(
      [
        'ID_FAMIGLIA;CODICE_FISCALE;COGNOME;NOME;NASC_DT;SESSO;RAPPORTO_PARENTELA;INDIRIZZO',
        `E2E-${run}-W;${NEW.nicolo};SCIORTINO;NICOLÒ;05/04/1984;M;INTESTATARIO;VIA DEL MARE 12`,
        `E2E-${run}-W;${NEW.agata};SCIORTINO;AGATA;30/08/1986;F;CONIUGE;VIA DEL MARE 12`,
      ].join('\r\n'),
      'latin1',
    );
    // With JavaScript the page previews the file before it is uploaded: format, mapping, rows.
    const status = await upload(page, 'REGISTRY', 'export-anagrafe.csv', file, async () => {
      const preview = page.getByTestId('import-preview');
      await preview.waitFor({ timeout: 15_000 });
      await expect(preview.getByTestId('preview-encoding').textContent()).resolves.toBe(
        'WINDOWS-1252',
      );
      await expect(preview.getByTestId('preview-separator').textContent()).resolves.toContain(';');
      await expect(
        preview.getByRole('row', { name: /NASC_DT data_nascita/ }).count(),
      ).resolves.toBe(1);
      const rows = preview.getByTestId('preview-rows');
      await expect(rows.getByRole('cell', { name: 'NICOLÒ', exact: true }).count()).resolves.toBe(
        1,
      );
      await expect(rows.locator('tbody tr').count()).resolves.toBe(2);
      await expectAccessible(page);
    });
    expect(status).toContain('Completata');
    await expect(page.getByTestId('import-encoding').textContent()).resolves.toBe('WINDOWS-1252');
    await expect(page.getByTestId('import-changed').textContent()).resolves.toContain(
      '2 righe hanno modificato',
    );
    await expectAccessible(page);
    expect(await registryCount(page)).toBe(before + 1);

    // The demo Comune's mapping is left as it was: empty.
    await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/importazioni`);
    await page.locator('#mapping-header-0').fill('');
    await page.locator('#mapping-column-0').selectOption('');
    await page.getByRole('button', { name: 'Salva l’associazione' }).click();
    await page.waitForURL(/associazione=salvata/);
    await expect(page.locator('#mapping-header-0').inputValue()).resolves.toBe('');
    await context.close();
  });

  it('streams a large file: the job page shows rows read while the file is still sent', async () => {
    const { context, page } = await newPage(browser);
    await staffLogin(page, demoEmail('COMUNE', 'OPERATOR'));
    // ~3 MB of rows the job rejects (no codice fiscale): it writes nothing to the registry.
    const rows = Array.from(
      { length: 32_000 },
      (_, i) =>
        `E2E-${run}-L${i};NON-VALIDO;Lunghi;Flusso;01/01/1980;M;INTESTATARIO;Via Lunga ${i};SI;NO`,
    );
    const file = csv([REGISTRY_HEADER, ...rows]);
    await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/importazioni`);
    const form = page.getByTestId('import-form');
    await form.getByLabel('Tipo di dati').selectOption('REGISTRY');
    await form
      .getByLabel(/^File CSV/)
      .setInputFiles({ name: 'grande.csv', mimeType: 'text/csv', buffer: file });
    const clicked = Date.now();
    await form.getByRole('button', { name: 'Carica file' }).click();
    await page.waitForURL(new RegExp(`/comune/${DEMO_COMUNE_ID}/importazioni/[0-9a-f-]{36}$`));
    const jobUrl = page.url();
    await expect(page.getByTestId('import-status').getAttribute('data-status')).resolves.toMatch(
      /QUEUED|RUNNING/,
    );
    await expect(page.getByTestId('import-sending').count()).resolves.toBe(1);
    await expect(page.locator('meta[http-equiv="refresh"]').count()).resolves.toBe(0);
    await expect
      .poll(
        async () =>
          Number((await page.getByTestId('import-rows-read').textContent())?.replace(/\./g, '')),
        {
          timeout: 15_000,
          interval: 250,
        },
      )
      .toBeGreaterThan(0);
    const seconds = (Date.now() - clicked) / 1000;
    console.info(`import-upload: rows read shown ${seconds.toFixed(1)} s after "Carica file"`);
    await expect(page.getByTestId('import-status').getAttribute('data-status')).resolves.toBe(
      'RUNNING',
    );
    await expect(page.getByTestId('import-sending').count()).resolves.toBe(1);
    await expectAccessible(page);
    // Closing the tab stops the upload: its job fails within seconds.
    await context.close();
    // Without JavaScript (the portal's hydration is not waited on): a fresh look at the job.
    const otherContext = await browser.newContext({ locale: 'it-IT', javaScriptEnabled: false });
    const other = { context: otherContext, page: await otherContext.newPage() };
    await staffLogin(other.page, demoEmail('COMUNE', 'OPERATOR'));
    await expect
      .poll(
        async () => {
          await other.page.goto(jobUrl);
          return other.page.getByTestId('import-status').getAttribute('data-status');
        },
        { timeout: 15_000, interval: 1_000 },
      )
      .toBe('FAILED');
    await other.context.close();
  });

  it('imports without JavaScript as a multipart form', async () => {
    const context = await browser.newContext({ locale: 'it-IT', javaScriptEnabled: false });
    const page = await context.newPage();
    await staffLogin(page, demoEmail('COMUNE', 'OPERATOR'));
    await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/importazioni`);
    const form = page.getByTestId('import-form');
    await form.getByLabel('Tipo di dati').selectOption('REGISTRY');
    await form.getByLabel(/^File CSV/).setInputFiles({
      name: 'senza-js.csv',
      mimeType: 'text/csv',
      buffer: csv([
        REGISTRY_HEADER,
        `E2E-${run}-N;NON-VALIDO;Senza;Script;01/01/1980;M;INTESTATARIO;Via Piana 1;SI;NO`,
      ]),
    });
    await form.getByRole('button', { name: 'Carica file' }).click();
    await page.waitForURL(new RegExp(`/comune/${DEMO_COMUNE_ID}/importazioni/[0-9a-f-]{36}$`));
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByTestId('import-status').getAttribute('data-status');
        },
        { timeout: 15_000, interval: 1_000 },
      )
      .toBe('FAILED');
    await expect(page.getByTestId('import-sending').count()).resolves.toBe(0);
    await context.close();
  });

  it("keeps a Comune's registry from a cooperative's admin (403)", async () => {
    const { context, page } = await newPage(browser);
    await staffLogin(page, demoEmail('COOPERATIVE', 'ADMIN'));
    for (const path of ['anagrafe', 'importazioni']) {
      const response = await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/${path}`);
      expect(response?.status()).toBe(403);
      await expect(page.getByTestId('error-page').getAttribute('data-status')).resolves.toBe('403');
      await expect(page.getByTestId('households-count').count()).resolves.toBe(0);
      await expectAccessible(page);
    }
    await context.close();
  });
});
