import { partitaIvaCheckDigit } from '@welfare/kit/pii';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, launchBrowser, newPage } from '../support/browser.js';
import { DEMO_CITIZEN, DEMO_COMUNE_ID, DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { logInCitizen, logInStaff } from '../support/login.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

/** The demo Comune (Comune di Balestrate) of identity's and public-welfare's demo data. */
const BALESTRATE = DEMO_COMUNE_ID;

const OTHER_OPERATOR = { email: 'operatore@prova-e2e.demo', password: 'password-prova-e2e-2026' };

/** The messages the test writes into the outbox, by what a page shows of them. */
const TEXT = {
  marioPortal: 'Comunicazione di prova per Mario / Test message for Mario',
  marioPortalBody: 'Gentile cittadino, questo è un messaggio di prova.',
  marioEmail: 'Email di prova per Mario / Test email for Mario',
  giuliaPortal: 'Comunicazione per Giulia / Message for Giulia',
  otherPortal: 'Avviso del Comune di Prova / Notice from Comune di Prova',
  otherEmail: 'Email del Comune di Prova / Email from Comune di Prova',
  otherEmailAddress: 'segreteria@altro-comune.example.it',
  reminder: 'Il credito «Dote scuola» scade il 31/12/2026 / Credit expiring',
  otherReminder: 'Il credito «Centri estivi di Prova» scade / Credit expiring',
};

describe('messages in a browser: the Comune’s sent messages and the citizen’s inbox', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let web: string;
  let db: pg.Client;
  let otherComune: string;
  /** Codice fiscale hashes (PORTAL recipients) of two demo citizens, from the demo registry. */
  let marioHash: string;
  let giuliaHash: string;
  /** A demo campaign of Balestrate: the reminder row is about it. */
  let campaignId: string;

  /** The lookup hash the registry keeps for a member, as services notify PORTAL messages. */
  async function memberHash(givenName: string, familyName: string, birthDate: string) {
    const found = await db.query<{ fiscal_code_hash: string }>(
      `select distinct "fiscal_code_hash" from "public_welfare"."household_member"
        where "comune_id" = $1 and "given_name" = $2 and "family_name" = $3 and "birth_date" = $4`,
      [BALESTRATE, givenName, familyName, birthDate],
    );
    expect(found.rows, `${givenName} ${familyName} in the demo registry`).toHaveLength(1);
    return found.rows[0]!.fiscal_code_hash;
  }

  /** Writes a PENDING message into the outbox: the platform's dispatcher delivers it. */
  async function enqueue(
    comuneId: string,
    channel: 'EMAIL' | 'PORTAL',
    recipient: string,
    subject: string,
    body = `${TEXT.marioPortalBody}\n\n---\n\nDear citizen, this is a test message.`,
    template = 'DECISION',
    campaignId: string | null = null,
  ): Promise<void> {
    await db.query(
      `insert into "public_welfare"."message"
         ("id", "comune_id", "template", "channel", "recipient", "subject", "body", "campaign_id")
       values (gen_random_uuid(), $1, $6, $2, $3, $4, $5, $7)`,
      [comuneId, channel, recipient, subject, body, template, campaignId],
    );
  }

  /** A Comune created by the platform admin, with an operator who accepted the invitation. */
  async function createOtherComune(): Promise<string> {
    const admin = await login(platform.urls.gateway, demoEmail('ADMIN'), DEMO_PASSWORD);
    const taxCode = `0098765432${partitaIvaCheckDigit('0098765432')}`;
    const created = await gql<{ createOrganisation: { id: string } }>(
      platform.urls.gateway,
      `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`,
      { input: { kind: 'COMUNE', name: 'Comune di Prova', taxCode, city: 'Prova' } },
      { token: admin.token },
    );
    const id = created.data?.createOrganisation.id;
    expect(id, JSON.stringify(created.errors)).toBeTruthy();
    const invited = await gql<{ inviteMember: { token: string } }>(
      platform.urls.gateway,
      `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { token } }`,
      {
        input: {
          organisationId: id,
          email: OTHER_OPERATOR.email,
          givenName: 'Ornella',
          familyName: 'Prova',
          role: 'OPERATOR',
        },
      },
      { token: admin.token },
    );
    const token = invited.data?.inviteMember.token;
    expect(token, JSON.stringify(invited.errors)).toBeTruthy();
    const accepted = await gql(
      platform.urls.gateway,
      `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { token } }`,
      { input: { token, password: OTHER_OPERATOR.password } },
    );
    expect(accepted.errors).toBeUndefined();
    return id!;
  }

  beforeAll(async () => {
    platform = await startTestPlatform({ web: true });
    web = platform.urls.web;
    browser = await launchBrowser();
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();

    marioHash = await memberHash('Mario', 'Rossi', '1980-01-01');
    giuliaHash = await memberHash('Giulia', 'Bianchi', '1985-05-12');
    otherComune = await createOtherComune();
    const campaign = await db.query<{ id: string }>(
      `select "id" from "public_welfare"."campaign" where "comune_id" = $1
        order by "created_at", "id" limit 1`,
      [BALESTRATE],
    );
    campaignId = campaign.rows[0]!.id;

    await enqueue(BALESTRATE, 'PORTAL', marioHash, TEXT.marioPortal);
    await enqueue(BALESTRATE, 'EMAIL', 'mario.rossi@example.it', TEXT.marioEmail);
    await enqueue(BALESTRATE, 'PORTAL', giuliaHash, TEXT.giuliaPortal);
    await enqueue(otherComune, 'PORTAL', marioHash, TEXT.otherPortal);
    await enqueue(otherComune, 'EMAIL', TEXT.otherEmailAddress, TEXT.otherEmail);
    // Credit-expiry reminders (as the scheduler writes them), by email: not in the inboxes.
    const reminderBody = 'Promemoria / Reminder';
    const reminder = [reminderBody, 'CREDIT_EXPIRING'] as const;
    await enqueue(
      BALESTRATE,
      'EMAIL',
      'mario.rossi@example.it',
      TEXT.reminder,
      ...reminder,
      campaignId,
    );
    await enqueue(otherComune, 'EMAIL', TEXT.otherEmailAddress, TEXT.otherReminder, ...reminder);

    // The platform's dispatcher delivers them (no SMTP in the embedded run: recorded only).
    const deadline = Date.now() + 30_000;
    for (;;) {
      const pending = await db.query<{ n: string }>(
        `select count(*) as n from "public_welfare"."message" where "status" <> 'SENT'`,
      );
      if (Number(pending.rows[0]?.n) === 0) break;
      if (Date.now() > deadline) throw new Error('the dispatcher did not deliver the messages');
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  afterAll(async () => {
    await db?.end();
    await browser?.close();
    await platform?.close();
  });

  async function expectAccessible(page: Page): Promise<void> {
    expect(await accessibilityViolations(page), `axe on ${page.url()}`).toEqual([]);
  }

  async function staffLogin(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
    await logInStaff(page, web, email, { password });
  }

  async function citizenLogin(page: Page): Promise<void> {
    await logInCitizen(page, web, platform.urls.oidc, DEMO_CITIZEN.fiscalCode);
  }

  it('an operator opens the sent messages from the Comune area and sees their status', async () => {
    const { context, page } = await newPage(browser);
    try {
      await staffLogin(page, demoEmail('COMUNE', 'OPERATOR'));
      await page.getByTestId('nav-comune').click();
      await page.waitForURL(`${web}/comune`);
      await page.getByTestId('nav-messaggi-inviati').first().click();
      await page.waitForURL(`${web}/comune/${BALESTRATE}/messaggi`);
      await expect(page.locator('h1').textContent()).resolves.toContain('Messaggi inviati');

      const table = page.getByTestId('sent-messages');
      const row = (subject: string) =>
        table.getByTestId('sent-message').filter({ hasText: subject });
      await expect(row(TEXT.marioPortal).count()).resolves.toBe(1);
      await expect(row(TEXT.giuliaPortal).count()).resolves.toBe(1);
      await expect(row(TEXT.marioEmail).count()).resolves.toBe(1);

      // PORTAL: "Area personale", delivered.
      const portal = row(TEXT.marioPortal);
      await expect(portal.textContent()).resolves.toContain('Area personale');
      await expect(portal.getByTestId('message-status').textContent()).resolves.toBe('Inviato');
      // The text opens on request.
      await portal.getByText('Testo del messaggio').click();
      await expect(portal.getByText(TEXT.marioPortalBody).isVisible()).resolves.toBe(true);
      // EMAIL: the address, and the embedded run's note (not really delivered).
      const email = row(TEXT.marioEmail);
      await expect(email.textContent()).resolves.toContain('mario.rossi@example.it');
      await expect(email.textContent()).resolves.toContain('embedded: not delivered');
      // Each row says its kind.
      await expect(row(TEXT.reminder).getByTestId('message-kind').textContent()).resolves.toBe(
        'Promemoria di scadenza del credito',
      );
      await expect(email.getByTestId('message-kind').textContent()).resolves.toBe(
        'Esito della domanda',
      );

      // Never a codice fiscale hash; never another Comune's message.
      const content = await page.content();
      expect(content).not.toContain(marioHash);
      expect(content).not.toContain(giuliaHash);
      expect(content).not.toContain(TEXT.otherPortal);
      expect(content).not.toContain(TEXT.otherEmailAddress);
      await expectAccessible(page);

      // Only the credit-expiry reminders: a GET form (no script needed), the address keeps it.
      const kind = page.getByLabel('Tipo di messaggio');
      await expect(kind.inputValue()).resolves.toBe('');
      await kind.selectOption({ label: 'Promemoria di scadenza del credito' });
      await page
        .getByTestId('sent-messages-filter')
        .getByRole('button', { name: 'Mostra' })
        .click();
      await page.waitForURL(`${web}/comune/${BALESTRATE}/messaggi?tipo=CREDIT_EXPIRING&misura=`);
      await expect(table.getByTestId('sent-message').count()).resolves.toBe(1);
      await expect(row(TEXT.reminder).count()).resolves.toBe(1);
      await expect(page.getByTestId('sent-messages-count').textContent()).resolves.toContain(
        '1 messaggio',
      );
      await expect(kind.inputValue()).resolves.toBe('CREDIT_EXPIRING');
      expect(await page.content()).not.toContain(TEXT.otherReminder);

      // Every kind, one campaign (measure): only the messages about it, the reminder among them.
      const ofCampaign = await db.query<{ n: string }>(
        `select count(*) as n from "public_welfare"."message" where "campaign_id" = $1`,
        [campaignId],
      );
      await kind.selectOption('');
      await page.getByLabel('Misura').selectOption(campaignId);
      await page
        .getByTestId('sent-messages-filter')
        .getByRole('button', { name: 'Mostra' })
        .click();
      await page.waitForURL(`${web}/comune/${BALESTRATE}/messaggi?tipo=&misura=${campaignId}`);
      await expect(table.getByTestId('sent-message').count()).resolves.toBe(
        Math.min(Number(ofCampaign.rows[0]!.n), 50),
      );
      await expect(row(TEXT.reminder).count()).resolves.toBe(1);
      await expect(row(TEXT.marioEmail).count()).resolves.toBe(0);
      await expect(page.getByLabel('Misura').inputValue()).resolves.toBe(campaignId);
      // A forged kind, a malformed campaign id or one not of this Comune are refused.
      for (const query of [
        'tipo=REMINDER',
        'misura=not-a-uuid',
        'misura=00000000-0000-4000-8000-000000000000',
      ]) {
        const forged = await page.goto(`${web}/comune/${BALESTRATE}/messaggi?${query}`);
        expect(forged?.status(), query).toBe(400);
      }

      // The other Comune's page is closed to this operator.
      const response = await page.goto(`${web}/comune/${otherComune}/messaggi`);
      expect(response?.status()).toBe(403);
    } finally {
      await context.close();
    }
  });

  it('an operator of another Comune gets 403 and sees only their own Comune’s messages', async () => {
    const { context, page } = await newPage(browser);
    try {
      await staffLogin(page, OTHER_OPERATOR.email, OTHER_OPERATOR.password);
      const response = await page.goto(`${web}/comune/${BALESTRATE}/messaggi`);
      expect(response?.status()).toBe(403);
      await expect(page.getByTestId('error-page').getAttribute('data-status')).resolves.toBe('403');
      const body = await page.content();
      expect(body).not.toContain(TEXT.marioPortal);
      expect(body).not.toContain('mario.rossi@example.it');
      await expectAccessible(page);

      await page.goto(`${web}/comune/${otherComune}/messaggi`);
      const subjects = await page.getByTestId('sent-message').allTextContents();
      expect(subjects).toHaveLength(3);
      expect(subjects.join(' ')).toContain(TEXT.otherPortal);
      expect(subjects.join(' ')).toContain(TEXT.otherEmailAddress);
      // Their reminders: their own only.
      await page.goto(`${web}/comune/${otherComune}/messaggi?tipo=CREDIT_EXPIRING`);
      const reminders = await page.getByTestId('sent-message').allTextContents();
      expect(reminders).toHaveLength(1);
      expect(reminders[0]).toContain(TEXT.otherReminder);
      expect(await page.content()).not.toContain(TEXT.reminder);
      // Staff known by email only have no personal area in the navigation.
      await expect(page.getByTestId('nav-messaggi').count()).resolves.toBe(0);
    } finally {
      await context.close();
    }
  });

  it('citizen Mario reads his own messages, from every Comune, and not someone else’s', async () => {
    const { context, page } = await newPage(browser);
    try {
      await citizenLogin(page);
      await page.getByTestId('nav-messaggi').click();
      await page.waitForURL(`${web}/messaggi`);
      await expect(page.locator('h1').textContent()).resolves.toBe('I miei messaggi');
      const inbox = page.getByTestId('my-messages');
      const headings = await inbox.getByRole('heading').allTextContents();
      expect(headings.sort()).toEqual([TEXT.marioPortal, TEXT.otherPortal].sort());
      await expect(inbox.getByText(TEXT.marioPortalBody).first().isVisible()).resolves.toBe(true);
      const content = await page.content();
      expect(content).not.toContain(TEXT.giuliaPortal);
      expect(content).not.toContain(TEXT.marioEmail);
      expect(content).not.toContain(marioHash);
      await expectAccessible(page);

      // In English too.
      await page.getByTestId('lang-switch').click();
      await page.waitForLoadState('load');
      await expect(page.locator('h1').textContent()).resolves.toBe('My messages');
      await expectAccessible(page);

      // A citizen has no Comune area.
      const response = await page.goto(`${web}/comune/${BALESTRATE}/messaggi`);
      expect(response?.status()).toBe(403);
    } finally {
      await context.close();
    }
  });

  it('staff without a codice fiscale get an explanation instead of an inbox', async () => {
    const { context, page } = await newPage(browser);
    try {
      await staffLogin(page, demoEmail('COMUNE', 'MANAGER'));
      await expect(page.getByTestId('nav-messaggi').count()).resolves.toBe(0);
      await page.goto(`${web}/messaggi`);
      await expect(page.getByTestId('my-messages-no-fiscal-code').isVisible()).resolves.toBe(true);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  it('anonymous visitors are sent to the login page', async () => {
    const { context, page } = await newPage(browser);
    try {
      await page.goto(`${web}/messaggi`);
      expect(new URL(page.url()).pathname).toBe('/accedi');
      await page.goto(`${web}/comune/${BALESTRATE}/messaggi`);
      expect(new URL(page.url()).pathname).toBe('/accedi');
    } finally {
      await context.close();
    }
  });
});
