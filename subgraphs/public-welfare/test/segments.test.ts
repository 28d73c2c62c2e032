import { createLogger, type Caller } from '@welfare/kit';
import { startSubgraph, type RunningSubgraph } from '@welfare/kit/subgraph';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent } from '../src/modules/audit/audit-event.entity.js';
import { EXPORT_ROUTE, exportRoute } from '../src/modules/exports/export.route.js';
import { buildPublicWelfareSchema } from '../src/schema.js';
import { INCOME, REGISTRY } from './fixtures.js';
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
let server: RunningSubgraph;
let sign: Awaited<ReturnType<typeof createTokenSigner>>;
const operator = staff(COMUNE_A);
const manager = staff(COMUNE_A, 'MANAGER');
const operatorB = staff(COMUNE_B);

beforeAll(async () => {
  suite = await setupSuite('segments');
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', INCOME);
  const keys = await generateGatewayKeys();
  sign = await createTokenSigner(keys.privateKey);
  server = await startSubgraph({
    name: 'public-welfare',
    schema: await buildPublicWelfareSchema(suite.services),
    orm: suite.orm,
    host: '127.0.0.1',
    port: 0,
    gatewayPublicKey: keys.publicKey,
    logger: createLogger('public-welfare-test', 'silent'),
    routes: {
      [EXPORT_ROUTE]: exportRoute({ orm: suite.orm, audit: suite.services.audit }),
    },
  });
});
afterAll(() => server.stop()); // also closes the ORM

const SEGMENTS = `query($comuneId: ID!) {
  segments(comuneId: $comuneId) {
    id name householdCount createdAt comune { id } createdBy { id }
    filter { iseeMax iseeType minSize maxSize hasMinors hasElderly hasDisability receivesPublicSupport }
  }
}`;
const SAVE = `mutation($input: SaveSegmentInput!) {
  saveSegment(input: $input) { id name householdCount filter { iseeMax minSize maxSize hasMinors } }
}`;
const DELETE = `mutation($id: ID!) { deleteSegment(id: $id) }`;

interface SavedSegment {
  id: string;
  name: string;
  householdCount: number;
  filter: Record<string, unknown>;
}

async function save(
  name: string,
  filter: Record<string, unknown>,
  caller: Caller = operator,
  comuneId = COMUNE_A,
): Promise<ExecutionResult<{ saveSegment: SavedSegment }>> {
  return suite.run<{ saveSegment: SavedSegment }>(
    SAVE,
    { input: { comuneId, name, filter } },
    caller,
  );
}

async function saved(name: string, filter: Record<string, unknown> = {}): Promise<SavedSegment> {
  const result = await save(name, filter);
  expect(result.errors).toBeUndefined();
  return result.data!.saveSegment;
}

function fields(result: ExecutionResult): { field: string; message: { it: string; en: string } }[] {
  const original = result.errors?.[0]?.originalError as
    { fields?: { field: string; message: { it: string; en: string } }[] } | undefined;
  return original?.fields ?? [];
}

const outsiders: [string, Caller, string][] = [
  ['anonymous', ANONYMOUS, 'UNAUTHENTICATED'],
  ['an operator of another Comune', operatorB, 'FORBIDDEN'],
  ['a citizen', CITIZEN, 'FORBIDDEN'],
  ['a cooperative admin', COOP_ADMIN, 'FORBIDDEN'],
  ['a service', SERVICE, 'UNAUTHENTICATED'],
];

describe('segments: tenancy of every operation', () => {
  for (const [who, caller, code] of outsiders) {
    it(`segments: ${who} gets ${code}`, async () => {
      await saved(`visible to staff ${who}`);
      const result = await suite.run(SEGMENTS, { comuneId: COMUNE_A }, caller);
      expect(errorCode(result)).toBe(code);
      expect(result.data?.segments ?? null).toBeNull();
    });
    it(`saveSegment: ${who} gets ${code} and nothing is written`, async () => {
      const before = await suite.count('segment');
      const result = await save(`intruso ${who}`, {}, caller);
      expect(errorCode(result)).toBe(code);
      expect(await suite.count('segment')).toBe(before);
    });
    it(`deleteSegment: ${who} gets ${code} and nothing is deleted`, async () => {
      const segment = await saved(`da non cancellare ${who}`);
      const before = await suite.count('segment');
      const result = await suite.run(DELETE, { id: segment.id }, caller);
      expect(errorCode(result)).toBe(code);
      expect(await suite.count('segment')).toBe(before);
    });
  }

  for (const [who, caller] of [
    ['an operator', operator],
    ['a manager', manager],
    ['a platform admin', ADMIN],
  ] as const) {
    it(`${who} of the Comune lists, saves and deletes`, async () => {
      const created = await save(`di ${who}`, { minSize: 2 }, caller);
      expect(created.errors).toBeUndefined();
      const id = created.data!.saveSegment.id;
      const listed = await suite.run<{ segments: { id: string }[] }>(
        SEGMENTS,
        { comuneId: COMUNE_A },
        caller,
      );
      expect(listed.errors).toBeUndefined();
      expect(listed.data!.segments.map((s) => s.id)).toContain(id);
      expect((await suite.run(DELETE, { id }, caller)).data).toEqual({ deleteSegment: true });
      expect((await suite.run(DELETE, { id }, caller)).data).toEqual({ deleteSegment: false });
    });
  }

  it('lists only the Comune’s own segments and refuses a malformed Comune id', async () => {
    const other = await save('di un altro Comune', {}, operatorB, COMUNE_B);
    expect(other.errors).toBeUndefined();
    const listed = await suite.run<{ segments: { name: string }[] }>(
      SEGMENTS,
      { comuneId: COMUNE_A },
      operator,
    );
    expect(listed.data!.segments.map((s) => s.name)).not.toContain('di un altro Comune');
    expect(errorCode(await suite.run(SEGMENTS, { comuneId: 'x' }, ADMIN))).toBe('BAD_USER_INPUT');
    expect((await suite.run(DELETE, { id: 'nope' }, operator)).data).toEqual({
      deleteSegment: false,
    });
  });
});

describe('segments: rules', () => {
  it('saves the filter and counts its households with the households query’s SQL', async () => {
    const segment = await saved('  ISEE fino a 10.000  ', { iseeMax: 1_000_000, hasMinors: null });
    expect(segment).toMatchObject({
      name: 'ISEE fino a 10.000',
      householdCount: 2,
      filter: { iseeMax: 1_000_000, minSize: null, maxSize: null, hasMinors: null },
    });
    for (const filter of [
      {},
      { iseeMax: 800_000 },
      { hasMinors: true },
      { minSize: 3, maxSize: 3 },
    ]) {
      const households = await suite.run<{ households: { totalCount: number } }>(
        `query($comuneId: ID!, $filter: HouseholdFilter) { households(comuneId: $comuneId, filter: $filter) { totalCount } }`,
        { comuneId: COMUNE_A, filter },
        operator,
      );
      const segmentCount = (await saved(`conteggio ${JSON.stringify(filter)}`, filter))
        .householdCount;
      expect(segmentCount).toBe(households.data!.households.totalCount);
    }
    const listed = await suite.run<{
      segments: { name: string; householdCount: number; createdBy: { id: string } }[];
    }>(SEGMENTS, { comuneId: COMUNE_A }, manager);
    expect(listed.data!.segments.find((s) => s.name === 'ISEE fino a 10.000')).toMatchObject({
      householdCount: 2,
      createdBy: { id: operator.personId },
    });
  });

  it('audits a count by income criteria (SEARCH_INCOME), not a plain one', async () => {
    const plain = await saved('solo con minori', { hasMinors: true });
    const income = await saved('solo sostegno', { receivesPublicSupport: true });
    const before = await suite.count('audit_event');
    await suite.run(`query { segments(comuneId: "${COMUNE_A}") { id } }`, {}, operator);
    expect(await suite.count('audit_event')).toBe(before);
    const em = suite.orm.em.fork();
    await suite.services.segments.householdCount(em, operator, {
      ...plain,
      comuneId: COMUNE_A,
      createdBy: operator.personId,
      createdAt: new Date(),
    });
    expect(await suite.count('audit_event')).toBe(before);
    await suite.services.segments.householdCount(em, operator, {
      ...income,
      comuneId: COMUNE_A,
      createdBy: operator.personId,
      createdAt: new Date(),
    });
    const last = await em.find(AuditEvent, {}, { orderBy: { seq: 'desc' }, limit: 1 });
    expect(last[0]).toMatchObject({ action: 'SEARCH_INCOME', subject: `segment:${income.id}` });
  });

  it('refuses an empty or too long name, a duplicate name and invalid filters, writing nothing', async () => {
    await saved('Doppione');
    const cases: [string, Record<string, unknown>, string][] = [
      ['', {}, 'name'],
      ['   ', {}, 'name'],
      ['x'.repeat(121), {}, 'name'],
      ['Doppione', {}, 'name'],
      ['negativo', { iseeMax: -1 }, 'filter.iseeMax'],
      ['taglia zero', { minSize: 0 }, 'filter.minSize'],
      ['intervallo', { minSize: 4, maxSize: 2 }, 'filter.maxSize'],
    ];
    for (const [name, filter, field] of cases) {
      const before = await suite.count('segment');
      const result = await save(name, filter);
      expect(errorCode(result), name).toBe('BAD_USER_INPUT');
      const errors = fields(result);
      expect(errors.map((e) => e.field)).toContain(field);
      for (const e of errors) {
        expect(e.message.it).toBeTruthy();
        expect(e.message.en).toBeTruthy();
      }
      expect(await suite.count('segment')).toBe(before);
    }
    expect(fields(await save('Doppione', {}))[0]!.message).toEqual({
      it: 'Esiste già un segmento con questo nome.',
      en: 'A segment with this name already exists.',
    });
    // 120 characters is allowed; the same name in another Comune too.
    expect((await save('y'.repeat(120), {})).errors).toBeUndefined();
    expect((await save('Doppione', {}, operatorB, COMUNE_B)).errors).toBeUndefined();
  });
});

describe('GET /exports/households.csv', () => {
  const token = (caller: Caller, audience = 'public-welfare') => sign(audience, caller, 'req-1');
  const get = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/exports/households.csv?${query}`, { headers });

  it('answers 401 without a valid token or for an anonymous caller, 403 to another Comune', async () => {
    const audit = await suite.count('audit_event');
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer nope' },
      { authorization: `Bearer ${await token(operator, 'identity')}` },
      { authorization: `Bearer ${await token(ANONYMOUS)}` },
    ]) {
      const res = await get(`comuneId=${COMUNE_A}`, headers);
      expect(res.status).toBe(401);
      const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    }
    for (const caller of [operatorB, CITIZEN, COOP_ADMIN]) {
      const res = await get(`comuneId=${COMUNE_A}`, {
        authorization: `Bearer ${await token(caller)}`,
      });
      expect(res.status).toBe(403);
      const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('FORBIDDEN');
    }
    const bad = await get(`comuneId=${COMUNE_A}&iseeMax=-5`, {
      authorization: `Bearer ${await token(operator)}`,
    });
    expect(bad.status).toBe(400);
    expect(await suite.count('audit_event')).toBe(audit);
  });

  it('streams the matching households as Italian Excel CSV and audits the export', async () => {
    const audit = await suite.count('audit_event');
    const res = await get(`comuneId=${COMUNE_A}&iseeMax=1000000&receivesPublicSupport=true`, {
      authorization: `Bearer ${await token(manager)}`,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="nuclei.csv"');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(
      'codice_famiglia;indirizzo;componenti;residente;isee;tipo_isee\r\n' +
        'F002;"Via Mazzini 2; interno 3";2;SI;8000,00;SOCIOSANITARIO\r\n' +
        'F003;Piazza Matrice 5;2;SI;4500,50;MINORENNI\r\n',
    );
    expect(await suite.count('audit_event')).toBe(audit + 1);
    const last = await suite.orm.em
      .fork()
      .find(AuditEvent, {}, { orderBy: { seq: 'desc' }, limit: 1 });
    expect(last[0]).toMatchObject({
      action: 'EXPORT_HOUSEHOLDS',
      actor: `person:${manager.personId}`,
      subject: `comune:${COMUNE_A}`,
    });

    const all = await get(`comuneId=${COMUNE_A}`, {
      authorization: `Bearer ${await token(ADMIN)}`,
    });
    const text = await all.text();
    const lines = text.split('\r\n');
    expect(lines).toHaveLength(6); // header, four households, the final empty line
    expect(lines[1]).toBe('F001;Via Roma 1;3;SI;12345,67;ORDINARIO');
    expect(lines[4]).toBe('F004;Via Trapani 9;1;NO;;');
  });

  it('keeps an address a spreadsheet would run as text', async () => {
    const setAddress = (code: string, address: string) =>
      suite.orm.em
        .getConnection()
        .execute(`update "public_welfare"."household" set "address" = ? where "code" = ?`, [
          address,
          code,
        ]);
    await setAddress('F001', '+SUM(1;2)');
    try {
      const text = await (
        await get(`comuneId=${COMUNE_A}`, { authorization: `Bearer ${await token(ADMIN)}` })
      ).text();
      expect(text.split('\r\n')[1]).toBe(`F001;"'+SUM(1;2)";3;SI;12345,67;ORDINARIO`);
    } finally {
      await setAddress('F001', 'Via Roma 1');
    }
  });
});
