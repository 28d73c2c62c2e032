import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidPersonalFiscalCode } from '@welfare/kit/pii';
import {
  DEMO_CITIZEN_HOUSEHOLDS,
  DEMO_HOUSEHOLDS,
  demoCsvFiles,
} from '../src/demo/demo-registry.js';
import {
  DEMO_CAMPAIGN_ID,
  DEMO_CARD_HOLDER,
  DEMO_CARD_PIN,
  DEMO_COMUNE_ID,
  DEMO_SERVICE_CATEGORIES,
  DEMO_SPENDING_CAMPAIGN_ID,
} from '../src/demo/facts.js';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import { book } from '../src/modules/ledger/ledger.js';
import { setupSuite, staff, type Suite } from './helpers.js';

let suite: Suite;

beforeAll(async () => {
  suite = await setupSuite('demo');
});
afterAll(() => suite.close());

describe('demo data', () => {
  it('generates the same files every time, with valid codici fiscali', () => {
    const files = demoCsvFiles();
    expect(demoCsvFiles()).toEqual(files);
    const rows = files.registry.trim().split('\r\n').slice(1);
    expect(rows.length).toBeGreaterThan(DEMO_HOUSEHOLDS);
    for (const row of rows) expect(isValidPersonalFiscalCode(row.split(';')[1]!)).toBe(true);
  });

  it('loads about 300 households with members and ISEE for most, idempotently', async () => {
    await loadDemoData(suite.orm.em.fork(), suite.services);
    const counts = async () => [
      await suite.count('household', DEMO_COMUNE_ID),
      await suite.count('household_member', DEMO_COMUNE_ID),
      await suite.count('income_declaration', DEMO_COMUNE_ID),
      await suite.count('import_job'),
    ];
    const money = async () =>
      suite.orm.em.getConnection().execute<{ [k: string]: string }[]>(
        `select
           (select status from public_welfare.campaign where id = ?) as campaign,
           (select count(*) from public_welfare.application where campaign_id = ? and status = 'APPROVED') as approved,
           (select count(*) from public_welfare.card where comune_id = ?) as cards,
           (select count(*) from public_welfare.shop_accreditation where campaign_id = ? and status = 'ACCREDITED') as shops,
           (select count(*) from public_welfare.payment) as payments,
           (select coalesce(sum(amount), 0) from public_welfare.book_transfer where code = 'TOPUP') as credited,
           (select coalesce(sum(amount), 0) from public_welfare.book_transfer where code = 'PAYMENT') as paid`,
        [
          DEMO_SPENDING_CAMPAIGN_ID,
          DEMO_SPENDING_CAMPAIGN_ID,
          DEMO_COMUNE_ID,
          DEMO_SPENDING_CAMPAIGN_ID,
        ],
      );
    const first = await counts();
    const firstMoney = await money();
    expect(first[0]).toBe(DEMO_HOUSEHOLDS);
    expect(first[1]).toBeGreaterThan(DEMO_HOUSEHOLDS * 2);
    expect(first[2]).toBeGreaterThan(DEMO_HOUSEHOLDS * 0.75);
    expect(first[2]).toBeLessThan(DEMO_HOUSEHOLDS);
    expect(first[3]).toBe(2);
    // The money side: a closed campaign with 12 approved applications, a card each with its
    // credit, the demo shop accredited and 4 payments made at its till.
    expect(firstMoney[0]).toMatchObject({
      campaign: 'CLOSED',
      approved: '12',
      cards: '12',
      shops: '1',
      payments: '4',
      paid: String(2_350 + 4_120 + 1_890 + 3_300),
    });
    expect(Number(firstMoney[0]!.credited)).toBeGreaterThanOrEqual(12 * 10_000);
    expect((await book.checkInvariants(suite.orm.em.fork())).problems).toEqual([]);
    // And the money checks above the book: the demo's money means what it says.
    expect(await suite.services.reconciliation.check(suite.orm.em.fork(), DEMO_COMUNE_ID)).toEqual(
      [],
    );
    await loadDemoData(suite.orm.em.fork(), suite.services);
    expect(await counts()).toEqual(first);
    expect(await money()).toEqual(firstMoney);

    // The demo Comune's operator can search it.
    const result = await suite.run<{ households: { totalCount: number } }>(
      `query($c: ID!) { households(comuneId: $c, filter: { hasMinors: true }) { totalCount } }`,
      { c: DEMO_COMUNE_ID },
      staff(DEMO_COMUNE_ID),
    );
    expect(result.data?.households.totalCount).toBeGreaterThan(10);
  });

  it('gives the demo card holder a card that pays with the demo PIN, and refuses a wrong one', async () => {
    await loadDemoData(suite.orm.em.fork(), suite.services);
    const [card] = await suite.orm.em.getConnection().execute<{ id: string }[]>(
      `select c.id from public_welfare.card c join public_welfare.application a on a.id = c.application_id
         where a.campaign_id = ?`,
      [DEMO_SPENDING_CAMPAIGN_ID],
    );
    expect(card).toBeDefined();
    const holder = await suite.services.cards.findByFiscalCode(
      suite.orm.em.fork(),
      DEMO_COMUNE_ID,
      DEMO_CARD_HOLDER,
    );
    expect(holder?.status).toBe('ACTIVE');
    expect(
      await suite.services.cards.verifyPin(suite.orm.em.fork(), holder!.id, DEMO_CARD_PIN),
    ).toEqual({
      ok: true,
    });
    expect(
      (await suite.services.cards.verifyPin(suite.orm.em.fork(), holder!.id, '000000')).ok,
    ).toBe(false);
    await suite.services.cards.verifyPin(suite.orm.em.fork(), holder!.id, DEMO_CARD_PIN);
  });

  it('lets the open demo campaign pay for education, childcare and sport services', async () => {
    await loadDemoData(suite.orm.em.fork(), suite.services);
    const campaign = await suite.services.campaigns.get(
      suite.orm.em.fork(),
      { kind: 'anonymous' },
      DEMO_CAMPAIGN_ID,
    );
    expect(campaign?.serviceCategories).toEqual(DEMO_SERVICE_CATEGORIES);
    const covering = await suite.services.coverage.coveringCampaigns(
      suite.orm.em.fork(),
      {},
      {
        comuneId: DEMO_COMUNE_ID,
        providerId: DEMO_COMUNE_ID,
        category: 'CHILDCARE',
      },
    );
    expect(covering.map((c) => c.id)).toEqual([DEMO_CAMPAIGN_ID]);
  });

  it('gives Mario an active card with 350 € in the open demo campaign only when asked, once', async () => {
    const mario = DEMO_CITIZEN_HOUSEHOLDS[0]!.fiscalCode;
    await loadDemoData(suite.orm.em.fork(), suite.services);
    const card = () =>
      suite.services.cards.findByFiscalCode(suite.orm.em.fork(), DEMO_COMUNE_ID, mario);
    expect(await card()).toBeNull();
    const topUps = () =>
      suite.orm.em.getConnection().execute<{ n: string; total: string }[]>(
        `select count(*) as n, coalesce(sum(t.amount), 0) as total
           from public_welfare.book_transfer t join public_welfare.book_account a on a.id = t.credit_account_id
          where t.code = 'TOPUP' and a.code like ?`,
        [`card:%:campaign:${DEMO_CAMPAIGN_ID}`],
      );
    await loadDemoData(suite.orm.em.fork(), suite.services, { citizenCard: true });
    const issued = await card();
    expect(issued?.status).toBe('ACTIVE');
    const first = await topUps();
    expect(first[0]).toMatchObject({ n: '1', total: '35000' });
    await loadDemoData(suite.orm.em.fork(), suite.services, { citizenCard: true });
    expect((await card())?.id).toBe(issued!.id);
    expect(await topUps()).toEqual(first);
    expect((await book.checkInvariants(suite.orm.em.fork())).problems).toEqual([]);
  });
});
