import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, launchBrowser, newPage } from '../support/browser.js';
import { DEMO_CITIZEN, DEMO_COMUNE_ID, DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const NAV_IDS = [
  'nav-admin',
  'nav-comune',
  'nav-ente',
  'nav-azienda',
  'nav-esercente',
  'nav-profilo',
  'nav-accedi',
];

describe('the portal in a browser', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let web: string;

  beforeAll(async () => {
    platform = await startTestPlatform({ web: true });
    web = platform.urls.web;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  /** The navigation entries a page shows, by test id. */
  async function navigation(page: Page): Promise<string[]> {
    const shown: string[] = [];
    for (const id of NAV_IDS) {
      if (await page.getByTestId(id).isVisible()) shown.push(id);
    }
    return shown;
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await accessibilityViolations(page), `axe on ${page.url()}`).toEqual([]);
  }

  async function staffLogin(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
    await page.goto(`${web}/accedi`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Accedi', exact: true }).click();
  }

  async function logout(page: Page): Promise<void> {
    await page.getByTestId('logout').click();
    await page.waitForURL(`${web}/`);
    expect(await navigation(page)).toEqual(['nav-accedi']);
  }

  it('renders the public pages in Italian, accessibly', async () => {
    const { context, page } = await newPage(browser);
    const response = await page.goto(web);
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('it');
    expect(await page.locator('h1').count()).toBe(1);
    expect(await navigation(page)).toEqual(['nav-accedi']);
    await expectAccessible(page);
    await page.goto(`${web}/accedi`);
    await expectAccessible(page);
    await context.close();
  });

  it('switches to English', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(`${web}/accedi`);
    await page
      .getByRole('button', { name: /English/ })
      .or(page.getByRole('link', { name: /English/ }))
      .first()
      .click();
    await page.waitForLoadState('load');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(
      page.getByRole('button', { name: 'Log in', exact: true }).isVisible(),
    ).resolves.toBe(true);
    await expectAccessible(page);
    await context.close();
  });

  it('logs a citizen in through the SPID/CIE test provider and out again', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(`${web}/accedi`);
    await page
      .getByRole('link', { name: /SPID o CIE/ })
      .or(page.getByRole('button', { name: /SPID o CIE/ }))
      .first()
      .click();
    await page.waitForURL(new RegExp(`^${platform.urls.oidc}`));
    await page.getByLabel('Codice fiscale').fill(DEMO_CITIZEN.fiscalCode);
    await page.getByRole('button', { name: 'Entra' }).click();
    await page.waitForURL(`${web}/profilo`);
    await expect(page.getByText(DEMO_CITIZEN.fiscalCode).first().isVisible()).resolves.toBe(true);
    await expect(page.getByText(DEMO_CITIZEN.familyName).first().isVisible()).resolves.toBe(true);
    expect(await navigation(page)).toEqual(['nav-profilo']);
    await expectAccessible(page);
    await logout(page);
    // The session is revoked: the profile asks for a login again.
    await page.goto(`${web}/profilo`);
    expect(new URL(page.url()).pathname).toBe('/accedi');
    await context.close();
  });

  const staff: Array<{ who: string; email: string; nav: string[] }> = [
    { who: 'platform admin', email: demoEmail('ADMIN'), nav: ['nav-admin', 'nav-profilo'] },
    {
      who: 'Comune operator',
      email: demoEmail('COMUNE', 'OPERATOR'),
      nav: ['nav-comune', 'nav-profilo'],
    },
    {
      who: 'Comune manager',
      email: demoEmail('COMUNE', 'MANAGER'),
      nav: ['nav-comune', 'nav-profilo'],
    },
    {
      who: 'cooperative admin',
      email: demoEmail('COOPERATIVE', 'ADMIN'),
      nav: ['nav-ente', 'nav-profilo'],
    },
    {
      who: 'cooperative tutor',
      email: demoEmail('COOPERATIVE', 'TUTOR'),
      nav: ['nav-ente', 'nav-profilo'],
    },
    { who: 'employer HR', email: demoEmail('EMPLOYER', 'HR'), nav: ['nav-azienda', 'nav-profilo'] },
    {
      who: 'shop owner',
      email: demoEmail('MERCHANT', 'OWNER'),
      nav: ['nav-esercente', 'nav-profilo'],
    },
    {
      who: 'shop cashier',
      email: demoEmail('MERCHANT', 'CASHIER'),
      nav: ['nav-esercente', 'nav-profilo'],
    },
  ];
  for (const { who, email, nav } of staff) {
    it(`logs in a ${who}, shows their navigation and area, logs out`, async () => {
      const { context, page } = await newPage(browser);
      await staffLogin(page, email);
      // Staff land on their work: a Comune's worklist, their area; a platform admin on the profile.
      const landing = nav[0] === 'nav-comune' ? `/comune/${DEMO_COMUNE_ID}` : null;
      await page.waitForURL(
        (url) =>
          url.pathname ===
          (landing ?? (nav[0] === 'nav-admin' ? '/profilo' : `/${nav[0]!.slice('nav-'.length)}`)),
      );
      expect(await navigation(page)).toEqual(nav);
      const cookie = (await context.cookies()).find((c) => c.name === 'session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      await expectAccessible(page);
      const area = nav[0] ?? 'nav-profilo';
      await page.getByTestId(area).click();
      // Wait for the area itself: 'load' alone may still be the profile page's, and the check
      // below would then run while the area page is on its way (a manager's area loads more).
      if (area !== 'nav-profilo') {
        const areaPath = `/${area.slice('nav-'.length)}`;
        await page.waitForURL((url) => url.pathname === areaPath);
      }
      await page.waitForLoadState('load');
      expect(await page.locator('h1').count()).toBe(1);
      await expectAccessible(page);
      await logout(page);
      await context.close();
    });
  }

  it('works without client JavaScript: login, profile, logout', async () => {
    const context = await browser.newContext({ locale: 'it-IT', javaScriptEnabled: false });
    const page = await context.newPage();
    await staffLogin(page, demoEmail('COMUNE', 'MANAGER'));
    await page.waitForURL(`${web}/comune/${DEMO_COMUNE_ID}`);
    expect(await navigation(page)).toEqual(['nav-comune', 'nav-profilo']);
    await logout(page);
    await context.close();
  });

  it('answers an unknown page with an accessible 404', async () => {
    const { context, page } = await newPage(browser);
    const response = await page.goto(`${web}/pagina-che-non-esiste`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').count()).toBe(1);
    await expectAccessible(page);
    await context.close();
  });

  it('tells a staff member a wrong password, with no session', async () => {
    const { context, page } = await newPage(browser);
    await staffLogin(page, demoEmail('EMPLOYER', 'HR'), 'not-the-right-password');
    await expect(
      page
        .getByText(/non corrett/i)
        .first()
        .isVisible(),
    ).resolves.toBe(true);
    expect(new URL(page.url()).pathname).toBe('/accedi');
    expect(await navigation(page)).toEqual(['nav-accedi']);
    expect((await context.cookies()).some((c) => c.name === 'session')).toBe(false);
    await expectAccessible(page);
    await context.close();
  });

  it('lets the admin create an organisation and invite a member who then logs in', async () => {
    const { context, page } = await newPage(browser);
    await staffLogin(page, demoEmail('ADMIN'));
    await page.waitForURL(`${web}/profilo`);
    await page.getByTestId('nav-admin').click();
    await page.waitForURL(`${web}/admin`);
    await expectAccessible(page);

    // Invalid data: a message per field, nothing created.
    await page.getByLabel(/^Tipo/).selectOption('COOPERATIVE');
    await page.getByLabel(/^Denominazione/).fill('Cooperativa Aurora');
    await page.getByLabel(/Partita IVA/).fill('12345678901');
    await page.getByLabel(/IBAN/).fill('IT00X0000000000000000000000');
    await page.getByRole('button', { name: /Crea/ }).click();
    await page.waitForLoadState('load');
    await expect(page.locator('[aria-invalid="true"]').count()).resolves.toBeGreaterThanOrEqual(2);
    await expectAccessible(page);
    await expect(page.getByRole('link', { name: 'Cooperativa Aurora' }).count()).resolves.toBe(0);

    // Valid data.
    await page.getByLabel(/^Denominazione/).fill('Cooperativa Aurora');
    await page.getByLabel(/Partita IVA/).fill('01114601006');
    await page.getByLabel(/IBAN/).fill('IT60X0542811101000000123456');
    await page.getByRole('button', { name: /Crea/ }).click();
    await page.waitForLoadState('load');
    await page.getByRole('link', { name: 'Cooperativa Aurora' }).first().click();
    await page.waitForURL(/\/organizzazioni\//);
    await expectAccessible(page);

    await page.getByLabel(/^Email/).fill('nuova.tutor@aurora.demo');
    await page.getByLabel(/^Nome/).fill('Nuova');
    await page.getByLabel(/^Cognome/).fill('Tutor');
    await page.getByLabel(/^Ruolo/).selectOption('TUTOR');
    await page.getByRole('button', { name: /invito/i }).click();
    await page.waitForLoadState('load');
    const link = await page
      .getByText(/\/invito\//)
      .first()
      .textContent();
    const inviteUrl = /https?:\/\/\S+\/invito\/[A-Za-z0-9_-]+/.exec(link ?? '')?.[0];
    expect(inviteUrl).toBeTruthy();
    await context.close();

    const invitee = await newPage(browser);
    await invitee.page.goto(inviteUrl ?? '');
    await expectAccessible(invitee.page);
    // Too short and not matching: told, nothing activated.
    await invitee.page.getByLabel(/^Nuova password/).fill('corta');
    await invitee.page.getByLabel(/Conferma/).fill('diversa');
    await invitee.page.getByRole('button', { name: /Attiva/ }).click();
    await invitee.page.waitForLoadState('load');
    await expect(invitee.page.getByTestId('error-summary').isVisible()).resolves.toBe(true);
    expect(new URL(invitee.page.url()).pathname).toMatch(/^\/invito\//);
    await expectAccessible(invitee.page);

    await invitee.page.getByLabel(/^Nuova password/).fill('una-password-sicura-2026');
    await invitee.page.getByLabel(/Conferma/).fill('una-password-sicura-2026');
    await invitee.page
      .getByRole('button', { name: /Attiva|Conferma|Imposta/ })
      .first()
      .click();
    await invitee.page.waitForURL(`${web}/profilo`);
    await expect(invitee.page.getByText('Cooperativa Aurora').first().isVisible()).resolves.toBe(
      true,
    );
    expect(await navigation(invitee.page)).toEqual(['nav-ente', 'nav-profilo']);
    await invitee.context.close();
  });

  it("keeps an organisation's page from another organisation's staff", async () => {
    const coop = await newPage(browser);
    await staffLogin(coop.page, demoEmail('COOPERATIVE', 'ADMIN'));
    await coop.page.waitForURL(`${web}/ente`);
    await coop.page.getByTestId('nav-ente').click();
    await coop.page
      .getByRole('link', { name: /La Esse/ })
      .first()
      .click();
    await coop.page.waitForURL(/\/organizzazioni\//);
    const coopPage = coop.page.url();
    await coop.context.close();

    const operator = await newPage(browser);
    await staffLogin(operator.page, demoEmail('COMUNE', 'OPERATOR'));
    await operator.page.waitForURL(`${web}/comune/${DEMO_COMUNE_ID}`);
    const response = await operator.page.goto(coopPage);
    expect([403, 404]).toContain(response?.status());
    await expect(operator.page.getByText(demoEmail('COOPERATIVE', 'TUTOR')).count()).resolves.toBe(
      0,
    );
    await expectAccessible(operator.page);
    // And the admin area is not theirs.
    const admin = await operator.page.goto(`${web}/admin`);
    expect(admin?.status()).toBe(403);
    await operator.context.close();
  });

  it('still renders and says what is unavailable when the identity subgraph is down', async () => {
    await platform.stopService('identity');
    try {
      const { context, page } = await newPage(browser);
      const response = await page.goto(web);
      expect(response?.status()).toBe(200);
      await expect(page.getByTestId('service-unavailable').isVisible()).resolves.toBe(true);
      await expect(page.locator('h1').isVisible()).resolves.toBe(true);
      await expectAccessible(page);
      await context.close();
    } finally {
      await platform.startService('identity');
    }
  });
});
