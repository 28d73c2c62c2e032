import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { accessibilityViolations, launchBrowser, newPage } from './browser.js';
import { DEMO_PASSWORD } from './demo.js';
import { isLoggedInAs, logInCitizen, logInStaffByApi } from './login.js';
import { startTestPlatform, type TestPlatform, type TestPlatformOptions } from './platform.js';
import { sharedTestPlatform } from './shared-platform.js';

/** The platform with its portal and a browser, and the ways a browser test gets in. */
export interface Portal {
  readonly platform: TestPlatform;
  readonly browser: Browser;
  /** The portal's base URL. */
  readonly web: string;
  /** A fresh page in its own context (its own cookies), closed with the portal. */
  page(on?: Browser): Promise<Page>;
  /**
   * A page logged in with email and password (staff of an organisation), on its profile: the
   * session the gateway's login gives, set as the portal's cookie (the login form itself is tested
   * by the tests that use `logInStaff`). With
   * `reuse` (a page an earlier test logged in), that page if it is still logged in as `email`,
   * otherwise a new one: a test does not depend on another's login.
   */
  staffPage(
    email: string,
    options?: { password?: string; browser?: Browser; reuse?: Page | undefined },
  ): Promise<Page>;
  /**
   * A citizen logged in through the test SPID provider: the page and the session token. With
   * `reuse`, that page if it is still logged in as this citizen.
   */
  citizenPage(
    fiscalCode: string,
    options?: { reuse?: Page | undefined },
  ): Promise<{ page: Page; token: string }>;
  /**
   * Fails with the readable list of WCAG 2.1 A/AA violations on the page, if any (with
   * `bestPractices`, axe's best-practice rules too).
   */
  expectAccessible(page: Page, options?: { bestPractices?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the whole platform with the portal (demo data) and a headless Chromium. With `shared`,
 * the platform is the worker's shared one (see shared-platform.ts for when a file may use it),
 * left running by `close()`.
 */
export async function openPortal(
  options: Omit<TestPlatformOptions, 'web'> | { shared: true } = {},
): Promise<Portal> {
  const platform =
    'shared' in options
      ? await sharedTestPlatform()
      : await startTestPlatform({ ...options, web: true });
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
    async staffPage(email, { password = DEMO_PASSWORD, browser: on = browser, reuse } = {}) {
      if (reuse && (await isLoggedInAs(reuse, web, email))) return reuse;
      const staff = await page(on);
      await logInStaffByApi(staff, web, platform.urls.gateway, email, password);
      return staff;
    },
    async citizenPage(fiscalCode, { reuse } = {}) {
      const citizen = reuse && (await isLoggedInAs(reuse, web, fiscalCode)) ? reuse : await page();
      if (citizen !== reuse) await logInCitizen(citizen, web, platform.urls.oidc, fiscalCode);
      const session = (await citizen.context().cookies(web)).find((c) => c.name === 'session');
      expect(session?.value, 'session cookie').toBeTruthy();
      return { page: citizen, token: session!.value };
    },
    async expectAccessible(target, options) {
      expect(await accessibilityViolations(target, options), `axe on ${target.url()}`).toEqual([]);
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await platform.close();
    },
  };
}
