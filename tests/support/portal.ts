import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { accessibilityViolations, launchBrowser, newPage } from './browser.js';
import { DEMO_PASSWORD } from './demo.js';
import { startTestPlatform, type TestPlatform } from './platform.js';

/** The platform with its portal and a browser, and the ways a browser test gets in. */
export interface Portal {
  readonly platform: TestPlatform;
  readonly browser: Browser;
  /** The portal's base URL. */
  readonly web: string;
  /** A fresh page in its own context (its own cookies), closed with the portal. */
  page(on?: Browser): Promise<Page>;
  /** A page logged in with email and password (staff of an organisation), on its profile. */
  staffPage(email: string, options?: { password?: string; browser?: Browser }): Promise<Page>;
  /** A citizen logged in through the test SPID provider: the page and the session token. */
  citizenPage(fiscalCode: string): Promise<{ page: Page; token: string }>;
  /** Fails with the readable list of WCAG 2.1 A/AA violations on the page, if any. */
  expectAccessible(page: Page): Promise<void>;
  close(): Promise<void>;
}

/** Starts the whole platform with the portal (demo data, free ports) and a headless Chromium. */
export async function openPortal(
  options: Omit<NonNullable<Parameters<typeof startTestPlatform>[0]>, 'web'> = {},
): Promise<Portal> {
  const platform = await startTestPlatform({ ...options, web: true });
  const browser = await launchBrowser().catch(async (err: unknown) => {
    await platform.close();
    throw err;
  });
  const web = platform.urls.web;
  const contexts: BrowserContext[] = [];

  const page = async (on: Browser = browser): Promise<Page> => {
    const opened = await newPage(on);
    contexts.push(opened.context);
    return opened.page;
  };

  return {
    platform,
    browser,
    web,
    page,
    async staffPage(email, { password = DEMO_PASSWORD, browser: on = browser } = {}) {
      const staff = await page(on);
      await staff.goto(`${web}/accedi`);
      await staff.getByLabel('Email').fill(email);
      await staff.getByLabel('Password', { exact: true }).fill(password);
      await staff.getByRole('button', { name: 'Accedi', exact: true }).click();
      await staff.waitForURL(`${web}/profilo`);
      return staff;
    },
    async citizenPage(fiscalCode) {
      const citizen = await page();
      await citizen.goto(`${web}/accedi`);
      await citizen.getByTestId('login-spid').click();
      await citizen.waitForURL(new RegExp(`^${platform.urls.oidc}`));
      await citizen.getByLabel('Codice fiscale').fill(fiscalCode);
      await citizen.getByRole('button', { name: 'Entra' }).click();
      await citizen.waitForURL(`${web}/profilo`);
      const session = (await citizen.context().cookies(web)).find((c) => c.name === 'session');
      expect(session?.value, 'session cookie').toBeTruthy();
      return { page: citizen, token: session!.value };
    },
    async expectAccessible(target) {
      expect(await accessibilityViolations(target), `axe on ${target.url()}`).toEqual([]);
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await platform.close();
    },
  };
}
