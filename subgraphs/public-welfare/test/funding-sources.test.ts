import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import {
  allocate,
  fillInOrder,
  type FundingAllocation,
  type FundingSource,
} from '../src/modules/funding/funding.js';
import { fundingReport } from '../src/modules/funding/funding.service.js';
import { dashboardCsv, dashboardXlsx } from '../src/modules/monitoring/monitoring.export.js';
import { campaignInput } from './campaign-fixtures.js';
import { COMUNE_A, COMUNE_B, caught, errorCode, setupSuite, staff, type Suite } from './helpers.js';

/** A campaign's funding sources: the list's rules, tenancy, and the report split among them. */
let suite: Suite;
const em = () => suite.orm.em.fork();
const operator = staff(COMUNE_A);
const manager = staff(COMUNE_A, 'MANAGER');
const managerB = staff(COMUNE_B, 'MANAGER');
const BUDGET = 100_000;
let campaign: Campaign;

const VALID: FundingSource[] = [
  { kind: 'STATE', name: 'Fondo nazionale, DL 154/2020', amountCents: 60_000 },
  { kind: 'REGION', name: 'Regione Siciliana, DDG 12/2026', amountCents: 30_001 },
  { kind: 'DONATION', name: 'Fondazione di comunità', amountCents: 9_999 },
];

beforeAll(async () => {
  suite = await setupSuite('funding');
  campaign = await suite.services.campaigns.create(
    em(),
    operator,
    campaignInput(COMUNE_A, { budgetCents: BUDGET }),
  );
});
afterAll(() => suite.close());

const rows = () => suite.count('campaign_funding_source');

describe('setting the sources', () => {
  it('refuses bad rows field by field, and a sum other than the budget, writing nothing', async () => {
    await suite.services.funding.set(em(), manager, campaign.id, VALID);
    const err = await caught(() =>
      suite.services.funding.set(em(), manager, campaign.id, [
        { kind: 'STATE', name: ' x ', amountCents: 50_000 },
        { kind: 'REGION', name: 'Regione', amountCents: 0 },
        { kind: 'MOON' as 'OTHER', name: 'Luna', amountCents: 1.5 },
        { kind: 'REGION', name: 'regione', amountCents: 10 },
      ]),
    );
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.fields.map((f) => f.field).sort()).toEqual([
      'sources.0.name',
      'sources.1.amountCents',
      'sources.2.amountCents',
      'sources.2.kind',
      'sources.3.name',
    ]);
    for (const f of err.fields) expect(f.message.it && f.message.en).toBeTruthy();
    // Valid rows that do not add up to the budget: one error on the list, in euro.
    const sum = await caught(() =>
      suite.services.funding.set(em(), manager, campaign.id, [
        { kind: 'STATE', name: 'Stato', amountCents: 60_000 },
        { kind: 'COMUNE', name: 'Bilancio comunale', amountCents: 39_999 },
      ]),
    );
    expect(sum.fields.map((f) => f.field)).toEqual(['sources']);
    expect(sum.fields[0]!.message.it).toContain('999,99 €');
    expect(sum.fields[0]!.message.it).toContain('1.000,00 €');
    const tooMany = await caught(() =>
      suite.services.funding.set(
        em(),
        manager,
        campaign.id,
        Array.from({ length: 21 }, (_, i) => ({
          kind: 'DONATION' as const,
          name: `Donatore ${i}`,
          amountCents: 1,
        })),
      ),
    );
    expect(tooMany.fields.map((f) => f.field)).toEqual(['sources']);
    // Nothing written: the valid list is still there, in order.
    expect(await rows()).toBe(3);
    const read = await suite.services.funding.sourcesOf(em(), campaign);
    expect(read).toEqual(VALID);
  });

  it('replaces the list through GraphQL and reads it with the campaign; an empty list clears it', async () => {
    const SET = `mutation($id: ID!, $sources: [FundingSourceInput!]!) {
      setCampaignFundingSources(campaignId: $id, sources: $sources) { id fundingSources { kind name amountCents } } }`;
    const two = [
      { kind: 'EU', name: '  FSE+ 2021-2027  ', amountCents: 70_000 },
      { kind: 'COMUNE', name: 'Bilancio comunale', amountCents: 30_000 },
    ];
    const result = await suite.run<{
      setCampaignFundingSources: { fundingSources: FundingSource[] };
    }>(SET, { id: campaign.id, sources: two }, manager);
    expect(result.errors).toBeUndefined();
    expect(result.data?.setCampaignFundingSources.fundingSources).toEqual([
      { kind: 'EU', name: 'FSE+ 2021-2027', amountCents: 70_000 },
      { kind: 'COMUNE', name: 'Bilancio comunale', amountCents: 30_000 },
    ]);
    const cleared = await suite.run<{
      setCampaignFundingSources: { fundingSources: FundingSource[] };
    }>(SET, { id: campaign.id, sources: [] }, manager);
    expect(cleared.data?.setCampaignFundingSources.fundingSources).toEqual([]);
    expect(await rows()).toBe(0);
    await suite.services.funding.set(em(), manager, campaign.id, VALID);
  });

  it('stores the allocation mode with the list; without it the mode stays; a bad list changes neither', async () => {
    const SET = `mutation($id: ID!, $sources: [FundingSourceInput!]!, $allocation: FundingAllocation) {
      setCampaignFundingSources(campaignId: $id, sources: $sources, allocation: $allocation) {
        fundingAllocation fundingSources { name } } }`;
    type Out = { setCampaignFundingSources: { fundingAllocation: string; fundingSources: [] } };
    const reversed = VALID.toReversed();
    const priority = await suite.run<Out>(
      SET,
      { id: campaign.id, sources: reversed, allocation: 'PRIORITY' },
      manager,
    );
    expect(priority.errors).toBeUndefined();
    expect(priority.data?.setCampaignFundingSources).toEqual({
      fundingAllocation: 'PRIORITY',
      fundingSources: reversed.map((s) => ({ name: s.name })),
    });
    const kept = await suite.run<Out>(SET, { id: campaign.id, sources: VALID }, manager);
    expect(kept.data?.setCampaignFundingSources.fundingAllocation).toBe('PRIORITY');
    const bad = await caught(() =>
      suite.services.funding.set(em(), manager, campaign.id, [], 'FIFO' as FundingAllocation),
    );
    expect(bad.fields.map((f) => f.field)).toEqual(['allocation']);
    const badList = await caught(() =>
      suite.services.funding.set(em(), manager, campaign.id, VALID.slice(1), 'PRO_RATA'),
    );
    expect(badList.code).toBe('BAD_USER_INPUT');
    expect(await suite.services.funding.allocationOf(em(), campaign)).toBe('PRIORITY');
    expect(await suite.services.funding.sourcesOf(em(), campaign)).toEqual(VALID);
    const back = await suite.run<Out>(
      SET,
      { id: campaign.id, sources: VALID, allocation: 'PRO_RATA' },
      manager,
    );
    expect(back.data?.setCampaignFundingSources.fundingAllocation).toBe('PRO_RATA');
  });

  it('is the MANAGER’s of the campaign’s Comune only', async () => {
    const other = [{ kind: 'OTHER' as const, name: 'Altro', amountCents: BUDGET }];
    const byOperator = await caught(() =>
      suite.services.funding.set(em(), operator, campaign.id, other, 'PRIORITY'),
    );
    expect(byOperator.code).toBe('FORBIDDEN');
    const byOtherComune = await caught(() =>
      suite.services.funding.set(em(), managerB, campaign.id, other, 'PRIORITY'),
    );
    expect(byOtherComune.code).toBe('NOT_FOUND');
    const malformed = await caught(() =>
      suite.services.funding.set(em(), manager, 'not-a-uuid', other),
    );
    expect(malformed.code).toBe('NOT_FOUND');
    const viaApi = await suite.run(
      `mutation($id: ID!) { setCampaignFundingSources(campaignId: $id, sources: [], allocation: PRIORITY) { id } }`,
      { id: campaign.id },
      managerB,
    );
    expect(errorCode(viaApi)).toBe('NOT_FOUND');
    const operatorViaApi = await suite.run(
      `mutation($id: ID!) { setCampaignFundingSources(campaignId: $id, sources: [], allocation: PRIORITY) { id } }`,
      { id: campaign.id },
      operator,
    );
    expect(errorCode(operatorViaApi)).toBe('FORBIDDEN');
    expect(await suite.services.funding.sourcesOf(em(), campaign)).toEqual(VALID);
    expect(await suite.services.funding.allocationOf(em(), campaign)).toBe('PRO_RATA');
  });
});

describe('the report per source', () => {
  it('splits the dashboard’s figures among the sources, each column summing to its total', async () => {
    const result = await suite.run<{
      campaignDashboard: {
        budgetCents: number;
        committedCents: number;
        bySource: { kind: string; amountCents: number; budgetCents: number; spentCents: number }[];
      };
    }>(
      `query($id: ID!) { campaignDashboard(campaignId: $id) { budgetCents committedCents
        bySource { kind name amountCents budgetCents committedCents creditedCents spentCents returnedCents } } }`,
      { id: campaign.id },
      operator,
    );
    expect(result.errors).toBeUndefined();
    const d = result.data!.campaignDashboard;
    expect(d.bySource.map((s) => [s.kind, s.amountCents, s.budgetCents, s.spentCents])).toEqual([
      ['STATE', 60_000, 60_000, 0],
      ['REGION', 30_001, 30_001, 0],
      ['DONATION', 9_999, 9_999, 0],
    ]);
    const other = await suite.run(
      `query($id: ID!) { campaignDashboard(campaignId: $id) { bySource { name } } }`,
      { id: campaign.id },
      managerB,
    );
    expect(errorCode(other)).toBe('NOT_FOUND');
  });

  it('adds a section per source to the CSV and a sheet to the workbook', async () => {
    const d = await suite.services.monitoring.dashboard(em(), operator, campaign.id);
    const lines = dashboardCsv(d).toString('utf8').split('\r\n');
    const at = lines.indexOf(
      'Per fonte di finanziamento;ripartizione in proporzione agli importi delle fonti',
    );
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 5)).toEqual([
      'tipo;fonte;importo_fonte_euro;budget_euro;impegnato_euro;accreditato_euro;speso_euro;residuo_euro;restituito_euro',
      'Stato;Fondo nazionale, DL 154/2020;600,00;600,00;0,00;0,00;0,00;600,00;0,00',
      'Regione;Regione Siciliana, DDG 12/2026;300,01;300,01;0,00;0,00;0,00;300,01;0,00',
      'Donazioni;Fondazione di comunità;99,99;99,99;0,00;0,00;0,00;99,99;0,00',
    ]);
    // In PRIORITY the section says so (the figures: see the next tests).
    const spentInOrder = fundingReport(
      VALID,
      { ...d, spentCents: 70_000, returnedCents: 5_000 },
      'PRIORITY',
    );
    const priority = dashboardCsv({ ...d, sourceAllocation: 'PRIORITY', bySource: spentInOrder })
      .toString('utf8')
      .split('\r\n');
    const atPriority = priority.indexOf(
      'Per fonte di finanziamento;ripartizione in ordine di priorità delle fonti',
    );
    expect(priority[atPriority + 2]).toBe(
      'Stato;Fondo nazionale, DL 154/2020;600,00;600,00;0,00;0,00;600,00;0,00;0,00',
    );
    const workbook = new ExcelJS.Workbook();
    const file = await dashboardXlsx(d);
    await workbook.xlsx.load(Uint8Array.from(file).buffer);
    const sheet = workbook.getWorksheet('Per fonte')!;
    expect(sheet.getRow(2).getCell(2).value).toBe('Fondo nazionale, DL 154/2020');
    expect(sheet.getRow(2).getCell(4).value).toBe(600);
    expect(sheet.getRow(1).getCell(8).value).toBe('Residuo');
    expect(sheet.getRow(2).getCell(8).value).toBe(600);
  });

  it('in PRIORITY spends the sources in order, and returns from the last ones', () => {
    const totals = {
      budgetCents: BUDGET,
      committedCents: 95_000,
      creditedCents: 90_000,
      spentCents: 70_000,
      returnedCents: 15_000,
    };
    const lines = fundingReport(VALID, totals, 'PRIORITY');
    // STATE 600,00 used up, then REGION gets the remaining 100,00; DONATION untouched.
    expect(lines.map((l) => [l.spentCents, l.remainingCents])).toEqual([
      [60_000, 0],
      [10_000, 20_001],
      [0, 9_999],
    ]);
    expect(lines.map((l) => l.committedCents)).toEqual([60_000, 30_001, 4_999]);
    expect(lines.map((l) => l.creditedCents)).toEqual([60_000, 30_000, 0]);
    // The unspent money that went back belongs to the sources spent last.
    expect(lines.map((l) => l.returnedCents)).toEqual([0, 5_001, 9_999]);
    expect(lines.map((l) => l.budgetCents)).toEqual([60_000, 30_001, 9_999]);
    // The same totals pro rata: every source spent in proportion.
    expect(fundingReport(VALID, totals).map((l) => l.spentCents)).toEqual([42_000, 21_001, 6_999]);
    // More than the sources declare (the budget was raised since): the excess on the last one.
    expect(fillInOrder(110, [60, 30, 10])).toEqual([60, 30, 20]);
    expect(fillInOrder(-70, [60, 30, 10])).toEqual([-60, -10, 0]);
    expect(fillInOrder(0, [60, 30, 10])).toEqual([0, 0, 0]);
  });

  it('allocates by the largest remainder: exact sums, ties to the earlier source', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(allocate(10, [60_000, 30_001, 9_999])).toEqual([6, 3, 1]);
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocate(0, [5, 7])).toEqual([0, 0]);
    // Beyond 2^53 in the intermediate products: still exact.
    expect(allocate(10_000_000_000, [9_999_999_999, 1])).toEqual([9_999_999_999, 1]);
  });

  it('property: in both modes every column of the report sums exactly to its total', () => {
    const cents = fc.integer({ min: -10_000_000_000, max: 10_000_000_000 });
    fc.assert(
      fc.property(
        fc.constantFrom<FundingAllocation>('PRO_RATA', 'PRIORITY'),
        fc.array(fc.integer({ min: 1, max: 10_000_000_000 }), { minLength: 1, maxLength: 20 }),
        fc.record({
          budgetCents: cents,
          committedCents: cents,
          creditedCents: cents,
          spentCents: cents,
          returnedCents: cents,
        }),
        (allocation, amounts, totals) => {
          const sources = amounts.map((amountCents, i) => ({
            kind: 'OTHER' as const,
            name: `Fonte ${i}`,
            amountCents,
          }));
          const lines = fundingReport(sources, totals, allocation);
          for (const column of Object.keys(totals) as (keyof typeof totals)[]) {
            const parts = lines.map((l) => l[column]);
            expect(parts.every(Number.isSafeInteger)).toBe(true);
            expect(parts.reduce((a, b) => a + b, 0)).toBe(totals[column]);
          }
          lines.forEach((l) => expect(l.remainingCents).toBe(l.amountCents - l.spentCents));
          const declared = amounts.reduce((a, b) => a + b, 0);
          if (
            allocation === 'PRIORITY' &&
            totals.spentCents >= 0 &&
            totals.spentCents <= declared
          ) {
            let before = 0;
            lines.forEach((l) => {
              expect(l.spentCents).toBe(
                Math.min(l.amountCents, Math.max(0, totals.spentCents - before)),
              );
              before += l.amountCents;
            });
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: on random amounts the parts sum exactly to the total and stay within a cent of their share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000_000, max: 10_000_000_000 }),
        fc.array(fc.integer({ min: 1, max: 10_000_000_000 }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const parts = allocate(total, weights);
          expect(parts.every(Number.isSafeInteger)).toBe(true);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const sum = weights.reduce((a, b) => a + b, 0);
          parts.forEach((p, i) => {
            expect(Math.abs(p - (total * weights[i]!) / sum)).toBeLessThan(
              1 + 1e-6 * Math.abs(total),
            );
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
