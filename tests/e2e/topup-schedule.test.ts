import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CAMPAIGN_ID, DEMO_COMUNE_ID, DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { login } from '../support/graphql.js';
import {
  bookProblems,
  reconciliationProblems,
  seedCards,
  type SeededCard,
} from '../support/money.js';
import type { TestPlatform } from '../support/platform.js';
import { openPortal, type Portal } from '../support/portal.js';

/** The demo Comune (Comune di Balestrate) and its published campaign "Buoni spesa 2026". */
const COMUNE = DEMO_COMUNE_ID;
const CAMPAIGN = DEMO_CAMPAIGN_ID;
const CREDIT = 5_000;

/** Euro cents as the Italian pages print them (spaces normalised, as `text` reads them). */
const euro = (cents: number) =>
  new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' })
    .format(cents / 100)
    .replace(/\s+/g, ' ');
/** A day in Rome, `yyyy-mm-dd`, `days` from today. */
const romeDay = (days = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(
    new Date(Date.now() + days * 86_400_000),
  );

describe('top-ups by date in a browser', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let web: string;
  let db: pg.Client;
  let cards: SeededCard[] = [];

  const expectAccessible = (page: Page) => portal.expectAccessible(page);

  const staffPage = (email: string) => portal.staffPage(email);

  const text = async (page: Page, selector: string) =>
    ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

  const scheduled = async () =>
    (
      await db.query<{ number: number; status: string; credited: string | null }>(
        `select number, status, credited_cents::text as credited
           from public_welfare.topup_schedule where campaign_id = $1 order by number`,
        [CAMPAIGN],
      )
    ).rows;

  async function cardCredit(cardId: string): Promise<number> {
    const { rows } = await db.query<{ n: string }>(
      `select coalesce(sum(credits_posted - debits_posted - debits_pending), 0)::text as n
         from public_welfare.book_account where code = $1`,
      [`card:${cardId}:campaign:${CAMPAIGN}`],
    );
    return Number(rows[0]!.n);
  }

  async function fillSchedule(page: Page, number: string, percent: string, dueOn: string) {
    await page.locator('#sched-number').fill(number);
    await page.locator('#sched-percent').fill(percent);
    await page.locator('#sched-due').fill(dueOn);
    await page.getByRole('button', { name: 'Programma la ricarica' }).click();
    await page.waitForLoadState('load');
  }

  beforeAll(async () => {
    // A short pass interval, in this test's platform only (the default is one minute).
    portal = await openPortal({
      subgraphEnv: { 'public-welfare': { TOPUP_SCHEDULER_INTERVAL_MS: '300' } },
    });
    ({ platform, web } = portal);
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    const manager = await login(
      platform.urls.gateway,
      demoEmail('COMUNE', 'MANAGER'),
      DEMO_PASSWORD,
    );
    cards = await seedCards(db, {
      dataDir: platform.dataDir,
      comuneId: COMUNE,
      campaignId: CAMPAIGN,
      staffId: manager.viewer.person.id,
      count: 2,
      amountCents: CREDIT,
      first: 9_100,
    });
  });

  afterAll(async () => {
    await db?.end().catch(() => undefined);
    await portal?.close();
  });

  it('the manager schedules a tranche for today; the scheduler credits it; a bad date shows the field error', async () => {
    const page = await staffPage(demoEmail('COMUNE', 'MANAGER'));
    const url = `${web}/comune/${COMUNE}/misure/${CAMPAIGN}/ricariche`;
    await page.goto(url);
    await expect
      .poll(() => page.getByRole('heading', { name: 'Ricariche programmate' }).count())
      .toBe(1);
    await expectAccessible(page);

    // A past day: the field's error, in Italian, and nothing scheduled.
    await fillSchedule(page, '2', '40', romeDay(-1));
    await expect.poll(() => page.getByTestId('error-summary').count()).toBe(1);
    expect(await text(page, '#sched-due-error')).toContain('La data non può essere passata');
    expect(await page.locator('#sched-due').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#sched-due').inputValue()).toBe(romeDay(-1));
    expect(await scheduled()).toEqual([]);
    await expectAccessible(page);

    // Today: scheduled, then credited by the scheduler in the background.
    await fillSchedule(page, '2', '40', romeDay(0));
    await page.waitForURL(/esito=programmata/);
    expect(await text(page, '[data-testid="sched-notice"]')).toBe('Ricarica programmata.');
    await expect
      .poll(async () => (await scheduled()).map((r) => r.status), { timeout: 20_000 })
      .toEqual(['DONE']);
    const [done] = await scheduled();
    const credited = Number(done!.credited);
    // Each seeded card got 40% of its entitlement (other demo applications may get some too).
    for (const card of cards) expect(await cardCredit(card.cardId)).toBe(CREDIT * 0.4);
    expect(credited).toBeGreaterThanOrEqual(cards.length * CREDIT * 0.4);
    await page.goto(url);
    const row = page.locator('[data-testid="sched-row"][data-number="2"]');
    expect(await row.getAttribute('data-status')).toBe('DONE');
    expect(await text(page, '[data-number="2"] [data-testid="sched-credited"]')).toBe(
      euro(credited),
    );
    expect(await row.textContent()).toContain('Eseguita');
    await expectAccessible(page);

    // A tranche for tomorrow, cancelled with its own button.
    await fillSchedule(page, '3', '10', romeDay(1));
    await page.waitForURL(/esito=programmata/);
    expect(
      await page.locator('[data-testid="sched-row"][data-number="3"]').getAttribute('data-status'),
    ).toBe('PENDING');
    await page
      .getByRole('button', { name: 'Annulla la ricarica programmata della tranche 3' })
      .click();
    await page.waitForURL(/esito=annullata/);
    expect(
      await page.locator('[data-testid="sched-row"][data-number="3"]').getAttribute('data-status'),
    ).toBe('CANCELLED');
    expect(
      await page
        .getByRole('button', { name: 'Annulla la ricarica programmata della tranche 3' })
        .count(),
    ).toBe(0);
    expect((await scheduled()).map((r) => [r.number, r.status])).toEqual([
      [2, 'DONE'],
      [3, 'CANCELLED'],
    ]);
    await expectAccessible(page);
    expect(await bookProblems(db)).toEqual([]);
    expect(await reconciliationProblems(platform.urls.gateway)).toEqual([]);
  });
});
