import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionResult } from 'graphql';
import {
  ADMIN,
  ANONYMOUS,
  CITIZEN,
  COMUNE_A,
  COMUNE_B,
  PROVIDER_P,
  PROVIDER_Q,
  PROVIDER_R,
  SERVICE,
  errorCode,
  errorFields,
  member,
  setupSuite,
  type Suite,
} from './helpers.js';

/** The suite's clock: moved by the tests (expiry dates are days in Europe/Rome). */
let clock = new Date('2026-06-15T10:00:00Z');
let suite: Suite;
beforeAll(async () => {
  suite = await setupSuite('accreditation', { now: () => clock, maxDocumentBytes: 4096 });
});
afterAll(() => suite?.close());

const managerA = member(COMUNE_A, 'COMUNE', 'MANAGER');
const operatorA = member(COMUNE_A, 'COMUNE', 'OPERATOR');
const managerB = member(COMUNE_B, 'COMUNE', 'MANAGER');
const operatorB = member(COMUNE_B, 'COMUNE', 'OPERATOR');
const adminP = member(PROVIDER_P, 'COOPERATIVE', 'ADMIN');
const tutorP = member(PROVIDER_P, 'COOPERATIVE', 'TUTOR');
const adminQ = member(PROVIDER_Q, 'ASSOCIATION', 'ADMIN');
const adminR = member(PROVIDER_R, 'COOPERATIVE', 'ADMIN');
/** An OWNER of a MERCHANT whose id happens to be P's: not a provider. */
const merchantP = member(PROVIDER_P, 'MERCHANT', 'OWNER');

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n', 'latin1');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

const REQUEST_FIELDS = `id status providerId comuneId renewalOf validUntil effective integrationReason decisionReason suspensionReason
  history { kind actorRole fromStatus toStatus reason }`;

const SAVE_REQUIREMENT = `mutation($input: AccreditationRequirementInput!) {
  saveAccreditationRequirement(input: $input) { id code textIt textEn documentRequired position retiredAt inUse comune { id } } }`;
const RETIRE_REQUIREMENT = `mutation($id: ID!) { retireAccreditationRequirement(id: $id) { id retiredAt } }`;
const REQUIREMENTS = `query($comuneId: ID!, $all: Boolean) {
  accreditationRequirements(comuneId: $comuneId, includeRetired: $all) { id code documentRequired retiredAt } }`;
const START = `mutation($providerId: ID!, $comuneId: ID!) {
  startProviderAccreditation(providerId: $providerId, comuneId: $comuneId) { ${REQUEST_FIELDS} } }`;
const RENEW = `mutation($id: ID!) { renewProviderAccreditation(accreditationId: $id) { ${REQUEST_FIELDS} } }`;
const SAVE_ANSWERS = `mutation($id: ID!, $answers: [ProviderAccreditationAnswerInput!]!) {
  saveProviderAccreditationAnswers(id: $id, answers: $answers) { id status
    checklist { requirement { code } declared note documents { fileName contentType } } } }`;
const SUBMIT = `mutation($id: ID!, $answers: [ProviderAccreditationAnswerInput!]) {
  submitProviderAccreditation(id: $id, answers: $answers) { ${REQUEST_FIELDS} } }`;
const REVIEW = `mutation($id: ID!) { startProviderAccreditationReview(id: $id) { ${REQUEST_FIELDS} } }`;
const INTEGRATE = `mutation($id: ID!, $reason: String!) {
  requestProviderAccreditationIntegration(id: $id, reason: $reason) { ${REQUEST_FIELDS} } }`;
const DECIDE = `mutation($id: ID!, $input: ProviderAccreditationDecisionInput!) {
  decideProviderAccreditation(id: $id, input: $input) { ${REQUEST_FIELDS} } }`;
const SUSPEND = `mutation($id: ID!, $reason: String!) {
  suspendProviderAccreditation(id: $id, reason: $reason) { ${REQUEST_FIELDS} } }`;
const REINSTATE = `mutation($id: ID!, $reason: String!) {
  reinstateProviderAccreditation(id: $id, reason: $reason) { ${REQUEST_FIELDS} } }`;
const ONE = `query($id: ID!) { providerAccreditation(id: $id) { ${REQUEST_FIELDS} } }`;
const MINE = `query($providerId: ID!) { providerAccreditations(providerId: $providerId) { id status } }`;
const QUEUE = `query($comuneId: ID!, $filter: ProviderAccreditationQueueFilter) {
  providerAccreditationQueue(comuneId: $comuneId, filter: $filter) { totalCount items { id status provider { id } } } }`;
const ACCREDITED = `query($comuneId: ID!) {
  accreditedProviders(comuneId: $comuneId) { providerId comuneId validUntil provider { id } } }`;

interface Request {
  id: string;
  status: string;
  renewalOf: string | null;
  validUntil: string | null;
  effective: boolean;
  history: {
    kind: string;
    actorRole: string;
    fromStatus: string | null;
    toStatus: string | null;
    reason: string | null;
  }[];
}

/** The single root field of a successful result (fails the test with the errors otherwise). */
function ok<T>(result: ExecutionResult): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return Object.values(result.data ?? {})[0] as T;
}

/** Rows of every accreditation table: what "nothing written" compares. */
async function snapshot() {
  const tables = [
    'accreditation_requirement',
    'accreditation_request',
    'accreditation_answer',
    'accreditation_document',
    'accreditation_event',
  ];
  const counts = await Promise.all(tables.map((t) => suite.count(t)));
  const statuses = await suite.sql<{ id: string; status: string; version: number }>(
    'select id, status, version from "third_sector"."accreditation_request" order by id',
  );
  return { counts, statuses };
}

/** Runs each refused attempt and checks its code and that nothing was written. */
async function refused(
  attempts: {
    caller: Parameters<Suite['run']>[2];
    code: string;
    query: string;
    variables: Record<string, unknown>;
  }[],
) {
  const before = await snapshot();
  for (const attempt of attempts) {
    const result = await suite.run(attempt.query, attempt.variables, attempt.caller);
    expect(
      errorCode(result),
      `${attempt.query.slice(0, 60)} → ${JSON.stringify(result.errors)}`,
    ).toBe(attempt.code);
  }
  expect(await snapshot()).toEqual(before);
}

const requirementIds: Record<string, string> = {};
let requestId = '';

describe('the Comune’s checklist', () => {
  it('its MANAGER adds items; anyone else is refused and nothing is written', async () => {
    const input = {
      comuneId: COMUNE_A,
      code: 'iscrizione_runts',
      textIt: 'Iscrizione al RUNTS.',
      textEn: 'Registered in RUNTS.',
      documentRequired: true,
      position: 10,
    };
    await refused([
      { caller: ANONYMOUS, code: 'UNAUTHENTICATED', query: SAVE_REQUIREMENT, variables: { input } },
      { caller: SERVICE, code: 'UNAUTHENTICATED', query: SAVE_REQUIREMENT, variables: { input } },
      { caller: operatorA, code: 'FORBIDDEN', query: SAVE_REQUIREMENT, variables: { input } },
      { caller: managerB, code: 'FORBIDDEN', query: SAVE_REQUIREMENT, variables: { input } },
      { caller: adminP, code: 'FORBIDDEN', query: SAVE_REQUIREMENT, variables: { input } },
      { caller: CITIZEN, code: 'FORBIDDEN', query: SAVE_REQUIREMENT, variables: { input } },
      {
        caller: managerA,
        code: 'BAD_USER_INPUT',
        query: SAVE_REQUIREMENT,
        variables: { input: { ...input, code: 'x', textEn: ' ', position: 5000 } },
      },
    ]);
    const bad = await suite.run(
      SAVE_REQUIREMENT,
      { input: { ...input, code: 'x', textEn: ' ', position: 5000 } },
      managerA,
    );
    expect(errorFields(bad)).toEqual(['code', 'position', 'textEn']);

    const runts = ok<{ id: string; code: string; inUse: boolean; comune: { id: string } }>(
      await suite.run(SAVE_REQUIREMENT, { input }, managerA),
    );
    expect(runts).toMatchObject({
      code: 'ISCRIZIONE_RUNTS',
      inUse: false,
      comune: { id: COMUNE_A },
    });
    requirementIds.RUNTS = runts.id;
    const rc = ok<{ id: string }>(
      await suite.run(
        SAVE_REQUIREMENT,
        {
          input: {
            comuneId: COMUNE_A,
            code: 'ASSICURAZIONE_RC',
            textIt: 'Polizza RC.',
            textEn: 'Liability insurance.',
            documentRequired: false,
            position: 20,
          },
        },
        ADMIN,
      ),
    );
    requirementIds.RC = rc.id;
    // Editable while unused: the same code edits the item.
    const edited = ok<{ id: string; textIt: string }>(
      await suite.run(
        SAVE_REQUIREMENT,
        { input: { ...input, textIt: 'Iscrizione al RUNTS o all’albo.' } },
        managerA,
      ),
    );
    expect(edited).toMatchObject({ id: runts.id, textIt: 'Iscrizione al RUNTS o all’albo.' });
  });

  it('is public; retired items are listed only to the Comune’s staff; retiring is the MANAGER’s', async () => {
    const extra = ok<{ id: string }>(
      await suite.run(
        SAVE_REQUIREMENT,
        {
          input: {
            comuneId: COMUNE_A,
            code: 'VECCHIO',
            textIt: 'Requisito superato.',
            textEn: 'Outdated requirement.',
            documentRequired: false,
          },
        },
        managerA,
      ),
    );
    await refused([
      {
        caller: managerB,
        code: 'NOT_FOUND',
        query: RETIRE_REQUIREMENT,
        variables: { id: extra.id },
      },
      { caller: adminP, code: 'NOT_FOUND', query: RETIRE_REQUIREMENT, variables: { id: extra.id } },
      {
        caller: operatorA,
        code: 'FORBIDDEN',
        query: RETIRE_REQUIREMENT,
        variables: { id: extra.id },
      },
      {
        caller: ANONYMOUS,
        code: 'UNAUTHENTICATED',
        query: RETIRE_REQUIREMENT,
        variables: { id: extra.id },
      },
    ]);
    ok(await suite.run(RETIRE_REQUIREMENT, { id: extra.id }, managerA));
    const publicList = ok<{ code: string }[]>(
      await suite.run(REQUIREMENTS, { comuneId: COMUNE_A, all: true }),
    );
    expect(publicList.map((r) => r.code)).toEqual(['ISCRIZIONE_RUNTS', 'ASSICURAZIONE_RC']);
    const staffList = ok<{ code: string }[]>(
      await suite.run(REQUIREMENTS, { comuneId: COMUNE_A, all: true }, operatorA),
    );
    expect(staffList.map((r) => r.code)).toEqual([
      'VECCHIO',
      'ISCRIZIONE_RUNTS',
      'ASSICURAZIONE_RC',
    ]);
    const otherStaff = ok<{ code: string }[]>(
      await suite.run(REQUIREMENTS, { comuneId: COMUNE_A, all: true }, managerB),
    );
    expect(otherStaff).toHaveLength(2);
    const comuni = ok<{ id: string }[]>(await suite.run('{ accreditingComuni { id } }'));
    expect(comuni).toEqual([{ id: COMUNE_A }]);
  });
});

describe('a provider’s request', () => {
  it('is started by the provider’s ADMIN only, to a Comune with a checklist', async () => {
    const vars = { providerId: PROVIDER_P, comuneId: COMUNE_A };
    await refused([
      { caller: ANONYMOUS, code: 'UNAUTHENTICATED', query: START, variables: vars },
      { caller: tutorP, code: 'FORBIDDEN', query: START, variables: vars },
      { caller: adminQ, code: 'FORBIDDEN', query: START, variables: vars },
      { caller: merchantP, code: 'FORBIDDEN', query: START, variables: vars },
      { caller: managerA, code: 'FORBIDDEN', query: START, variables: vars },
      { caller: ADMIN, code: 'FORBIDDEN', query: START, variables: vars },
      {
        caller: adminP,
        code: 'BAD_USER_INPUT',
        query: START,
        variables: { ...vars, comuneId: COMUNE_B },
      },
      {
        caller: adminP,
        code: 'BAD_USER_INPUT',
        query: START,
        variables: { ...vars, comuneId: 'nope' },
      },
    ]);
    const draft = ok<Request>(await suite.run(START, vars, adminP));
    expect(draft).toMatchObject({ status: 'DRAFT', renewalOf: null, effective: false });
    expect(draft.history).toEqual([
      {
        kind: 'CREATED',
        actorRole: 'PROVIDER_ADMIN',
        fromStatus: null,
        toStatus: 'DRAFT',
        reason: null,
      },
    ]);
    requestId = draft.id;
    // A second one while it is pending: CONFLICT.
    await refused([{ caller: adminP, code: 'CONFLICT', query: START, variables: vars }]);
  });

  it('a draft is the provider’s own: the Comune does not see it yet', async () => {
    expect(ok(await suite.run(ONE, { id: requestId }, managerA))).toBeNull();
    expect(ok(await suite.run(ONE, { id: requestId }, adminQ))).toBeNull();
    expect(ok(await suite.run(ONE, { id: requestId }, ANONYMOUS))).toBeNull();
    expect(ok<Request>(await suite.run(ONE, { id: requestId }, adminP)).status).toBe('DRAFT');
    const queue = ok<{ totalCount: number }>(
      await suite.run(QUEUE, { comuneId: COMUNE_A }, managerA),
    );
    expect(queue.totalCount).toBe(0);
    await refused([
      {
        caller: managerA,
        code: 'NOT_FOUND',
        query: REVIEW,
        variables: { id: requestId },
      },
    ]);
  });

  // Over 80 lines on purpose: one table of refused calls, then one check that nothing was written.
  it('answers and documents: bad input and other tenants write nothing', async () => {
    const answers = [{ requirementId: requirementIds.RC, declared: true, note: 'Polizza n. 123' }];
    await refused([
      {
        caller: adminQ,
        code: 'NOT_FOUND',
        query: SAVE_ANSWERS,
        variables: { id: requestId, answers },
      },
      {
        caller: tutorP,
        code: 'NOT_FOUND',
        query: SAVE_ANSWERS,
        variables: { id: requestId, answers },
      },
      {
        caller: managerA,
        code: 'NOT_FOUND',
        query: SAVE_ANSWERS,
        variables: { id: requestId, answers },
      },
      {
        caller: adminP,
        code: 'BAD_USER_INPUT',
        query: SAVE_ANSWERS,
        variables: {
          id: requestId,
          answers: [...answers, { requirementId: COMUNE_B, declared: true }],
        },
      },
      {
        caller: adminP,
        code: 'BAD_USER_INPUT',
        query: SAVE_ANSWERS,
        variables: { id: requestId, answers: [{ ...answers[0], note: 'x'.repeat(2001) }] },
      },
    ]);
    const saved = ok<{
      checklist: { requirement: { code: string }; declared: boolean | null; note: string | null }[];
    }>(await suite.run(SAVE_ANSWERS, { id: requestId, answers }, adminP));
    expect(saved.checklist.map((i) => [i.requirement.code, i.declared, i.note])).toEqual([
      ['ISCRIZIONE_RUNTS', null, null],
      ['ASSICURAZIONE_RC', true, 'Polizza n. 123'],
    ]);

    const accreditations = suite.services.accreditations;
    const before = await snapshot();
    const upload = (
      caller: typeof adminP,
      content: Buffer,
      requirementId = requirementIds.RUNTS!,
    ) =>
      accreditations
        .addDocument(suite.orm.em.fork(), caller, requestId, {
          requirementId,
          fileName: 'runts.pdf',
          content,
        })
        .then(
          () => ({ code: 'OK', fields: [] as string[] }),
          (err: { code: string; fields: { field: string }[] }) => ({
            code: err.code,
            fields: err.fields.map((f) => f.field),
          }),
        );
    expect(await upload(adminQ, PDF)).toEqual({ code: 'NOT_FOUND', fields: [] });
    expect(await upload(managerA, PDF)).toEqual({ code: 'NOT_FOUND', fields: [] });
    expect(await upload(adminP, Buffer.from('just text, not a PDF'))).toEqual({
      code: 'BAD_USER_INPUT',
      fields: ['file'],
    });
    expect(await upload(adminP, Buffer.concat([PDF, Buffer.alloc(5000)]))).toEqual({
      code: 'BAD_USER_INPUT',
      fields: ['file'],
    });
    expect(await upload(adminP, PDF, COMUNE_B)).toEqual({
      code: 'BAD_USER_INPUT',
      fields: ['requirementId'],
    });
    expect(await snapshot()).toEqual(before);
    expect(await upload(adminP, PNG)).toEqual({ code: 'OK', fields: [] });
    // In a draft a new file replaces the previous one.
    expect(await upload(adminP, PDF)).toEqual({ code: 'OK', fields: [] });
    expect(await suite.count('accreditation_document')).toBe(1);
  });

  it('submission needs every item declared (and its document): field errors, nothing written', async () => {
    const before = await snapshot();
    const missing = await suite.run(SUBMIT, { id: requestId, answers: [] }, adminP);
    expect(errorCode(missing)).toBe('BAD_USER_INPUT');
    expect(errorFields(missing)).toEqual(['answers.ISCRIZIONE_RUNTS']);
    const declaredNo = await suite.run(
      SUBMIT,
      {
        id: requestId,
        answers: [{ requirementId: requirementIds.RUNTS, declared: false, note: 'in corso' }],
      },
      adminP,
    );
    expect(errorFields(declaredNo)).toEqual(['answers.ISCRIZIONE_RUNTS']);
    expect(await snapshot()).toEqual(before);
    await refused([
      { caller: adminQ, code: 'NOT_FOUND', query: SUBMIT, variables: { id: requestId } },
      { caller: managerA, code: 'NOT_FOUND', query: SUBMIT, variables: { id: requestId } },
    ]);
    const submitted = ok<Request>(
      await suite.run(
        SUBMIT,
        {
          id: requestId,
          answers: [{ requirementId: requirementIds.RUNTS, declared: true, note: 'n. 42' }],
        },
        adminP,
      ),
    );
    expect(submitted.status).toBe('SUBMITTED');
    expect(submitted.history.map((h) => h.kind)).toEqual([
      'CREATED',
      'DOCUMENT_UPLOADED',
      'DOCUMENT_UPLOADED',
      'SUBMITTED',
    ]);
    // Items in use are frozen.
    const edit = await suite.run(
      SAVE_REQUIREMENT,
      {
        input: {
          comuneId: COMUNE_A,
          code: 'ISCRIZIONE_RUNTS',
          textIt: 'Altro testo.',
          textEn: 'Other text.',
          documentRequired: true,
        },
      },
      managerA,
    );
    expect(errorCode(edit)).toBe('CONFLICT');
    // The submitted request can no longer be changed by the provider.
    await refused([
      {
        caller: adminP,
        code: 'CONFLICT',
        query: SAVE_ANSWERS,
        variables: {
          id: requestId,
          answers: [{ requirementId: requirementIds.RC, declared: false }],
        },
      },
    ]);
  });
});

describe('the Comune’s review and decision', () => {
  it('staff review and ask for an integration; the provider resubmits', async () => {
    await refused([
      { caller: operatorB, code: 'NOT_FOUND', query: REVIEW, variables: { id: requestId } },
      { caller: adminP, code: 'NOT_FOUND', query: REVIEW, variables: { id: requestId } },
      { caller: ANONYMOUS, code: 'UNAUTHENTICATED', query: REVIEW, variables: { id: requestId } },
    ]);
    expect(ok<Request>(await suite.run(REVIEW, { id: requestId }, operatorA)).status).toBe(
      'IN_REVIEW',
    );
    const reason = 'Allegare la visura aggiornata.';
    await refused([
      {
        caller: operatorA,
        code: 'BAD_USER_INPUT',
        query: INTEGRATE,
        variables: { id: requestId, reason: ' no ' },
      },
      {
        caller: managerB,
        code: 'NOT_FOUND',
        query: INTEGRATE,
        variables: { id: requestId, reason },
      },
      { caller: adminP, code: 'NOT_FOUND', query: INTEGRATE, variables: { id: requestId, reason } },
    ]);
    const asked = ok<Request & { integrationReason: string }>(
      await suite.run(INTEGRATE, { id: requestId, reason }, operatorA),
    );
    expect(asked).toMatchObject({ status: 'NEEDS_INTEGRATION', integrationReason: reason });
    expect(asked.history.at(-1)).toEqual({
      kind: 'INTEGRATION_REQUESTED',
      actorRole: 'OPERATOR',
      fromStatus: 'IN_REVIEW',
      toStatus: 'NEEDS_INTEGRATION',
      reason,
    });
    // The provider adds a file (kept beside the first) and resubmits.
    await suite.services.accreditations.addDocument(suite.orm.em.fork(), adminP, requestId, {
      requirementId: requirementIds.RUNTS!,
      fileName: 'visura.pdf',
      content: PDF,
    });
    expect(await suite.count('accreditation_document')).toBe(2);
    const again = ok<Request>(await suite.run(SUBMIT, { id: requestId }, adminP));
    expect(again.status).toBe('SUBMITTED');
    expect(again.history.at(-1)).toMatchObject({
      fromStatus: 'NEEDS_INTEGRATION',
      toStatus: 'SUBMITTED',
    });
  });

  it('only the MANAGER decides, with a reason and an expiry date after today', async () => {
    const input = {
      outcome: 'ACCREDITED',
      reason: 'Requisiti verificati.',
      validUntil: '2027-06-30',
    };
    await refused([
      { caller: operatorA, code: 'FORBIDDEN', query: DECIDE, variables: { id: requestId, input } },
      { caller: managerB, code: 'NOT_FOUND', query: DECIDE, variables: { id: requestId, input } },
      { caller: adminP, code: 'NOT_FOUND', query: DECIDE, variables: { id: requestId, input } },
      {
        caller: ANONYMOUS,
        code: 'UNAUTHENTICATED',
        query: DECIDE,
        variables: { id: requestId, input },
      },
      {
        caller: managerA,
        code: 'BAD_USER_INPUT',
        query: DECIDE,
        variables: { id: requestId, input: { ...input, validUntil: '2026-06-15' } },
      },
      {
        caller: managerA,
        code: 'BAD_USER_INPUT',
        query: DECIDE,
        variables: { id: requestId, input: { ...input, validUntil: '2026-02-30' } },
      },
      {
        caller: managerA,
        code: 'BAD_USER_INPUT',
        query: DECIDE,
        variables: { id: requestId, input: { ...input, validUntil: '2040-01-01' } },
      },
      {
        caller: managerA,
        code: 'BAD_USER_INPUT',
        query: DECIDE,
        variables: { id: requestId, input: { ...input, reason: '', validUntil: null } },
      },
    ]);
    const both = await suite.run(
      DECIDE,
      { id: requestId, input: { ...input, reason: '', validUntil: null } },
      managerA,
    );
    expect(errorFields(both)).toEqual(['reason', 'validUntil']);
    const decided = ok<Request & { decisionReason: string }>(
      await suite.run(DECIDE, { id: requestId, input }, managerA),
    );
    expect(decided).toMatchObject({
      status: 'ACCREDITED',
      validUntil: '2027-06-30',
      effective: true,
      decisionReason: 'Requisiti verificati.',
    });
    expect(decided.history.map((h) => `${h.kind}:${h.actorRole}`)).toEqual([
      'CREATED:PROVIDER_ADMIN',
      'DOCUMENT_UPLOADED:PROVIDER_ADMIN',
      'DOCUMENT_UPLOADED:PROVIDER_ADMIN',
      'SUBMITTED:PROVIDER_ADMIN',
      'REVIEW_STARTED:OPERATOR',
      'INTEGRATION_REQUESTED:OPERATOR',
      'DOCUMENT_UPLOADED:PROVIDER_ADMIN',
      'SUBMITTED:PROVIDER_ADMIN',
      'ACCREDITED:MANAGER',
    ]);
    // A decided request cannot be decided again.
    await refused([
      { caller: managerA, code: 'CONFLICT', query: DECIDE, variables: { id: requestId, input } },
    ]);
  });

  it('each side lists only its own requests', async () => {
    expect(ok<{ id: string }[]>(await suite.run(MINE, { providerId: PROVIDER_P }, adminP))).toEqual(
      [{ id: requestId, status: 'ACCREDITED' }],
    );
    for (const caller of [adminQ, tutorP, managerA, merchantP, ADMIN]) {
      expect(errorCode(await suite.run(MINE, { providerId: PROVIDER_P }, caller))).toBe(
        'FORBIDDEN',
      );
    }
    expect(errorCode(await suite.run(MINE, { providerId: PROVIDER_P }, ANONYMOUS))).toBe(
      'UNAUTHENTICATED',
    );
    const queue = ok<{ totalCount: number; items: { id: string; provider: { id: string } }[] }>(
      await suite.run(
        QUEUE,
        { comuneId: COMUNE_A, filter: { statuses: ['ACCREDITED'] } },
        operatorA,
      ),
    );
    expect(queue).toEqual({
      totalCount: 1,
      items: [{ id: requestId, status: 'ACCREDITED', provider: { id: PROVIDER_P } }],
    });
    const none = ok<{ totalCount: number }>(
      await suite.run(
        QUEUE,
        { comuneId: COMUNE_A, filter: { statuses: ['SUBMITTED'] } },
        operatorA,
      ),
    );
    expect(none.totalCount).toBe(0);
    for (const caller of [managerB, adminP, CITIZEN]) {
      expect(errorCode(await suite.run(QUEUE, { comuneId: COMUNE_A }, caller))).toBe('FORBIDDEN');
    }
    expect(
      errorCode(await suite.run(QUEUE, { comuneId: COMUNE_A, filter: { first: 0 } }, operatorA)),
    ).toBe('BAD_USER_INPUT');
    expect(ok(await suite.run(ONE, { id: requestId }, managerB))).toBeNull();
    expect(ok<Request>(await suite.run(ONE, { id: requestId }, operatorA)).status).toBe(
      'ACCREDITED',
    );
    // Documents: the provider and the Comune's staff, nobody else.
    const doc = (
      await suite.sql<{ id: string }>(
        'select id from "third_sector"."accreditation_document" limit 1',
      )
    )[0]!;
    const accreditations = suite.services.accreditations;
    expect(await accreditations.document(suite.orm.em.fork(), adminP, doc.id)).not.toBeNull();
    expect(await accreditations.document(suite.orm.em.fork(), operatorA, doc.id)).not.toBeNull();
    expect(await accreditations.document(suite.orm.em.fork(), adminQ, doc.id)).toBeNull();
    expect(await accreditations.document(suite.orm.em.fork(), managerB, doc.id)).toBeNull();
    expect(await accreditations.document(suite.orm.em.fork(), ANONYMOUS, doc.id)).toBeNull();
  });
});

describe('effective accreditation', () => {
  it('holds until the end of the expiry day in Europe/Rome', async () => {
    const accreditations = suite.services.accreditations;
    const em = () => suite.orm.em.fork();
    expect(await accreditations.isAccredited(em(), PROVIDER_P, COMUNE_A, clock)).toBe(true);
    // 23:59 in Rome (CEST, UTC+2) on the expiry day; then midnight of the next day.
    expect(
      await accreditations.isAccredited(
        em(),
        PROVIDER_P,
        COMUNE_A,
        new Date('2027-06-30T21:59:00Z'),
      ),
    ).toBe(true);
    expect(
      await accreditations.isAccredited(
        em(),
        PROVIDER_P,
        COMUNE_A,
        new Date('2027-06-30T22:00:00Z'),
      ),
    ).toBe(false);
    expect(await accreditations.isAccredited(em(), PROVIDER_P, COMUNE_B, clock)).toBe(false);
    expect(await accreditations.isAccredited(em(), PROVIDER_Q, COMUNE_A, clock)).toBe(false);
    expect(
      (await accreditations.accreditedProviders(em(), COMUNE_A)).map((r) => r.providerId),
    ).toEqual([PROVIDER_P]);
    expect(
      await accreditations.accreditedProviders(em(), COMUNE_A, new Date('2027-07-01T10:00:00Z')),
    ).toEqual([]);
    expect(await accreditations.accreditedProviders(em(), COMUNE_B)).toEqual([]);
    const list = ok<{ providerId: string; validUntil: string; provider: { id: string } }[]>(
      await suite.run(ACCREDITED, { comuneId: COMUNE_A }),
    );
    expect(list).toEqual([
      {
        providerId: PROVIDER_P,
        comuneId: COMUNE_A,
        validUntil: '2027-06-30',
        provider: { id: PROVIDER_P },
      },
    ]);
  });

  it('a suspension takes effect at once; the MANAGER reinstates', async () => {
    const reason = 'Irregolarità contributiva segnalata.';
    await refused([
      {
        caller: operatorA,
        code: 'FORBIDDEN',
        query: SUSPEND,
        variables: { id: requestId, reason },
      },
      { caller: managerB, code: 'NOT_FOUND', query: SUSPEND, variables: { id: requestId, reason } },
      { caller: adminP, code: 'NOT_FOUND', query: SUSPEND, variables: { id: requestId, reason } },
      {
        caller: managerA,
        code: 'BAD_USER_INPUT',
        query: SUSPEND,
        variables: { id: requestId, reason: '' },
      },
      {
        caller: managerA,
        code: 'CONFLICT',
        query: REINSTATE,
        variables: { id: requestId, reason },
      },
    ]);
    const suspended = ok<Request & { suspensionReason: string }>(
      await suite.run(SUSPEND, { id: requestId, reason }, managerA),
    );
    expect(suspended).toMatchObject({
      status: 'SUSPENDED',
      effective: false,
      suspensionReason: reason,
    });
    const accreditations = suite.services.accreditations;
    expect(
      await accreditations.isAccredited(suite.orm.em.fork(), PROVIDER_P, COMUNE_A, clock),
    ).toBe(false);
    expect(ok(await suite.run(ACCREDITED, { comuneId: COMUNE_A }))).toEqual([]);
    // Suspended: no new request, no renewal.
    await refused([
      {
        caller: adminP,
        code: 'CONFLICT',
        query: START,
        variables: { providerId: PROVIDER_P, comuneId: COMUNE_A },
      },
      { caller: adminP, code: 'CONFLICT', query: RENEW, variables: { id: requestId } },
      {
        caller: operatorA,
        code: 'FORBIDDEN',
        query: REINSTATE,
        variables: { id: requestId, reason: 'Regolarizzato.' },
      },
      {
        caller: managerB,
        code: 'NOT_FOUND',
        query: REINSTATE,
        variables: { id: requestId, reason: 'Regolarizzato.' },
      },
    ]);
    const back = ok<Request>(
      await suite.run(REINSTATE, { id: requestId, reason: 'DURC regolarizzato.' }, managerA),
    );
    expect(back).toMatchObject({ status: 'ACCREDITED', effective: true, validUntil: '2027-06-30' });
    expect(back.history.slice(-2).map((h) => [h.kind, h.reason])).toEqual([
      ['SUSPENDED', reason],
      ['REINSTATED', 'DURC regolarizzato.'],
    ]);
    expect(
      await accreditations.isAccredited(suite.orm.em.fork(), PROVIDER_P, COMUNE_A, clock),
    ).toBe(true);
  });

  // Over 80 lines on purpose: one renewal followed step by step, each step needing the last.
  it('a renewal before expiry is a new request that supersedes the accreditation once granted', async () => {
    await refused([
      { caller: adminQ, code: 'NOT_FOUND', query: RENEW, variables: { id: requestId } },
      { caller: managerA, code: 'NOT_FOUND', query: RENEW, variables: { id: requestId } },
      {
        caller: adminP,
        code: 'CONFLICT',
        query: START,
        variables: { providerId: PROVIDER_P, comuneId: COMUNE_A },
      },
    ]);
    const renewal = ok<Request>(await suite.run(RENEW, { id: requestId }, adminP));
    expect(renewal).toMatchObject({ status: 'DRAFT', renewalOf: requestId });
    await refused([
      { caller: adminP, code: 'CONFLICT', query: RENEW, variables: { id: requestId } },
    ]);
    await suite.services.accreditations.addDocument(suite.orm.em.fork(), adminP, renewal.id, {
      requirementId: requirementIds.RUNTS!,
      fileName: 'runts-2027.pdf',
      content: PDF,
    });
    const answers = [
      { requirementId: requirementIds.RUNTS, declared: true },
      { requirementId: requirementIds.RC, declared: true },
    ];
    ok(await suite.run(SUBMIT, { id: renewal.id, answers }, adminP));
    // Still accredited under the first one while the renewal waits.
    expect(
      await suite.services.accreditations.isAccredited(
        suite.orm.em.fork(),
        PROVIDER_P,
        COMUNE_A,
        clock,
      ),
    ).toBe(true);
    const granted = ok<Request>(
      await suite.run(
        DECIDE,
        {
          id: renewal.id,
          input: { outcome: 'ACCREDITED', reason: 'Rinnovo concesso.', validUntil: '2028-06-30' },
        },
        managerA,
      ),
    );
    expect(granted).toMatchObject({ status: 'ACCREDITED', validUntil: '2028-06-30' });
    const previous = ok<Request>(await suite.run(ONE, { id: requestId }, adminP));
    expect(previous.status).toBe('SUPERSEDED');
    expect(previous.history.at(-1)).toMatchObject({
      kind: 'SUPERSEDED',
      fromStatus: 'ACCREDITED',
      toStatus: 'SUPERSEDED',
    });
    const standing = await suite.sql<{ n: string }>(
      `select count(*) as n from "third_sector"."accreditation_request" where provider_id = ? and status in ('ACCREDITED', 'SUSPENDED')`,
      [PROVIDER_P],
    );
    expect(Number(standing[0]!.n)).toBe(1);
    const accreditations = suite.services.accreditations;
    expect(
      await accreditations.isAccredited(
        suite.orm.em.fork(),
        PROVIDER_P,
        COMUNE_A,
        new Date('2028-01-10T10:00:00Z'),
      ),
    ).toBe(true);
    // After expiry no renewal: a new request instead.
    clock = new Date('2028-07-02T10:00:00Z');
    try {
      await refused([
        { caller: adminP, code: 'CONFLICT', query: RENEW, variables: { id: granted.id } },
      ]);
      const fresh = ok<Request>(
        await suite.run(START, { providerId: PROVIDER_P, comuneId: COMUNE_A }, adminP),
      );
      expect(fresh.status).toBe('DRAFT');
    } finally {
      clock = new Date('2026-06-15T10:00:00Z');
    }
  });
});

describe('integrity', () => {
  it('concurrent starts give one live request', async () => {
    const before = await suite.count('accreditation_request');
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        suite.run(START, { providerId: PROVIDER_R, comuneId: COMUNE_A }, adminR),
      ),
    );
    const codes = results.map((r) => (r.errors ? errorCode(r) : 'OK')).sort();
    expect(codes).toEqual([
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'OK',
    ]);
    expect(await suite.count('accreditation_request')).toBe(before + 1);
  });

  it('a rejection ends the request; the provider may ask again', async () => {
    const [row] = await suite.sql<{ id: string }>(
      `select id from "third_sector"."accreditation_request" where provider_id = ?`,
      [PROVIDER_R],
    );
    await suite.services.accreditations.addDocument(suite.orm.em.fork(), adminR, row!.id, {
      requirementId: requirementIds.RUNTS!,
      fileName: 'r.pdf',
      content: PDF,
    });
    ok(
      await suite.run(
        SUBMIT,
        {
          id: row!.id,
          answers: [
            { requirementId: requirementIds.RUNTS, declared: true },
            { requirementId: requirementIds.RC, declared: true },
          ],
        },
        adminR,
      ),
    );
    const rejected = ok<Request & { decisionReason: string }>(
      await suite.run(
        DECIDE,
        {
          id: row!.id,
          input: {
            outcome: 'REJECTED',
            reason: 'Iscrizione non verificabile.',
            validUntil: '2027-01-01',
          },
        },
        managerA,
      ),
    );
    expect(rejected).toMatchObject({ status: 'REJECTED', validUntil: null, effective: false });
    expect(
      ok<Request>(await suite.run(START, { providerId: PROVIDER_R, comuneId: COMUNE_A }, adminR))
        .status,
    ).toBe('DRAFT');
  });

  it('the history refuses UPDATE, DELETE and TRUNCATE', async () => {
    const before = await suite.count('accreditation_event');
    expect(before).toBeGreaterThan(10);
    await expect(
      suite.sql(`update "third_sector"."accreditation_event" set reason = 'changed'`),
    ).rejects.toThrow(/append-only/);
    await expect(suite.sql(`delete from "third_sector"."accreditation_event"`)).rejects.toThrow(
      /append-only/,
    );
    await expect(suite.sql(`truncate "third_sector"."accreditation_event"`)).rejects.toThrow(
      /append-only/,
    );
    expect(await suite.count('accreditation_event')).toBe(before);
    const changed = await suite.sql<{ n: string }>(
      `select count(*) as n from "third_sector"."accreditation_event" where reason = 'changed'`,
    );
    expect(Number(changed[0]!.n)).toBe(0);
  });

  it('the database refuses an accreditation without an expiry date or two standing ones', async () => {
    await expect(
      suite.sql(
        `update "third_sector"."accreditation_request" set valid_until = null where status = 'ACCREDITED'`,
      ),
    ).rejects.toThrow(/accreditation_request_valid_until_check/);
    await expect(
      suite.sql(
        `update "third_sector"."accreditation_request" set status = 'ACCREDITED', valid_until = '2030-01-01' where status = 'SUPERSEDED'`,
      ),
    ).rejects.toThrow(/accreditation_request_one_standing/);
  });
});
