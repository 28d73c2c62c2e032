// Issue 12, "An answer is final", in the browser: when the till gets no answer in time it says
// "Esito da verificare" (not "rifiutato"), keeps the payment's key, and "Verifica il pagamento"
// finds the payment or says none was made; a retry with the kept key charges once.
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CAMPAIGN_ID, DEMO_COMUNE_ID, DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { login } from '../support/graphql.js';
import {
  CARD_PIN,
  chargeCard,
  accreditShop,
  bookProblems,
  creditCampaign,
  reconciliationProblems,
  seedCards,
  type SeededCard,
} from '../support/money.js';
import { openPortal, type Portal } from '../support/portal.js';

const COMUNE_ID = DEMO_COMUNE_ID;
const CAMPAIGN_ID = DEMO_CAMPAIGN_ID;
/** The gateway's timeout of a subgraph call here: short, so that a frozen subgraph times out. */
const TIMEOUT_MS = 3_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the till when the answer does not come in time', () => {
  let portal: Portal;
  let db: pg.Client;
  let merchantId = '';
  let accreditationId = '';
  let cashierToken = '';
  let card: SeededCard;

  beforeAll(async () => {
    portal = await openPortal({
      subgraphEnv: {
        gateway: { SUBGRAPH_TIMEOUT_MS: String(TIMEOUT_MS), SUBGRAPH_DEADLINE_MARGIN_MS: '250' },
      },
    });
    const { platform } = portal;
    const gateway = platform.urls.gateway;
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    const manager = await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
    const owner = await login(gateway, demoEmail('MERCHANT', 'OWNER'), DEMO_PASSWORD);
    merchantId = owner.viewer.memberships.find((m) => m.organisation.kind === 'MERCHANT')!
      .organisation.id;
    cashierToken = (await login(gateway, demoEmail('MERCHANT', 'CASHIER'), DEMO_PASSWORD)).token;
    const seeded = await seedCards(db, {
      dataDir: platform.dataDir,
      comuneId: COMUNE_ID,
      campaignId: CAMPAIGN_ID,
      staffId: manager.viewer.person.id,
      count: 1,
      amountCents: 10_000,
    });
    card = seeded[0]!;
    await creditCampaign(gateway, manager.token, CAMPAIGN_ID, 10_000_000);
    accreditationId = await accreditShop(
      gateway,
      { token: owner.token, merchantId },
      manager.token,
      CAMPAIGN_ID,
    );
  });
  afterAll(async () => {
    await db?.end();
    await portal?.close();
  });

  /**
   * Freezes public-welfare (a long pause, a starved CPU) until the returned function thaws it. The
   * tests thaw it only once the till has shown its answer: however long the request takes to reach
   * the frozen service on a busy machine, the gateway's timeout fires first.
   */
  const freeze = (): (() => void) => {
    const pid = portal.platform.pid('public-welfare');
    if (!pid) throw new Error('public-welfare is not running');
    process.kill(pid, 'SIGSTOP');
    return () => process.kill(pid, 'SIGCONT');
  };

  const payments = async (id: string) =>
    Number(
      (
        await db.query<{ n: string }>(
          `select count(*)::text as n from public_welfare.payment where id = $1`,
          [id],
        )
      ).rows[0]!.n,
    );

  /** Fills the till's form for 12,50 € on the seeded card; returns the form's key. */
  async function fill(page: Page): Promise<string> {
    await page.goto(`${portal.web}/esercente/${merchantId}/cassa`);
    const form = page.getByTestId('pos-form');
    await form.getByLabel('Convenzione (misura)').selectOption(accreditationId);
    await form.getByLabel('Categoria di prodotti').selectOption('FOOD');
    await form.getByLabel('Oppure codice fiscale del titolare').fill(card.fiscalCode);
    await form.getByLabel('Importo in euro').fill('12,50');
    await form.getByLabel('PIN della carta').fill(CARD_PIN);
    return form.locator('input[name="idempotencyKey"]').inputValue();
  }

  /** Submits the form while public-welfare is frozen: the till must say the outcome is unknown. */
  async function submitUnanswered(page: Page, key: string): Promise<void> {
    const thaw = freeze();
    const unknown = page.getByTestId('pos-unknown');
    try {
      await page.getByTestId('pos-form').getByRole('button', { name: 'Addebita' }).click();
      await unknown.waitFor({ timeout: 30_000 }).catch(async (err: unknown) => {
        throw new Error(
          `no unknown outcome shown: ${(await page.locator('main').innerText()).slice(0, 600)}`,
          { cause: err },
        );
      });
    } finally {
      thaw();
    }
    expect(await unknown.getByRole('heading').textContent()).toContain('Esito da verificare');
    expect(await page.getByTestId('pos-unknown-key').textContent()).toBe(key);
    expect(await page.getByTestId('pos-refused').count()).toBe(0);
  }

  it('says "Esito da verificare", keeps the key, finds no payment, and the retry with the same key charges once', async () => {
    const page = await portal.staffPage(demoEmail('MERCHANT', 'CASHIER'));
    const key = await fill(page);
    await submitUnanswered(page, key);
    await portal.expectAccessible(page);

    // Once the service answers again: "Verifica il pagamento" says none was made (its deadline
    // passed, so it never will be), and the form keeps the same key and what was typed but the PIN.
    await sleep(TIMEOUT_MS);
    expect(await payments(key)).toBe(0);
    await page.getByTestId('pos-verify').click();
    await page.getByTestId('pos-verified-none').waitFor();
    const form = page.getByTestId('pos-form');
    expect(await form.locator('input[name="idempotencyKey"]').inputValue()).toBe(key);
    expect(await form.getByLabel('Importo in euro').inputValue()).toBe('12,50');
    await form.getByLabel('PIN della carta').fill(CARD_PIN);
    await form.getByRole('button', { name: 'Addebita' }).click();
    await page.getByTestId('pos-receipt').waitFor();
    expect(await page.getByTestId('pos-receipt-id').textContent()).toBe(key);
    expect(await payments(key)).toBe(1);

    // Sending the same form again (a double submit, a reload) charges nothing more.
    const again = await chargeCard(portal.platform.urls.gateway, cashierToken, {
      key,
      accreditationId,
      fiscalCode: card.fiscalCode,
      amountCents: 1250,
    });
    expect(again.errors).toBeUndefined();
    expect(await payments(key)).toBe(1);
  });

  it('"Verifica il pagamento" shows the payment when it was made, and the next payment gets a new key', async () => {
    const page = await portal.staffPage(demoEmail('MERCHANT', 'CASHIER'));
    const key = await fill(page);
    await submitUnanswered(page, key);
    // The payment under this key is made meanwhile (as when the first attempt committed just
    // before its deadline and only the answer was lost): the same charge, sent with the same key.
    const made = await chargeCard(portal.platform.urls.gateway, cashierToken, {
      key,
      accreditationId,
      fiscalCode: card.fiscalCode,
      amountCents: 1250,
    });
    expect(made.errors).toBeUndefined();
    await page.getByTestId('pos-verify').click();
    const verified = page.getByTestId('pos-verified');
    await verified.waitFor();
    expect(await page.getByTestId('pos-verified-id').textContent()).toBe(key);
    expect(await page.getByTestId('pos-verified-amount').textContent()).toContain('12,50');
    const next = await page
      .getByTestId('pos-form')
      .locator('input[name="idempotencyKey"]')
      .inputValue();
    expect(next).not.toBe(key);
    expect(await payments(key)).toBe(1);
    await portal.expectAccessible(page);
    expect(await bookProblems(db)).toEqual([]);
    expect(await reconciliationProblems(portal.platform.urls.gateway)).toEqual([]);
  });
});
