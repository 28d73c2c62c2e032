import { AxeBuilder } from '@axe-core/playwright';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';

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

/**
 * A fresh context (its own cookies) and page; `contextOptions` adds to the context's (e.g. extra
 * headers).
 */
export async function newPage(
  browser: Browser,
  contextOptions: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'it-IT', ...contextOptions });
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

/** The rules every page is held to: WCAG 2.0 and 2.1, levels A and AA. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * WCAG 2.1 A and AA violations on the current page, as readable lines. With `bestPractices`, axe's
 * best-practice rules too (one main landmark, content inside landmarks, headings that do not skip
 * a level…): the pages that pass them are held to them.
 *
 * axe runs in legacy mode (`axe.run` in the page, no blank page opened per check for
 * `finishRun`; the portal has no cross-origin frames to reach) and reports violations only (no
 * passes, incomplete or inapplicable results to gather and send back): about 4 minutes less over
 * the browser suite. `options()` replaces every option, so the tags go in the same call.
 */
export async function accessibilityViolations(
  page: Page,
  { bestPractices = false }: { bestPractices?: boolean } = {},
): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .setLegacyMode(true)
    .options({
      runOnly: { type: 'tag', values: bestPractices ? [...WCAG_TAGS, 'best-practice'] : WCAG_TAGS },
      resultTypes: ['violations'],
    })
    .analyze();
  return results.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? ''}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}
