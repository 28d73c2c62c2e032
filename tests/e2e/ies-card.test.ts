// Issue 17, "Must hold": a card with no voucher credit pays with IES at the till. At Alimentari Da
// Rosa's till the cashier types the codice fiscale of the demo card holder (Giuseppe Lo Cascio, a
// member of the Balestrate circuit holding IES), whose voucher credit is spent first; the till
// shows the split ("Credito buono 0,00 € + IES 8,00") and the holder confirms with the PIN; the
// receipt and the shop's list say "di cui IES". On the shared platform: it spends the demo card's
// voucher credit (whatever is left) and 8 of Giuseppe's IES, compared as a delta; no other sharer
// reads the demo card's credit.
import { randomUUID } from 'node:crypto';
import { DEMO_CARD_HOLDER, DEMO_CARD_PIN } from '@welfare/public-welfare/demo';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_SPENDING_CAMPAIGN_ID, demoEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { bookProblems } from '../support/money.js';
import { openPortal, type Portal } from '../support/portal.js';

/** ies-circuit's demo (src/demo/facts.ts): the Balestrate circuit, Giuseppe's membership. */
const CIRCUIT = '1e5c0000-0000-4000-8000-000000000001';
const GIUSEPPE_MEMBER = '1e5c0000-0000-4000-8000-000000000105';
/** identity's demo shop, Alimentari Da Rosa: a member of the circuit that accepts IES. */
const DA_ROSA = '0b7c2d1e-0000-4000-8000-000000000104';

describe('the card’s fallback to IES at the till, in a browser', () => {
  let portal: Portal;
  let db: pg.Client;
  let accreditationId = '';

  async function giuseppePosted(): Promise<number> {
    const { rows } = await db.query<{ posted: string }>(
      `select (credits_posted - debits_posted)::text as posted
         from ies_circuit.book_account where code = $1`,
      [`circuit:${CIRCUIT}:member:${GIUSEPPE_MEMBER}`],
    );
    return Number(rows[0]!.posted);
  }

  beforeAll(async () => {
    portal = await openPortal({ shared: true });
    const gateway = portal.platform.urls.gateway;
    db = new pg.Client({ connectionString: portal.platform.databaseUrl });
    await db.connect();
    const { token } = await login(gateway, demoEmail('MERCHANT', 'CASHIER'), DEMO_PASSWORD);
    const shops = await gql<{
      merchantAccreditations: { id: string; campaignId: string; status: string }[];
    }>(
      gateway,
      `query($m: ID!) { merchantAccreditations(merchantId: $m) { id campaignId status } }`,
      { m: DA_ROSA },
      { token },
    );
    accreditationId = shops.data!.merchantAccreditations.find(
      (a) => a.campaignId === DEMO_SPENDING_CAMPAIGN_ID && a.status === 'ACCREDITED',
    )!.id;
    // The card's voucher credit, spent at the till first (the API, as another sale would).
    const input = (amountCents: number) => ({
      idempotencyKey: randomUUID(),
      accreditationId,
      card: { fiscalCode: DEMO_CARD_HOLDER },
      pin: DEMO_CARD_PIN,
      amountCents,
      category: 'FOOD',
    });
    const split = await gql<{ previewCardCharge: { voucherCents: number } }>(
      gateway,
      `mutation($input: ChargeCardInput!) { previewCardCharge(input: $input) { voucherCents } }`,
      { input: input(100_000_000) },
      { token },
    );
    const voucher = split.data!.previewCardCharge.voucherCents;
    if (voucher > 0) {
      const spent = await gql(
        gateway,
        `mutation($input: ChargeCardInput!) { chargeCard(input: $input) { residualCents } }`,
        { input: input(voucher) },
        { token },
      );
      expect(spent.errors, JSON.stringify(spent.errors)).toBeUndefined();
    }
  }, 600_000);

  afterAll(async () => {
    await db?.end();
    await portal?.close();
  });

  it('a card with no voucher credit pays with IES: the split shows, the holder confirms', async () => {
    const before = await giuseppePosted();
    const cashier = await portal.staffPage(demoEmail('MERCHANT', 'CASHIER'));
    const till = `${portal.web}/esercente/${DA_ROSA}/cassa`;
    await cashier.goto(till);
    await cashier.waitForFunction(() => document.documentElement.hasAttribute('data-hydrated'));
    const form = cashier.getByTestId('pos-form');
    await form.getByLabel('Convenzione (misura)').selectOption(accreditationId);
    await form.getByLabel('Categoria di prodotti').selectOption('FOOD');
    await form.getByLabel('Oppure codice fiscale del titolare').fill(DEMO_CARD_HOLDER);
    await form.getByLabel('Importo in euro').fill('8,00');
    await form.getByLabel('PIN della carta').fill(DEMO_CARD_PIN);
    await form.getByRole('button', { name: 'Addebita' }).click();
    await cashier.waitForLoadState('load');

    // The split, before anything is spent.
    const split = cashier.getByTestId('iek-split');
    await expect(split.count()).resolves.toBe(1);
    const text = (await cashier.getByTestId('iek-split-text').textContent()) ?? '';
    expect(text.replace(/\s+/g, ' ')).toContain('Credito buono 0,00 € + IES 8,00');
    expect(await giuseppePosted()).toBe(before);
    await portal.expectAccessible(cashier);

    // The holder agrees with the PIN.
    const confirm = cashier.getByTestId('iek-split-form');
    await confirm.getByLabel('PIN della carta').fill(DEMO_CARD_PIN);
    await confirm.getByRole('button', { name: 'Conferma e addebita' }).click();
    await cashier.waitForLoadState('load');
    await expect(cashier.getByTestId('pos-receipt').count()).resolves.toBe(1);
    await expect(cashier.getByTestId('pos-receipt-amount').textContent()).resolves.toMatch(
      /8,00\s€/,
    );
    await expect(cashier.getByTestId('iek-receipt-ies').textContent()).resolves.toContain(
      '8,00 IES',
    );
    await portal.expectAccessible(cashier);
    expect(await giuseppePosted()).toBe(before - 800);

    // The shop's list says which part was IES.
    await cashier.goto(till);
    await expect(cashier.getByTestId('iek-payment-ies').first().textContent()).resolves.toContain(
      'di cui IES 8,00 IES',
    );
    await portal.expectAccessible(cashier);
  }, 180_000);

  it('keeps both books’ invariants', async () => {
    expect(await bookProblems(db)).toEqual([]);
    expect(await bookProblems(db, 'ies_circuit')).toEqual([]);
  });
});
