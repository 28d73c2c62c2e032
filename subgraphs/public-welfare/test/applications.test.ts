import { randomUUID } from 'node:crypto';
import type { PersonCaller } from '@welfare/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { CITIZEN_PRIVACY_NOTICE_VERSION } from '../src/modules/application/privacy-notice.js';
import { PDF, campaignInput, LASTING_INCOME } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import { COMUNE_A, COMUNE_B, caught, setupSuite, staff, type Suite } from './helpers.js';

let suite: Suite;
const operator = staff(COMUNE_A);
const manager = staff(COMUNE_A, 'MANAGER');
const operatorB = staff(COMUNE_B);

/** A citizen logged in with SPID: a person with a codice fiscale and no membership. */
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
const mario = citizen(CF.mario);
const anna = citizen(CF.anna);
const rosa = citizen(CF.rosa);
const pietro = citizen(CF.pietro);
const sara = citizen(CF.sara);
const carla = citizen(CF.carla);

const em = () => suite.orm.em.fork();

async function publishedCampaign(
  overrides: Parameters<typeof campaignInput>[1] = {},
): Promise<Campaign> {
  const draft = await suite.services.campaigns.create(
    em(),
    operator,
    campaignInput(COMUNE_A, overrides),
  );
  return suite.services.campaigns.publish(em(), manager, draft.id);
}

const draftInput = (campaignId: string, extra: Record<string, unknown> = {}) => ({
  campaignId,
  privacyNoticeAcknowledged: true,
  email: 'mario@example.org',
  phone: '+393331234567',
  notes: null,
  acceptedDeclarations: ['TRUE'],
  ...extra,
});

/** Draft, document and submission of `who` to `campaign`. */
async function apply(who: PersonCaller, campaign: Campaign) {
  const draft = await suite.services.applications.saveDraft(em(), who, draftInput(campaign.id));
  await suite.services.applications.addDocument(em(), who, draft.id, {
    code: 'ID',
    fileName: 'carta.pdf',
    content: PDF,
  });
  return suite.services.applications.submit(em(), who, draft.id);
}

beforeAll(async () => {
  suite = await setupSuite('applications');
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
});
afterAll(() => suite.close());

describe('applying', () => {
  it('prefills from the registry, saves a resumable draft and submits with checks, protocol and notice', async () => {
    const campaign = await publishedCampaign();
    const auditBefore = await suite.count('audit_event', COMUNE_A);
    const prefill = await suite.services.applications.prefill(em(), mario, campaign.id);
    expect(prefill.household?.code).toBe('F001');
    expect(prefill.members).toHaveLength(3);
    expect(prefill.iseeCents).toBe(1_234_567);
    expect(prefill.amountCents).toBe(30_000);
    expect(prefill.checks.every((c) => c.passed)).toBe(true);
    expect(await suite.count('audit_event', COMUNE_A)).toBe(auditBefore + 1);

    const first = await suite.services.applications.saveDraft(
      em(),
      mario,
      draftInput(campaign.id, { notes: 'prima' }),
    );
    const resumed = await suite.services.applications.saveDraft(
      em(),
      mario,
      draftInput(campaign.id, { notes: 'seconda' }),
    );
    expect(resumed.id).toBe(first.id);
    expect(resumed.answers.notes).toBe('seconda');
    expect((await suite.services.applications.prefill(em(), mario, campaign.id)).existing?.id).toBe(
      first.id,
    );

    // Missing document: refused with the document's field, nothing submitted.
    const missing = await caught(() => suite.services.applications.submit(em(), mario, first.id));
    expect(missing.code).toBe('BAD_USER_INPUT');
    expect(missing.fields.map((f) => f.field)).toEqual(['documents.ID']);
    expect((await suite.services.applications.get(em(), mario, first.id))?.status).toBe('DRAFT');

    await suite.services.applications.addDocument(em(), mario, first.id, {
      code: 'ID',
      fileName: 'ci.pdf',
      content: PDF,
    });
    const submitted = await suite.services.applications.submit(em(), mario, first.id);
    expect(submitted.status).toBe('SUBMITTED');
    expect(submitted.protocolNumber).toMatch(/^\d{4}\/\d{6}$/);
    expect(submitted.amountCents).toBe(30_000);
    expect(submitted.checks.map((c) => [c.code, c.passed])).toEqual([
      ['WINDOW', true],
      ['RESIDENCY', true],
      ['ISEE', true],
      ['ONE_PER_HOUSEHOLD', true],
      ['DOCUMENTS', true],
      ['DECLARATIONS', true],
    ]);
    expect(submitted.dueBy).not.toBeNull();
    // Idempotent: a second submission returns the same application and protocol.
    const again = await suite.services.applications.submit(em(), mario, first.id);
    expect(again.protocolNumber).toBe(submitted.protocolNumber);
    // The notice: portal, email and SMS, once.
    const messages = await em()
      .getConnection()
      .execute<{ channel: string }[]>(
        `select channel from public_welfare.message where application_id = ? and template = 'APPLICATION_RECEIVED' order by channel`,
        [first.id],
      );
    expect(messages.map((m) => m.channel)).toEqual(['EMAIL', 'PORTAL', 'SMS']);
    const timeline = await suite.services.applications.timeline(em(), submitted);
    expect(timeline.map((e) => e.kind)).toEqual([
      'DRAFT_CREATED',
      'DOCUMENT_UPLOADED',
      'SUBMITTED',
      'CHECKS_RUN',
    ]);
    expect((await suite.services.applications.mine(em(), mario)).map((a) => a.id)).toContain(
      first.id,
    );
    // Another citizen does not see it.
    expect(await suite.services.applications.get(em(), sara, first.id)).toBeNull();
  });

  it('refuses bad input field by field and writes nothing', async () => {
    const campaign = await publishedCampaign();
    const before = await suite.count('application');
    const err = await caught(() =>
      suite.services.applications.saveDraft(
        em(),
        sara,
        draftInput(campaign.id, {
          privacyNoticeAcknowledged: false,
          email: 'not-an-email',
          phone: '12',
          acceptedDeclarations: ['NOPE'],
        }),
      ),
    );
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.fields.map((f) => f.field).sort()).toEqual([
      'acceptedDeclarations',
      'email',
      'phone',
      'privacyNoticeAcknowledged',
    ]);
    expect(await suite.count('application')).toBe(before);

    const draft = await suite.services.applications.saveDraft(
      em(),
      sara,
      draftInput(campaign.id, { acceptedDeclarations: [] }),
    );
    const docsBefore = await suite.count('application_document');
    const wrongType = await caught(() =>
      suite.services.applications.addDocument(em(), sara, draft.id, {
        code: 'ID',
        fileName: 'finto.pdf',
        content: Buffer.from('just text pretending to be a PDF'),
      }),
    );
    expect(wrongType.fields.map((f) => f.field)).toEqual(['file']);
    const tooBig = await caught(() =>
      suite.services.applications.addDocument(em(), sara, draft.id, {
        code: 'ID',
        fileName: 'big.pdf',
        content: Buffer.concat([PDF, Buffer.alloc(6 * 1024 * 1024)]),
      }),
    );
    expect(tooBig.fields.map((f) => f.field)).toEqual(['file']);
    const wrongCode = await caught(() =>
      suite.services.applications.addDocument(em(), sara, draft.id, {
        code: 'OTHER',
        fileName: 'a.pdf',
        content: PDF,
      }),
    );
    expect(wrongCode.fields.map((f) => f.field)).toEqual(['code']);
    expect(await suite.count('application_document')).toBe(docsBefore);
    await suite.services.applications.addDocument(em(), sara, draft.id, {
      code: 'ID',
      fileName: 'a.pdf',
      content: PDF,
    });
    const noDeclaration = await caught(() =>
      suite.services.applications.submit(em(), sara, draft.id),
    );
    expect(noDeclaration.fields.map((f) => f.field)).toEqual(['acceptedDeclarations']);
    expect((await suite.services.applications.get(em(), sara, draft.id))?.status).toBe('DRAFT');
  });

  it('records who acknowledged which version of the privacy notice, and when (no consent asked)', async () => {
    const campaign = await publishedCampaign();
    const before = Date.now();
    const draft = await suite.services.applications.saveDraft(em(), anna, draftInput(campaign.id));
    const stored = async (id: string) =>
      suite.orm.em
        .fork()
        .getConnection()
        .execute<{ version: string; by: string; at: string | Date }[]>(
          `select privacy_notice_version as version, privacy_notice_acknowledged_by as by, privacy_notice_acknowledged_at as at from public_welfare.application where id = ?`,
          [id],
        );
    const [first] = await stored(draft.id);
    expect(first?.version).toBe(CITIZEN_PRIVACY_NOTICE_VERSION);
    expect(first?.by).toBe(anna.personId);
    expect(new Date(first!.at).getTime()).toBeGreaterThanOrEqual(before - 1000);
    // Saving the draft again keeps the first acknowledgement of this version.
    await suite.services.applications.saveDraft(
      em(),
      anna,
      draftInput(campaign.id, { notes: 'Ancora io' }),
    );
    expect(await stored(draft.id)).toEqual([first]);
    // An operator applying on a citizen's behalf acknowledges it for them: the operator is recorded.
    const forGino = await suite.services.applications.saveDraft(
      em(),
      operator,
      draftInput(campaign.id, { onBehalfOf: CF.gino }),
    );
    expect((await stored(forGino.id))[0]?.by).toBe(operator.personId);
  });

  it('stores failed checks: not resident, no ISEE', async () => {
    const campaign = await publishedCampaign();
    const submitted = await apply(carla, campaign);
    const failed = submitted.checks.filter((c) => !c.passed).map((c) => c.code);
    expect(failed).toEqual(['RESIDENCY', 'ISEE']);
    expect(submitted.status).toBe('SUBMITTED');
  });

  it('takes one application per household, also when two members submit at the same time', async () => {
    const campaign = await publishedCampaign();
    const [a, b] = await Promise.all([
      suite.services.applications.saveDraft(em(), rosa, draftInput(campaign.id)),
      suite.services.applications.saveDraft(em(), pietro, draftInput(campaign.id)),
    ]);
    for (const [who, draft] of [
      [rosa, a],
      [pietro, b],
    ] as const) {
      await suite.services.applications.addDocument(em(), who, draft.id, {
        code: 'ID',
        fileName: 'x.pdf',
        content: PDF,
      });
    }
    const outcomes = await Promise.allSettled([
      suite.services.applications.submit(em(), rosa, a.id),
      suite.services.applications.submit(em(), pietro, b.id),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: 'CONFLICT' });
    const live = await em()
      .getConnection()
      .execute<{ n: number }[]>(
        `select count(*)::int as n from public_welfare.application where campaign_id = ? and status = 'SUBMITTED'`,
        [campaign.id],
      );
    expect(live[0]!.n).toBe(1);
  });

  it('gives one protocol number when the same application is submitted twice at once', async () => {
    const campaign = await publishedCampaign();
    const draft = await suite.services.applications.saveDraft(em(), anna, draftInput(campaign.id));
    await suite.services.applications.addDocument(em(), anna, draft.id, {
      code: 'ID',
      fileName: 'x.pdf',
      content: PDF,
    });
    const counterBefore = await em()
      .getConnection()
      .execute<{ last: number }[]>(
        `select coalesce(max(last), 0) as last from public_welfare.protocol_counter where comune_id = ?`,
        [COMUNE_A],
      );
    const results = await Promise.all(
      Array.from({ length: 5 }, () => suite.services.applications.submit(em(), anna, draft.id)),
    );
    expect(new Set(results.map((r) => r.protocolNumber)).size).toBe(1);
    const counterAfter = await em()
      .getConnection()
      .execute<{ last: number }[]>(
        `select max(last) as last from public_welfare.protocol_counter where comune_id = ?`,
        [COMUNE_A],
      );
    expect(counterAfter[0]!.last).toBe(counterBefore[0]!.last + 1);
    const events = await em()
      .getConnection()
      .execute<{ n: number }[]>(
        `select count(*)::int as n from public_welfare.case_event where application_id = ? and kind = 'SUBMITTED'`,
        [draft.id],
      );
    expect(events[0]!.n).toBe(1);
  });

  it('refuses applications outside the window and to drafts', async () => {
    const future = await publishedCampaign({
      applicationsOpenAt: new Date(Date.now() + 86_400_000),
      applicationsCloseAt: new Date(Date.now() + 2 * 86_400_000),
    });
    expect(
      (
        await caught(() =>
          suite.services.applications.saveDraft(em(), mario, draftInput(future.id)),
        )
      ).code,
    ).toBe('CONFLICT');
    const draftCampaign = await suite.services.campaigns.create(
      em(),
      operator,
      campaignInput(COMUNE_A),
    );
    expect(
      (
        await caught(() =>
          suite.services.applications.saveDraft(em(), mario, draftInput(draftCampaign.id)),
        )
      ).code,
    ).toBe('NOT_FOUND');
  });

  it('lets staff apply on a citizen’s behalf (recorded), never for another Comune', async () => {
    const campaign = await publishedCampaign();
    const draft = await suite.services.applications.saveDraft(
      em(),
      operator,
      draftInput(campaign.id, { onBehalfOf: CF.gino }),
    );
    expect(draft.onBehalf).toBe(true);
    expect(draft.createdBy).toBe(operator.personId);
    expect(suite.services.applications.applicantFiscalCode(draft)).toBe(CF.gino);
    expect(
      (
        await caught(() =>
          suite.services.applications.saveDraft(
            em(),
            operatorB,
            draftInput(campaign.id, { onBehalfOf: CF.luca }),
          ),
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await caught(() =>
          suite.services.applications.saveDraft(
            em(),
            operator,
            draftInput(campaign.id, { onBehalfOf: 'XXXXXX00X00X000X' }),
          ),
        )
      ).fields.map((f) => f.field),
    ).toEqual(['onBehalfOf']);
    // Staff without a codice fiscale cannot apply for themselves.
    expect(
      (
        await caught(() =>
          suite.services.applications.saveDraft(em(), operator, draftInput(campaign.id)),
        )
      ).code,
    ).toBe('FORBIDDEN');
  });
});

describe('case handling', () => {
  it('integration request, citizen resubmission, approval: statuses, messages and a complete timeline', async () => {
    const campaign = await publishedCampaign({ budgetCents: 1_000_000 });
    const submitted = await apply(mario, campaign);
    const queue = await suite.services.cases.queue(em(), operator, COMUNE_A, {
      campaignId: campaign.id,
    });
    expect(queue.nodes.map((a) => a.id)).toEqual([submitted.id]);
    const reviewing = await suite.services.cases.startReview(em(), operator, submitted.id);
    expect(reviewing).toMatchObject({ status: 'IN_REVIEW', assignedTo: operator.personId });
    expect(
      (
        await caught(() =>
          suite.services.cases.requestIntegration(em(), operator, submitted.id, '  '),
        )
      ).fields.map((f) => f.field),
    ).toEqual(['reason']);
    const waiting = await suite.services.cases.requestIntegration(
      em(),
      operator,
      submitted.id,
      'Allegare il contratto di affitto.',
    );
    expect(waiting.status).toBe('NEEDS_INTEGRATION');
    await suite.services.applications.addDocument(em(), mario, submitted.id, {
      code: 'ID',
      fileName: 'contratto.pdf',
      content: PDF,
    });
    const back = await suite.services.applications.resubmit(em(), mario, submitted.id, 'Allegato.');
    expect(back.status).toBe('IN_REVIEW');
    const rejectNoReason = await caught(() =>
      suite.services.cases.decide(em(), operator, submitted.id, false, ''),
    );
    expect(rejectNoReason.fields.map((f) => f.field)).toEqual(['reason']);
    const approved = await suite.services.cases.decide(em(), operator, submitted.id, true, null);
    expect(approved).toMatchObject({ status: 'APPROVED', amountCents: 30_000 });
    const timeline = await suite.services.applications.timeline(em(), approved);
    expect(timeline.map((e) => [e.kind, e.actorRole, e.toStatus])).toEqual([
      ['DRAFT_CREATED', 'CITIZEN', null],
      ['DOCUMENT_UPLOADED', 'CITIZEN', null],
      ['SUBMITTED', 'CITIZEN', 'SUBMITTED'],
      ['CHECKS_RUN', 'SYSTEM', null],
      ['REVIEW_STARTED', 'OPERATOR', 'IN_REVIEW'],
      ['INTEGRATION_REQUESTED', 'OPERATOR', 'NEEDS_INTEGRATION'],
      ['DOCUMENT_UPLOADED', 'CITIZEN', null],
      ['INTEGRATION_SUBMITTED', 'CITIZEN', 'IN_REVIEW'],
      ['APPROVED', 'OPERATOR', 'APPROVED'],
    ]);
    expect(timeline.find((e) => e.kind === 'INTEGRATION_REQUESTED')?.note).toBe(
      'Allegare il contratto di affitto.',
    );
    const templates = await em()
      .getConnection()
      .execute<{ template: string }[]>(
        `select distinct template from public_welfare.message where application_id = ? order by template`,
        [submitted.id],
      );
    expect(templates.map((t) => t.template)).toEqual([
      'APPLICATION_RECEIVED',
      'DECISION',
      'INTEGRATION_REQUESTED',
    ]);
    // A staff read of the case is audited; the applicant's is not.
    const before = await suite.count('audit_event', COMUNE_A);
    await suite.services.applications.get(em(), operator, submitted.id);
    expect(await suite.count('audit_event', COMUNE_A)).toBe(before + 1);
    await suite.services.applications.get(em(), mario, submitted.id);
    expect(await suite.count('audit_event', COMUNE_A)).toBe(before + 1);
    // The timeline is append-only in the database.
    await expect(
      em()
        .getConnection()
        .execute(`update public_welfare.case_event set note = 'x' where application_id = ?`, [
          submitted.id,
        ]),
    ).rejects.toThrow(/append-only/);
  });

  it('keeps Comune B out of Comune A cases, for every operation', async () => {
    const campaign = await publishedCampaign();
    const submitted = await apply(sara, campaign);
    const c = suite.services.cases;
    expect((await caught(() => c.queue(em(), operatorB, COMUNE_A))).code).toBe('FORBIDDEN');
    expect(await suite.services.applications.get(em(), operatorB, submitted.id)).toBeNull();
    for (const op of [
      () => c.assign(em(), operatorB, submitted.id),
      () => c.startReview(em(), operatorB, submitted.id),
      () => c.requestIntegration(em(), operatorB, submitted.id, 'x'),
      () => c.decide(em(), operatorB, submitted.id, true, null),
      () => c.decide(em(), operatorB, submitted.id, false, 'no'),
      () => c.bulkApprove(em(), operatorB, [submitted.id]),
    ]) {
      expect((await caught(op)).code).toBe('FORBIDDEN');
    }
    for (const op of [
      () => suite.services.applications.withdraw(em(), operatorB, submitted.id),
      () =>
        suite.services.applications.addDocument(em(), operatorB, submitted.id, {
          code: 'ID',
          fileName: 'a.pdf',
          content: PDF,
        }),
    ]) {
      expect((await caught(op)).code).toBe('NOT_FOUND');
    }
    const after = await suite.services.applications.get(em(), operator, submitted.id);
    expect(after).toMatchObject({ status: 'SUBMITTED', assignedTo: null });
  });

  it('never approves beyond the budget, even with concurrent decisions', async () => {
    // 3 households apply for 30,000 / 20,000 / 30,000 (F001, F003, F004); budget 50,000.
    const campaign = await publishedCampaign({
      budgetCents: 50_000,
      rules: {
        requireResidency: false,
        iseeThresholds: [],
        minSize: null,
        maxSize: null,
        excludePublicSupport: false,
      },
    });
    const apps = [
      await apply(mario, campaign),
      await apply(sara, campaign),
      await apply(carla, campaign),
    ];
    await Promise.all(
      apps.map((a) => suite.services.cases.decide(em(), operator, a.id, true, null)),
    );
    const rows = await em()
      .getConnection()
      .execute<{ status: string; amount_cents: string }[]>(
        `select status, amount_cents from public_welfare.application where campaign_id = ?`,
        [campaign.id],
      );
    const approved = rows
      .filter((r) => r.status === 'APPROVED')
      .reduce((s, r) => s + Number(r.amount_cents), 0);
    expect(approved).toBeLessThanOrEqual(50_000);
    expect(rows.filter((r) => r.status === 'ELIGIBLE_NOT_FUNDED').length).toBeGreaterThan(0);
  });

  it('bulk-approves checked applications and skips the others with a reason', async () => {
    const campaign = await publishedCampaign({ budgetCents: 1_000_000 });
    const good = await apply(mario, campaign);
    const failing = await apply(carla, campaign);
    const result = await suite.services.cases.bulkApprove(em(), operator, [good.id, failing.id]);
    expect(result.approved.map((a) => a.id)).toEqual([good.id]);
    expect(result.skipped.map((s) => s.id)).toEqual([failing.id]);
    expect((await suite.services.applications.get(em(), operator, failing.id))?.status).toBe(
      'SUBMITTED',
    );
  });

  it('ranks by the criteria, funds in order, and re-ranks when the budget grows', async () => {
    const campaign = await publishedCampaign({ budgetCents: 1_000_000 });
    const m = await apply(mario, campaign); // ISEE 12,345.67, 30,000
    const s = await apply(sara, campaign); // ISEE 4,500.50, 20,000
    await suite.services.cases.bulkApprove(em(), operator, [m.id, s.id]);
    await suite.services.cases.setBudget(em(), manager, campaign.id, 50_000);
    expect(
      (
        await caught(() => suite.services.cases.setBudget(em(), manager, campaign.id, 10_000))
      ).fields.map((f) => f.field),
    ).toEqual(['budgetCents']);
    expect((await caught(() => suite.services.cases.rank(em(), operator, campaign.id))).code).toBe(
      'FORBIDDEN',
    );
    // Before a ranking the budget cannot go below what approvals hold; the ranking decides after.
    expect(await suite.services.cases.ranking(em(), operator, campaign.id)).toBeNull();
    const ranked = await suite.services.cases.rank(em(), manager, campaign.id);
    expect(ranked.rankedAt).not.toBeNull();
    await suite.services.cases.setBudget(em(), manager, campaign.id, 49_999);
    const rows = (await suite.services.cases.ranking(em(), operator, campaign.id))!;
    expect(rows.map((r) => [r.application.id, r.rank, r.funded])).toEqual([
      [s.id, 1, true],
      [m.id, 2, false],
    ]);
    expect((await suite.services.applications.get(em(), mario, m.id))?.status).toBe(
      'ELIGIBLE_NOT_FUNDED',
    );
    await suite.services.cases.setBudget(em(), manager, campaign.id, 50_000);
    const grown = (await suite.services.cases.ranking(em(), operator, campaign.id))!;
    expect(grown.map((r) => r.funded)).toEqual([true, true]);
    expect((await suite.services.applications.get(em(), mario, m.id))?.status).toBe('APPROVED');
  });
});

describe('inviting a segment to apply', () => {
  it('writes one personal-area message per head of household, once per campaign, in each one’s language', async () => {
    const campaign = await publishedCampaign();
    // Sara chose English; Mario chose nothing (Italian).
    await suite.services.messageQueries.setLanguage(em(), sara, 'en');
    const segment = await suite.services.segments.save(em(), operator, {
      comuneId: COMUNE_A,
      name: `Con minori ${randomUUID()}`,
      filter: { hasMinors: true },
    });
    const first = await suite.services.segments.invite(em(), operator, segment.id, campaign.id);
    expect(first).toEqual({ households: 2, invited: 2 });
    const again = await suite.services.segments.invite(em(), operator, segment.id, campaign.id);
    expect(again).toEqual({ households: 2, invited: 0 });
    const rows = await em()
      .getConnection()
      .execute<{ recipient: string; channel: string; language: string; subject: string }[]>(
        `select recipient, channel, language, subject from public_welfare.message where campaign_id = ? and template = 'INVITATION'`,
        [campaign.id],
      );
    const hash = (cf: string) => suite.services.applications.fiscalCodeHash(cf);
    expect(rows.map((r) => r.recipient).sort()).toEqual([hash(CF.mario), hash(CF.sara)].sort());
    expect(rows.every((r) => r.channel === 'PORTAL')).toBe(true);
    const byRecipient = new Map(rows.map((r) => [r.recipient, r]));
    expect(byRecipient.get(hash(CF.sara))).toMatchObject({
      language: 'en',
      subject: `You may apply for “${campaign.title}”`,
    });
    expect(byRecipient.get(hash(CF.mario))).toMatchObject({
      language: 'it',
      subject: `Può presentare domanda per «${campaign.title}»`,
    });
    await suite.services.messageQueries.setLanguage(em(), sara, 'it');
  });

  it('refuses another Comune, unknown ids and campaigns not open', async () => {
    const campaign = await publishedCampaign();
    const segment = await suite.services.segments.save(em(), operator, {
      comuneId: COMUNE_A,
      name: `Tutti ${randomUUID()}`,
      filter: {},
    });
    const before = await suite.count('message');
    expect(
      (await caught(() => suite.services.segments.invite(em(), operatorB, segment.id, campaign.id)))
        .code,
    ).toBe('FORBIDDEN');
    expect(
      (await caught(() => suite.services.segments.invite(em(), operator, segment.id, randomUUID())))
        .code,
    ).toBe('NOT_FOUND');
    const draft = await suite.services.campaigns.create(em(), operator, campaignInput(COMUNE_A));
    expect(
      (await caught(() => suite.services.segments.invite(em(), operator, segment.id, draft.id)))
        .code,
    ).toBe('CONFLICT');
    expect(await suite.count('message')).toBe(before);
  });
});

describe('submission with a stale copy in memory', () => {
  it('returns the submitted application instead of submitting it again', async () => {
    const campaign = await publishedCampaign();
    const draft = await suite.services.applications.saveDraft(em(), rosa, draftInput(campaign.id));
    await suite.services.applications.addDocument(em(), rosa, draft.id, {
      code: 'ID',
      fileName: 'x.pdf',
      content: PDF,
    });
    const stale = em();
    await suite.services.applications.forApplicant(stale, rosa, draft.id); // loads the DRAFT
    const first = await suite.services.applications.submit(em(), rosa, draft.id);
    const second = await suite.services.applications.submit(stale, rosa, draft.id);
    expect(second.protocolNumber).toBe(first.protocolNumber);
    expect(second.status).toBe('SUBMITTED');
  });
});

describe('due-by date', () => {
  it('moves by the days an integration request kept the application waiting', async () => {
    const campaign = await publishedCampaign({ decisionDays: 10 });
    const submitted = await apply(anna, campaign);
    const due = submitted.dueBy!;
    await suite.services.cases.requestIntegration(
      em(),
      operator,
      submitted.id,
      'Serve la busta paga.',
    );
    // Three days pass while the applicant gathers the document.
    await em()
      .getConnection()
      .execute(`alter table public_welfare.case_event disable trigger case_event_no_update_delete`);
    await em()
      .getConnection()
      .execute(
        `update public_welfare.case_event set "at" = "at" - interval '3 days' where application_id = ? and kind = 'INTEGRATION_REQUESTED'`,
        [submitted.id],
      );
    await em()
      .getConnection()
      .execute(`alter table public_welfare.case_event enable trigger case_event_no_update_delete`);
    const back = await suite.services.applications.resubmit(em(), anna, submitted.id, null);
    const expected = new Date(Date.parse(`${due}T00:00:00Z`) + 3 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect(back.dueBy).toBe(expected);
    const timeline = await suite.services.applications.timeline(em(), back);
    expect(timeline.at(-1)?.changes).toEqual({ dueBy: [due, expected] });
  });
});

describe('withdrawal', () => {
  it('withdraws a draft or a submitted application; a new draft can follow', async () => {
    const campaign = await publishedCampaign();
    const draft = await suite.services.applications.saveDraft(
      em(),
      pietro,
      draftInput(campaign.id),
    );
    const withdrawn = await suite.services.applications.withdraw(em(), pietro, draft.id);
    expect(withdrawn.status).toBe('WITHDRAWN');
    const next = await suite.services.applications.saveDraft(em(), pietro, draftInput(campaign.id));
    expect(next.id).not.toBe(draft.id);
    await suite.services.applications.addDocument(em(), pietro, next.id, {
      code: 'ID',
      fileName: 'x.pdf',
      content: PDF,
    });
    await suite.services.applications.submit(em(), pietro, next.id);
    expect((await suite.services.applications.withdraw(em(), pietro, next.id)).status).toBe(
      'WITHDRAWN',
    );
    expect(
      (await caught(() => suite.services.applications.withdraw(em(), operatorB, next.id))).code,
    ).toBe('NOT_FOUND');
  });
});
