import { randomUUID } from 'node:crypto';
import type { PersonCaller } from '@welfare/kit';
import { romeToday } from '@welfare/kit/dates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { PDF, campaignInput, LASTING_INCOME } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import { accreditationInput, merchantPerson } from './money-world.js';
import {
  ANONYMOUS,
  CITIZEN,
  COMUNE_A,
  COMUNE_B,
  COOP_ADMIN,
  caught,
  errorCode,
  setupSuite,
  staff,
  type Suite,
} from './helpers.js';

let suite: Suite;
const operator = staff(COMUNE_A);
const manager = staff(COMUNE_A, 'MANAGER');
const operatorB = staff(COMUNE_B);
const MERCHANT = randomUUID();

function citizen(fiscalCode: string): PersonCaller {
  return {
    kind: 'person',
    personId: randomUUID(),
    sessionId: randomUUID(),
    platformAdmin: false,
    memberships: [],
    fiscalCode,
  };
}

const em = () => suite.orm.em.fork();
const worklist = (
  who: Parameters<Suite['services']['worklist']['worklist']>[1],
  comuneId: string,
) => suite.services.worklist.worklist(em(), who, comuneId);

/** The case queue's filter the worklist's count links to, and what it finds. */
async function queueWith(
  who: PersonCaller,
  comuneId: string,
  filter: { overdue?: boolean; integrationAnswered?: boolean },
) {
  const page = await suite.services.cases.queue(em(), who, comuneId, filter, 200);
  return { totalCount: page.totalCount, ids: page.nodes.map((a) => a.id) };
}

async function apply(who: PersonCaller, campaign: Campaign) {
  const draft = await suite.services.applications.saveDraft(em(), who, {
    campaignId: campaign.id,
    privacyNoticeAcknowledged: true,
    email: 'famiglia@example.org',
    phone: null,
    notes: null,
    acceptedDeclarations: ['TRUE'],
  });
  await suite.services.applications.addDocument(em(), who, draft.id, {
    code: 'ID',
    fileName: 'carta.pdf',
    content: PDF,
  });
  return suite.services.applications.submit(em(), who, draft.id);
}

/** A DRAFT reimbursement batch of `comuneId` (written directly: its lines do not matter here). */
async function draftBatch(comuneId: string, campaignId: string): Promise<void> {
  await em().execute(
    `insert into "public_welfare"."reimbursement_batch"
       ("id", "comune_id", "campaign_id", "cut_off", "debtor_name", "debtor_iban", "total_cents",
        "payment_count", "line_count", "created_by")
     values (?, ?, ?, current_date - 1, 'Comune', 'IT60X0542811101000000123456', 100, 1, 1, ?)`,
    [randomUUID(), comuneId, campaignId, randomUUID()],
  );
}

beforeAll(async () => {
  suite = await setupSuite('worklist');
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
});
afterAll(() => suite.close());

describe('the Comune’s worklist', () => {
  it('starts empty', async () => {
    const empty = await worklist(operator, COMUNE_A);
    expect(empty).toEqual({
      comuneId: COMUNE_A,
      today: romeToday(),
      toDecide: 0,
      overdue: 0,
      nextDueBy: null,
      integrationsAnswered: 0,
      awaitingIntegration: 0,
      batchesToApprove: 0,
      shopsToReview: 0,
      decisionsToConfirm: 0,
    });
  });

  it('counts applications to decide, past due, integrations answered and batches to approve; never another Comune’s', async () => {
    const draft = await suite.services.campaigns.create(
      em(),
      operator,
      campaignInput(COMUNE_A, { decisionDays: 30 }),
    );
    const campaign = await suite.services.campaigns.publish(em(), manager, draft.id);
    const cases = suite.services.cases;
    // Mario's application waits for a decision, past its due-by date.
    const late = await apply(citizen(CF.mario), campaign);
    await em().execute(
      `update "public_welfare"."application" set "due_by" = current_date - 3 where "id" = ?`,
      [late.id],
    );
    // Rosa answered an integration request: back IN_REVIEW, waiting for the operator.
    const rosa = citizen(CF.rosa);
    const answered = await apply(rosa, campaign);
    await cases.startReview(em(), operator, answered.id);
    await cases.requestIntegration(em(), operator, answered.id, 'Allegare il contratto.');
    await suite.services.applications.resubmit(em(), rosa, answered.id, 'Allegato.');
    // Sara's waits for Sara (the term is suspended).
    const waiting = await apply(citizen(CF.sara), campaign);
    await cases.requestIntegration(em(), operator, waiting.id, 'Allegare l’ISEE.');
    // Past its due-by date too, but the term is suspended: neither counted nor filtered as past due.
    await em().execute(
      `update "public_welfare"."application" set "due_by" = current_date - 5 where "id" = ?`,
      [waiting.id],
    );
    // Draft batches: one of A, one of B (B's never counted for A).
    await draftBatch(COMUNE_A, campaign.id);
    await draftBatch(COMUNE_B, campaign.id);
    // A shop asks to join the campaign.
    await suite.services.shops.requestAccreditation(
      em(),
      merchantPerson(MERCHANT, 'OWNER'),
      accreditationInput(MERCHANT, campaign.id, 'IT60 X054 2811 1010 0000 0123 456'),
    );

    const list = await worklist(manager, COMUNE_A);
    expect(list).toMatchObject({
      toDecide: 2,
      overdue: 1,
      integrationsAnswered: 1,
      awaitingIntegration: 1,
      batchesToApprove: 1,
      shopsToReview: 1,
      decisionsToConfirm: 0,
    });
    // Rosa's due-by date (submitted today, 30 days) is the next one ahead.
    const rosaNow = await suite.services.applications.get(em(), operator, answered.id);
    expect(list.nextDueBy).toBe(rosaNow?.dueBy);
    expect(list.nextDueBy! > list.today).toBe(true);
    // The queue's filters the counts link to find exactly what the worklist counts.
    expect(await queueWith(manager, COMUNE_A, { overdue: true })).toEqual({
      totalCount: list.overdue,
      ids: [late.id],
    });
    expect(await queueWith(manager, COMUNE_A, { integrationAnswered: true })).toEqual({
      totalCount: list.integrationsAnswered,
      ids: [answered.id],
    });
    // Both filters together: none is both.
    expect(
      (await queueWith(operator, COMUNE_A, { overdue: true, integrationAnswered: true }))
        .totalCount,
    ).toBe(0);

    // Another Comune's staff sees its own (only the batch), never A's.
    expect(await worklist(operatorB, COMUNE_B)).toMatchObject({
      toDecide: 0,
      overdue: 0,
      nextDueBy: null,
      integrationsAnswered: 0,
      awaitingIntegration: 0,
      batchesToApprove: 1,
      shopsToReview: 0,
      decisionsToConfirm: 0,
    });
    for (const filter of [{ overdue: true }, { integrationAnswered: true }]) {
      expect((await queueWith(operatorB, COMUNE_B, filter)).totalCount).toBe(0);
      expect((await caught(() => queueWith(operatorB, COMUNE_A, filter))).code).toBe('FORBIDDEN');
    }

    // Deciding Rosa's application takes it off the worklist.
    await cases.decide(em(), operator, answered.id, false, 'Requisiti non soddisfatti.');
    expect(await worklist(operator, COMUNE_A)).toMatchObject({
      toDecide: 1,
      overdue: 1,
      integrationsAnswered: 0,
      nextDueBy: null,
    });
    expect((await queueWith(operator, COMUNE_A, { integrationAnswered: true })).totalCount).toBe(0);
  });

  it('is for the Comune’s staff only', async () => {
    for (const who of [operatorB, COOP_ADMIN, CITIZEN]) {
      expect((await caught(() => worklist(who, COMUNE_A))).code).toBe('FORBIDDEN');
    }
    expect((await caught(() => worklist(ANONYMOUS, COMUNE_A))).code).toBe('UNAUTHENTICATED');
  });

  it('answers the GraphQL query for staff and refuses others', async () => {
    const query = `query ($comuneId: ID!) { comuneWorklist(comuneId: $comuneId) { comuneId toDecide overdue nextDueBy integrationsAnswered awaitingIntegration batchesToApprove shopsToReview today } }`;
    const ok = await suite.run(query, { comuneId: COMUNE_A }, operator);
    expect(ok.errors).toBeUndefined();
    expect(ok.data).toMatchObject({ comuneWorklist: { comuneId: COMUNE_A, toDecide: 1 } });
    const refused = await suite.run(query, { comuneId: COMUNE_A }, operatorB);
    expect(errorCode(refused)).toBe('FORBIDDEN');
  });

  it('filters the case queue through GraphQL as the worklist counts', async () => {
    const query = `query ($comuneId: ID!, $filter: ApplicationQueueFilter) { applicationQueue(comuneId: $comuneId, filter: $filter) { totalCount } }`;
    for (const [filter, count] of [
      [{ overdue: true }, 1],
      [{ overdue: false }, 3],
      [{ integrationAnswered: true }, 0],
    ] as const) {
      const ok = await suite.run(query, { comuneId: COMUNE_A, filter }, operator);
      expect(ok.errors).toBeUndefined();
      expect(ok.data).toMatchObject({ applicationQueue: { totalCount: count } });
    }
  });
});
