import type { Caller } from '@welfare/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent } from '../src/modules/audit/audit-event.entity.js';
import { Household } from '../src/modules/household/household.entity.js';
import { CF, INCOME, REGISTRY } from './fixtures.js';
import {
  ADMIN,
  ANONYMOUS,
  CITIZEN,
  COMUNE_A,
  COMUNE_B,
  COOP_ADMIN,
  SERVICE,
  errorCode,
  setupSuite,
  staff,
  type Suite,
} from './helpers.js';

let suite: Suite;
const operator = staff(COMUNE_A);
const manager = staff(COMUNE_A, 'MANAGER');
const operatorB = staff(COMUNE_B);
let f001: Household;
let jobId: string;

beforeAll(async () => {
  suite = await setupSuite('operations');
  jobId = (await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY)).id;
  await suite.importText(operator, COMUNE_A, 'INCOME', INCOME);
  f001 = await suite.orm.em.fork().findOneOrFail(Household, { comuneId: COMUNE_A, code: 'F001' });
});
afterAll(() => suite.close());

const HOUSEHOLDS = `query($comuneId: ID!, $filter: HouseholdFilter, $first: Int, $after: String) {
  households(comuneId: $comuneId, filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { code size comune { id } }
  }
}`;
const HOUSEHOLD = `query($id: ID!) {
  household(id: $id) {
    code address resident size comune { id }
    members { fiscalCode givenName familyName birthDate sex relation disability }
    latestIncome { iseeCents iseeType validUntil receivesPublicSupport declarantFiscalCode }
  }
}`;
const HOUSEHOLD_PLAIN = `query($id: ID!) { household(id: $id) { code members { givenName } } }`;
const IMPORT_JOB = `query($id: ID!) {
  importJob(id: $id) {
    id kind status rowsRead rowsImported rowsRejected createdBy { id } comune { id }
    rejections { line field reasonIt reasonEn }
  }
}`;
const IMPORT_JOBS = `query($comuneId: ID!) { importJobs(comuneId: $comuneId) { id kind status } }`;

interface Operation {
  name: string;
  query: string;
  variables: () => Record<string, unknown>;
}
const OPERATIONS: Operation[] = [
  { name: 'households', query: HOUSEHOLDS, variables: () => ({ comuneId: COMUNE_A }) },
  { name: 'household', query: HOUSEHOLD, variables: () => ({ id: f001.id }) },
  { name: 'importJob', query: IMPORT_JOB, variables: () => ({ id: jobId }) },
  { name: 'importJobs', query: IMPORT_JOBS, variables: () => ({ comuneId: COMUNE_A }) },
];

describe('tenancy: every operation', () => {
  const outsiders: [string, Caller, string][] = [
    ['anonymous', ANONYMOUS, 'UNAUTHENTICATED'],
    ['an operator of another Comune', operatorB, 'FORBIDDEN'],
    ['a citizen', CITIZEN, 'FORBIDDEN'],
    ['a cooperative admin', COOP_ADMIN, 'FORBIDDEN'],
    ['a service', SERVICE, 'UNAUTHENTICATED'],
  ];
  for (const op of OPERATIONS) {
    for (const [who, caller, code] of outsiders) {
      it(`${op.name}: ${who} gets ${code}, nothing is returned and no audit row is written`, async () => {
        const audit = await suite.count('audit_event');
        const result = await suite.run(op.query, op.variables(), caller);
        expect(errorCode(result)).toBe(code);
        expect(result.data?.[op.name] ?? null).toBeNull();
        expect(await suite.count('audit_event')).toBe(audit);
      });
    }
    for (const [who, caller] of [
      ['an operator', operator],
      ['a manager', manager],
      ['a platform admin', ADMIN],
    ] as const) {
      it(`${op.name}: ${who} of the Comune reads it`, async () => {
        const result = await suite.run(op.query, op.variables(), caller);
        expect(result.errors).toBeUndefined();
        expect(result.data?.[op.name]).toBeTruthy();
      });
    }
  }

  it('answers null for an unknown household or job and BAD_USER_INPUT for a malformed Comune id', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await suite.run(HOUSEHOLD, { id: missing }, operator)).data).toEqual({
      household: null,
    });
    expect((await suite.run(IMPORT_JOB, { id: 'nope' }, operator)).data).toEqual({
      importJob: null,
    });
    expect(errorCode(await suite.run(IMPORT_JOBS, { comuneId: 'x' }, ADMIN))).toBe(
      'BAD_USER_INPUT',
    );
  });
});

describe('household reads', () => {
  it('returns the members (head first) and the latest income declaration', async () => {
    const result = await suite.run<{ household: Record<string, unknown> }>(
      HOUSEHOLD,
      { id: f001.id },
      operator,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.household).toEqual({
      code: 'F001',
      address: 'Via Roma 1',
      resident: true,
      size: 3,
      comune: { id: COMUNE_A },
      members: [
        {
          fiscalCode: CF.mario,
          givenName: 'Mario',
          familyName: 'Rossi',
          birthDate: '1980-01-01',
          sex: 'M',
          relation: 'INTESTATARIO',
          disability: false,
        },
        expect.objectContaining({ fiscalCode: CF.anna, relation: 'CONIUGE' }),
        expect.objectContaining({ fiscalCode: CF.luca, relation: 'FIGLIO', disability: true }),
      ],
      latestIncome: {
        iseeCents: 1234567,
        iseeType: 'ORDINARIO',
        validUntil: '2026-12-31',
        receivesPublicSupport: false,
        declarantFiscalCode: CF.mario,
      },
    });
  });

  it('writes one READ_INCOME audit row per income read, and none without one', async () => {
    const em = suite.orm.em.fork();
    const before = await suite.count('audit_event');
    await suite.run(HOUSEHOLD_PLAIN, { id: f001.id }, operator);
    expect(await suite.count('audit_event')).toBe(before);
    await suite.run(HOUSEHOLD, { id: f001.id }, manager);
    const events = await em.find(AuditEvent, {}, { orderBy: { seq: 'desc' }, limit: 1 });
    expect(await suite.count('audit_event')).toBe(before + 1);
    expect(events[0]).toMatchObject({
      comuneId: COMUNE_A,
      actor: `person:${manager.personId}`,
      action: 'READ_INCOME',
      subject: `household:${f001.id}`,
    });
  });

  it('keeps the audit log hash-chained and refuses UPDATE, DELETE and TRUNCATE in the database', async () => {
    await suite.run(HOUSEHOLD, { id: f001.id }, operator);
    // Rows are chained by the sealer (no lock on append): seal what is committed, then verify.
    await suite.services.audit.seal(suite.orm.em.fork(), 1);
    const check = await suite.services.audit.verifyChain(suite.orm.em.fork());
    expect(check.rows).toBeGreaterThan(2);
    expect(check.brokenAt).toBeUndefined();
    const rows = await suite.count('audit_event');
    const conn = suite.orm.em.getConnection();
    await expect(
      conn.execute(`update public_welfare.audit_event set actor = 'someone else'`),
    ).rejects.toThrow(/append-only/);
    await expect(conn.execute(`delete from public_welfare.audit_event`)).rejects.toThrow(
      /append-only/,
    );
    await expect(conn.execute(`truncate public_welfare.audit_event`)).rejects.toThrow(
      /append-only/,
    );
    expect(await suite.count('audit_event')).toBe(rows);
  });

  it('detects a tampered chain (the verifier can fail)', async () => {
    const conn = suite.orm.em.getConnection();
    await suite.services.audit.seal(suite.orm.em.fork(), 1);
    // Tamper the way only a superuser could: with the triggers off.
    await conn.execute(`alter table public_welfare.audit_event disable trigger user`);
    try {
      await conn.execute(
        `update public_welfare.audit_event set subject = 'household:other' where seq = (select seq from public_welfare.audit_event order by seq offset 1 limit 1)`,
      );
      const check = await suite.services.audit.verifyChain(suite.orm.em.fork());
      expect(check.brokenAt).toBeDefined();
    } finally {
      await conn.execute(`alter table public_welfare.audit_event enable trigger user`);
    }
  });
});

describe('households filters and counts', () => {
  const codes = async (filter: Record<string, unknown>, caller: Caller = operator) => {
    const result = await suite.run<{
      households: { totalCount: number; nodes: { code: string }[] };
    }>(HOUSEHOLDS, { comuneId: COMUNE_A, filter }, caller);
    expect(result.errors).toBeUndefined();
    const { totalCount, nodes } = result.data!.households;
    return { totalCount, codes: nodes.map((n) => n.code) };
  };

  it('filters by each criterion and counts in SQL', async () => {
    expect(await codes({})).toEqual({ totalCount: 4, codes: ['F001', 'F002', 'F003', 'F004'] });
    expect(await codes({ iseeMax: 1_000_000 })).toEqual({ totalCount: 2, codes: ['F002', 'F003'] });
    expect(await codes({ iseeMax: 800_000 })).toEqual({ totalCount: 2, codes: ['F002', 'F003'] });
    expect(await codes({ iseeMax: 799_999 })).toEqual({ totalCount: 1, codes: ['F003'] });
    expect(await codes({ iseeType: 'MINORENNI' })).toEqual({ totalCount: 1, codes: ['F003'] });
    expect(await codes({ receivesPublicSupport: true })).toEqual({
      totalCount: 2,
      codes: ['F002', 'F003'],
    });
    expect(await codes({ receivesPublicSupport: false })).toEqual({
      totalCount: 1,
      codes: ['F001'],
    });
    expect(await codes({ minSize: 2 })).toEqual({
      totalCount: 3,
      codes: ['F001', 'F002', 'F003'],
    });
    expect(await codes({ maxSize: 1 })).toEqual({ totalCount: 1, codes: ['F004'] });
    expect(await codes({ minSize: 3, maxSize: 3 })).toEqual({ totalCount: 1, codes: ['F001'] });
    expect(await codes({ hasMinors: true })).toEqual({ totalCount: 2, codes: ['F001', 'F003'] });
    expect(await codes({ hasMinors: false })).toEqual({ totalCount: 2, codes: ['F002', 'F004'] });
    expect(await codes({ hasElderly: true })).toEqual({ totalCount: 1, codes: ['F002'] });
    expect(await codes({ hasDisability: true })).toEqual({ totalCount: 1, codes: ['F001'] });
    expect(await codes({ iseeMax: 1_000_000, hasMinors: true })).toEqual({
      totalCount: 1,
      codes: ['F003'],
    });
  });

  it('pages with a cursor; the count covers every page', async () => {
    const first = await suite.run<{
      households: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        nodes: { code: string; size: number }[];
      };
    }>(HOUSEHOLDS, { comuneId: COMUNE_A, first: 3 }, operator);
    expect(first.data?.households).toMatchObject({
      totalCount: 4,
      pageInfo: { hasNextPage: true },
      nodes: [
        { code: 'F001', size: 3 },
        { code: 'F002', size: 2 },
        { code: 'F003', size: 2 },
      ],
    });
    const next = await suite.run<{
      households: { totalCount: number; pageInfo: { hasNextPage: boolean }; nodes: unknown[] };
    }>(
      HOUSEHOLDS,
      { comuneId: COMUNE_A, first: 3, after: first.data!.households.pageInfo.endCursor },
      operator,
    );
    expect(next.data?.households).toMatchObject({
      totalCount: 4,
      pageInfo: { hasNextPage: false },
      nodes: [{ code: 'F004' }],
    });
  });

  it('refuses bad paging and filter values with BAD_USER_INPUT', async () => {
    for (const variables of [
      { first: 0 },
      { first: 201 },
      { after: 'not-a-cursor' },
      { filter: { iseeMax: -1 } },
      { filter: { minSize: 0 } },
    ]) {
      const result = await suite.run(HOUSEHOLDS, { comuneId: COMUNE_A, ...variables }, operator);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
    }
  });

  it('audits a search by income criteria, not a plain one', async () => {
    const before = await suite.count('audit_event');
    await codes({ hasMinors: true });
    expect(await suite.count('audit_event')).toBe(before);
    await codes({ iseeMax: 1_000_000 });
    expect(await suite.count('audit_event')).toBe(before + 1);
  });
});

describe('import jobs', () => {
  it('shows a failed job with its rejections (first 200 by line)', async () => {
    const lines = ['codice_fiscale_dichiarante;isee;tipo_isee;data_validita;sostegno_pubblico'];
    for (let i = 0; i < 250; i++) lines.push(`BADCODE${i};1,00;ORDINARIO;31/12/2026;NO`);
    const job = await suite.importText(operator, COMUNE_A, 'INCOME', `${lines.join('\n')}\n`);
    const result = await suite.run<{
      importJob: { status: string; rowsRejected: number; rejections: { line: number }[] };
    }>(IMPORT_JOB, { id: job.id }, operator);
    expect(result.data?.importJob).toMatchObject({
      status: 'FAILED',
      rowsRead: 250,
      rowsRejected: 250,
      rowsImported: 0,
      createdBy: { id: operator.personId },
      comune: { id: COMUNE_A },
    });
    const rejections = result.data!.importJob.rejections;
    expect(rejections).toHaveLength(200);
    expect(rejections[0]).toMatchObject({ line: 2, field: 'codice_fiscale_dichiarante' });
    expect(rejections[199]!.line).toBe(201);
  });

  it('lists the Comune’s jobs, newest first, and nothing of another Comune', async () => {
    await suite.importText(operatorB, COMUNE_B, 'REGISTRY', REGISTRY);
    const a = await suite.run<{ importJobs: { id: string }[] }>(
      IMPORT_JOBS,
      { comuneId: COMUNE_A },
      operator,
    );
    const b = await suite.run<{ importJobs: { id: string }[] }>(
      IMPORT_JOBS,
      { comuneId: COMUNE_B },
      operatorB,
    );
    expect(a.data!.importJobs.length).toBe(3);
    expect(b.data!.importJobs.length).toBe(1);
    expect(a.data!.importJobs.map((j) => j.id)).not.toContain(b.data!.importJobs[0]!.id);
    expect(a.data!.importJobs.at(-1)!.id).toBe(jobId);
  });
});
