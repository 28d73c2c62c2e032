// Issue 15, item 6, in a browser: a Comune operator issues a pagoPA notice (a bad amount first:
// field errors, nothing issued), opens the printable notice with its QR code, uploads the PSP's
// reporting flow and sees the notice PAID; the citizen it is addressed to sees it paid too. It then
// cancels a second notice, after a confirmation stating the consequence (issue 19, item 4). Every
// page is checked with axe. On the shared platform: it reads only the notices it issues.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMUNE_ID, DEMO_ORGANISATIONS, demoCitizen, demoEmail } from '../support/demo.js';
import { flowXml, isNoticeNumber } from '../support/pagopa.js';
import { openPortal, type Portal } from '../support/portal.js';

const COMUNE = DEMO_COMUNE_ID;
const CREDITOR_CF = DEMO_ORGANISATIONS.balestrate.taxCode;
const GIULIA = demoCitizen('Giulia');
/** A reason no other test writes: the rows of this file are found by it. */
const REASON = `Compartecipazione centro estivo ${Date.now()}`;

/** A day in Rome as the form takes it (dd/mm/yyyy), `days` from today. */
const romeDate = (days: number) =>
  new Intl.DateTimeFormat('it-IT', {
    timeZone: 'Europe/Rome',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(new Date(Date.now() + days * 86_400_000));

describe('pagoPA notices in a browser', () => {
  let portal: Portal;
  let web = '';
  let operator: Page;
  let dir = '';
  const notice = { id: '', number: '', iuv: '' };

  beforeAll(async () => {
    portal = await openPortal({ shared: true });
    web = portal.web;
    dir = await mkdtemp(join(tmpdir(), 'pagopa-e2e-'));
  });
  afterAll(async () => {
    await portal?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const noticesPath = `/comune/${COMUNE}/avvisi`;

  async function fillIssueForm(page: Page, amount: string, fiscalCode = GIULIA.fiscalCode) {
    const form = page.getByTestId('pagopa-issue-form');
    await form.locator('#pagopa-debtorFiscalCode').fill(fiscalCode);
    await form.locator('#pagopa-debtorName').fill(`${GIULIA.givenName} ${GIULIA.familyName}`);
    await form.locator('#pagopa-reason').fill(REASON);
    await form.locator('#pagopa-amount').fill(amount);
    await form.locator('#pagopa-dueDate').fill(romeDate(30));
    await form.getByRole('button', { name: 'Emetti avviso' }).click();
    await page.waitForLoadState('networkidle');
  }

  it('refuses a bad amount and a bad codice fiscale field by field, issuing nothing', async () => {
    operator = await portal.staffPage(demoEmail('COMUNE', 'OPERATOR'));
    await operator.goto(`${web}${noticesPath}`);
    await expect(operator.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'Avvisi di pagamento pagoPA',
    );
    await portal.expectAccessible(operator);

    await fillIssueForm(operator, 'dieci euro');
    await expect(operator.getByTestId('error-summary').isVisible()).resolves.toBe(true);
    const amount = operator.locator('#pagopa-amount');
    await expect(amount.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(amount.inputValue()).resolves.toBe('dieci euro');
    await expect(
      operator.locator('#pagopa-debtorName').getAttribute('aria-invalid'),
    ).resolves.not.toBe('true');
    await portal.expectAccessible(operator);

    // A codice fiscale the API refuses (wrong check character): its own field error.
    await fillIssueForm(operator, '12,50', 'BNCGLI85E52G273X');
    await expect(
      operator.locator('#pagopa-debtorFiscalCode').getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await portal.expectAccessible(operator);

    await operator.goto(`${web}${noticesPath}?q=${encodeURIComponent(GIULIA.fiscalCode)}`);
    await expect(
      operator.getByTestId('pagopa-notice-row').filter({ hasText: REASON }).count(),
    ).resolves.toBe(0);
  });

  it('issues a notice and shows it printable, with its notice code and QR code', async () => {
    await operator.goto(`${web}${noticesPath}`);
    await fillIssueForm(operator, '12,50');
    expect(operator.url()).toMatch(new RegExp(`${noticesPath}/[0-9a-f-]{36}$`));
    notice.id = operator.url().split('/').pop()!;
    const card = operator.getByTestId('pagopa-notice');
    await expect(card.textContent()).resolves.toContain(REASON);
    notice.number = (
      (await operator.getByTestId('pagopa-notice-number').textContent()) ?? ''
    ).replace(/\s+/g, '');
    notice.iuv = ((await operator.getByTestId('pagopa-notice-iuv').textContent()) ?? '').trim();
    expect(isNoticeNumber(notice.number)).toBe(true);
    expect(notice.iuv).toBe(notice.number.slice(1));
    await expect(operator.getByTestId('pagopa-notice-amount').textContent()).resolves.toMatch(
      /12,50/,
    );
    await expect(operator.getByTestId('pagopa-notice-status').textContent()).resolves.toContain(
      'Da pagare',
    );
    // The QR image is the pagoPA payload of this notice, rendered on the server.
    const src = await operator.getByTestId('pagopa-qr').getAttribute('src');
    const svg = await QRCode.toString(`PAGOPA|002|${notice.number}|${CREDITOR_CF}|1250`, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 4,
      color: { dark: '#000000', light: '#ffffff' },
    });
    expect(src).toBe(`data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`);
    const loaded = await operator
      .getByTestId('pagopa-qr')
      .evaluate((img) => (img as HTMLImageElement).naturalWidth > 0);
    expect(loaded).toBe(true);
    await portal.expectAccessible(operator);
  });

  it('uploads the reporting flow: the notice is PAID, and a second upload changes nothing', async () => {
    const file = join(dir, 'flusso.xml');
    await writeFile(
      file,
      flowXml(CREDITOR_CF, [{ iuv: notice.iuv, iur: 'IUR-E2E-1', amount: '12.50' }]),
    );
    await operator.goto(`${web}${noticesPath}`);
    const upload = async () => {
      const form = operator.getByTestId('pagopa-upload-form');
      await form.locator('#pagopa-file').setInputFiles(file);
      await form.getByRole('button', { name: 'Carica il flusso' }).click();
      await operator.waitForLoadState('networkidle');
      return operator.getByTestId('pagopa-report-line').first().getAttribute('data-outcome');
    };
    await expect(upload()).resolves.toBe('PAID');
    await expect(operator.getByTestId('pagopa-report-summary').textContent()).resolves.toContain(
      '1 avvisi segnati come pagati',
    );
    await portal.expectAccessible(operator);
    await expect(upload()).resolves.toBe('ALREADY_PAID');

    await operator.goto(`${web}${noticesPath}?q=${notice.number}`);
    const row = operator.locator(
      `[data-testid="pagopa-notice-row"][data-notice="${notice.number}"]`,
    );
    await expect(row.getByTestId('pagopa-status').textContent()).resolves.toContain('Pagato');
    await portal.expectAccessible(operator);
    await operator.goto(`${web}${noticesPath}/${notice.id}`);
    await expect(operator.getByTestId('pagopa-notice-paid').textContent()).resolves.toContain(
      'IUR-E2E-1',
    );
  });

  it('shows the citizen the notice addressed to them, paid, with its printable page', async () => {
    const { page } = await portal.citizenPage(GIULIA.fiscalCode);
    await page.goto(`${web}/avvisi`);
    const row = page.getByTestId('my-pagopa-notice').filter({ hasText: REASON });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.getByTestId('pagopa-status').textContent()).resolves.toContain('Pagato');
    await portal.expectAccessible(page);
    await row.getByRole('link').click();
    await page.waitForLoadState('networkidle');
    await expect(page.getByTestId('pagopa-notice-number').textContent()).resolves.toMatch(
      /\d{4} \d{4}/,
    );
    await expect(page.getByTestId('pagopa-qr').isVisible()).resolves.toBe(true);
    await portal.expectAccessible(page);
  });

  it('cancels an unpaid notice only once the consequence is confirmed (issue 19, item 4)', async () => {
    await operator.goto(`${web}${noticesPath}`);
    await fillIssueForm(operator, '3,00');
    const number = (
      (await operator.getByTestId('pagopa-notice-number').textContent()) ?? ''
    ).replace(/\s+/g, '');
    await operator.goto(`${web}${noticesPath}?q=${number}`);
    const row = operator.locator(`[data-testid="pagopa-notice-row"][data-notice="${number}"]`);
    const cancel = row.getByRole('button', { name: /^Annulla l’avviso/ });
    // The first click changes nothing: it states the consequence; Cancel leads back.
    await cancel.click();
    await expect(operator.getByTestId('pagopa-consequence').textContent()).resolves.toMatch(
      /sarà annullato: non risulterà più da pagare e l'annullamento non si può revocare/,
    );
    await expect(operator.getByTestId('pagopa-consequence').textContent()).resolves.toMatch(
      /3,00\s*€/,
    );
    await portal.expectAccessible(operator);
    await operator.getByTestId('pagopa-cancel').click();
    await operator.waitForURL(`${web}${noticesPath}`);
    await operator.goto(`${web}${noticesPath}?q=${number}`);
    await expect(row.getByTestId('pagopa-status').textContent()).resolves.toContain('Da pagare');
    await cancel.click();
    await operator.getByTestId('pagopa-confirm-form').getByRole('button').click();
    await operator.waitForURL(`${web}${noticesPath}?esito=annullato`);
    await operator.getByText('Avviso annullato.').waitFor();
    await operator.goto(`${web}${noticesPath}?q=${number}`);
    await expect(row.getByTestId('pagopa-status').textContent()).resolves.toContain('Annullato');
  });
});
