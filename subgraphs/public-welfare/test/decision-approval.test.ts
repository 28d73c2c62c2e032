import type { PersonCaller } from '@welfare/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { LASTING_INCOME } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import { COMUNE_A, COMUNE_B, caught, errorCode, setupSuite, staff, type Suite } from './helpers.js';
import { citizen, manager, operator, publishCampaign, submitApplication } from './money-world.js';

/* The second approval (issue 19, item 4): a Comune's decision policy and its proposals. */

let suite: Suite;
const em = () => suite.orm.em.fork();
const cases = () => suite.services.cases;
const policies = () => suite.services.decisionPolicies;
const otherManager = staff(COMUNE_A, 'MANAGER');
const managerB = staff(COMUNE_B, 'MANAGER');
// Mario's household is entitled to 30,000 cents, Sara's to 20,000 (see budget-ranking.test.ts).
const MARIO_CENTS = 30_000;
const LIMIT = 25_000;

async function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []) {
  return suite.orm.em.getConnection().execute<T[]>(query, params);
}

/** What a decision can change besides the case: messages, cards, the book, the commitment. */
async function footprint(application: { id: string; campaignId: string }) {
  const [row] = await sql<{ messages: number; cards: number; transfers: number }>(
    `select (select count(*)::int from "public_welfare"."message" where application_id = ?)
              as messages,
            (select count(*)::int from "public_welfare"."card") as cards,
            (select count(*)::int from "public_welfare"."book_transfer") as transfers`,
    [application.id],
  );
  return { ...row, committed: await cases().committedCents(em(), application.campaignId) };
}

async function statusOf(id: string): Promise<string> {
  const [row] = await sql<{ status: string }>(
    `select status from "public_welfare"."application" where id = ?`,
    [id],
  );
  return row!.status;
}

async function campaignWith(...who: PersonCaller[]) {
  const campaign: Campaign = await publishCampaign(suite, { budgetCents: 1_000_000 });
  const applications = [];
  for (const person of who) applications.push(await submitApplication(suite, person, campaign));
  return applications;
}

const setPolicy = (on: boolean, limit: number | null, who: PersonCaller = manager) =>
  policies().setPolicy(em(), who, COMUNE_A, on, limit);

beforeAll(async () => {
  suite = await setupSuite('decision_approval');
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
});
afterAll(() => suite.close());

describe('the decision policy', () => {
  it('is off by default, set by the Comune’s MANAGER only, with field errors', async () => {
    expect(await policies().policy(em(), operator, COMUNE_A)).toMatchObject({
      secondApproval: false,
      amountLimitCents: null,
      updatedBy: null,
    });
    expect((await caught(() => setPolicy(true, null, operator))).code).toBe('FORBIDDEN');
    expect((await caught(() => setPolicy(true, null, managerB))).code).toBe('FORBIDDEN');
    expect((await caught(() => policies().policy(em(), managerB, COMUNE_A))).code).toBe(
      'FORBIDDEN',
    );
    for (const bad of [-1, 1.5, 10_000_000_001]) {
      const error = await caught(() => setPolicy(true, bad));
      expect(error.fields.map((f) => f.field)).toEqual(['amountLimitCents']);
    }
    expect((await policies().policy(em(), manager, COMUNE_A)).secondApproval).toBe(false);
    const set = await setPolicy(true, LIMIT);
    expect(set).toMatchObject({
      comuneId: COMUNE_A,
      secondApproval: true,
      amountLimitCents: LIMIT,
      updatedBy: manager.personId,
    });
    expect((await policies().policy(em(), managerB, COMUNE_B)).secondApproval).toBe(false);
    const mutation = `mutation ($c: ID!, $on: Boolean!, $limit: SafeInt) {
      setDecisionPolicy(comuneId: $c, secondApproval: $on, amountLimitCents: $limit) {
        secondApproval amountLimitCents } }`;
    const viaApi = await suite.run(mutation, { c: COMUNE_A, on: false, limit: null }, manager);
    expect(viaApi.errors).toBeUndefined();
    expect(viaApi.data).toEqual({
      setDecisionPolicy: { secondApproval: false, amountLimitCents: null },
    });
    expect(errorCode(await suite.run(mutation, { c: COMUNE_A, on: true }, operator))).toBe(
      'FORBIDDEN',
    );
    expect((await policies().policy(em(), operator, COMUNE_A)).secondApproval).toBe(false);
  });
});

describe('the second approval', () => {
  it('a rejection waits for a MANAGER: nothing changes before; not confirmed by its proposer', async () => {
    await setPolicy(true, null);
    const marioCitizen = citizen(CF.mario);
    const [mario] = await campaignWith(marioCitizen);
    const before = await footprint(mario!);
    const proposed = await cases().decide(em(), operator, mario!.id, false, 'Non residente.');
    expect(proposed.status).toBe('PENDING_APPROVAL');
    expect(proposed.decidedAt).toBeNull();
    expect(await footprint(mario!)).toEqual(before);
    const pending = await cases().pendingDecision(em(), proposed);
    expect(pending).toMatchObject({
      approve: false,
      reason: 'Non residente.',
      amountCents: MARIO_CENTS,
      proposedBy: operator.personId,
    });
    // Waiting, it can be neither decided again nor confirmed by an operator or its proposer.
    expect((await caught(() => cases().decide(em(), operator, mario!.id, true, null))).code).toBe(
      'CONFLICT',
    );
    expect((await caught(() => cases().confirmDecision(em(), operator, mario!.id))).code).toBe(
      'FORBIDDEN',
    );
    const proposerAsManager: PersonCaller = { ...manager, personId: operator.personId };
    expect(
      (await caught(() => cases().confirmDecision(em(), proposerAsManager, mario!.id))).code,
    ).toBe('FORBIDDEN');
    expect((await caught(() => cases().confirmDecision(em(), managerB, mario!.id))).code).toBe(
      'FORBIDDEN',
    );
    expect(await statusOf(mario!.id)).toBe('PENDING_APPROVAL');
    expect(await footprint(mario!)).toEqual(before);
    // Through the API: staff see the proposal; the applicant sees nothing changed.
    const query = `query ($id: ID!) { application(id: $id) { status timeline { kind note }
      pendingDecision { approve reason amountCents proposedBy { id } proposedByCaller } } }`;
    const asStaff = await suite.run(query, { id: mario!.id }, manager);
    expect(asStaff.errors).toBeUndefined();
    expect(asStaff.data).toMatchObject({
      application: {
        status: 'PENDING_APPROVAL',
        pendingDecision: {
          approve: false,
          reason: 'Non residente.',
          amountCents: MARIO_CENTS,
          proposedBy: { id: operator.personId },
          proposedByCaller: false,
        },
      },
    });
    const asApplicant = await suite.run(query, { id: mario!.id }, marioCitizen);
    expect(asApplicant.errors).toBeUndefined();
    const seen = asApplicant.data!.application as {
      status: string;
      timeline: { kind: string; note: string | null }[];
      pendingDecision: unknown;
    };
    expect(seen.status).toBe('IN_REVIEW');
    expect(seen.pendingDecision).toBeNull();
    expect(seen.timeline.map((e) => e.kind)).not.toContain('DECISION_PROPOSED');
    expect(seen.timeline.map((e) => e.note)).not.toContain('Non residente.');
    const confirmed = await cases().confirmDecision(em(), manager, mario!.id);
    expect(confirmed).toMatchObject({
      status: 'REJECTED',
      decisionReason: 'Non residente.',
      decidedBy: manager.personId,
    });
    expect((await footprint(mario!)).messages).toBeGreaterThan(before.messages!);
    const timeline = await suite.services.applications.timeline(em(), confirmed);
    expect(timeline.slice(-2).map((e) => [e.kind, e.fromStatus, e.toStatus])).toEqual([
      ['DECISION_PROPOSED', 'SUBMITTED', 'PENDING_APPROVAL'],
      ['REJECTED', 'PENDING_APPROVAL', 'REJECTED'],
    ]);
    // The applicant's timeline never shows that the decision waited: from IN_REVIEW, as `status`.
    const timelineQuery = `query ($id: ID!) { application(id: $id) { status
      timeline { kind fromStatus toStatus } } }`;
    const decided = await suite.run(timelineQuery, { id: mario!.id }, marioCitizen);
    expect(decided.errors).toBeUndefined();
    const applicantView = decided.data!.application as {
      timeline: { kind: string; fromStatus: string | null; toStatus: string | null }[];
    };
    expect(applicantView.timeline.at(-1)).toEqual({
      kind: 'REJECTED',
      fromStatus: 'IN_REVIEW',
      toStatus: 'REJECTED',
    });
    expect(JSON.stringify(applicantView.timeline)).not.toContain('PENDING_APPROVAL');
    // Staff still see the second approval as it happened.
    const staffView = (await suite.run(timelineQuery, { id: mario!.id }, manager)).data!
      .application as { timeline: { kind: string; fromStatus: string | null }[] };
    expect(staffView.timeline.at(-1)).toMatchObject({
      kind: 'REJECTED',
      fromStatus: 'PENDING_APPROVAL',
    });
  });

  it('an approval above the limit waits; below it, and a MANAGER’s own decisions, apply at once', async () => {
    await setPolicy(true, LIMIT);
    const [mario, sara] = await campaignWith(citizen(CF.mario), citizen(CF.sara));
    const before = await footprint(mario!);
    const above = await cases().decide(em(), operator, mario!.id, true, null);
    expect(above.status).toBe('PENDING_APPROVAL');
    expect(await footprint(mario!)).toEqual(before);
    expect((await cases().decide(em(), operator, sara!.id, true, null)).status).toBe('APPROVED');
    const confirmed = await cases().confirmDecision(em(), manager, mario!.id);
    expect(confirmed.status).toBe('APPROVED');
    expect(await cases().committedCents(em(), mario!.campaignId)).toBe(before.committed + 50_000);
    // A MANAGER's rejection applies at once.
    const [rosa] = await campaignWith(citizen(CF.rosa));
    expect((await cases().decide(em(), manager, rosa!.id, false, 'No.')).status).toBe('REJECTED');
    await setPolicy(false, null);
  });

  it('a MANAGER sends a proposal back (reason mandatory): IN_REVIEW, nothing else changes', async () => {
    await setPolicy(true, null);
    const [mario] = await campaignWith(citizen(CF.mario));
    await cases().decide(em(), operator, mario!.id, false, 'Reddito troppo alto.');
    const before = await footprint(mario!);
    expect(
      (await caught(() => cases().returnDecision(em(), manager, mario!.id, ' '))).fields.map(
        (f) => f.field,
      ),
    ).toEqual(['reason']);
    expect(
      (await caught(() => cases().returnDecision(em(), operator, mario!.id, 'Rivedere.'))).code,
    ).toBe('FORBIDDEN');
    const back = await cases().returnDecision(em(), manager, mario!.id, 'Rivedere l’ISEE.');
    expect(back.status).toBe('IN_REVIEW');
    expect(await footprint(mario!)).toEqual(before);
    expect(await cases().pendingDecision(em(), back)).toBeNull();
    expect((await caught(() => cases().confirmDecision(em(), manager, mario!.id))).code).toBe(
      'CONFLICT',
    );
    await setPolicy(false, null);
  });

  it('bulk approval sends the applications above the limit to the MANAGER; the worklist counts them', async () => {
    await setPolicy(true, LIMIT);
    const [mario, sara] = await campaignWith(citizen(CF.mario), citizen(CF.sara));
    const waitingBefore = (await suite.services.worklist.worklist(em(), operator, COMUNE_A))
      .decisionsToConfirm;
    const result = await cases().bulkApprove(em(), operator, [mario!.id, sara!.id]);
    expect(result.approved.map((a) => a.id)).toEqual([sara!.id]);
    expect(result.pendingApproval.map((a) => a.id)).toEqual([mario!.id]);
    expect(result.notFunded).toEqual([]);
    expect(await statusOf(mario!.id)).toBe('PENDING_APPROVAL');
    const worklist = await suite.services.worklist.worklist(em(), manager, COMUNE_A);
    expect(worklist.decisionsToConfirm).toBe(waitingBefore + 1);
    const queue = await cases().queue(em(), manager, COMUNE_A, { statuses: ['PENDING_APPROVAL'] });
    expect(queue.nodes.map((a) => a.id)).toContain(mario!.id);
    expect(queue.nodes.every((a) => a.status === 'PENDING_APPROVAL')).toBe(true);
    await cases().returnDecision(em(), manager, mario!.id, 'Rivedere.');
    await setPolicy(false, null);
  });

  it('two MANAGERs confirming at once apply the decision once', async () => {
    await setPolicy(true, null);
    const [mario] = await campaignWith(citizen(CF.mario));
    await cases().decide(em(), operator, mario!.id, false, 'Doppia domanda.');
    const before = await footprint(mario!);
    const outcomes = await Promise.allSettled([
      cases().confirmDecision(em(), manager, mario!.id),
      cases().confirmDecision(em(), otherManager, mario!.id),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as { code: string }).code).toBe('CONFLICT');
    expect(await statusOf(mario!.id)).toBe('REJECTED');
    const [decisions] = await sql<{ n: number }>(
      `select count(*)::int as n from "public_welfare"."case_event"
        where application_id = ? and kind = 'REJECTED'`,
      [mario!.id],
    );
    expect(decisions!.n).toBe(1);
    // One DECISION message per channel, as a direct rejection sends.
    const after = await footprint(mario!);
    const [direct] = await campaignWith(citizen(CF.sara));
    await setPolicy(false, null);
    const directBefore = (await footprint(direct!)).messages!;
    await cases().decide(em(), manager, direct!.id, false, 'No.');
    expect(after.messages! - before.messages!).toBe(
      (await footprint(direct!)).messages! - directBefore,
    );
  });
});
