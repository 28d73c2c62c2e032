import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMUNE_ID, DEMO_ORG, DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import type { TestPlatform } from '../support/platform.js';
import { openPortal, type Portal } from '../support/portal.js';

/** Identity's demo Comune and providers (subgraphs/identity/src/demo/accounts.ts). */
const COMUNE = DEMO_COMUNE_ID;
const LA_ESSE = DEMO_ORG.laEsse;
const AMICI = DEMO_ORG.amiciBalestrate;

function pdf(label: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${label}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );
}

/** A day `days` from today in Rome, as `yyyy-mm-dd`. */
function romeDayFromToday(days: number): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

describe('provider accreditation in the portal', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let web: string;
  let provider: Page;
  let manager: Page;
  let requestId = '';

  beforeAll(async () => {
    // The third-sector subgraph starts without its demo data: the Comune writes its checklist
    // and La Esse asks from scratch (identity's demo people and organisations are there).
    portal = await openPortal({ subgraphEnv: { 'third-sector': { DEMO_DATA: 'false' } } });
    ({ platform, web } = portal);
  });
  afterAll(async () => {
    await portal?.close();
  });

  const expectAccessible = (page: Page) => portal.expectAccessible(page);

  /** A staff page; `reuse`: an earlier test's, if it is still logged in as `email`. */
  const staffPage = (email: string, reuse?: Page) => portal.staffPage(email, { reuse });

  const item = (page: Page, code: string) => page.getByTestId(`ts-item-${code}`);
  /** Waits until the page shows the request in `status` (after a form post and its redirect). */
  const waitStatus = (page: Page, status: string) =>
    page.locator(`[data-testid="ts-status"][data-status="${status}"]`).first().waitFor();

  it('the manager writes the Comune’s checklist (a bad code is a field error)', async () => {
    manager = await staffPage(demoEmail('COMUNE', 'MANAGER'));
    await manager.goto(`${web}/comune`);
    await manager.getByTestId('nav-comune-enti').click();
    await manager.waitForURL(`${web}/comune/${COMUNE}/enti`);
    await expectAccessible(manager);

    const form = manager.getByTestId('ts-requirement-form');
    await form.getByLabel('Codice').fill('x');
    await form.getByLabel('Testo in italiano').fill('Iscrizione al RUNTS.');
    await form.getByLabel('Testo in inglese').fill('Registered in RUNTS.');
    await form.getByRole('button', { name: 'Salva il requisito' }).click();
    await expect(manager.getByTestId('error-summary').isVisible()).resolves.toBe(true);
    await expect(manager.locator('#ts-req-code-error').textContent()).resolves.toContain(
      'Da 2 a 40 caratteri',
    );
    await expectAccessible(manager);

    await form.getByLabel('Codice').fill('ISCRIZIONE_RUNTS');
    // Bootstrap Italia draws the box on the label: click it, as a person does.
    await form.getByText('Documento obbligatorio', { exact: true }).click();
    await form.getByRole('button', { name: 'Salva il requisito' }).click();
    await manager.getByTestId('ts-notice').waitFor();
    await form.getByLabel('Codice').fill('ASSICURAZIONE_RC');
    await form.getByLabel('Testo in italiano').fill('Polizza di responsabilità civile.');
    await form.getByLabel('Testo in inglese').fill('Liability insurance.');
    await form.getByLabel("Posizione nell'elenco").fill('20');
    await form.getByRole('button', { name: 'Salva il requisito' }).click();
    await manager
      .locator('[data-testid="ts-requirement-row"][data-code="ASSICURAZIONE_RC"]')
      .waitFor();
    await expect(manager.getByTestId('ts-requirement-row').count()).resolves.toBe(2);
  });

  it('La Esse asks for accreditation: a missing answer is a field error; it uploads and submits', async () => {
    provider = await staffPage(demoEmail('COOPERATIVE', 'ADMIN'));
    await provider.goto(`${web}/ente`);
    await provider.getByTestId('nav-ente-accreditamento').click();
    await provider.waitForURL(`${web}/ente/${LA_ESSE}/accreditamento`);
    await expectAccessible(provider);
    await provider.getByRole('button', { name: 'Inizia la richiesta' }).click();
    await provider.waitForURL(new RegExp(`/ente/${LA_ESSE}/accreditamento/[0-9a-f-]{36}$`));
    requestId = provider.url().split('/').at(-1)!;
    await expectAccessible(provider);

    // Only the insurance is declared: the registration is missing, and its document.
    await item(provider, 'ASSICURAZIONE_RC')
      .getByText('Dichiaro di possedere il requisito')
      .click();
    await item(provider, 'ASSICURAZIONE_RC').getByLabel('Nota').fill('Polizza n. 4455');
    await provider.getByTestId('ts-submit').click();
    await provider.getByTestId('error-summary').waitFor();
    await expect(item(provider, 'ISCRIZIONE_RUNTS').textContent()).resolves.toContain(
      'Dichiarare il possesso del requisito.',
    );
    await expect(
      provider.getByTestId('ts-documents-ISCRIZIONE_RUNTS').textContent(),
    ).resolves.toContain('Allegare il documento richiesto.');
    await expectAccessible(provider);

    // A text file is refused by content; a PDF is stored.
    const upload = provider.getByTestId('ts-upload-ISCRIZIONE_RUNTS');
    await upload.locator('input[type=file]').setInputFiles({
      name: 'note.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('not really a pdf'),
    });
    await upload.getByRole('button', { name: 'Carica il documento' }).click();
    await expect(
      provider.getByTestId('ts-documents-ISCRIZIONE_RUNTS').textContent(),
    ).resolves.toContain('Sono ammessi solo PDF, JPEG o PNG.');
    await provider
      .getByTestId('ts-upload-ISCRIZIONE_RUNTS')
      .locator('input[type=file]')
      .setInputFiles({
        name: 'iscrizione-runts.pdf',
        mimeType: 'application/pdf',
        buffer: pdf('RUNTS'),
      });
    await provider
      .getByTestId('ts-upload-ISCRIZIONE_RUNTS')
      .getByRole('button', { name: 'Carica il documento' })
      .click();
    await provider.getByTestId('ts-notice').waitFor();
    await expect(provider.getByTestId('ts-document').count()).resolves.toBe(1);

    // The saved answer survived; declare the registration and submit.
    await expect(
      item(provider, 'ASSICURAZIONE_RC')
        .getByLabel('Dichiaro di possedere il requisito')
        .isChecked(),
    ).resolves.toBe(true);
    await item(provider, 'ISCRIZIONE_RUNTS')
      .getByText('Dichiaro di possedere il requisito')
      .click();
    await item(provider, 'ISCRIZIONE_RUNTS').getByLabel('Nota').fill('Iscrizione n. 42');
    await provider.getByTestId('ts-submit').click();
    await waitStatus(provider, 'SUBMITTED');
    await provider.getByTestId('ts-notice').waitFor();
  });

  it('the operator asks for an integration; the provider resubmits', async () => {
    provider = await staffPage(demoEmail('COOPERATIVE', 'ADMIN'), provider);
    const operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'));
    await operator.goto(`${web}/comune/${COMUNE}/enti`);
    await operator
      .getByRole('link', { name: 'Apri la richiesta di Cooperativa Sociale La Esse' })
      .click();
    await operator.waitForURL(`${web}/comune/${COMUNE}/enti/${requestId}`);
    await expectAccessible(operator);
    // Decisions are the manager's: no decision form for the operator.
    await expect(operator.getByTestId('ts-decide-form').count()).resolves.toBe(0);
    // The document is there for the Comune.
    const link = operator.getByRole('link', { name: 'Scarica iscrizione-runts.pdf' });
    const href = await link.getAttribute('href');
    const file = await operator.context().request.get(`${web}${href}`);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toBe('application/pdf');

    await operator.getByRole('button', { name: 'Prendi in esame' }).click();
    await operator.getByTestId('ts-notice').waitFor();
    const integrate = operator.getByTestId('ts-integrate-form');
    await integrate.getByLabel('Motivazione').fill('Allegare la visura camerale aggiornata.');
    await integrate.getByRole('button', { name: "Chiedi l'integrazione" }).click();
    await waitStatus(operator, 'NEEDS_INTEGRATION');

    await provider.goto(`${web}/ente/${LA_ESSE}/accreditamento/${requestId}`);
    await expect(provider.getByTestId('ts-integration-reason').textContent()).resolves.toContain(
      'Allegare la visura camerale aggiornata.',
    );
    await expectAccessible(provider);
    await provider
      .getByTestId('ts-upload-ISCRIZIONE_RUNTS')
      .locator('input[type=file]')
      .setInputFiles({
        name: 'visura.pdf',
        mimeType: 'application/pdf',
        buffer: pdf('visura'),
      });
    await provider
      .getByTestId('ts-upload-ISCRIZIONE_RUNTS')
      .getByRole('button', { name: 'Carica il documento' })
      .click();
    await provider.getByTestId('ts-notice').waitFor();
    await provider.getByTestId('ts-submit').click();
    await waitStatus(provider, 'SUBMITTED');
    await provider.getByTestId('ts-notice').waitFor();
  });

  it('the manager accredits with an expiry date; the provider sees ACCREDITED', async () => {
    manager = await staffPage(demoEmail('COMUNE', 'MANAGER'), manager);
    provider = await staffPage(demoEmail('COOPERATIVE', 'ADMIN'), provider);
    await manager.goto(`${web}/comune/${COMUNE}/enti/${requestId}`);
    const decide = manager.getByTestId('ts-decide-form');
    await decide.getByLabel('Motivazione').fill('Requisiti verificati sui documenti.');
    await decide.getByRole('button', { name: 'Registra la decisione' }).click();
    await expect(manager.locator('#valid-until-error').textContent()).resolves.toContain(
      'Indicare la data di scadenza.',
    );
    await expectAccessible(manager);
    const expiry = romeDayFromToday(365);
    await manager
      .getByTestId('ts-decide-form')
      .getByLabel("Scadenza dell'accreditamento")
      .fill(expiry);
    await manager
      .getByTestId('ts-decide-form')
      .getByRole('button', { name: 'Registra la decisione' })
      .click();
    // First the consequence, nothing decided yet; then the confirmation.
    await expect(manager.getByTestId('ts-consequence').textContent()).resolves.toContain(
      'Cooperativa Sociale La Esse sarà accreditato fino al',
    );
    await expect(
      manager.getByTestId('ts-status').first().getAttribute('data-status'),
    ).resolves.not.toBe('ACCREDITED');
    await expectAccessible(manager);
    await manager.getByTestId('ts-confirm-form').getByRole('button').click();
    await manager.getByTestId('ts-notice').waitFor();
    await expect(
      manager.getByTestId('ts-status').first().getAttribute('data-status'),
    ).resolves.toBe('ACCREDITED');

    await provider.goto(`${web}/ente/${LA_ESSE}/accreditamento`);
    await expect(provider.getByTestId('ts-request-row').getAttribute('data-status')).resolves.toBe(
      'ACCREDITED',
    );
    await expectAccessible(provider);
    const listed = await gql<{ accreditedProviders: { provider: { name: string } }[] }>(
      platform.urls.gateway,
      `query($c: ID!) { accreditedProviders(comuneId: $c) { provider { name } } }`,
      { c: COMUNE },
    );
    expect(listed.data?.accreditedProviders).toEqual([
      { provider: { name: 'Cooperativa Sociale La Esse' } },
    ]);
  });

  it('the manager suspends it (a reason is required), effective at once', async () => {
    manager = await staffPage(demoEmail('COMUNE', 'MANAGER'), manager);
    provider = await staffPage(demoEmail('COOPERATIVE', 'ADMIN'), provider);
    await manager.goto(`${web}/comune/${COMUNE}/enti/${requestId}`);
    const suspend = manager.getByTestId('ts-suspend-form');
    await suspend.getByRole('button', { name: "Sospendi l'accreditamento" }).click();
    await expect(manager.locator('#reason-suspend-error').textContent()).resolves.toContain(
      'Indicare la motivazione',
    );
    await expect(
      manager.getByTestId('ts-status').first().getAttribute('data-status'),
    ).resolves.toBe('ACCREDITED');
    await manager.getByTestId('ts-suspend-form').getByLabel('Motivazione').fill('DURC irregolare.');
    await manager
      .getByTestId('ts-suspend-form')
      .getByRole('button', { name: "Sospendi l'accreditamento" })
      .click();
    await expect(manager.getByTestId('ts-consequence').textContent()).resolves.toContain(
      'sarà sospeso subito',
    );
    // Cancel changes nothing.
    await manager.getByTestId('ts-cancel').click();
    await manager.waitForURL(`${web}/comune/${COMUNE}/enti/${requestId}`);
    await expect(
      manager.getByTestId('ts-status').first().getAttribute('data-status'),
    ).resolves.toBe('ACCREDITED');
    await manager.getByTestId('ts-suspend-form').getByLabel('Motivazione').fill('DURC irregolare.');
    await manager
      .getByTestId('ts-suspend-form')
      .getByRole('button', { name: "Sospendi l'accreditamento" })
      .click();
    await manager.getByTestId('ts-confirm-form').getByRole('button').click();
    await manager.getByTestId('ts-notice').waitFor();
    await expect(
      manager.getByTestId('ts-status').first().getAttribute('data-status'),
    ).resolves.toBe('SUSPENDED');
    await expectAccessible(manager);
    const listed = await gql<{ accreditedProviders: unknown[] }>(
      platform.urls.gateway,
      `query($c: ID!) { accreditedProviders(comuneId: $c) { providerId } }`,
      { c: COMUNE },
    );
    expect(listed.data?.accreditedProviders).toEqual([]);
    await provider.goto(`${web}/ente/${LA_ESSE}/accreditamento/${requestId}`);
    await expect(provider.getByTestId('ts-suspension-reason').textContent()).resolves.toContain(
      'DURC irregolare.',
    );
  });

  it('another provider and another Comune get 403 or 404', async () => {
    manager = await staffPage(demoEmail('COMUNE', 'MANAGER'), manager);
    provider = await staffPage(demoEmail('COOPERATIVE', 'ADMIN'), provider);
    const other = await staffPage(demoEmail('ASSOCIATION', 'ADMIN'));
    for (const path of [
      `/ente/${LA_ESSE}/accreditamento`,
      `/ente/${LA_ESSE}/accreditamento/${requestId}`,
    ]) {
      const response = await other.goto(`${web}${path}`);
      expect(response?.status(), path).toBe(403);
    }
    // Its own area with La Esse's request: not found.
    const own = await other.goto(`${web}/ente/${AMICI}/accreditamento/${requestId}`);
    expect(own?.status()).toBe(404);
    const token = (
      await login(platform.urls.gateway, demoEmail('ASSOCIATION', 'ADMIN'), DEMO_PASSWORD)
    ).token;
    const byApi = await gql<{ providerAccreditation: unknown }>(
      platform.urls.gateway,
      `query($id: ID!) { providerAccreditation(id: $id) { id } }`,
      { id: requestId },
      { token },
    );
    expect(byApi.data?.providerAccreditation).toBeNull();
    const list = await gql(
      platform.urls.gateway,
      `query($p: ID!) { providerAccreditations(providerId: $p) { id } }`,
      { p: LA_ESSE },
      { token },
    );
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // The Balestrate manager in another Comune's pages.
    const elsewhere = randomUUID();
    for (const path of [`/comune/${elsewhere}/enti`, `/comune/${elsewhere}/enti/${requestId}`]) {
      const response = await manager.goto(`${web}${path}`);
      expect(response?.status(), path).toBe(403);
    }
    // The Comune's pages are not the provider's.
    const providerThere = await provider.goto(`${web}/comune/${COMUNE}/enti/${requestId}`);
    expect(providerThere?.status()).toBe(403);
  });
});
