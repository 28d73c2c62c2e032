import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium (or CHROMIUM_PATH), headless, with no background traffic. `extraArgs` adds
 * switches (e.g. a fake camera that plays a file).
 */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      ...extraArgs,
    ],
  });
}

/** How long a freshly loaded portal page may take to become interactive on a loaded machine. */
const HYDRATION_TIMEOUT_MS = 45_000;

/** A fresh context (its own cookies) and page. */
export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'it-IT' });
  const page = await context.newPage();
  // `goto` also waits for the portal's page to hydrate (its root layout marks <html>): a value
  // typed before hydration can be reset by it, which a loaded machine made happen to a login.
  // Pages that are not the portal's (the test SPID provider) are not waited on.
  const goto = page.goto.bind(page);
  page.goto = async (url, options) => {
    const response = await goto(url, options);
    await page.waitForFunction(
      () =>
        !document.body?.hasAttribute('data-sveltekit-preload-data') ||
        document.documentElement.hasAttribute('data-hydrated'),
      undefined,
      { timeout: options?.timeout ?? HYDRATION_TIMEOUT_MS },
    );
    return response;
  };
  return { context, page };
}

/** WCAG 2.1 A and AA violations on the current page, as readable lines. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? ''}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}
