import type { Browser, BrowserContext, Page } from 'playwright-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, launchBrowser, newPage } from '../support/browser.js';
import { DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { LOGIN_STEP_TIMEOUT_MS, logInStaff } from '../support/login.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

// Two clients on two networks: the portal reads the client's address from X-Forwarded-For (as
// behind a reverse proxy: adapter-node's ADDRESS_HEADER), each browser context sends its own.
const ATTACKER = '198.51.100.66';
const OWNER = '203.0.113.77';
const FREE = 3;
const step = { timeout: LOGIN_STEP_TIMEOUT_MS };

describe('login throttling and password recovery in the browser', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let web: string;
  let db: pg.Client;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform({
      web: true,
      subgraphEnv: {
        web: { ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' },
        identity: { LOGIN_FREE_FAILURES: String(FREE), LOGIN_BACKOFF_BASE_SECONDS: '120' },
      },
    });
    web = platform.urls.web;
    browser = await launchBrowser();
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await db?.end();
    await browser?.close();
    await platform?.close();
  });

  /**
   * A browser of its own (cookies) whose requests come from `address`. Its `goto` waits for the
   * portal's page to hydrate (newPage): a login typed before hydration was reset by it, and the
   * form posted empty on a loaded machine.
   */
  async function clientAt(address: string): Promise<Page> {
    const { context, page } = await newPage(browser, {
      extraHTTPHeaders: { 'x-forwarded-for': address },
    });
    contexts.push(context);
    return page;
  }

  /** Posts the login form; answers the status of the post and the error summary's text. */
  async function tryLogin(page: Page, email: string, password: string) {
    await page.goto(`${web}/accedi`, step);
    const form = page.getByTestId('login-form');
    await form.getByLabel('Email').fill(email, step);
    await form.getByLabel('Password', { exact: true }).fill(password, step);
    const posted = page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/accedi',
      step,
    );
    await form.getByRole('button', { name: 'Accedi', exact: true }).click(step);
    const response = await posted;
    await page.waitForLoadState('load', step);
    const summary = page.getByTestId('error-summary');
    const text = (await summary.count()) ? ((await summary.first().textContent()) ?? '') : '';
    return { status: response.status(), text: text.trim() };
  }

  it('keeps the owner able to log in from another address while one address attacks the account', async () => {
    const till = demoEmail('MERCHANT', 'CASHIER');
    const attacker = await clientAt(ATTACKER);
    for (let i = 0; i <= FREE; i++) {
      const refused = await tryLogin(attacker, till, `tentativo sbagliato ${i}`);
      expect(refused.status).toBe(401);
      expect(refused.text).toContain('Email o password non corretti.');
    }
    // The attacker's address now waits (2 minutes), even with the right password.
    const limited = await tryLogin(attacker, till, DEMO_PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('attendi 2 minuti prima di riprovare');

    // The owner, from the shop's own connection, gets in.
    const owner = await clientAt(OWNER);
    await logInStaff(owner, web, till);
    // A shop's staff land on their area.
    expect(new URL(owner.url()).pathname).toBe('/esercente');
  }, 120_000);

  /** The recovery link of the last e-mail identity's outbox holds for `email`. */
  async function recoveryLink(email: string): Promise<string> {
    const { rows } = await db.query<{ body: string }>(
      `select body from identity.outbox_message where recipient = $1 order by created_at desc limit 1`,
      [email],
    );
    const link = /(http\S+\/accedi\/nuova-password\?token=[A-Za-z0-9_-]+)/.exec(
      rows[0]?.body ?? '',
    )?.[1];
    if (!link) throw new Error(`no recovery e-mail for ${email}`);
    return link;
  }

  async function askForLink(page: Page, email: string): Promise<void> {
    await page.goto(`${web}/accedi`, step);
    await page.getByTestId('forgot-password').click(step);
    await page.waitForURL(`${web}/accedi/password-dimenticata`, step);
    await page.getByTestId('reset-request-form').getByLabel('Email').fill(email, step);
    await page.getByTestId('reset-request-submit').click(step);
    await expect.poll(() => page.getByTestId('reset-request-sent').isVisible(), step).toBe(true);
  }

  /** Posts the new-password form; answers the status of the post. */
  async function choosePassword(page: Page, password: string, confirmation = password) {
    const form = page.getByTestId('reset-form');
    await form.getByLabel('Nuova password').fill(password, step);
    await form.getByLabel('Conferma la password').fill(confirmation, step);
    const posted = page.waitForResponse(
      (r) =>
        r.request().method() === 'POST' && new URL(r.url()).pathname === '/accedi/nuova-password',
      step,
    );
    await page.getByTestId('reset-submit').click(step);
    const status = (await posted).status();
    await page.waitForLoadState('load', step);
    return status;
  }

  const shown = (page: Page, testId: string) =>
    expect.poll(() => page.getByTestId(testId).isVisible(), step).toBe(true);

  it('lets staff recover a forgotten password through the e-mail link, once', async () => {
    const email = demoEmail('COMUNE', 'OPERATOR');
    const page = await clientAt(OWNER);

    // An unknown e-mail gets the same answer, and no e-mail.
    await askForLink(page, 'nessuno@sconosciuto.demo');
    const unknown = await db.query(
      `select 1 from identity.outbox_message where recipient = 'nessuno@sconosciuto.demo'`,
    );
    expect(unknown.rowCount).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    await askForLink(page, email);
    const link = await recoveryLink(email);
    expect(link.startsWith(`${web}/accedi/nuova-password?token=`)).toBe(true);

    // The token leaves the address bar at once; no referrer leaves the site.
    const arrived = await page.goto(link, step);
    expect(page.url()).toBe(`${web}/accedi/nuova-password`);
    expect(arrived?.headers()['referrer-policy']).toBe('same-origin');
    expect(arrived?.headers()['cache-control']).toBe('no-store');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Mismatched confirmation: a field error, nothing changed.
    expect(await choosePassword(page, 'la-mia-password-nuova', 'un-altra-password-ancora')).toBe(
      400,
    );
    await expect
      .poll(() => page.getByText('Le due password non coincidono.').count(), step)
      .toBeGreaterThan(0);

    const newPassword = 'la-mia-password-nuova-2026';
    expect(await choosePassword(page, newPassword)).toBe(303);
    await page.waitForURL(`${web}/accedi?password=aggiornata`, step);
    await shown(page, 'password-reset-done');

    // The old password no longer works; the new one does.
    const old = await tryLogin(page, email, DEMO_PASSWORD);
    expect(old.status).toBe(401);
    await logInStaff(page, web, email, { password: newPassword });

    // The link works once.
    const other = await clientAt(OWNER);
    await other.goto(link, step);
    expect(await choosePassword(other, 'ancora-una-password-nuova')).toBe(400);
    await shown(other, 'reset-invalid-link');
  }, 240_000);

  it('refuses an expired link', async () => {
    const email = demoEmail('COOPERATIVE', 'TUTOR');
    const page = await clientAt(OWNER);
    await askForLink(page, email);
    const link = await recoveryLink(email);
    await db.query(
      `update identity.password_reset set expires_at = now() - interval '1 second' where used_at is null`,
    );
    await page.goto(link, step);
    expect(await choosePassword(page, 'una-password-troppo-tardi')).toBe(400);
    await shown(page, 'reset-invalid-link');
    await logInStaff(page, web, email);
  }, 120_000);
});
