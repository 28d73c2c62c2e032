import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CAMPAIGN_ID, DEMO_COMUNE_ID, DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import {
  CARD_PIN,
  CHARGE,
  accreditShop,
  bookProblems,
  reconciliationProblems,
  creditCampaign,
  seedCards,
  type ChargeAnswer,
  type SeededCard,
} from '../support/money.js';
import type { TestPlatform } from '../support/platform.js';
import { openPortal, type Portal } from '../support/portal.js';

/** The demo Comune (Comune di Balestrate) and its published campaign "Buoni spesa 2026". */
const COMUNE = DEMO_COMUNE_ID;
const CAMPAIGN = DEMO_CAMPAIGN_ID;
const SHOP_IBAN = 'IT60X0542811101000000123456';
const TREASURY_IBAN = 'IT77X0100003245348300012345';
const BUDGET = 10_000_000;
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

async function downloadBytes(download: Download): Promise<Buffer> {
  return readFile(await download.path());
}

describe('reimbursements of shops in a browser', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let web: string;
  let db: pg.Client;
  let managerToken = '';
  let ownerToken = '';
  let cashierToken = '';
  let merchantId = '';
  let accreditationId = '';
  let batchId = '';
  let discardedId = '';
  let cards: SeededCard[] = [];
  /** The test's payments: two reimbursed, one flagged as misuse, one of today (after the cut-off). */
  const pay = { food: '', misuse: '', hygiene: '', today: '' };
  const reimbursed = 1_250 + 705;

  async function charge(card: SeededCard, amountCents: number, category: 'FOOD' | 'HYGIENE') {
    const answer = await gql<ChargeAnswer>(
      platform.urls.gateway,
      CHARGE,
      {
        input: {
          idempotencyKey: randomUUID(),
          accreditationId,
          card: { fiscalCode: card.fiscalCode },
          pin: CARD_PIN,
          amountCents,
          category,
        },
      },
      { token: cashierToken },
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data!.chargeCard.payment.id;
  }

  const expectAccessible = (page: Page, options?: { bestPractices?: boolean }) =>
    portal.expectAccessible(page, options);

  const staffPage = (email: string) => portal.staffPage(email);

  const text = async (page: Page, testId: string) =>
    ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s+/g, ' ').trim();

  const batchState = async (id: string) =>
    (
      await db.query<{ status: string; reason: string | null; payments: string }>(
        `select b.status, b.discard_reason as reason,
                (select count(*) from public_welfare.reimbursement_payment r where r.batch_id = b.id)::text as payments
           from public_welfare.reimbursement_batch b where b.id = $1`,
        [id],
      )
    ).rows[0];

  const batchCount = async () =>
    Number(
      (
        await db.query<{ n: string }>(
          'select count(*)::text as n from public_welfare.reimbursement_batch',
        )
      ).rows[0]!.n,
    );

  beforeAll(async () => {
    portal = await openPortal();
    ({ platform, web } = portal);
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    const manager = await login(
      platform.urls.gateway,
      demoEmail('COMUNE', 'MANAGER'),
      DEMO_PASSWORD,
    );
    managerToken = manager.token;
    const owner = await login(platform.urls.gateway, demoEmail('MERCHANT', 'OWNER'), DEMO_PASSWORD);
    ownerToken = owner.token;
    merchantId =
      owner.viewer.memberships.find((m) => m.organisation.kind === 'MERCHANT')?.organisation.id ??
      '';
    expect(merchantId).toBeTruthy();
    cashierToken = (
      await login(platform.urls.gateway, demoEmail('MERCHANT', 'CASHIER'), DEMO_PASSWORD)
    ).token;
    cards = await seedCards(db, {
      dataDir: platform.dataDir,
      comuneId: COMUNE,
      campaignId: CAMPAIGN,
      staffId: manager.viewer.person.id,
      count: 3,
      amountCents: CREDIT,
      first: 7_000,
    });
    await creditCampaign(platform.urls.gateway, managerToken, CAMPAIGN, BUDGET);
    accreditationId = await accreditShop(
      platform.urls.gateway,
      { token: owner.token, merchantId },
      managerToken,
      CAMPAIGN,
    );
    pay.food = await charge(cards[0]!, 1_250, 'FOOD');
    pay.misuse = await charge(cards[1]!, 2_000, 'FOOD');
    pay.hygiene = await charge(cards[2]!, 705, 'HYGIENE');
    pay.today = await charge(cards[0]!, 300, 'FOOD');
    // Made two days ago: a batch takes closed days only (today's payments may still be voided).
    await db.query(
      `update public_welfare.payment set created_at = now() - interval '2 days' where id = any($1::uuid[])`,
      [[pay.food, pay.misuse, pay.hygiene]],
    );
    expect(await bookProblems(db)).toEqual([]);
    expect(await reconciliationProblems(platform.urls.gateway)).toEqual([]);
  });
  afterAll(async () => {
    await db?.end();
    await portal?.close();
  });

  const dashboardUrl = () =>
    `${web}/esercente/${merchantId}/rendiconto?convenzione=${accreditationId}`;

  it('shows the merchant its dashboard and statement, and refuses a bad period', async () => {
    const owner = await staffPage(demoEmail('MERCHANT', 'OWNER'));
    await owner.goto(`${web}/esercente`);
    await owner.getByTestId('nav-esercente-rendiconto').first().click();
    await owner.waitForURL(`${web}/esercente/${merchantId}/rendiconto`);
    await owner.goto(dashboardUrl());
    await expect(text(owner, 'reimb-total-authorised')).resolves.toContain(
      euro(1_250 + 2_000 + 705 + 300),
    );
    await expect(text(owner, 'reimb-total-to-be')).resolves.toContain(
      euro(1_250 + 2_000 + 705 + 300),
    );
    await expect(text(owner, 'reimb-total-reimbursed')).resolves.toContain(euro(0));
    const rows = owner.getByTestId('reimb-transaction');
    await expect(rows.count()).resolves.toBe(4);
    await expect(
      owner
        .locator(`[data-testid="reimb-transaction"][data-id="${pay.misuse}"]`)
        .getAttribute('data-state'),
    ).resolves.toBe('TO_BE_REIMBURSED');
    await expectAccessible(owner);

    // The statement of the last three days as CSV (Italian Excel style).
    await owner.getByLabel('Dal giorno', { exact: true }).fill(romeDay(-3));
    await owner.getByLabel('Al giorno', { exact: true }).fill(romeDay());
    await owner.getByRole('button', { name: 'Filtra' }).click();
    await owner.waitForURL(/dal=/);
    const [download] = await Promise.all([
      owner.waitForEvent('download'),
      owner.getByTestId('reimb-statement-csv').click(),
    ]);
    const csv = (await downloadBytes(download)).toString('utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('data_ora;id_pagamento;categoria;importo_euro');
    expect(csv).toContain(`;${pay.misuse};FOOD;20,00;AUTORIZZATO;DA_RIMBORSARE;`);
    expect(csv).toContain(`;${pay.hygiene};HYGIENE;7,05;`);

    // A period that ends before it starts: the field error, no data.
    await owner.goto(`${dashboardUrl()}&dal=${romeDay()}&al=${romeDay(-5)}`);
    await expect(text(owner, 'error-summary')).resolves.toContain(
      'La fine del periodo precede l’inizio',
    );
    await expect(
      owner.getByLabel('Al giorno', { exact: true }).getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await expectAccessible(owner);
  });

  it('lets the operator discard a draft batch with a reason: its payments are free again', async () => {
    const operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'));
    await operator.goto(`${web}/comune/${COMUNE}/rimborsi`);
    const form = operator.getByTestId('reimb-create-form');
    await form.getByLabel('Misura').selectOption(CAMPAIGN);
    await form.getByLabel('Data limite (inclusa)').fill(romeDay(-1));
    await form.getByLabel('IBAN del conto di tesoreria').fill(TREASURY_IBAN);
    await form.getByRole('button', { name: 'Crea il lotto' }).click();
    await operator.waitForURL(/\/rimborsi\/[0-9a-f-]{36}\?esito=creato/);
    discardedId = /rimborsi\/([0-9a-f-]{36})/.exec(operator.url())?.[1] ?? '';
    // The draft takes the three payments of two days ago, the one later found to be misuse too.
    await expect(text(operator, 'reimb-batch-total')).resolves.toContain(euro(reimbursed + 2_000));
    expect(await batchState(discardedId)).toEqual({ status: 'DRAFT', reason: null, payments: '3' });
    const transfers = async () =>
      (
        await db.query<{ n: string }>(
          'select count(*)::text as n from public_welfare.book_transfer',
        )
      ).rows[0]!.n;
    const transfersBefore = await transfers();

    // Without a reason: the field error, nothing changes.
    const discard = operator.getByTestId('reimb-discard-form');
    await discard.getByRole('button', { name: 'Conferma l’annullamento del lotto' }).click();
    await expect(text(operator, 'error-summary')).resolves.toContain('Scrivi il motivo');
    await expect(
      discard.getByLabel('Motivo dell’annullamento').getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    expect(await batchState(discardedId)).toEqual({ status: 'DRAFT', reason: null, payments: '3' });
    await expectAccessible(operator);

    await discard
      .getByLabel('Motivo dell’annullamento')
      .fill('Uso improprio scoperto dopo la bozza');
    await discard.getByRole('button', { name: 'Conferma l’annullamento del lotto' }).click();
    await operator.waitForURL(/esito=annullato/);
    await expect(operator.getByTestId('reimb-batch').getAttribute('data-status')).resolves.toBe(
      'DISCARDED',
    );
    await expect(text(operator, 'reimb-batch-status')).resolves.toBe('Annullato');
    await expect(text(operator, 'reimb-discard-reason')).resolves.toBe(
      'Uso improprio scoperto dopo la bozza',
    );
    await expect(text(operator, 'reimb-discarded-at')).resolves.toMatch(
      /\d{2}\/\d{2}\/\d{4}.* \d{2}:\d{2}/,
    );
    await expect(text(operator, 'reimb-notice')).resolves.toContain('Lotto annullato');
    // No SEPA file, no more discarding; its lines stay as the record of what was proposed.
    await expect(operator.getByTestId('reimb-sepa-link').count()).resolves.toBe(0);
    await expect(operator.getByTestId('reimb-discard-form').count()).resolves.toBe(0);
    await expect(operator.getByTestId('reimb-line').count()).resolves.toBe(1);
    expect(await batchState(discardedId)).toEqual({
      status: 'DISCARDED',
      reason: 'Uso improprio scoperto dopo la bozza',
      payments: '0',
    });
    expect(await transfers()).toBe(transfersBefore);
    expect(await bookProblems(db)).toEqual([]);
    expect(await reconciliationProblems(platform.urls.gateway)).toEqual([]);
    await expectAccessible(operator);

    // The list shows it discarded, with the reason.
    await operator.getByRole('link', { name: 'Torna ai rimborsi' }).click();
    await operator.waitForURL(`${web}/comune/${COMUNE}/rimborsi`);
    const row = operator.locator(`[data-testid="reimb-batch-row"][data-id="${discardedId}"]`);
    await expect(row.getAttribute('data-status')).resolves.toBe('DISCARDED');
    await expect(row.textContent()).resolves.toContain('Annullato');
    await expect(row.getByTestId('reimb-batch-discarded').textContent()).resolves.toContain(
      'Uso improprio scoperto dopo la bozza',
    );
    await expectAccessible(operator);
  });

  it('lets the operator flag a payment as misuse and create the batch (the flagged one excluded)', async () => {
    const operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'));
    await operator.goto(`${web}/comune`);
    await operator.getByTestId('nav-comune-rimborsi').click();
    await operator.waitForURL(`${web}/comune/${COMUNE}/rimborsi`);
    await expectAccessible(operator);

    const preview = operator.getByTestId('reimb-preview-form');
    await preview.getByLabel('Misura').selectOption(CAMPAIGN);
    await preview.getByLabel('Data limite (inclusa)').fill(romeDay(-1));
    await preview.getByRole('button', { name: 'Mostra i pagamenti' }).click();
    await operator.waitForURL(/fino=/);
    const row = (id: string) =>
      operator.locator(`[data-testid="reimb-preview-row"][data-id="${id}"]`);
    // The payment was in the discarded batch: it is free again, to flag before drafting again.
    await expect(row(pay.misuse).count()).resolves.toBe(1);
    await expect(row(pay.misuse).getAttribute('data-state')).resolves.toBe('TO_BE_REIMBURSED');
    await expect(row(pay.today).count()).resolves.toBe(0); // after the cut-off
    await expectAccessible(operator);
    await row(pay.misuse).getByRole('textbox').fill('Acquisto non ammesso dalla misura');
    await row(pay.misuse).getByRole('button', { name: 'Segnala uso improprio' }).click();
    await operator.waitForURL(/esito=segnalato/);
    await expect(row(pay.misuse).getAttribute('data-state')).resolves.toBe('FLAGGED');
    await expect(text(operator, 'reimb-notice')).resolves.toContain('Pagamento segnalato');

    // A bad treasury IBAN: the field error, nothing created.
    const before = await batchCount();
    const form = operator.getByTestId('reimb-create-form');
    await expect(form.getByLabel('Misura').inputValue()).resolves.toBe(CAMPAIGN);
    await expect(form.getByLabel('Data limite (inclusa)').inputValue()).resolves.toBe(romeDay(-1));
    await form.getByLabel('IBAN del conto di tesoreria').fill('IT00 X010 0003 2453');
    await form.getByRole('button', { name: 'Crea il lotto' }).click();
    await expect(text(operator, 'error-summary')).resolves.toContain(
      'IBAN di tesoreria non valido',
    );
    await expect(
      form.getByLabel('IBAN del conto di tesoreria').getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    expect(await batchCount()).toBe(before);
    await expectAccessible(operator);

    await form.getByLabel('IBAN del conto di tesoreria').fill(TREASURY_IBAN);
    await form.getByRole('button', { name: 'Crea il lotto' }).click();
    await operator.waitForURL(/\/rimborsi\/[0-9a-f-]{36}\?esito=creato/);
    batchId = /rimborsi\/([0-9a-f-]{36})/.exec(operator.url())?.[1] ?? '';
    expect(await batchCount()).toBe(before + 1);
    await expect(operator.getByTestId('reimb-batch').getAttribute('data-status')).resolves.toBe(
      'DRAFT',
    );
    const line = operator.getByTestId('reimb-line').filter({ hasText: SHOP_IBAN });
    const lineAmount = (await line.getByTestId('reimb-line-amount').textContent()) ?? '';
    expect(lineAmount.replace(/\s+/g, ' ')).toContain(euro(reimbursed));
    const excluded = operator.locator(`[data-testid="reimb-excluded"][data-id="${pay.misuse}"]`);
    await expect(excluded.textContent()).resolves.toContain('Escluso: uso improprio');
    await expect(excluded.textContent()).resolves.toContain('Acquisto non ammesso dalla misura');
    // An operator cannot approve.
    await expect(operator.getByTestId('reimb-manager-only').count()).resolves.toBe(1);
    await expectAccessible(operator);
  });

  it('the Comune reimburses the shop and downloads the SEPA file', async () => {
    const manager = await staffPage(demoEmail('COMUNE', 'MANAGER'));
    await manager.goto(`${web}/comune/${COMUNE}/rimborsi`);
    await manager
      .locator(`[data-testid="reimb-batch-row"][data-id="${batchId}"]`)
      .getByRole('link')
      .click();
    await manager.waitForURL(`${web}/comune/${COMUNE}/rimborsi/${batchId}`);
    await manager.getByRole('button', { name: 'Approva il lotto' }).click();
    await manager.getByTestId('reimb-confirm').waitFor();
    await manager.getByRole('button', { name: 'Conferma: approva il lotto' }).click();
    await manager.waitForURL(/esito=approvato/);
    await expect(manager.getByTestId('reimb-batch').getAttribute('data-status')).resolves.toBe(
      'APPROVED',
    );
    await expectAccessible(manager);

    const [download] = await Promise.all([
      manager.waitForEvent('download'),
      manager.getByTestId('reimb-sepa-link').click(),
    ]);
    const xml = (await downloadBytes(download)).toString('utf8');
    const batch = await gql<{
      reimbursementBatch: { batch: { totalCents: number; lineCount: number } };
    }>(
      platform.urls.gateway,
      `query($id: ID!) { reimbursementBatch(id: $id) { batch { totalCents lineCount } } }`,
      { id: batchId },
      { token: managerToken },
    );
    const { totalCents, lineCount } = batch.data!.reimbursementBatch.batch;
    const amount = (cents: number) =>
      `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    expect(xml).toContain('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"');
    expect([...xml.matchAll(/<CtrlSum>([^<]+)<\/CtrlSum>/g)].map((m) => m[1])).toEqual([
      amount(Number(totalCents)),
      amount(Number(totalCents)),
    ]);
    expect([...xml.matchAll(/<NbOfTxs>([^<]+)<\/NbOfTxs>/g)].map((m) => m[1])).toEqual([
      String(lineCount),
      String(lineCount),
    ]);
    expect(xml).toContain(`<IBAN>${TREASURY_IBAN}</IBAN>`);
    const shopTx = xml
      .split('<CdtTrfTxInf>')
      .find((part) => part.includes(`<IBAN>${SHOP_IBAN}</IBAN>`));
    expect(shopTx).toContain(`<InstdAmt Ccy="EUR">${amount(reimbursed)}</InstdAmt>`);

    // Marked paid with the bank's reference: the shop's reimbursed money leaves its account.
    await manager.getByLabel('Riferimento della banca (CRO/TRN)').fill('CRO 0000123456');
    await manager.getByRole('button', { name: 'Segna come pagato' }).click();
    await expect(text(manager, 'reimb-consequence')).resolves.toContain('CRO 0000123456');
    await manager.getByRole('button', { name: 'Conferma: segna come pagato' }).click();
    await manager.waitForURL(/esito=pagato/);
    await expect(manager.getByTestId('reimb-batch').getAttribute('data-status')).resolves.toBe(
      'PAID',
    );
    await expect(text(manager, 'reimb-bank-reference')).resolves.toBe('CRO 0000123456');
    await expectAccessible(manager);
    // The shop's hot account: its row and its credits not yet folded into it.
    const { rows } = await db.query<{ balance: string }>(
      `select (a.credits_posted - a.debits_posted
         + (select coalesce(sum(p.amount), 0) from public_welfare.book_pending_credit p
             where p.account_id = a.id))::text as balance
       from public_welfare.book_account a where a.code = $1`,
      [`shop:${accreditationId}`],
    );
    expect(Number(rows[0]!.balance)).toBe(2_000 + 300);
    expect(await bookProblems(db)).toEqual([]);
    expect(await reconciliationProblems(platform.urls.gateway)).toEqual([]);
  });

  it('shows the merchant the payments reimbursed, the flagged one excluded', async () => {
    const owner = await staffPage(demoEmail('MERCHANT', 'OWNER'));
    await owner.goto(dashboardUrl());
    await expect(text(owner, 'reimb-total-reimbursed')).resolves.toContain(euro(reimbursed));
    await expect(text(owner, 'reimb-total-flagged')).resolves.toContain(euro(2_000));
    await expect(text(owner, 'reimb-total-to-be')).resolves.toContain(euro(300));
    const state = (id: string) =>
      owner
        .locator(`[data-testid="reimb-transaction"][data-id="${id}"]`)
        .getAttribute('data-state');
    await expect(state(pay.food)).resolves.toBe('REIMBURSED');
    await expect(state(pay.hygiene)).resolves.toBe('REIMBURSED');
    await expect(state(pay.misuse)).resolves.toBe('FLAGGED');
    await expect(state(pay.today)).resolves.toBe('TO_BE_REIMBURSED');
    await expect(
      owner.locator(`[data-testid="reimb-transaction"][data-id="${pay.misuse}"]`).textContent(),
    ).resolves.toContain('Acquisto non ammesso dalla misura');
    await expectAccessible(owner);
  });

  it('keeps others out: another merchant, the Comune’s pages, other organisations', async () => {
    const operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'));
    expect((await operator.goto(`${web}/esercente/${merchantId}/rendiconto`))?.status()).toBe(403);
    const owner = await staffPage(demoEmail('MERCHANT', 'OWNER'));
    // Another merchant's page, the Comune's reimbursements, the SEPA file: refused.
    expect((await owner.goto(`${web}/esercente/${randomUUID()}/rendiconto`))?.status()).toBe(403);
    expect((await owner.goto(`${web}/comune/${COMUNE}/rimborsi`))?.status()).toBe(403);
    expect(
      (await owner.goto(`${web}/comune/${COMUNE}/rimborsi/${batchId}/sepa.xml`))?.status(),
    ).toBe(403);
    // The refused download's error page (SvelteKit's static one, src/error.html) is a page like
    // the others: one main landmark, nothing outside landmarks.
    await expectAccessible(owner, { bestPractices: true });
    const sepa = await fetch(
      new URL(
        `/downloads/public-welfare/files/reimbursements/sepa.xml?batchId=${batchId}`,
        platform.urls.gateway,
      ),
      { headers: { authorization: `Bearer ${ownerToken}` } },
    );
    expect(sepa.status).toBe(404);
    // Another organisation (the cooperative) sees neither the shop's data nor the batch.
    const coop = await login(
      platform.urls.gateway,
      demoEmail('COOPERATIVE', 'ADMIN'),
      DEMO_PASSWORD,
    );
    const dashboard = await gql(
      platform.urls.gateway,
      `query($id: ID!) { shopReimbursementDashboard(accreditationId: $id) { total } }`,
      { id: accreditationId },
      { token: coop.token },
    );
    expect(dashboard.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const statement = await fetch(
      new URL(
        `/downloads/public-welfare/files/reimbursements/statement.csv?accreditationId=${accreditationId}`,
        platform.urls.gateway,
      ),
      { headers: { authorization: `Bearer ${coop.token}` } },
    );
    expect(statement.status).toBe(404);
    const flag = await gql(
      platform.urls.gateway,
      `mutation($id: ID!) { flagPaymentMisuse(paymentId: $id, reason: "Non mio") { id } }`,
      { id: pay.today },
      { token: ownerToken },
    );
    expect(flag.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // Only the Comune's staff discard its batches (the shop, the cooperative: NOT_FOUND), and an
    // approved or paid batch cannot be discarded any more.
    for (const token of [ownerToken, coop.token]) {
      const discard = await gql(
        platform.urls.gateway,
        `mutation($id: ID!) { discardReimbursementBatch(id: $id, reason: "Non mio") { id } }`,
        { id: batchId },
        { token },
      );
      expect(discard.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    const late = await gql(
      platform.urls.gateway,
      `mutation($id: ID!) { discardReimbursementBatch(id: $id, reason: "Troppo tardi") { id } }`,
      { id: batchId },
      { token: managerToken },
    );
    expect(late.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await batchState(batchId))?.status).toBe('PAID');
    await expectAccessible(owner);
  });
});
