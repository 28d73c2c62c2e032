// Issue 4, item 7: the live monitoring dashboard of a campaign in a browser, with its CSV and
// Excel exports, against figures seeded through the API (cards, credit, a shop, payments).
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { partitaIvaCheckDigit } from '@welfare/kit/pii';
import ExcelJS from 'exceljs';
import pg from 'pg';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CAMPAIGN_ID,
  DEMO_CAMPAIGN_TITLE,
  DEMO_COMUNE_ID,
  DEMO_PASSWORD,
  demoEmail,
} from '../support/demo.js';
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
const SHOP = 'Alimentari Da Rosa';
const BUDGET = 10_000_000;
const CREDIT = 5_000;
const OTHER_OPERATOR = {
  email: 'operatore@altro-comune-cruscotto.demo',
  password: 'password-cruscotto-e2e-2026',
};

/** Euro cents as the Italian pages print them. */
const euro = (cents: number) =>
  new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' }).format(cents / 100);
/** Cents as the CSV writes them (`1234,50`). */
const csvEuro = (cents: number) =>
  `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)},${String(Math.abs(cents) % 100).padStart(2, '0')}`;
/** Today in Rome, `yyyy-mm-dd`. */
const today = () =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Rome',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());

interface Dashboard {
  generatedAt: string;
  budgetCents: number;
  committedCents: number;
  creditedCents: number;
  spentCents: number;
  returnedCents: number;
  unspentCents: number;
  payments: number;
  voidedPayments: number;
  beneficiariesWithCredit: number;
  byShop: {
    accreditationId: string;
    businessName: string;
    payments: number;
    amountCents: number;
  }[];
  byCategory: { category: string; payments: number; amountCents: number }[];
  byDay: { date: string; payments: number; amountCents: number; creditedCents: number }[];
}

const DASHBOARD = /* GraphQL */ `
  query ($c: ID!) {
    campaignDashboard(campaignId: $c) {
      generatedAt
      budgetCents
      committedCents
      creditedCents
      spentCents
      returnedCents
      unspentCents
      payments
      voidedPayments
      beneficiariesWithCredit
      byShop {
        accreditationId
        businessName
        payments
        amountCents
      }
      byCategory {
        category
        payments
        amountCents
      }
      byDay {
        date
        payments
        amountCents
        creditedCents
      }
    }
  }
`;

async function downloadBytes(download: Download): Promise<Buffer> {
  return readFile(await download.path());
}

describe('the campaign dashboard in a browser', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let web: string;
  let db: pg.Client;
  let managerToken = '';
  let cashierToken = '';
  let accreditationId = '';
  let cards: SeededCard[] = [];
  let before: Dashboard;
  let credited = 0;
  let otherSession = '';
  /** What this test spent, by category, and its payments. */
  const spent = { FOOD: 0, HYGIENE: 0 } as Record<'FOOD' | 'HYGIENE', number>;
  const paid = { FOOD: 0, HYGIENE: 0 } as Record<'FOOD' | 'HYGIENE', number>;
  let voided = 0;

  async function dashboard(token = managerToken): Promise<Dashboard> {
    const answer = await gql<{ campaignDashboard: Dashboard }>(
      platform.urls.gateway,
      DASHBOARD,
      { c: CAMPAIGN },
      { token },
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data!.campaignDashboard;
  }

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
    spent[category] += amountCents;
    paid[category] += 1;
    return answer.data!.chargeCard.payment.id;
  }

  /** A Comune created by the platform admin, with an operator who accepted the invitation. */
  async function createOtherComune(): Promise<string> {
    const admin = await login(platform.urls.gateway, demoEmail('ADMIN'), DEMO_PASSWORD);
    const taxCode = `0087654322${partitaIvaCheckDigit('0087654322')}`;
    const created = await gql<{ createOrganisation: { id: string } }>(
      platform.urls.gateway,
      `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`,
      { input: { kind: 'COMUNE', name: 'Comune del Cruscotto', taxCode, city: 'Prova' } },
      { token: admin.token },
    );
    const id = created.data?.createOrganisation.id;
    expect(id, JSON.stringify(created.errors)).toBeTruthy();
    const invited = await gql<{ inviteMember: { token: string } }>(
      platform.urls.gateway,
      `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { token } }`,
      {
        input: {
          organisationId: id,
          email: OTHER_OPERATOR.email,
          givenName: 'Carlo',
          familyName: 'Cruscotto',
          role: 'MANAGER',
        },
      },
      { token: admin.token },
    );
    const token = invited.data?.inviteMember.token;
    expect(token, JSON.stringify(invited.errors)).toBeTruthy();
    const accepted = await gql<{ acceptInvitation: { token: string } }>(
      platform.urls.gateway,
      `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { token } }`,
      { input: { token, password: OTHER_OPERATOR.password } },
    );
    expect(accepted.errors).toBeUndefined();
    otherSession = accepted.data!.acceptInvitation.token;
    return id!;
  }

  const expectAccessible = (page: Page) => portal.expectAccessible(page);

  const staffPage = (email: string, password?: string) =>
    portal.staffPage(email, password ? { password } : {});

  const text = async (page: Page, testId: string) =>
    ((await page.getByTestId(testId).textContent()) ?? '').trim();

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
    const merchantId = owner.viewer.memberships.find((m) => m.organisation.kind === 'MERCHANT')
      ?.organisation.id;
    expect(merchantId).toBeTruthy();
    cashierToken = (
      await login(platform.urls.gateway, demoEmail('MERCHANT', 'CASHIER'), DEMO_PASSWORD)
    ).token;
    // Whatever the demo data already put in the campaign: the expectations add to it.
    before = await dashboard();

    cards = await seedCards(db, {
      dataDir: platform.dataDir,
      comuneId: COMUNE,
      campaignId: CAMPAIGN,
      staffId: manager.viewer.person.id,
      count: 3,
      amountCents: CREDIT,
    });
    credited = (await creditCampaign(platform.urls.gateway, managerToken, CAMPAIGN, BUDGET))
      .creditedCents;
    expect(credited).toBeGreaterThanOrEqual(3 * CREDIT);
    accreditationId = await accreditShop(
      platform.urls.gateway,
      { token: owner.token, merchantId: merchantId! },
      managerToken,
      CAMPAIGN,
    );
    await charge(cards[0]!, 1_250, 'FOOD');
    await charge(cards[1]!, 2_000, 'FOOD');
    await charge(cards[2]!, 705, 'HYGIENE');
    const toVoid = await charge(cards[0]!, 300, 'HYGIENE');
    const voidAnswer = await gql<{ voidCardPayment: { status: string } }>(
      platform.urls.gateway,
      `mutation($id: ID!) { voidCardPayment(id: $id) { status } }`,
      { id: toVoid },
      { token: cashierToken },
    );
    expect(voidAnswer.data?.voidCardPayment.status, JSON.stringify(voidAnswer.errors)).toBe(
      'VOIDED',
    );
    spent.HYGIENE -= 300;
    paid.HYGIENE -= 1;
    voided += 1;
    expect(await bookProblems(db)).toEqual([]);
    expect(await reconciliationProblems(platform.urls.gateway)).toEqual([]);
  });
  afterAll(async () => {
    await db?.end();
    await portal?.close();
  });

  const spentTotal = () => spent.FOOD + spent.HYGIENE;
  const paymentsTotal = () => paid.FOOD + paid.HYGIENE;

  it('adds up what was seeded, through the API, and reconciles', async () => {
    const d = await dashboard();
    expect(d.budgetCents).toBe(BUDGET);
    expect(d.creditedCents).toBe(before.creditedCents + credited);
    expect(d.spentCents).toBe(before.spentCents + spentTotal());
    expect(d.payments).toBe(before.payments + paymentsTotal());
    expect(d.voidedPayments).toBe(before.voidedPayments + voided);
    expect(d.creditedCents - d.spentCents - d.returnedCents).toBe(d.unspentCents);
    const shop = d.byShop.find((s) => s.accreditationId === accreditationId);
    expect(shop).toMatchObject({ businessName: SHOP, payments: 3, amountCents: spentTotal() });
    const category = (c: string) =>
      d.byCategory.find((x) => x.category === c) ?? { payments: 0, amountCents: 0 };
    const was = (c: string) =>
      before.byCategory.find((x) => x.category === c) ?? { payments: 0, amountCents: 0 };
    expect(category('FOOD').amountCents).toBe(was('FOOD').amountCents + spent.FOOD);
    expect(category('HYGIENE').payments).toBe(was('HYGIENE').payments + paid.HYGIENE);
    const day = d.byDay.find((x) => x.date === today());
    const dayBefore = before.byDay.find((x) => x.date === today());
    expect(day!.amountCents).toBe((dayBefore?.amountCents ?? 0) + spentTotal());
  });

  it('shows the manager the figures, the charts and the tables, live', async () => {
    const manager = await staffPage(demoEmail('COMUNE', 'MANAGER'));
    await manager.goto(`${web}/comune/${COMUNE}/misure/${CAMPAIGN}`);
    await manager.getByTestId('campaign-dashboard-link').click();
    await manager.waitForURL(`${web}/comune/${COMUNE}/misure/${CAMPAIGN}/cruscotto`);
    await expect(manager.locator('h1').textContent()).resolves.toContain('Cruscotto della misura');
    const d = await dashboard();
    expect(await text(manager, 'mon-budget')).toBe(euro(BUDGET));
    expect(await text(manager, 'mon-credited')).toBe(euro(d.creditedCents));
    expect(await text(manager, 'mon-spent')).toBe(euro(d.spentCents));
    expect(await text(manager, 'mon-unspent')).toBe(euro(d.unspentCents));
    expect(await text(manager, 'mon-payments')).toBe(String(d.payments));
    expect(await text(manager, 'mon-voided')).toBe(String(d.voidedPayments));
    expect(await text(manager, 'mon-as-of')).toMatch(/^Dati aggiornati al \d{2}\/\d{2}\/\d{2,4}/);

    // Each chart is one image with a summary; the table beside it has the same rows.
    for (const chart of ['mon-chart-shop', 'mon-chart-category', 'mon-chart-day']) {
      const svg = manager.getByTestId(chart);
      await expect(svg.getAttribute('role')).resolves.toBe('img');
      const labelledBy = (await svg.getAttribute('aria-labelledby')) ?? '';
      const ids = labelledBy.split(' ');
      expect(ids).toHaveLength(2);
      for (const id of ids) {
        expect((await manager.locator(`[id="${id}"]`).textContent())?.trim()).toBeTruthy();
      }
    }
    const shopRow = manager.getByTestId('mon-shop-row').filter({ hasText: SHOP });
    await expect(shopRow.textContent()).resolves.toContain(euro(spentTotal()));
    await expect(manager.getByTestId('mon-chart-shop').textContent()).resolves.toContain(
      euro(spentTotal()),
    );
    const food = d.byCategory.find((c) => c.category === 'FOOD')!;
    await expect(
      manager.getByTestId('mon-category-row').filter({ hasText: 'Alimentari' }).textContent(),
    ).resolves.toContain(euro(food.amountCents));
    const shortDay = new Intl.DateTimeFormat('it-IT', {
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${today()}T00:00:00Z`));
    const dayRow = manager.getByTestId('mon-day-row').filter({ hasText: shortDay });
    const todayFigures = d.byDay.find((x) => x.date === today())!;
    await expect(dayRow.textContent()).resolves.toContain(euro(todayFigures.amountCents));
    await expect(dayRow.textContent()).resolves.toContain(euro(todayFigures.creditedCents));
    await expectAccessible(manager);

    // Live: a new payment shows up when the page refreshes (every 30 s, or on coming back to it).
    await charge(cards[1]!, 450, 'FOOD');
    await manager.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await manager.waitForFunction(
      ([id, value]) =>
        document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() === value,
      ['mon-spent', euro(d.spentCents + 450)] as const,
      { timeout: 15_000 },
    );
    expect(await text(manager, 'mon-payments')).toBe(String(d.payments + 1));
  });

  it('bounds the by-day series with a period and explains a bad one', async () => {
    const manager = await staffPage(demoEmail('COMUNE', 'MANAGER'));
    const base = `${web}/comune/${COMUNE}/misure/${CAMPAIGN}/cruscotto`;
    await manager.goto(base);
    await manager.getByLabel('Dal giorno', { exact: true }).fill('2026-01-02');
    await manager.getByLabel('Al giorno', { exact: true }).fill('2026-01-01');
    await manager.getByRole('button', { name: 'Applica il periodo' }).click();
    await manager.waitForURL(/from=2026-01-02/);
    await expect(manager.getByTestId('error-summary').textContent()).resolves.toContain(
      'La data finale non può precedere quella iniziale',
    );
    await expect(
      manager.getByLabel('Al giorno', { exact: true }).getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await expectAccessible(manager);

    await manager.getByLabel('Dal giorno', { exact: true }).fill(today());
    await manager.getByLabel('Al giorno', { exact: true }).fill(today());
    await manager.getByRole('button', { name: 'Applica il periodo' }).click();
    await manager.waitForURL(new RegExp(`to=${today()}`));
    await expect(manager.getByTestId('error-summary').count()).resolves.toBe(0);
    await expect(manager.getByTestId('mon-day-row').count()).resolves.toBe(1);
    await expectAccessible(manager);
  });

  it('downloads the dashboard as CSV and as Excel', async () => {
    const manager = await staffPage(demoEmail('COMUNE', 'MANAGER'));
    await manager.goto(`${web}/comune/${COMUNE}/misure/${CAMPAIGN}/cruscotto`);
    const d = await dashboard();

    const [csvDownload] = await Promise.all([
      manager.waitForEvent('download'),
      manager.getByTestId('mon-csv').click(),
    ]);
    expect(csvDownload.suggestedFilename()).toBe('cruscotto.csv');
    const csv = (await downloadBytes(csvDownload)).toString('utf8');
    expect(csv.startsWith(`\ufeffCruscotto della misura;${DEMO_CAMPAIGN_TITLE}\r\n`)).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    for (const section of ['Riepilogo', 'Per esercente', 'Per categoria', 'Per giorno']) {
      expect(lines, section).toContain(section);
    }
    expect(lines).toContain(`Budget;${csvEuro(BUDGET)}`);
    expect(lines).toContain(`Speso negli esercizi;${csvEuro(d.spentCents)}`);
    expect(lines).toContain(`Accreditato sulle carte;${csvEuro(d.creditedCents)}`);
    expect(lines).toContain(`Pagamenti;${d.payments}`);
    const ours = d.byShop.find((s) => s.accreditationId === accreditationId)!;
    expect(ours.amountCents).toBe(spentTotal());
    expect(lines).toContain(`${SHOP};Accreditato;${ours.payments};${csvEuro(spentTotal())}`);

    const [xlsxDownload] = await Promise.all([
      manager.waitForEvent('download'),
      manager.getByTestId('mon-xlsx').click(),
    ]);
    expect(xlsxDownload.suggestedFilename()).toBe('cruscotto.xlsx');
    const workbook = new ExcelJS.Workbook();
    const xlsx = await downloadBytes(xlsxDownload);
    await workbook.xlsx.load(
      xlsx.buffer.slice(xlsx.byteOffset, xlsx.byteOffset + xlsx.byteLength) as ArrayBuffer,
    );
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Riepilogo',
      'Per esercente',
      'Per categoria',
      'Per giorno',
    ]);
    const summary = new Map(
      workbook
        .getWorksheet('Riepilogo')!
        .getSheetValues()
        .slice(2)
        .map((row) => [(row as unknown[])[1], (row as unknown[])[2]]),
    );
    expect(summary.get('Speso negli esercizi')).toBe(d.spentCents / 100);
    expect(summary.get('Budget')).toBe(BUDGET / 100);
    const shops = workbook.getWorksheet('Per esercente')!;
    expect(shops.getRow(1).font?.bold).toBe(true);
    const shopRow = shops
      .getSheetValues()
      .map((row) => row as unknown[])
      .find((row) => row?.[1] === SHOP);
    expect(shopRow?.slice(1)).toEqual([SHOP, 'Accreditato', ours.payments, spentTotal() / 100]);
    const byShopTotal = shops
      .getSheetValues()
      .slice(2)
      .reduce((s: number, row) => s + Math.round(((row as unknown[])[4] as number) * 100), 0);
    expect(byShopTotal).toBe(d.spentCents);
  });

  it('refuses a user of another Comune, in the portal, the API and the download', async () => {
    const otherComune = await createOtherComune();
    const page = await staffPage(OTHER_OPERATOR.email, OTHER_OPERATOR.password);
    const foreign = await page.goto(`${web}/comune/${COMUNE}/misure/${CAMPAIGN}/cruscotto`);
    expect(foreign?.status()).toBe(403);
    // Under their own Comune's address, the campaign is not found.
    const disguised = await page.goto(`${web}/comune/${otherComune}/misure/${CAMPAIGN}/cruscotto`);
    expect(disguised?.status()).toBe(404);
    const body = await page.content();
    expect(body).not.toContain(SHOP);
    await expectAccessible(page);
    const download = await page
      .context()
      .request.get(`${web}/comune/${otherComune}/misure/${CAMPAIGN}/cruscotto/cruscotto.csv`, {
        maxRedirects: 0,
      });
    expect(download.status()).toBe(404);

    const api = await gql(
      platform.urls.gateway,
      DASHBOARD,
      { c: CAMPAIGN },
      { token: otherSession },
    );
    expect(api.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(api.data ?? null).toBeNull();
    const gateway = new URL(platform.urls.gateway).origin;
    for (const ext of ['csv', 'xlsx']) {
      const file = await fetch(
        `${gateway}/downloads/public-welfare/files/monitoring/dashboard.${ext}?campaignId=${CAMPAIGN}`,
        { headers: { authorization: `Bearer ${otherSession}` } },
      );
      expect(file.status).toBe(404);
      expect(file.headers.get('content-type') ?? '').not.toContain('csv');
    }
    expect(await bookProblems(db)).toEqual([]);
    expect(await reconciliationProblems(platform.urls.gateway)).toEqual([]);
  });
});
