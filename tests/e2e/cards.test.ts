import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadIdentityDocument } from '../support/citizen.js';
import {
  DEMO_CAMPAIGN_ID,
  DEMO_CAMPAIGN_TITLE,
  DEMO_CITIZEN,
  DEMO_COMUNE_ID,
  DEMO_PASSWORD,
  demoEmail,
} from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import type { TestPlatform } from '../support/platform.js';
import { openPortal, type Portal } from '../support/portal.js';

/** The demo Comune (Comune di Balestrate) and its published campaign "Buoni spesa 2026". */
const COMUNE = DEMO_COMUNE_ID;
const CAMPAIGN = DEMO_CAMPAIGN_ID;
const CAMPAIGN_TITLE = DEMO_CAMPAIGN_TITLE;
const MARIO = DEMO_CITIZEN.fiscalCode;
const DECLARATIONS = ['VERIDICITA', 'NESSUN_ALTRO_BUONO'];

async function downloadBytes(download: Download): Promise<Buffer> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A card number as the pages print it (groups of four digits) back to its 16 digits. */
const digits = (text: string | null) => (text ?? '').replace(/\s+/g, '');

describe('beneficiary cards in a browser', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let web: string;
  let manager: Page;
  let operator: Page;
  let mario: Page;
  /** Mario's card as the list shows it (id and number), then its replacement. */
  const card = { id: '', number: '' };

  beforeAll(async () => {
    portal = await openPortal();
    ({ platform, web } = portal);
  });
  afterAll(async () => {
    await portal?.close();
  });

  const expectAccessible = (page: Page) => portal.expectAccessible(page);

  /** A staff page; `reuse`: an earlier test's, if it is still logged in as `email`. */
  const staffPage = (email: string, reuse?: Page) => portal.staffPage(email, { reuse });

  /** A citizen's page; `reuse`: an earlier test's, if it is still logged in as them. */
  const citizenPage = (fiscalCode: string, reuse?: Page) =>
    portal.citizenPage(fiscalCode, { reuse });

  /** Mario's row in the operator's list of cards (any status). */
  function marioRows(page: Page) {
    return page.getByTestId('card-row').filter({ hasText: MARIO });
  }

  async function myCardStatus(page: Page): Promise<string | null> {
    await page.goto(`${web}/carta`);
    await expect(page.getByTestId('mycard').count()).resolves.toBe(1);
    return page.getByTestId('mycard').getAttribute('data-status');
  }

  it("sets up Mario's approved application through the API", async () => {
    const citizen = await citizenPage(MARIO);
    mario = citizen.page;
    const draft = await gql<{ saveApplicationDraft: { id: string } }>(
      platform.urls.gateway,
      `mutation($input: ApplicationDraftInput!) { saveApplicationDraft(input: $input) { id } }`,
      {
        input: {
          campaignId: CAMPAIGN,
          privacyNoticeAcknowledged: true,
          email: 'famiglia@example.org',
          acceptedDeclarations: DECLARATIONS,
        },
      },
      { token: citizen.token },
    );
    expect(draft.errors, JSON.stringify(draft.errors)).toBeUndefined();
    const id = draft.data!.saveApplicationDraft.id;
    await uploadIdentityDocument(platform.urls.gateway, citizen.token, id);
    const submitted = await gql<{ submitApplication: { status: string } }>(
      platform.urls.gateway,
      `mutation($id: ID!) { submitApplication(id: $id) { status } }`,
      { id },
      { token: citizen.token },
    );
    expect(submitted.data?.submitApplication.status, JSON.stringify(submitted.errors)).toBe(
      'SUBMITTED',
    );
    const staff = await login(platform.urls.gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
    const approved = await gql<{ decideApplication: { status: string } }>(
      platform.urls.gateway,
      `mutation($id: ID!) { decideApplication(id: $id, approve: true, reason: null) { status } }`,
      { id },
      { token: staff.token },
    );
    expect(approved.data?.decideApplication.status, JSON.stringify(approved.errors)).toBe(
      'APPROVED',
    );

    // Before issuance Mario has no card, and says so.
    await mario.goto(`${web}/carta`);
    await expect(mario.getByTestId('mycard').count()).resolves.toBe(0);
    await expect(mario.getByTestId('mycard-none').count()).resolves.toBe(1);
  });

  it('lets the manager issue the cards and download the letters once; a second issuance has nothing new', async () => {
    manager = await staffPage(demoEmail('COMUNE', 'MANAGER'));
    await manager.goto(`${web}/comune`);
    await manager.getByTestId('nav-comune-carte').click();
    await manager.waitForURL(`${web}/comune/${COMUNE}/carte`);
    await expect(marioRows(manager).count()).resolves.toBe(0);
    // The page explains that the PINs exist only in the PDF.
    await expect(manager.getByTestId('cards-issue').textContent()).resolves.toContain(
      'Il PIN compare solo in questo PDF',
    );
    await expectAccessible(manager);

    const issue = manager.getByTestId('issue-form').filter({ hasText: CAMPAIGN_TITLE });
    await expect(issue.count()).resolves.toBe(1);
    const [letters] = await Promise.all([
      manager.waitForEvent('download'),
      issue.getByRole('button').click(),
    ]);
    expect(letters.suggestedFilename()).toBe('lettere-carte.pdf');
    const bytes = await downloadBytes(letters);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(bytes.length).toBeGreaterThan(1000);

    // The list now has Mario's active card.
    await manager.goto(`${web}/comune/${COMUNE}/carte`);
    const row = marioRows(manager);
    await expect(row.count()).resolves.toBe(1);
    await expect(row.getAttribute('data-status')).resolves.toBe('ACTIVE');
    card.id = (await row.getAttribute('data-id')) ?? '';
    card.number = digits(await row.getByTestId('card-link').textContent());
    expect(card.number).toMatch(/^[1-9]\d{15}$/);
    await expectAccessible(manager);

    // Again: nothing new, no file, a notice.
    await manager
      .getByTestId('issue-form')
      .filter({ hasText: CAMPAIGN_TITLE })
      .getByRole('button')
      .click();
    await manager.waitForURL(/esito=nessuna/);
    await expect(manager.getByTestId('cards-notice').getAttribute('data-notice')).resolves.toBe(
      'nessuna',
    );
    await expect(marioRows(manager).count()).resolves.toBe(1);
    await expectAccessible(manager);

    // The status filter: no blocked cards yet; the active ones include Mario's.
    await manager.getByLabel('Stato').selectOption('BLOCKED');
    await manager.getByRole('button', { name: 'Filtra' }).click();
    await manager.waitForURL(/stato=BLOCKED/);
    await expect(marioRows(manager).count()).resolves.toBe(0);
    await manager.goto(`${web}/comune/${COMUNE}/carte?stato=ACTIVE`);
    await expect(marioRows(manager).count()).resolves.toBe(1);
    // A status that does not exist: an error, no list.
    await manager.goto(`${web}/comune/${COMUNE}/carte?stato=NONSO`);
    await expect(manager.getByTestId('error-summary').count()).resolves.toBe(1);
    await expect(manager.getByTestId('cards-table').count()).resolves.toBe(0);
  });

  it('shows Mario his card with its QR code', async () => {
    mario = (await citizenPage(MARIO, mario)).page;
    await mario.goto(`${web}/profilo`);
    await mario.getByTestId('nav-carta').click();
    await mario.waitForURL(`${web}/carta`);
    const mine = mario.getByTestId('mycard');
    await expect(mine.count()).resolves.toBe(1);
    await expect(mine.getAttribute('data-status')).resolves.toBe('ACTIVE');
    expect(digits(await mario.getByTestId('mycard-number').textContent())).toBe(card.number);
    const qr = mario.getByTestId('mycard-qr');
    await expect(qr.getAttribute('alt')).resolves.toContain('Codice QR della carta numero');
    await expect(qr.getAttribute('src')).resolves.toMatch(/^data:image\/svg\+xml;base64,/);
    // The image really renders (a decoded SVG, not a broken image).
    await expect(
      qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
    ).resolves.toBe(true);
    const svg = Buffer.from(
      ((await qr.getAttribute('src')) ?? '').split(',')[1] ?? '',
      'base64',
    ).toString('utf8');
    expect(svg).toContain('<svg');
    await expect(mario.getByTestId('mycard-lost').textContent()).resolves.toContain(
      'Se perdi la carta',
    );
    await expectAccessible(mario);
  });

  it('lets the operator block the card with a reason and unblock it; Mario sees it blocked meanwhile', async () => {
    mario = (await citizenPage(MARIO, mario)).page;
    operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'));
    await operator.goto(`${web}/comune/${COMUNE}/carte`);
    await marioRows(operator).getByTestId('card-link').click();
    await operator.waitForURL(`${web}/comune/${COMUNE}/carte/${card.id}`);
    await expect(operator.getByTestId('card-status').getAttribute('data-status')).resolves.toBe(
      'ACTIVE',
    );
    expect(digits(await operator.getByTestId('card-number').textContent())).toBe(card.number);
    await expectAccessible(operator);

    // No reason: refused, with the field's message.
    await operator.getByRole('button', { name: 'Blocca la carta' }).click();
    await expect(operator.getByTestId('error-summary').textContent()).resolves.toContain(
      'Scegli il motivo del blocco',
    );
    await expect(
      operator.getByLabel('Motivo del blocco').getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await expectAccessible(operator);

    await operator.getByLabel('Motivo del blocco').selectOption('LOST');
    await operator.getByRole('button', { name: 'Blocca la carta' }).click();
    // First the consequence, nothing done yet; Cancel changes nothing.
    const consequence = operator.getByTestId('card-consequence');
    await expect(consequence.textContent()).resolves.toContain('sarà bloccata (motivo: Smarrita)');
    await expect(operator.getByTestId('card-status').getAttribute('data-status')).resolves.toBe(
      'ACTIVE',
    );
    await expectAccessible(operator);
    await operator.getByTestId('card-cancel').click();
    await operator.waitForURL(`${web}/comune/${COMUNE}/carte/${card.id}`);
    await expect(operator.getByTestId('card-confirm').count()).resolves.toBe(0);
    await expect(operator.getByTestId('card-status').getAttribute('data-status')).resolves.toBe(
      'ACTIVE',
    );
    await operator.getByLabel('Motivo del blocco').selectOption('LOST');
    await operator.getByRole('button', { name: 'Blocca la carta' }).click();
    await operator.getByTestId('card-confirm-form').getByRole('button').click();
    await operator.waitForURL(/esito=bloccata/);
    await expect(operator.getByTestId('card-status').getAttribute('data-status')).resolves.toBe(
      'BLOCKED',
    );
    await expect(operator.getByTestId('card-block-reason').textContent()).resolves.toContain(
      'Smarrita',
    );
    await expectAccessible(operator);

    expect(await myCardStatus(mario)).toBe('BLOCKED');
    await expect(mario.getByTestId('mycard-block-reason').textContent()).resolves.toContain(
      'Smarrita',
    );
    await expect(mario.getByTestId('mycard-qr').count()).resolves.toBe(0);
    await expect(mario.getByTestId('mycard-blocked').count()).resolves.toBe(1);
    await expectAccessible(mario);

    await operator.getByRole('button', { name: 'Sblocca la carta' }).click();
    await expect(operator.getByTestId('card-consequence').textContent()).resolves.toContain(
      'tornerà attiva',
    );
    await operator.getByTestId('card-confirm-form').getByRole('button').click();
    await operator.waitForURL(/esito=sbloccata/);
    await expect(operator.getByTestId('card-status').getAttribute('data-status')).resolves.toBe(
      'ACTIVE',
    );
    expect(await myCardStatus(mario)).toBe('ACTIVE');
    await expect(mario.getByTestId('mycard-qr').count()).resolves.toBe(1);
  });

  it('replaces the card: the new letter, a new number, the old card dead', async () => {
    operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'), operator);
    mario = (await citizenPage(MARIO, mario)).page;
    await operator.goto(`${web}/comune/${COMUNE}/carte/${card.id}`);
    // Without the confirmation nothing happens.
    await operator.getByRole('button', { name: 'Sostituisci e scarica la lettera' }).click();
    await operator.waitForURL(/esito=conferma/);
    await expect(operator.getByTestId('card-notice').getAttribute('data-notice')).resolves.toBe(
      'conferma',
    );
    await expect(operator.getByTestId('card-status').getAttribute('data-status')).resolves.toBe(
      'ACTIVE',
    );

    // The label covers the styled box (Bootstrap Italia): tick it through the label, hydrated.
    await operator.waitForLoadState('networkidle');
    await operator.locator('label[for="replace-confirm"]').click();
    await expect(operator.getByLabel(/Confermo: la carta attuale/).isChecked()).resolves.toBe(true);
    const [letter] = await Promise.all([
      operator.waitForEvent('download'),
      operator.getByRole('button', { name: 'Sostituisci e scarica la lettera' }).click(),
    ]);
    expect(letter.suggestedFilename()).toBe('lettera-carta-sostitutiva.pdf');
    expect((await downloadBytes(letter)).subarray(0, 4).toString('latin1')).toBe('%PDF');

    await operator.goto(`${web}/comune/${COMUNE}/carte/${card.id}`);
    await expect(operator.getByTestId('card-status').getAttribute('data-status')).resolves.toBe(
      'REPLACED',
    );
    await expect(operator.getByTestId('replace-form').count()).resolves.toBe(0);
    await operator.getByTestId('card-replaced-by').click();
    await operator.waitForURL(new RegExp(`/comune/${COMUNE}/carte/(?!${card.id})[0-9a-f-]{36}$`));
    await expect(operator.getByTestId('card-status').getAttribute('data-status')).resolves.toBe(
      'ACTIVE',
    );
    const newNumber = digits(await operator.getByTestId('card-number').textContent());
    expect(newNumber).toMatch(/^[1-9]\d{15}$/);
    expect(newNumber).not.toBe(card.number);
    await expectAccessible(operator);

    // Mario sees only the new card.
    expect(await myCardStatus(mario)).toBe('ACTIVE');
    expect(digits(await mario.getByTestId('mycard-number').textContent())).toBe(newNumber);
  });

  it('keeps an organisation that is not the Comune out (403)', async () => {
    const cooperative = await staffPage(demoEmail('COOPERATIVE', 'ADMIN'));
    for (const path of [`/comune/${COMUNE}/carte`, `/comune/${COMUNE}/carte/${card.id}`]) {
      const answer = await cooperative.goto(`${web}${path}`);
      expect(answer?.status(), path).toBe(403);
      await expect(cooperative.getByTestId('error-page').getAttribute('data-status')).resolves.toBe(
        '403',
      );
    }
    await expectAccessible(cooperative);
    const issued = await cooperative.request.post(`${web}/comune/${COMUNE}/carte/emetti`, {
      form: { campaignId: CAMPAIGN },
      headers: { origin: web },
      maxRedirects: 0,
    });
    expect(issued.status()).toBe(403);
    const replaced = await cooperative.request.post(
      `${web}/comune/${COMUNE}/carte/${card.id}/sostituisci`,
      { form: { confirm: 'si' }, headers: { origin: web }, maxRedirects: 0 },
    );
    expect(replaced.status()).toBe(403);

    // Straight to the gateway's upload route: the subgraph refuses them too, and issues nothing.
    const staff = await login(
      platform.urls.gateway,
      demoEmail('COOPERATIVE', 'ADMIN'),
      DEMO_PASSWORD,
    );
    const direct = await fetch(
      new URL(
        `/uploads/public-welfare/files/cards/issue?campaignId=${CAMPAIGN}`,
        platform.urls.gateway,
      ),
      { method: 'POST', headers: { authorization: `Bearer ${staff.token}` } },
    );
    expect(direct.status).toBe(404);
    expect(direct.headers.get('content-type')).toContain('application/json');
  });
});
