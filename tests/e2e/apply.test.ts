import pg from 'pg';
import type { Browser, Download, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, launchBrowser, newPage } from '../support/browser.js';
import {
  DEMO_CAMPAIGN_ID,
  DEMO_CAMPAIGN_TITLE,
  DEMO_CITIZEN,
  DEMO_PASSWORD,
  demoCitizen,
  demoEmail,
} from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { logInCitizen, logInStaff } from '../support/login.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

/** The demo campaign "Buoni spesa 2026" of the demo Comune (public-welfare's demo data). */
const CAMPAIGN = DEMO_CAMPAIGN_ID;
const CAMPAIGN_TITLE = DEMO_CAMPAIGN_TITLE;
/** Demo citizens of the registry: ISEE 25.000 € (above the threshold), and an eligible mother. */
const GIUSEPPE = demoCitizen('Giuseppe').fiscalCode;
const GIULIA = demoCitizen('Giulia').fiscalCode;

/**
 * Ticks a checkbox by clicking its label, as a person does: Bootstrap Italia draws its own box in
 * the label over the native checkbox (which stays the focusable control).
 */
async function tick(checkbox: Locator): Promise<void> {
  // Once the page is hydrated: hydration would reset a box ticked just before it.
  await checkbox.page().waitForLoadState('networkidle');
  if (await checkbox.isChecked()) return;
  const id = await checkbox.getAttribute('id');
  await checkbox.page().locator(`label[for="${id}"]`).click();
  expect(await checkbox.isChecked()).toBe(true);
}

/** A small but real PDF (the subgraph recognises PDF, JPEG and PNG by their first bytes). */
function pdf(label: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${label}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );
}

describe('applying to a measure in a browser', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let web: string;
  const formPath = `/misure/${CAMPAIGN}/domanda`;
  /** Mario's application, once submitted (ranked in a later test). */
  let mario: { id: string; protocol: string } | undefined;

  beforeAll(async () => {
    platform = await startTestPlatform({ web: true });
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

  /** The test SPID/CIE provider's form, once the browser is there. */
  async function spidProvider(page: Page, fiscalCode: string): Promise<void> {
    await page.waitForURL(new RegExp(`^${platform.urls.oidc}`));
    await page.getByLabel('Codice fiscale').fill(fiscalCode);
    await page.getByRole('button', { name: 'Entra' }).click();
  }

  /** A citizen logs in from the login page (SPID/CIE) and lands on the profile. */
  async function citizenPage(fiscalCode: string) {
    const { context, page } = await newPage(browser);
    await logInCitizen(page, web, platform.urls.oidc, fiscalCode);
    return { page, close: () => context.close() };
  }

  async function step(page: Page): Promise<string | null> {
    return page.getByTestId('apply-step').getAttribute('data-step');
  }

  /** The rows of "Le mie domande": status and protocol, by measure title. */
  async function myApplications(page: Page) {
    await page.goto(`${web}/domande`);
    const rows = page.getByTestId('application-row');
    const found: { title: string; status: string; protocol: string }[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      found.push({
        title: ((await row.locator('th').textContent()) ?? '').trim(),
        status: (await row.getAttribute('data-status')) ?? '',
        protocol: ((await row.locator('td').first().textContent()) ?? '').trim(),
      });
    }
    return found;
  }

  async function downloadBytes(download: Download): Promise<Buffer> {
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Through the form with every step done right, for a citizen already on the privacy notice's step. */
  async function completeForm(page: Page, document: Buffer): Promise<void> {
    await tick(page.getByLabel(/Ho letto l’informativa/));
    await page.getByRole('button', { name: 'Continua' }).click();
    await page.waitForURL(/passo=dati/);
    await page.getByTestId('apply-next').click();
    await page.waitForURL(/passo=contatti/);
    for (const box of await page.getByTestId('declarations').getByRole('checkbox').all()) {
      await tick(box);
    }
    await page.getByRole('button', { name: 'Salva e continua' }).click();
    await page.waitForURL(/passo=documenti/);
    const form = page.getByTestId('document-form-DOCUMENTO_IDENTITA');
    await form.locator('input[type=file]').setInputFiles({
      name: 'documento.pdf',
      mimeType: 'application/pdf',
      buffer: document,
    });
    await form.getByRole('button', { name: 'Carica il documento' }).click();
    await page.getByTestId('document-stored').waitFor();
    await page.getByTestId('apply-next').click();
    await page.waitForURL(/passo=riepilogo/);
  }

  it('shows the measures and the measure page to everyone, accessibly', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(web);
    await page.getByTestId('home-measures').click();
    await page.waitForURL(`${web}/misure`);
    await expect(page.getByTestId('nav-misure').getAttribute('aria-current')).resolves.toBe('page');
    await expectAccessible(page);

    await page.getByRole('link', { name: CAMPAIGN_TITLE, exact: true }).click();
    await page.waitForURL(`${web}/misure/${CAMPAIGN}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      CAMPAIGN_TITLE,
    );
    const rules = (await page.getByTestId('measure-rules').textContent()) ?? '';
    expect(rules).toContain('residenti');
    expect(rules).toMatch(/ISEE ordinario fino a 12\.000,00/i);
    await expect(page.getByTestId('measure-documents').textContent()).resolves.toContain(
      'Documento d’identità del richiedente',
    );
    await expect(page.getByTestId('measure-amounts').textContent()).resolves.toContain('150,00');
    await expect(page.getByText('Servizi Sociali').first().isVisible()).resolves.toBe(true);
    // Not ranked yet: no ranking section and no downloads.
    await expect(page.getByTestId('ranking-downloads').count()).resolves.toBe(0);
    await expectAccessible(page);
    await context.close();
  });

  it('sends an anonymous visitor who opens the form to log in, then back to the form', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(`${web}/misure/${CAMPAIGN}`);
    await page.getByTestId('apply-start').click();
    await page.waitForURL(/\/accedi\?redirectTo=/);
    expect(new URL(page.url()).searchParams.get('redirectTo')).toBe(formPath);
    await page.getByTestId('login-spid').click();
    await spidProvider(page, GIULIA);
    await page.waitForURL(`${web}${formPath}`);
    expect(await step(page)).toBe('informativa');
    await context.close();
  });

  it('lets Mario apply: the privacy notice acknowledged (and recorded) and declarations checked, a draft resumed, documents checked, one submission, the receipt', async () => {
    const citizen = await citizenPage(DEMO_CITIZEN.fiscalCode);
    const { page } = citizen;

    // From the catalogue to the form.
    await page.getByTestId('nav-misure').click();
    await page.getByRole('link', { name: CAMPAIGN_TITLE, exact: true }).click();
    await page.getByTestId('apply-start').click();
    await page.waitForURL(`${web}${formPath}`);
    expect(await step(page)).toBe('informativa');
    await expectAccessible(page);

    // No consent is asked (the Comune's public task is the legal basis): the step links to the
    // citizens' privacy notice and asks to acknowledge it.
    await expect(page.getByTestId('apply-step').textContent()).resolves.not.toMatch(/acconsento/i);
    const notice = page.getByTestId('apply-privacy-notice');
    await expect(notice.getAttribute('href')).resolves.toBe('/privacy/cittadini');

    // Without the acknowledgement: a field error, and nothing is saved.
    await page.getByRole('button', { name: 'Continua' }).click();
    await page.getByTestId('error-summary').waitFor();
    await expect(page.locator('#apply-privacy').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#apply-privacy-error').textContent()).resolves.toContain(
      'informativa',
    );
    await expect(
      page.getByTestId('error-summary').getByRole('link').getAttribute('href'),
    ).resolves.toBe('#apply-privacy');
    await expectAccessible(page);
    expect(await myApplications(page)).toEqual([]);

    // The notice the step links to, and its version.
    await page.goto(`${web}${formPath}`);
    await page.getByTestId('apply-privacy-notice').click();
    await page.waitForURL(`${web}/privacy/cittadini`);
    const noticeVersion = await page
      .getByTestId('privacy-notice-version')
      .getAttribute('data-version');
    expect(noticeVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // Acknowledged: the draft exists, with who acknowledged which version, and when.
    await page.goto(`${web}${formPath}`);
    const acknowledgedFrom = Date.now();
    await tick(page.getByLabel(/Ho letto l’informativa/));
    await page.getByRole('button', { name: 'Continua' }).click();
    await page.waitForURL(/passo=dati/);
    const session = (await page.context().cookies(web)).find((c) => c.name === 'session');
    const viewer = await gql<{ viewer: { person: { id: string } } }>(
      platform.urls.gateway,
      `{ viewer { person { id } } }`,
      {},
      { token: session?.value },
    );
    const db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ version: string; by: string; at: Date }>(
        `select privacy_notice_version as version, privacy_notice_acknowledged_by as by,
                privacy_notice_acknowledged_at as at
           from public_welfare.application
          where campaign_id = $1 and created_by = $2 and status = 'DRAFT'`,
        [CAMPAIGN, viewer.data?.viewer.person.id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]!.version).toBe(noticeVersion);
      expect(rows[0]!.by).toBe(viewer.data?.viewer.person.id);
      expect(rows[0]!.at.getTime()).toBeGreaterThanOrEqual(acknowledgedFrom - 5_000);
      expect(rows[0]!.at.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
    } finally {
      await db.end();
    }
    await expect(page.getByTestId('household-members').locator('tbody tr').count()).resolves.toBe(
      4,
    );
    await expect(page.getByTestId('household-isee').textContent()).resolves.toContain('8500,00');
    await expect(
      page.getByTestId('prefill-checks').getByTestId('check-ISEE').getAttribute('data-passed'),
    ).resolves.toBe('true');
    await expect(page.getByTestId('expected-amount').textContent()).resolves.toContain('350,00');
    await expectAccessible(page);
    await page.getByTestId('apply-next').click();
    await page.waitForURL(/passo=contatti/);

    // Mario leaves without submitting…
    await page.goto(web);
    expect((await myApplications(page)).map((a) => a.status)).toEqual(['DRAFT']);

    // …and comes back from the measure page: the draft is resumed where there is work left.
    await page.goto(`${web}/misure/${CAMPAIGN}`);
    await page.getByTestId('apply-start').click();
    await page.getByTestId('draft-resumed').waitFor();
    expect(await step(page)).toBe('contatti');

    // Contacts saved, but the declarations are not accepted: a field error, no next step.
    await page.getByLabel(/^Email/).fill('mario.rossi@example.it');
    await page.getByLabel(/^Cellulare/).fill('+393331234567');
    await page.getByRole('button', { name: 'Salva e continua' }).click();
    await page.getByTestId('error-summary').waitFor();
    expect(await step(page)).toBe('contatti');
    await expect(page.locator('#apply-declarations-error').textContent()).resolves.toContain(
      'dichiarazioni',
    );
    await expect(
      page.locator('#apply-declaration-VERIDICITA').getAttribute('aria-describedby'),
    ).resolves.toContain('apply-declarations-error');
    await expectAccessible(page);

    // Submitting from the summary without declarations (nor documents) is refused too.
    await page.goto(`${web}${formPath}?passo=riepilogo`);
    await expect(page.getByTestId('apply-summary').textContent()).resolves.toContain(
      'mario.rossi@example.it',
    );
    await page.getByTestId('apply-submit').click();
    const refusal = page.getByTestId('error-summary');
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toContain('Dichiarazioni');
    await expect(refusal.textContent()).resolves.toContain('Documento d’identità');
    expect(await myApplications(page)).toEqual([
      { title: CAMPAIGN_TITLE, status: 'DRAFT', protocol: '–' },
    ]);

    // Declarations accepted.
    await page.goto(`${web}${formPath}?passo=contatti`);
    await expect(page.getByLabel(/^Email/).inputValue()).resolves.toBe('mario.rossi@example.it');
    for (const box of await page.getByTestId('declarations').getByRole('checkbox').all()) {
      await tick(box);
    }
    await page.getByRole('button', { name: 'Salva e continua' }).click();
    await page.waitForURL(/passo=documenti/);
    await expectAccessible(page);

    const form = page.getByTestId('document-form-DOCUMENTO_IDENTITA');
    const fileInput = form.locator('input[type=file]');
    const upload = async (name: string, buffer: Buffer) => {
      await fileInput.setInputFiles({ name, mimeType: 'application/pdf', buffer });
      await form.getByRole('button', { name: 'Carica il documento' }).click();
    };

    // A text file renamed .pdf: refused with a clear message on the field.
    await upload('documento.pdf', Buffer.from('Questo non è un PDF, solo testo.\n'));
    await page.getByTestId('error-summary').waitFor();
    await expect(
      page.locator('#document-DOCUMENTO_IDENTITA-error').textContent(),
    ).resolves.toContain('Sono ammessi solo PDF, JPEG o PNG');
    await expect(
      page.locator('#document-DOCUMENTO_IDENTITA').getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await expect(page.getByTestId('document-uploaded-DOCUMENTO_IDENTITA').count()).resolves.toBe(0);

    // A file over 5 MB: refused with a clear message.
    const big = Buffer.concat([pdf('grande'), Buffer.alloc(5 * 1024 * 1024, 0x20)]);
    await upload('grande.pdf', big);
    await page.getByTestId('error-summary').waitFor();
    await expect(
      page.locator('#document-DOCUMENTO_IDENTITA-error').textContent(),
    ).resolves.toContain('5 MB');
    await expect(page.getByTestId('document-uploaded-DOCUMENTO_IDENTITA').count()).resolves.toBe(0);

    // The identity document as a PDF: stored.
    await upload('carta-identita.pdf', pdf('carta d’identità di Mario'));
    await page.getByTestId('document-stored').waitFor();
    await expect(
      page.getByTestId('document-uploaded-DOCUMENTO_IDENTITA').textContent(),
    ).resolves.toContain('carta-identita.pdf');
    await page.getByTestId('apply-next').click();
    await page.waitForURL(/passo=riepilogo/);
    await expect(page.getByTestId('apply-summary').textContent()).resolves.toContain(
      'carta-identita.pdf',
    );
    await expectAccessible(page);

    // Submitted with a double click; then the same form posted again: one application.
    const submitForm = page.getByTestId('submit-form');
    const draftId = await submitForm.locator('input[name=draft]').inputValue();
    const action = new URL((await submitForm.getAttribute('action')) ?? '', page.url()).toString();
    await page.getByTestId('apply-submit').dblclick();
    await page.waitForURL(new RegExp(`/domanda/ricevuta/${draftId}$`));
    const replay = await page.request.post(action, {
      form: { draft: draftId },
      // As the browser posts the form (SvelteKit answers JSON to `accept: */*`).
      headers: { origin: web, accept: 'text/html' },
      maxRedirects: 0,
    });
    expect(replay.status()).toBe(303);
    expect(replay.headers().location).toBe(`${formPath}/ricevuta/${draftId}`);

    // The receipt: protocol number, every check passed, the PDF.
    const protocol = (await page.getByTestId('protocol-number').textContent())?.trim() ?? '';
    expect(protocol).toMatch(/^\d{4}\/\d{6}$/);
    const checks = page.getByTestId('checks').locator('li');
    expect(await checks.count()).toBeGreaterThanOrEqual(5);
    for (const check of await checks.all()) {
      await expect(check.getAttribute('data-passed')).resolves.toBe('true');
    }
    await expectAccessible(page);
    const receiptLink = page.getByRole('link', { name: 'Scarica la ricevuta (PDF)' });
    const [download] = await Promise.all([page.waitForEvent('download'), receiptLink.click()]);
    const receipt = await downloadBytes(download);
    expect(receipt.subarray(0, 4).toString('latin1')).toBe('%PDF');

    mario = { id: draftId, protocol };

    // "Le mie domande": one application, submitted, with its protocol number.
    await page.getByTestId('nav-domande').click();
    await page.waitForURL(`${web}/domande`);
    await expectAccessible(page);
    expect(await myApplications(page)).toEqual([
      { title: CAMPAIGN_TITLE, status: 'SUBMITTED', protocol },
    ]);

    // Its page: status, the document, and the timeline as an ordered list.
    await page.getByRole('link', { name: CAMPAIGN_TITLE, exact: true }).click();
    await page.waitForURL(`${web}/domande/${draftId}`);
    await expect(page.getByTestId('application-status').getAttribute('data-status')).resolves.toBe(
      'SUBMITTED',
    );
    await expect(page.getByTestId('application-protocol').textContent()).resolves.toBe(protocol);
    const timeline = page.getByTestId('timeline');
    await expect(timeline.evaluate((el) => el.tagName)).resolves.toBe('OL');
    const kinds = await timeline
      .getByTestId('timeline-event')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-kind')));
    expect(kinds).toEqual(['DRAFT_CREATED', 'DOCUMENT_UPLOADED', 'SUBMITTED', 'CHECKS_RUN']);
    await expect(timeline.textContent()).resolves.toContain('Domanda inviata');
    const documentHref = await page
      .getByTestId('application-documents')
      .getByRole('link', { name: 'carta-identita.pdf' })
      .getAttribute('href');
    const stored = await page.request.get(new URL(documentHref ?? '', web).toString());
    expect(stored.status()).toBe(200);
    expect((await stored.body()).toString('latin1')).toContain('carta d');
    await expectAccessible(page);

    // The form now leads to the application: a household applies once.
    await page.goto(`${web}${formPath}`);
    await page.waitForURL(`${web}/domande/${draftId}`);
    await citizen.close();
  }, 180_000);

  it('publishes the ranking by protocol number, with its CSV and PDF, once computed', async () => {
    expect(mario, 'Mario applied in the previous test').toBeDefined();
    const submitted = mario!;
    const manager = await login(
      platform.urls.gateway,
      demoEmail('COMUNE', 'MANAGER'),
      DEMO_PASSWORD,
    );
    const approved = await gql(
      platform.urls.gateway,
      `mutation($id: ID!) { decideApplication(id: $id, approve: true, reason: null) { status } }`,
      { id: submitted.id },
      { token: manager.token },
    );
    expect(approved.errors, JSON.stringify(approved.errors)).toBeUndefined();
    const ranked = await gql(
      platform.urls.gateway,
      `mutation($id: ID!) { rankCampaign(campaignId: $id) { rankedAt } }`,
      { id: CAMPAIGN },
      { token: manager.token },
    );
    expect(ranked.errors, JSON.stringify(ranked.errors)).toBeUndefined();

    const { context, page } = await newPage(browser);
    await page.goto(`${web}/misure/${CAMPAIGN}`);
    const rows = page.getByTestId('ranking').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().textContent()).resolves.toContain(submitted.protocol);
    await expect(rows.first().textContent()).resolves.toContain('Finanziata');
    // No names in the published ranking.
    await expect(page.getByTestId('ranking').textContent()).resolves.not.toContain('Rossi');
    await expectAccessible(page);

    // The files are public too (no login), streamed through the gateway.
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Scarica la graduatoria (CSV)' }).click(),
    ]);
    const csvText = (await downloadBytes(csv)).toString('utf8');
    expect(csvText).toMatch(/^\ufeffposizione;protocollo;/);
    expect(csvText).toContain(`1;${submitted.protocol};`);
    expect(csvText).not.toContain('Rossi');
    const [pdfDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Scarica la graduatoria (PDF)' }).click(),
    ]);
    expect((await downloadBytes(pdfDownload)).subarray(0, 4).toString('latin1')).toBe('%PDF');
    await context.close();
  });

  it('lets Giuseppe (ISEE above the threshold) submit, see the failed ISEE check, send what the Comune asks and appeal', async () => {
    const giuseppe = await citizenPage(GIUSEPPE);
    const { page } = giuseppe;
    await page.goto(`${web}${formPath}`);
    expect(await step(page)).toBe('informativa');
    await tick(page.getByLabel(/Ho letto l’informativa/));
    await page.getByRole('button', { name: 'Continua' }).click();
    await page.waitForURL(/passo=dati/);
    // The check is announced before applying…
    await expect(
      page.getByTestId('prefill-checks').getByTestId('check-ISEE').getAttribute('data-passed'),
    ).resolves.toBe('false');
    await page.goto(`${web}${formPath}?passo=informativa`);
    await completeForm(page, pdf('carta d’identità di Giuseppe'));
    await page.getByTestId('apply-submit').click();
    await page.waitForURL(/\/domanda\/ricevuta\//);
    const applicationId = page.url().split('/').pop() ?? '';

    // …and the receipt says it failed, with the reason; the application is registered anyway.
    const iseeCheck = page.getByTestId('checks').getByTestId('check-ISEE');
    await expect(iseeCheck.getAttribute('data-passed')).resolves.toBe('false');
    await expect(iseeCheck.textContent()).resolves.toContain('Non superato');
    await page.getByTestId('checks-failed-note').waitFor();
    await expect(page.getByTestId('protocol-number').textContent()).resolves.toMatch(
      /^\d{4}\/\d{6}$/,
    );

    // The Comune asks for more: the application page shows the request and what to do.
    const operator = await login(
      platform.urls.gateway,
      demoEmail('COMUNE', 'OPERATOR'),
      DEMO_PASSWORD,
    );
    const request = 'Allegare di nuovo il documento: la copia non è leggibile.';
    const asked = await gql(
      platform.urls.gateway,
      `mutation($id: ID!, $reason: String!) { requestApplicationIntegration(id: $id, reason: $reason) { status } }`,
      { id: applicationId, reason: request },
      { token: operator.token },
    );
    expect(asked.errors, JSON.stringify(asked.errors)).toBeUndefined();
    await page.goto(`${web}/domande/${applicationId}`);
    await expect(page.getByTestId('application-status').getAttribute('data-status')).resolves.toBe(
      'NEEDS_INTEGRATION',
    );
    await expect(page.getByTestId('comune-request').textContent()).resolves.toContain(request);
    await expectAccessible(page);
    const form = page.getByTestId('document-form-DOCUMENTO_IDENTITA');
    await form.locator('input[type=file]').setInputFiles({
      name: 'documento-leggibile.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('copia leggibile'),
    });
    await form.getByRole('button', { name: 'Carica il documento' }).click();
    await page.getByTestId('document-stored').waitFor();
    await page.getByLabel(/Nota per l'operatore/).fill('Ecco la copia leggibile.');
    await page.getByRole('button', { name: "Invia l'integrazione" }).click();
    await page.getByTestId('myapps-done').waitFor();
    await expect(page.getByTestId('application-status').getAttribute('data-status')).resolves.toBe(
      'IN_REVIEW',
    );

    // Rejected with a reason: the appeal needs one too.
    const rejected = await gql(
      platform.urls.gateway,
      `mutation($id: ID!) { decideApplication(id: $id, approve: false, reason: "ISEE oltre la soglia di 12.000 €.") { status } }`,
      { id: applicationId },
      { token: operator.token },
    );
    expect(rejected.errors, JSON.stringify(rejected.errors)).toBeUndefined();
    await page.goto(`${web}/domande/${applicationId}`);
    await expect(page.getByTestId('decision-reason').textContent()).resolves.toContain(
      'ISEE oltre la soglia',
    );
    await page.getByRole('button', { name: 'Presenta ricorso' }).click();
    await page.getByTestId('error-summary').waitFor();
    await expect(page.locator('#myapps-reason').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByTestId('application-status').getAttribute('data-status')).resolves.toBe(
      'REJECTED',
    );
    await page.getByLabel('Motivo del ricorso').fill('Il mio ISEE corrente è più basso.');
    await page.getByRole('button', { name: 'Presenta ricorso' }).click();
    await page.getByTestId('myapps-done').waitFor();
    await expect(page.getByTestId('application-status').getAttribute('data-status')).resolves.toBe(
      'APPEALED',
    );
    const kinds = await page
      .getByTestId('timeline-event')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-kind')));
    expect(kinds).toEqual(
      expect.arrayContaining([
        'INTEGRATION_REQUESTED',
        'INTEGRATION_SUBMITTED',
        'REJECTED',
        'APPEALED',
      ]),
    );
    await giuseppe.close();
  });

  it('lets Giulia withdraw her application (confirmed), and an operator apply on her behalf, shown clearly', async () => {
    const giulia = await citizenPage(GIULIA);
    const { page } = giulia;
    await page.goto(`${web}${formPath}`);
    await completeForm(page, pdf('carta d’identità di Giulia'));
    await page.getByTestId('apply-submit').click();
    await page.waitForURL(/\/domanda\/ricevuta\//);
    await page.getByRole('link', { name: 'Vedi la domanda' }).click();
    await expect(page.getByTestId('application-status').getAttribute('data-status')).resolves.toBe(
      'SUBMITTED',
    );
    // Not without the confirmation.
    await page.getByRole('button', { name: 'Ritira la domanda' }).click();
    await page.getByTestId('error-summary').waitFor();
    await expect(
      page.locator('#myapps-withdraw-confirm').getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await expect(page.getByTestId('application-status').getAttribute('data-status')).resolves.toBe(
      'SUBMITTED',
    );
    await tick(page.getByLabel('Confermo di voler ritirare questa domanda.'));
    await page.getByRole('button', { name: 'Ritira la domanda' }).click();
    await page.getByTestId('myapps-done').waitFor();
    await expect(page.getByTestId('application-status').getAttribute('data-status')).resolves.toBe(
      'WITHDRAWN',
    );
    await expect(page.getByRole('button', { name: 'Ritira la domanda' }).count()).resolves.toBe(0);
    expect((await myApplications(page)).map((a) => a.status)).toEqual(['WITHDRAWN']);
    await giulia.close();

    // An operator of the Comune (no codice fiscale) cannot apply for themselves…
    const { context, page: staff } = await newPage(browser);
    await logInStaff(staff, web, demoEmail('COMUNE', 'OPERATOR'));
    await staff.goto(`${web}${formPath}`);
    await staff.getByTestId('apply-needs-spid').waitFor();
    // …but may on a citizen's behalf: every step says so.
    await staff.getByLabel('Codice fiscale del cittadino').fill(GIULIA.toLowerCase());
    await staff.getByRole('button', { name: 'Compila per suo conto' }).click();
    await staff.waitForURL(new RegExp(`per=${GIULIA}`, 'i'));
    await expect(staff.getByTestId('on-behalf').textContent()).resolves.toContain(GIULIA);
    // The operator states the citizen received and read the notice (recorded as the operator's).
    await tick(staff.getByLabel(/Il cittadino ha ricevuto e letto l’informativa/));
    await staff.getByRole('button', { name: 'Continua' }).click();
    await staff.waitForURL(new RegExp(`passo=dati&per=${GIULIA}`));
    await expect(staff.getByTestId('on-behalf').textContent()).resolves.toContain(GIULIA);
    await expect(staff.getByTestId('household-members').locator('tbody tr').count()).resolves.toBe(
      2,
    );
    await expectAccessible(staff);
    await context.close();
  }, 180_000);
});
