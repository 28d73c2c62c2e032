import type { PersonCaller } from '@welfare/kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { book } from '../src/modules/ledger/ledger.js';
import { LASTING_INCOME, campaignInput } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import { COMUNE_A, caught, setupSuite, type Suite } from './helpers.js';
import { citizen, manager, operator, submitApplication } from './money-world.js';

let suite: Suite;
const em = () => suite.orm.em.fork();
// Mario's household (F001, ISEE 12,345.67 €) is entitled to 30,000; Sara's (F003, ISEE
// 4,500.50 €) to 20,000 and ranks first by ISEE.
const mario = citizen(CF.mario);
const sara = citizen(CF.sara);
const MARIO_CENTS = 30_000;
const SARA_CENTS = 20_000;

async function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []) {
  return suite.orm.em.getConnection().execute<T[]>(query, params);
}

async function draftCampaign(budgetCents: number): Promise<Campaign> {
  return suite.services.campaigns.create(
    em(),
    operator,
    campaignInput(COMUNE_A, { budgetCents, rankingCriteria: ['ISEE_ASC'] }),
  );
}

async function publishedCampaign(budgetCents: number): Promise<Campaign> {
  const draft = await draftCampaign(budgetCents);
  return suite.services.campaigns.publish(em(), manager, draft.id);
}

const apply = (who: PersonCaller, c: Campaign) => submitApplication(suite, who, c);

/** The FUND's posted balance (0 before it is opened). */
async function fundPosted(campaignId: string): Promise<number> {
  const [row] = await sql<{ posted: string }>(
    `select (credits_posted - debits_posted)::text as posted
       from "public_welfare"."book_account" where code = ?`,
    [`campaign:${campaignId}:fund`],
  );
  return Number(row?.posted ?? 0);
}

/** What the FUND credited to cards (TOPUP), by application id. */
async function creditedByApplication(campaignId: string): Promise<Map<string, number>> {
  const rows = await sql<{ reference: string; total: string }>(
    `select t.reference, sum(t.amount)::text as total
       from "public_welfare"."book_transfer" t
       join "public_welfare"."book_account" f on f.id = t.debit_account_id
      where f.code = ? and t.code = 'TOPUP'
      group by t.reference`,
    [`campaign:${campaignId}:fund`],
  );
  return new Map(rows.map((r) => [r.reference.slice('application:'.length), Number(r.total)]));
}

async function creditedToCards(campaignId: string): Promise<number> {
  let total = 0;
  for (const n of (await creditedByApplication(campaignId)).values()) total += n;
  return total;
}

async function statusOf(applicationId: string): Promise<string> {
  const [row] = await sql<{ status: string }>(
    `select status from "public_welfare"."application" where id = ?`,
    [applicationId],
  );
  return row!.status;
}

async function budgetOf(campaignId: string): Promise<number> {
  return (await em().findOneOrFail(Campaign, { id: campaignId })).budgetCents;
}

/**
 * The funding invariants of a campaign: what APPROVED applications hold never exceeds the budget,
 * every credited application is APPROVED, and the FUND holds at least what approved applications
 * are still due.
 */
async function expectFundingConsistent(campaignId: string): Promise<void> {
  const budget = await budgetOf(campaignId);
  const rows = await sql<{ id: string; status: string; amount_cents: string }>(
    `select id, status, amount_cents::text as amount_cents
       from "public_welfare"."application" where campaign_id = ?`,
    [campaignId],
  );
  const credited = await creditedByApplication(campaignId);
  const approved = rows.filter((r) => r.status === 'APPROVED');
  expect(approved.reduce((s, r) => s + Number(r.amount_cents), 0)).toBeLessThanOrEqual(budget);
  for (const id of credited.keys()) {
    expect(rows.find((r) => r.id === id)?.status).toBe('APPROVED');
  }
  const stillDue = approved.reduce(
    (s, r) => s + Number(r.amount_cents) - (credited.get(r.id) ?? 0),
    0,
  );
  expect(await fundPosted(campaignId)).toBeGreaterThanOrEqual(stillDue);
  expect((await fundPosted(campaignId)) + (await creditedToCards(campaignId))).toBe(budget);
}

beforeAll(async () => {
  suite = await setupSuite('budget_ranking');
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
}, 120_000);

afterEach(async () => {
  const report = await book.checkInvariants(em());
  expect(report.problems).toEqual([]);
  // And the checks above the book (issue 11): the reconciliation of the Comune's money.
  expect(await suite.services.reconciliation.check(em(), COMUNE_A)).toEqual([]);
  expect(report.ok).toBe(true);
});

afterAll(async () => {
  await suite?.close();
});

describe('the FUND follows the budget', () => {
  it('after A→B→A→B the FUND still holds the budget, and approvals within it are paid', async () => {
    const A = 40_000;
    const B = 50_000;
    const campaign = await publishedCampaign(A);
    const m = await apply(mario, campaign);
    const s = await apply(sara, campaign);
    expect((await suite.services.cases.decide(em(), operator, m.id, true, null)).status).toBe(
      'APPROVED',
    );
    await suite.services.cards.issueForCampaign(em(), operator, campaign.id);
    expect((await suite.services.topUps.topUpApplication(em(), operator, m.id)).creditedCents).toBe(
      MARIO_CENTS,
    );
    expect((await fundPosted(campaign.id)) + (await creditedToCards(campaign.id))).toBe(A);

    for (const budget of [B, A, B]) {
      await suite.services.cases.setBudget(em(), manager, campaign.id, budget);
      expect(await budgetOf(campaign.id)).toBe(budget);
      expect((await fundPosted(campaign.id)) + (await creditedToCards(campaign.id))).toBe(budget);
    }
    // Every change moved money: one BUDGET to publish, then BUDGET, BUDGET_REDUCE, BUDGET.
    const adjustments = async () =>
      (
        await sql<{ code: string; amount: string }>(
          `select t.code, t.amount::text as amount from "public_welfare"."book_transfer" t
             join "public_welfare"."book_account" f
               on f.id = t.credit_account_id or f.id = t.debit_account_id
            where f.code = ? and t.code in ('BUDGET', 'BUDGET_REDUCE') order by t.seq`,
          [`campaign:${campaign.id}:fund`],
        )
      ).map((r) => [r.code, Number(r.amount)]);
    const moves = [
      ['BUDGET', A],
      ['BUDGET', B - A],
      ['BUDGET_REDUCE', B - A],
      ['BUDGET', B - A],
    ];
    expect(await adjustments()).toEqual(moves);
    // Setting the same budget again moves nothing.
    await suite.services.cases.setBudget(em(), manager, campaign.id, B);
    expect((await fundPosted(campaign.id)) + (await creditedToCards(campaign.id))).toBe(B);
    expect(await adjustments()).toEqual(moves);

    // Sara's 20,000 fits only in B (30,000 + 20,000 = 50,000): approved, then paid from the FUND.
    expect((await suite.services.cases.decide(em(), operator, s.id, true, null)).status).toBe(
      'APPROVED',
    );
    await suite.services.cards.issueForCampaign(em(), operator, campaign.id);
    expect((await suite.services.topUps.topUpApplication(em(), operator, s.id)).creditedCents).toBe(
      SARA_CENTS,
    );
    expect(await fundPosted(campaign.id)).toBe(0);
    await expectFundingConsistent(campaign.id);
  });
});

describe('ranking with credited applications', () => {
  it('keeps a credited application APPROVED and funds the others from what is left', async () => {
    // The budget funds Mario, approved first; Sara (first by ISEE) does not fit.
    const campaign = await publishedCampaign(MARIO_CENTS);
    const m = await apply(mario, campaign);
    const s = await apply(sara, campaign);
    expect((await suite.services.cases.decide(em(), operator, m.id, true, null)).status).toBe(
      'APPROVED',
    );
    expect((await suite.services.cases.decide(em(), operator, s.id, true, null)).status).toBe(
      'ELIGIBLE_NOT_FUNDED',
    );
    await suite.services.cards.issueForCampaign(em(), operator, campaign.id);
    expect((await suite.services.topUps.topUpApplication(em(), operator, m.id)).creditedCents).toBe(
      MARIO_CENTS,
    );

    // The ranking puts Sara first, but Mario already has the money: he stays APPROVED.
    await suite.services.cases.rank(em(), manager, campaign.id);
    expect(await statusOf(m.id)).toBe('APPROVED');
    expect(await statusOf(s.id)).toBe('ELIGIBLE_NOT_FUNDED');
    const rows = (await suite.services.cases.ranking(em(), operator, campaign.id))!;
    expect(rows.map((r) => [r.application.id, r.rank, r.funded])).toEqual([
      [s.id, 1, false],
      [m.id, 2, true],
    ]);
    await expectFundingConsistent(campaign.id);

    // A larger budget funds Sara from the rest.
    await suite.services.cases.setBudget(em(), manager, campaign.id, MARIO_CENTS + SARA_CENTS);
    expect(await statusOf(m.id)).toBe('APPROVED');
    expect(await statusOf(s.id)).toBe('APPROVED');
    await expectFundingConsistent(campaign.id);

    // A cut re-ranks: Sara, first by ISEE, loses her place, not the credited Mario.
    await suite.services.cases.setBudget(em(), manager, campaign.id, MARIO_CENTS + SARA_CENTS - 1);
    expect(await statusOf(m.id)).toBe('APPROVED');
    expect(await statusOf(s.id)).toBe('ELIGIBLE_NOT_FUNDED');
    await expectFundingConsistent(campaign.id);

    // Below what the credited application holds: refused, even though the campaign is ranked.
    const transfers = await suite.count('book_transfer');
    const err = await caught(() =>
      suite.services.cases.setBudget(em(), manager, campaign.id, MARIO_CENTS - 1),
    );
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.fields.map((f) => f.field)).toEqual(['budgetCents']);
    expect(err.fields[0]!.message.it).toBeTruthy();
    expect(err.fields[0]!.message.en).toBeTruthy();
    expect(await budgetOf(campaign.id)).toBe(MARIO_CENTS + SARA_CENTS - 1);
    expect(await suite.count('book_transfer')).toBe(transfers);
    expect(await statusOf(m.id)).toBe('APPROVED');

    // Back up: Sara is funded again and her top-up is paid from the FUND.
    await suite.services.cases.setBudget(em(), manager, campaign.id, MARIO_CENTS + SARA_CENTS);
    expect(await statusOf(s.id)).toBe('APPROVED');
    expect((await suite.services.topUps.topUpApplication(em(), operator, s.id)).creditedCents).toBe(
      SARA_CENTS,
    );
    await expectFundingConsistent(campaign.id);
    // Both credited: the budget can no longer go below both entitlements.
    expect(
      (
        await caught(() =>
          suite.services.cases.setBudget(em(), manager, campaign.id, MARIO_CENTS + SARA_CENTS - 1),
        )
      ).fields.map((f) => f.field),
    ).toEqual(['budgetCents']);
    await suite.services.cases.rank(em(), manager, campaign.id);
    expect([await statusOf(m.id), await statusOf(s.id)]).toEqual(['APPROVED', 'APPROVED']);
    await expectFundingConsistent(campaign.id);
  });
});

describe('publishing', () => {
  it('is atomic: a failure after the status change leaves a DRAFT, no FUND money, no audit row', async () => {
    const draft = await draftCampaign(70_000);
    const subject = `campaign:${draft.id}`;
    const publishAudits = async () =>
      Number(
        (
          await sql<{ n: string }>(
            `select count(*)::text as n from "public_welfare"."audit_event"
              where action = 'PUBLISH_CAMPAIGN' and subject = ?`,
            [subject],
          )
        )[0]!.n,
      );
    const fundTransfers = async () =>
      Number(
        (
          await sql<{ n: string }>(
            `select count(*)::text as n from "public_welfare"."book_transfer" where reference = ?`,
            [subject],
          )
        )[0]!.n,
      );
    // The audit row of this publication is refused by the database, after the status and the
    // FUND have been written.
    await sql(`create function "public_welfare"."test_refuse_publish_audit"() returns trigger
      language plpgsql as $$ begin raise exception 'audit refused by the test'; end $$`);
    await sql(`create trigger "test_refuse_publish_audit" before insert on "public_welfare"."audit_event"
      for each row when (new.action = 'PUBLISH_CAMPAIGN' and new.subject = '${subject}')
      execute function "public_welfare"."test_refuse_publish_audit"()`);
    try {
      await expect(suite.services.campaigns.publish(em(), manager, draft.id)).rejects.toThrow(
        /audit refused by the test/,
      );
    } finally {
      await sql(`drop trigger "test_refuse_publish_audit" on "public_welfare"."audit_event"`);
      await sql(`drop function "public_welfare"."test_refuse_publish_audit"()`);
    }
    const after = await em().findOneOrFail(Campaign, { id: draft.id });
    expect(after.status).toBe('DRAFT');
    expect(after.publishedAt).toBeNull();
    expect(await fundTransfers()).toBe(0);
    expect(await fundPosted(draft.id)).toBe(0);
    expect(await publishAudits()).toBe(0);

    const published = await suite.services.campaigns.publish(em(), manager, draft.id);
    expect(published.status).toBe('PUBLISHED');
    expect((await em().findOneOrFail(Campaign, { id: draft.id })).status).toBe('PUBLISHED');
    expect(await fundTransfers()).toBe(1);
    expect(await fundPosted(draft.id)).toBe(70_000);
    expect(await publishAudits()).toBe(1);
    // Published once: a second publication is refused and moves nothing.
    expect(
      (await caught(() => suite.services.campaigns.publish(em(), manager, draft.id))).code,
    ).toBe('CONFLICT');
    expect(await fundTransfers()).toBe(1);
    expect(await publishAudits()).toBe(1);
    // Sealed (the sealer's pass; no insert is under way here), the chain verifies.
    expect((await suite.services.audit.seal(em(), 1)).sealed).toBeGreaterThan(0);
    expect((await suite.services.audit.verifyChain(em())).brokenAt).toBeUndefined();
  });
});
