// Issue 14, items 5 and 8: input at the edge. Every client type error comes back through the
// gateway as BAD_USER_INPUT with its field; control characters and lone surrogates are refused in
// every text input; no log line of any process holds SQL parameters or personal data; and
// generated hostile input for every mutation of the supergraph gives 0 server errors, each case
// refused, nothing written.
import { readFileSync } from 'node:fs';
import { httpRequest } from '@welfare/kit/client';
import fc from 'fast-check';
import {
  buildSchema,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenToken } from '../support/citizen.js';
import {
  DEMO_CAMPAIGN_ID,
  DEMO_CITIZEN,
  DEMO_COMUNE_ID,
  DEMO_ORG,
  DEMO_PASSWORD,
  DEMO_SPENDING_CAMPAIGN_ID,
  demoEmail,
} from '../support/demo.js';
import { gql, login, type GraphQLResponse } from '../support/graphql.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

/** The supergraph's API schema, as clients see it. */
const API = buildSchema(readFileSync(new URL('../../schema/api.graphql', import.meta.url), 'utf8'));

/** The fixed seed of the generated input: a failure prints it with the counterexample. */
const SEED = 1414;
/** Generated cases per mutation (the run stays well under 90 s on a 2-core machine). */
const RUNS_PER_MUTATION = 20;

/** Who calls each mutation: the role it is meant for (the manager of the demo Comune otherwise). */
type Who = 'anonymous' | 'admin' | 'manager' | 'citizen' | 'merchant' | 'provider';
const CALLER: Readonly<Record<string, Who>> = {
  login: 'anonymous',
  startCitizenLogin: 'anonymous',
  completeCitizenLogin: 'anonymous',
  acceptInvitation: 'anonymous',
  createOrganisation: 'admin',
  inviteMember: 'admin',
  saveApplicationDraft: 'citizen',
  submitApplication: 'citizen',
  withdrawApplication: 'citizen',
  resubmitApplication: 'citizen',
  appealApplication: 'citizen',
  bookOffer: 'citizen',
  cancelOfferBooking: 'citizen',
  enrolTutoringPupil: 'citizen',
  bookTutoringLesson: 'citizen',
  cancelTutoringBooking: 'citizen',
  requestShopAccreditation: 'merchant',
  chargeCard: 'merchant',
  voidCardPayment: 'merchant',
  startProviderAccreditation: 'provider',
  renewProviderAccreditation: 'provider',
  saveProviderAccreditationAnswers: 'provider',
  submitProviderAccreditation: 'provider',
  createOffer: 'provider',
  updateOffer: 'provider',
  publishOffer: 'provider',
  withdrawOffer: 'provider',
  confirmOfferBooking: 'provider',
  declineOfferBooking: 'provider',
  assignTutoringTutor: 'provider',
  saveTutoringRoom: 'provider',
  planTutoringLessons: 'provider',
  cancelTutoringLesson: 'provider',
  markTutoringAttendance: 'provider',
  cancelOfferBookingAsProvider: 'provider',
  declareProviderClosure: 'provider',
  removeProviderClosure: 'provider',
};

/**
 * What a refusal may say. A value of the wrong type or with forbidden characters: only
 * BAD_USER_INPUT. A well-typed value a rule refuses (a negative or absurd amount, a malformed
 * codice fiscale): BAD_USER_INPUT, or the code of a rule checked before the value: NOT_FOUND (the
 * generated id names nothing of the caller's), FORBIDDEN (the caller may not act on it), CONFLICT
 * (its state forbids the operation), UNAUTHENTICATED (a login refused). Never a server error.
 */
const TYPE_REFUSALS = new Set(['BAD_USER_INPUT']);
const RULE_REFUSALS = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'CONFLICT',
  'UNAUTHENTICATED',
]);

/** A JSON token written as is (NaN, Infinity, -0 are not JSON values: the body is then refused). */
class Raw {
  constructor(readonly token: string) {}
}

/** A hostile value: `type` when no well-typed reading exists, `rule` when a rule must refuse it. */
interface Hostile {
  value: unknown;
  kind: 'type' | 'rule';
}

/** Over the gateway's 1 MB body limit. */
const HUGE = 'x'.repeat(1_000_001);
/** Characters no text input accepts. */
const BAD_CHARACTERS = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009b',
  '\ud800',
  '\udfff',
];

const badText: fc.Arbitrary<Hostile> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        fc.string({ maxLength: 20 }),
        fc.constantFrom(...BAD_CHARACTERS),
        fc.string({ maxLength: 20 }),
      )
      .map(([a, bad, b]) => ({ value: `${a}${bad}${b}`, kind: 'type' as const })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(...BAD_CHARACTERS)
      .map((bad) => ({ value: `${'a'.repeat(200_000)}${bad}`, kind: 'type' as const })),
  },
  { weight: 1, arbitrary: fc.constant({ value: HUGE, kind: 'type' as const }) },
);

/** Codici fiscali a rule must refuse: a wrong check character, a wrong shape, a wrong length. */
const badFiscalCode: fc.Arbitrary<Hostile> = fc
  .constantFrom(
    'RSSMRA80A01G273X',
    'RSSMRA80A01G27',
    '1234567890123456',
    'RSSMRA80Z01G273M',
    'rssmra80a01g273m0',
    `${DEMO_CITIZEN.fiscalCode.slice(0, 15)}${DEMO_CITIZEN.fiscalCode.endsWith('A') ? 'B' : 'A'}`,
  )
  .map((value) => ({ value, kind: 'rule' as const }));

/** Amounts a rule must refuse: negative, absurdly large. */
const badAmount: fc.Arbitrary<Hostile> = fc
  .constantFrom(-1, -100, -(2 ** 31), Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1, 2 ** 40)
  .map((value) => ({ value, kind: 'rule' as const }));

/** Values no reading of the type accepts. */
const wrongType = (values: unknown[]): fc.Arbitrary<Hostile> =>
  fc.constantFrom(...values).map((value) => ({ value, kind: 'type' as const }));

const NOT_NUMBERS = [
  '100',
  '',
  true,
  { n: 1 },
  [[1]],
  new Raw('NaN'),
  new Raw('Infinity'),
  new Raw('-Infinity'),
];
const NOT_INTEGERS = [1.5, -0.5, 2 ** 53, -(2 ** 53), 1e308];

/** A name of an amount: a SafeInt, or an Int in cents. */
const isAmount = (name: string, scalar: string) => scalar === 'SafeInt' || /Cents$/.test(name);
const isFiscalCode = (name: string) => /fiscalCode|onBehalfOf/.test(name);

/** The hostile values for a leaf of `type` named `name`: each wrong for that type, or for a rule. */
function hostileFor(type: GraphQLInputType, name: string): fc.Arbitrary<Hostile> {
  // null is a value only of a nullable type.
  const nullIfRequired = isNonNullType(type) ? [null] : [];
  const inner = getNullableType(type);
  if (isListType(inner)) {
    const item = hostileFor(inner.ofType, name).map((h) => ({ ...h, value: [h.value] }));
    return nullIfRequired.length ? fc.oneof(item, wrongType(nullIfRequired)) : item;
  }
  if (isInputObjectType(inner)) {
    return wrongType(['NOT_AN_OBJECT', 1.5, true, [[1]], { notAField: 1 }, ...nullIfRequired]);
  }
  if (isEnumType(inner)) {
    const first = inner.getValues()[0]?.name ?? 'X';
    return wrongType([
      'NOT_A_VALUE',
      first.toLowerCase(),
      `${first}\u0000`,
      1,
      true,
      { x: 1 },
      ...nullIfRequired,
    ]);
  }
  switch (inner.name) {
    case 'String':
    case 'ID': {
      const wrong = wrongType([true, 1.5, [['x']], { s: 'x' }, new Raw('NaN'), ...nullIfRequired]);
      return isFiscalCode(name)
        ? fc.oneof(badText, wrong, badFiscalCode)
        : fc.oneof(badText, wrong);
    }
    case 'Int':
      return isAmount(name, 'Int')
        ? fc.oneof(
            wrongType([...NOT_INTEGERS, 2 ** 31, ...NOT_NUMBERS, ...nullIfRequired]),
            badAmount,
          )
        : wrongType([...NOT_INTEGERS, 2 ** 31, -(2 ** 31) - 1, ...NOT_NUMBERS, ...nullIfRequired]);
    case 'SafeInt':
      return fc.oneof(wrongType([...NOT_INTEGERS, ...NOT_NUMBERS, ...nullIfRequired]), badAmount);
    case 'Float':
      return wrongType([...NOT_NUMBERS, ...nullIfRequired]);
    case 'Boolean':
      return wrongType(['true', 1, 0, 'yes', { x: 1 }, [[true]], ...nullIfRequired]);
    case 'DateTimeISO':
      return wrongType([
        'not a date',
        '2030-13-45T99:99:99Z',
        '2030-01-02T10:00:00Z\u0000',
        5,
        true,
        ...nullIfRequired,
      ]);
    default:
      return wrongType([{ x: 1 }, [[1]], new Raw('NaN'), ...nullIfRequired]);
  }
}

/** The demo's ids: a generated id names something real as often as not. */
const IDS = [
  DEMO_COMUNE_ID,
  DEMO_CAMPAIGN_ID,
  DEMO_SPENDING_CAMPAIGN_ID,
  ...Object.values(DEMO_ORG),
  DEMO_CITIZEN.personId,
  '00000000-0000-4000-8000-000000000000',
];

/** A well-typed value of `type` (the background a hostile leaf is planted in). */
function plainValue(type: GraphQLInputType, name: string, depth = 0): unknown {
  const inner = getNullableType(type);
  if (isListType(inner)) return depth > 3 ? [] : [plainValue(inner.ofType, name, depth + 1)];
  if (isEnumType(inner)) return inner.getValues()[0]?.name;
  if (isInputObjectType(inner)) {
    if (depth > 3) return {};
    return Object.fromEntries(
      Object.values(inner.getFields()).map((f) => [f.name, plainValue(f.type, f.name, depth + 1)]),
    );
  }
  switch (inner.name) {
    case 'ID':
      return /idempotency/i.test(name) ? '7d0c5f52-7f0a-4b8e-9a43-5b0f3f1f8b11' : IDS[0];
    case 'Int':
      return 1;
    case 'SafeInt':
      return 100;
    case 'Float':
      return 38.1;
    case 'Boolean':
      return true;
    case 'DateTimeISO':
      return '2030-01-02T10:00:00.000Z';
    default:
      return 'Prova';
  }
}

/** A leaf of a mutation's arguments: its path (argument, input fields, list items) and type. */
interface Leaf {
  path: Array<string | number>;
  type: GraphQLInputType;
  name: string;
  /** Non-null without a default: leaving it out is a type error. */
  required: boolean;
}

function leavesOf(
  type: GraphQLInputType,
  path: Array<string | number>,
  name: string,
  defaultValue: unknown,
  depth = 0,
): Leaf[] {
  const inner = getNullableType(type);
  const self: Leaf = {
    path,
    type,
    name,
    required: isNonNullType(type) && defaultValue === undefined,
  };
  if (depth > 3) return [self];
  if (isListType(inner)) {
    return [self, ...leavesOf(inner.ofType, [...path, 0], name, undefined, depth + 1)];
  }
  if (isInputObjectType(inner)) {
    return [
      self,
      ...Object.values(inner.getFields()).flatMap((f) =>
        leavesOf(f.type, [...path, f.name], f.name, f.defaultValue, depth + 1),
      ),
    ];
  }
  return [self];
}

/** A copy of `value` with the leaf at `path` replaced (or removed, for `undefined`). */
function planted(value: unknown, path: Array<string | number>, leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  const copy = (
    Array.isArray(value) ? [...(value as unknown[])] : { ...(value as object) }
  ) as Record<string | number, unknown>;
  const next = planted(copy[head!], rest, leaf);
  if (next === undefined) delete copy[head!];
  else copy[head!] = next;
  return copy;
}

/** The JSON body of an operation, with Raw tokens written as they are. */
function bodyOf(query: string, variables: Record<string, unknown>): string {
  const tokens: string[] = [];
  const json = JSON.stringify({ query, variables }, (_key, value: unknown) => {
    if (value instanceof Raw) {
      tokens.push(value.token);
      return `\u0000RAW${tokens.length - 1}\u0000`;
    }
    return value;
  });
  return json.replace(/"\\u0000RAW(\d+)\\u0000"/g, (_m, i: string) => tokens[Number(i)]!);
}

/** The operation calling a mutation with every argument as a variable, selecting `__typename`. */
function operationOf(field: GraphQLField<unknown, unknown>): string {
  const definitions = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `mutation Fuzz(${definitions}) { ${field.name}(${args}) { __typename } }`;
}

/** The operation's result type may be a scalar (Boolean): no selection then. */
function selectionFits(field: GraphQLField<unknown, unknown>, operation: string): string {
  const result = getNullableType(field.type);
  const scalar =
    isScalarType(result) ||
    isEnumType(result) ||
    (isListType(result) && isScalarType(getNullableType(result.ofType)));
  return scalar ? operation.replace(' { __typename } }', ' }') : operation;
}

describe('input at the edge, through the gateway', () => {
  let platform: TestPlatform;
  let gateway: string;
  let db: pg.Client;
  /** Every line every process printed, with its process. */
  const logLines: string[] = [];
  const tokens: Partial<Record<Who, string>> = {};

  beforeAll(async () => {
    const info = { LOG_LEVEL: 'info' };
    platform = await startTestPlatform({
      onLine: (service, line) => logLines.push(`[${service}] ${line}`),
      subgraphEnv: {
        identity: info,
        'public-welfare': info,
        'third-sector': info,
        gateway: info,
      },
    });
    gateway = platform.urls.gateway;
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    tokens.manager = (await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD)).token;
    tokens.admin = (await login(gateway, demoEmail('ADMIN'), DEMO_PASSWORD)).token;
    tokens.merchant = (await login(gateway, demoEmail('MERCHANT', 'OWNER'), DEMO_PASSWORD)).token;
    tokens.provider = (
      await login(gateway, demoEmail('COOPERATIVE', 'ADMIN'), DEMO_PASSWORD)
    ).token;
    tokens.citizen = await citizenToken(platform, DEMO_CITIZEN.fiscalCode);
  });
  afterAll(async () => {
    await db?.end();
    await platform?.close();
  });

  const call = <T = Record<string, unknown>>(
    who: Who,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphQLResponse<T>> => {
    const token = tokens[who];
    return gql<T>(gateway, query, variables, token ? { token } : {});
  };
  const codes = (answer: GraphQLResponse<unknown>) =>
    (answer.errors ?? []).map((e) => e.extensions?.code);
  const fields = (answer: GraphQLResponse<unknown>) =>
    (answer.errors ?? []).flatMap((e) => e.extensions?.fields ?? []).map((f) => f.field);

  /** Rows and a checksum of every table of every subgraph's schema. */
  async function snapshot(): Promise<Map<string, string>> {
    const tables = await db.query<{ schemaname: string; tablename: string }>(
      `select schemaname, tablename from pg_tables
        where schemaname not in ('pg_catalog', 'information_schema', 'public')
        order by 1, 2`,
    );
    // The audit sealer and checker write in the background (a row's hashes once it is sealed,
    // the numbers skipped, the last check): what a request wrote is the audit rows themselves.
    const background = new Set(['audit_event_gap', 'audit_chain_check']);
    const row = (table: string) =>
      table === 'audit_event' ? `(to_jsonb(x) - 'prev_hash' - 'hash')::text` : 'x::text';
    const parts = tables.rows
      .filter((t) => !background.has(t.tablename))
      .map(
        (t) =>
          `select '${t.schemaname}.${t.tablename}' as t, count(*)::text || ':' || coalesce(sum(hashtext(${row(t.tablename)})::bigint), 0)::text as v from "${t.schemaname}"."${t.tablename}" x`,
      );
    const result = await db.query<{ t: string; v: string }>(parts.join(' union all '));
    return new Map(result.rows.map((r) => [r.t, r.v]));
  }
  const changed = (before: Map<string, string>, after: Map<string, string>) =>
    [...after].filter(([t, v]) => before.get(t) !== v).map(([t]) => t);

  describe('client type errors are BAD_USER_INPUT with their field', () => {
    const BUDGET = `mutation($budgetCents: SafeInt!, $campaignId: ID!) {
      setCampaignBudget(budgetCents: $budgetCents, campaignId: $campaignId) { id }
    }`;

    it.each([
      ['1.5', 1.5],
      ['2^53', 2 ** 53],
      ['"100"', '100'],
      ['true', true],
    ])('a SafeInt variable of %s', async (_name, value) => {
      const answer = await call('manager', BUDGET, {
        budgetCents: value,
        campaignId: DEMO_SPENDING_CAMPAIGN_ID,
      });
      expect(codes(answer), JSON.stringify(answer.errors)).toEqual(['BAD_USER_INPUT']);
      expect(fields(answer)).toEqual(['budgetCents']);
      expect(answer.errors?.[0]?.extensions?.fields?.[0]?.message).toEqual({
        it: 'Deve essere un numero intero.',
        en: 'Must be a whole number.',
      });
    });

    it('a SafeInt literal of 1.5 and of "100"', async () => {
      for (const literal of ['1.5', '"100"']) {
        const answer = await call(
          'manager',
          `mutation { setCampaignBudget(budgetCents: ${literal}, campaignId: "${DEMO_SPENDING_CAMPAIGN_ID}") { id } }`,
        );
        expect(codes(answer), JSON.stringify(answer.errors)).toEqual(['BAD_USER_INPUT']);
        expect(fields(answer)).toEqual(['budgetCents']);
      }
    });

    it('an amount inside an input, an Int, an enum, a missing argument, an unknown field', async () => {
      const charge = await call(
        'merchant',
        `mutation($input: ChargeCardInput!) { chargeCard(input: $input) { __typename } }`,
        {
          input: {
            idempotencyKey: '0d2d3c1e-8f7e-4a61-9d0b-6a1c2b3d4e5f',
            accreditationId: DEMO_ORG.daRosa,
            card: { fiscalCode: DEMO_CITIZEN.fiscalCode },
            pin: '12345',
            amountCents: 2 ** 53,
            category: 'FOOD',
          },
        },
      );
      expect(codes(charge)).toEqual(['BAD_USER_INPUT']);
      expect(fields(charge)).toEqual(['input.amountCents']);

      const cancel = await call(
        'manager',
        `mutation($number: Int!, $campaignId: ID!) { cancelScheduledTopUp(number: $number, campaignId: $campaignId) { number } }`,
        { number: 1.5, campaignId: DEMO_SPENDING_CAMPAIGN_ID },
      );
      expect(codes(cancel)).toEqual(['BAD_USER_INPUT']);
      expect(fields(cancel)).toEqual(['number']);

      const block = await call(
        'manager',
        `mutation($reason: CardBlockReason!) { blockCard(reason: $reason, id: "x") { id } }`,
        { reason: 'NOPE' },
      );
      expect(codes(block)).toEqual(['BAD_USER_INPUT']);
      expect(fields(block)).toEqual(['reason']);

      const missing = await call(
        'manager',
        `mutation { setCampaignBudget(campaignId: "${DEMO_SPENDING_CAMPAIGN_ID}") { id } }`,
      );
      expect(codes(missing)).toEqual(['BAD_USER_INPUT']);
      expect(fields(missing)).toEqual(['budgetCents']);
      expect(missing.errors?.[0]?.extensions?.reason).toBe('GRAPHQL_VALIDATION_FAILED');

      const unknown = await call('anonymous', `mutation { nope }`);
      expect(unknown.status).toBe(400);
      expect(codes(unknown)).toEqual(['BAD_USER_INPUT']);
      expect(unknown.errors?.[0]?.extensions?.reason).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  });

  describe('text inputs', () => {
    const DRAFT = `mutation($input: ApplicationDraftInput!) { saveApplicationDraft(input: $input) { id } }`;
    const draft = (notes: string) => ({
      campaignId: DEMO_CAMPAIGN_ID,
      privacyNoticeAcknowledged: true,
      email: 'mario.rossi@example.it',
      notes,
    });

    it.each([
      ['a NUL', 'nota\u0000nota'],
      ['a lone surrogate', 'nota\ud800nota'],
      ['an escape', 'nota\u001b[31m'],
      ['a C1 control', 'nota\u0085nota'],
    ])('refuses %s in saved text, naming the field, writing nothing', async (_name, notes) => {
      const before = await snapshot();
      const answer = await call('citizen', DRAFT, { input: draft(notes) });
      expect(codes(answer), JSON.stringify(answer.errors)).toEqual(['BAD_USER_INPUT']);
      expect(fields(answer)).toEqual(['input.notes']);
      expect(changed(before, await snapshot())).toEqual([]);
    });

    it('refuses a line break in a single-line field and accepts it in free text', async () => {
      const broken = await call('citizen', DRAFT, {
        input: { ...draft('ok'), email: 'mario.rossi@example.it\nBcc: x@example.it' },
      });
      expect(codes(broken)).toEqual(['BAD_USER_INPUT']);
      expect(fields(broken)).toEqual(['input.email']);
      const multiLine = await call('citizen', DRAFT, { input: draft('riga 1\nriga 2 😀') });
      expect(multiLine.errors, JSON.stringify(multiLine.errors)).toBeUndefined();
    });

    it('answers a body over 1 MB with 413 and BAD_USER_INPUT', async () => {
      const answer = await call('citizen', DRAFT, { input: draft(HUGE) });
      expect(answer.status).toBe(413);
      expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    });
  });

  it('keeps personal data and SQL parameters out of every process’s log', async () => {
    const fiscalCode = 'BNCLRA85M41H501Z';
    const email = 'laura.bianchi.edge@example.it';
    const phone = '+39 347 555 1234';
    const phoneDigits = '3475551234';
    const note = 'EDGE-PROBE nota riservata di Laura';
    // Database failures on demand: CHECK constraints the next writes break (not validated, so
    // existing rows stay as they are).
    await db.query(
      `alter table public_welfare.application add constraint edge_probe_check
         check (position('EDGE-PROBE' in answers::text) = 0) not valid`,
    );
    await db.query(
      `alter table identity.person add constraint edge_probe_person_check
         check (coalesce(email, '') not like 'laura.bianchi.edge%') not valid`,
    );
    try {
      // A NUL and a lone surrogate in saved text (refused before any SQL).
      for (const bad of ['\u0000', '\ud800']) {
        const refused = await call(
          'citizen',
          `mutation($input: ApplicationDraftInput!) { saveApplicationDraft(input: $input) { id } }`,
          {
            input: {
              campaignId: DEMO_CAMPAIGN_ID,
              privacyNoticeAcknowledged: true,
              email,
              phone,
              notes: `${note}${bad}`,
            },
          },
        );
        expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
      }
      // The applicant saves the draft: the write breaks the CHECK.
      const failed = await call(
        'citizen',
        `mutation($input: ApplicationDraftInput!) { saveApplicationDraft(input: $input) { id } }`,
        {
          input: {
            campaignId: DEMO_CAMPAIGN_ID,
            privacyNoticeAcknowledged: true,
            email,
            phone,
            notes: note,
          },
        },
      );
      expect(codes(failed), JSON.stringify(failed.errors)).toEqual(['INTERNAL_SERVER_ERROR']);
      // A new member with a codice fiscale, an e-mail and a phone: the person's insert breaks.
      const invited = await call(
        'admin',
        `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { token } }`,
        {
          input: {
            organisationId: DEMO_COMUNE_ID,
            email,
            givenName: 'Laura',
            familyName: 'Bianchi',
            fiscalCode,
            phone,
            role: 'OPERATOR',
          },
        },
      );
      expect(codes(invited), JSON.stringify(invited.errors)).toEqual(['INTERNAL_SERVER_ERROR']);
    } finally {
      await db.query('alter table public_welfare.application drop constraint edge_probe_check');
      await db.query('alter table identity.person drop constraint edge_probe_person_check');
    }
    // Both failures were logged (so the search below reads the lines that matter)...
    await expect
      .poll(() => logLines.filter((l) => /edge_probe/.test(l)).length, { timeout: 5_000 })
      .toBe(2);
    const failures = logLines.filter((l) => /edge_probe/.test(l));
    for (const line of failures) {
      expect(line).toMatch(/"code":"23514"/);
      expect(line).toMatch(/"requestId":"[0-9a-f-]{36}"/);
    }
    // ... and no line of any process holds a value.
    for (const value of [fiscalCode, email, phone, phoneDigits, 'EDGE-PROBE', 'nota riservata']) {
      const hits = logLines.filter((l) => l.includes(value));
      expect(hits, `${value} in the logs`).toEqual([]);
    }
  });

  it('refuses generated hostile input for every mutation: 0 server errors, nothing written', async () => {
    const mutations = Object.values(API.getMutationType()!.getFields()).filter(
      (m) => m.args.length,
    );
    const started = Date.now();
    let cases = 0;
    const problems: string[] = [];
    const outcomes = new Map<string, number>();
    for (const mutation of mutations) {
      const who = CALLER[mutation.name] ?? 'manager';
      const query = selectionFits(mutation, operationOf(mutation));
      const base = Object.fromEntries(
        mutation.args.map((a) => [a.name, plainValue(a.type, a.name)]),
      );
      const leaves = mutation.args.flatMap((a) =>
        leavesOf(a.type, [a.name], a.name, a.defaultValue),
      );
      const plantedCase = fc.constantFrom(...leaves).chain((leaf) =>
        fc
          .oneof(
            { weight: 9, arbitrary: hostileFor(leaf.type, leaf.name) },
            // A required leaf left out.
            {
              weight: leaf.required ? 1 : 0,
              arbitrary: fc.constant<Hostile>({ value: undefined, kind: 'type' }),
            },
          )
          .map((hostile) => ({ leaf, hostile })),
      );
      const before = await snapshot();
      await fc
        .assert(
          fc.asyncProperty(plantedCase, async ({ leaf, hostile }) => {
            cases += 1;
            const variables = planted(base, leaf.path, hostile.value) as Record<string, unknown>;
            const token = tokens[who];
            const response = await httpRequest(gateway, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                ...(token ? { authorization: `Bearer ${token}` } : {}),
              },
              body: bodyOf(query, variables),
            });
            const text = await response.text();
            let body: { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> } = {};
            try {
              body = JSON.parse(text) as typeof body;
            } catch {
              // Checked below: a body that is not JSON is a failure.
            }
            const got = (body.errors ?? []).map((e) => e.extensions?.code ?? 'NONE');
            const allowed = hostile.kind === 'type' ? TYPE_REFUSALS : RULE_REFUSALS;
            for (const code of got) {
              const key = `${response.status} ${code}`;
              outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
            }
            const where = `${mutation.name} ${leaf.path.join('.')}`;
            expect(response.status, `${where}: HTTP ${response.status}`).toBeLessThan(500);
            expect(got.length, `${where}: accepted`).toBeGreaterThan(0);
            expect(
              got.filter((c) => !allowed.has(c)),
              `${where} (${hostile.kind}): ${text.slice(0, 300)}`,
            ).toEqual([]);
          }),
          { seed: SEED, numRuns: RUNS_PER_MUTATION, endOnFailure: true },
        )
        .catch((err: unknown) => {
          problems.push(`${mutation.name}: ${String(err).slice(0, 1500)}`);
        });
      const written = changed(before, await snapshot());
      if (written.length) problems.push(`${mutation.name} wrote to ${written.join(', ')}`);
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `fuzz: ${mutations.length} mutations, ${cases} cases, ${seconds.toFixed(1)} s, seed ${SEED}; codes ${JSON.stringify(Object.fromEntries(outcomes))}`,
    );
    expect(problems).toEqual([]);
    expect(mutations.length).toBeGreaterThan(70);
  }, 300_000);
});
