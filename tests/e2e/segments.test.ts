import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, launchBrowser, newPage } from '../support/browser.js';
import { DEMO_CAMPAIGN_TITLE, DEMO_COMUNE_ID, demoEmail } from '../support/demo.js';
import { logInStaff } from '../support/login.js';
import type { TestPlatform } from '../support/platform.js';
import { sharedTestPlatform } from '../support/shared-platform.js';

/** The demo Comune's manager. */
const MANAGER_EMAIL = demoEmail('COMUNE', 'MANAGER');

describe('segments (saved household filters) in a browser', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let web: string;

  beforeAll(async () => {
    // Its own segment, the counts compared within the test: the worker's shared platform
    // (support/shared-platform.ts).
    platform = await sharedTestPlatform();
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

  /** The number in `households-count` ("57 nuclei"). */
  async function householdsCount(page: Page): Promise<number> {
    const text = (await page.getByTestId('households-count').textContent()) ?? '';
    const digits = /(\d[\d.]*)/.exec(text)?.[1]?.replace(/\./g, '');
    expect(digits, `households-count: ${text}`).toBeTruthy();
    return Number(digits);
  }

  it('saves the filter as a segment, refuses a duplicate name, opens and deletes it', async () => {
    const { context, page } = await newPage(browser);
    try {
      await logInStaff(page, web, MANAGER_EMAIL);
      await expectAccessible(page);

      await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/anagrafe`);
      await expectAccessible(page);
      const all = await householdsCount(page);

      const filter = page.getByTestId('households-filter');
      await filter.getByLabel(/^ISEE massimo/).fill('10.000');
      await filter.getByRole('button', { name: 'Applica i filtri' }).click();
      await page.waitForURL(/iseeMax=10\.000/);
      const filtered = await householdsCount(page);
      expect(filtered).toBeGreaterThan(0);
      expect(filtered).toBeLessThan(all);
      await expectAccessible(page);

      // Save it as "ISEE basso": listed with the filtered count.
      const form = page.getByTestId('segment-form');
      await form.getByLabel('Nome del segmento').fill('ISEE basso');
      await form.getByRole('button', { name: 'Salva come segmento' }).click();
      await page.waitForURL(/iseeMax=10\.000$/);
      const row = page
        .getByTestId('segments-list')
        .getByRole('row')
        .filter({ hasText: 'ISEE basso' });
      await expect(row.count()).resolves.toBe(1);
      const count = Number(
        ((await row.getByTestId('segment-count').textContent()) ?? '').replace(/\D/g, ''),
      );
      expect(count).toBe(filtered);
      await expectAccessible(page);

      // The same name again: a field error, nothing saved.
      await page.getByTestId('segment-form').getByLabel('Nome del segmento').fill('ISEE basso');
      await page
        .getByTestId('segment-form')
        .getByRole('button', { name: 'Salva come segmento' })
        .click();
      await page.waitForURL(/saveSegment/);
      await expect(page.getByTestId('error-summary').isVisible()).resolves.toBe(true);
      await expect(page.locator('#segment-name[aria-invalid="true"]').count()).resolves.toBe(1);
      await expect(page.locator('#segment-name-error').textContent()).resolves.toContain(
        'Esiste già un segmento con questo nome.',
      );
      await expect(
        page
          .getByTestId('segments-list')
          .getByRole('row')
          .filter({ hasText: 'ISEE basso' })
          .count(),
      ).resolves.toBe(1);
      await expectAccessible(page);

      // Open the segment from a page without filters: the same count.
      await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/anagrafe`);
      await page
        .getByRole('link', { name: /^Apri l'anagrafe con il filtro del segmento ISEE basso$/ })
        .click();
      await page.waitForURL(/iseeMax=/);
      expect(await householdsCount(page)).toBe(filtered);
      await expectAccessible(page);

      // Invite it to apply to the demo campaign: once; a second invitation writes nothing new.
      await row.getByLabel('Misura a cui invitare il segmento ISEE basso').selectOption({
        label: DEMO_CAMPAIGN_TITLE,
      });
      await page
        .getByRole('button', { name: 'Invita il segmento ISEE basso a presentare domanda' })
        .click();
      await page.waitForURL(/inviteSegment/);
      const result = page.getByTestId('segment-invite-result');
      await expect(result.textContent()).resolves.toMatch(
        new RegExp(`${filtered} nuclei invitati ora su ${filtered} del segmento`),
      );
      await expectAccessible(page);
      // The measure chosen stays chosen after the answer (the worker's shared platform may have
      // other open measures listed first).
      await expect(
        row
          .getByLabel('Misura a cui invitare il segmento ISEE basso')
          .evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent),
      ).resolves.toBe(DEMO_CAMPAIGN_TITLE);
      // The second invitation: its form post answered (a click during the page's own update was
      // lost on a loaded machine), then polled until the second answer replaces the first.
      await Promise.all([
        page.waitForResponse(
          (r) => r.request().method() === 'POST' && r.url().includes('inviteSegment'),
        ),
        page
          .getByRole('button', { name: 'Invita il segmento ISEE basso a presentare domanda' })
          .click(),
      ]);
      await expect
        .poll(() => page.getByTestId('segment-invite-result').textContent(), { timeout: 30_000 })
        .toMatch(new RegExp(`Invito inviato: 0 nuclei invitati ora su ${filtered} del segmento`));

      // Delete it.
      await page.getByRole('button', { name: 'Elimina il segmento ISEE basso' }).click();
      await page.waitForURL(/iseeMax=10\.000$/);
      await expect(
        page.getByRole('button', { name: 'Elimina il segmento ISEE basso' }).count(),
      ).resolves.toBe(0);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});
