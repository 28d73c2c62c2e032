import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaughtError, Suite } from '@welfare/kit/test-suite';
import type { Services } from '../src/services.js';
import {
  ANONYMOUS,
  CITIZEN,
  ORG_A,
  ORG_B,
  caught,
  errorCode,
  errorFields,
  member,
  setupSuite,
} from './helpers.js';
import { CREATE, PDF, planInput } from './plan-fixtures.js';

let suite: Suite<Services>;
const clock = { now: new Date('2026-03-01T09:00:00Z') };
beforeAll(async () => {
  suite = await setupSuite('plan_editor', { now: () => clock.now });
});
afterAll(() => suite.close());

const HR = member(ORG_A, 'EMPLOYER', 'HR');
const OTHER_HR = member(ORG_B, 'EMPLOYER', 'HR');
const COMUNE = member(ORG_A, 'COMUNE', 'MANAGER');

const UPDATE = `mutation ($id: ID!, $input: WelfarePlanInput!) {
  updateWelfarePlan(id: $id, input: $input) { id name validUntil categories { code creditCents } }
}`;
const PUBLISH = `mutation ($id: ID!) { publishWelfarePlan(id: $id) { id status publishedAt } }`;
const PLAN = `query ($id: ID!) { welfarePlan(id: $id) { id name regulationFileName regulationSizeBytes } }`;

async function createPlan(overrides: Record<string, unknown> = {}): Promise<string> {
  const result = await suite.run<{ createWelfarePlan: { id: string } }>(
    CREATE,
    { employerId: ORG_A, input: planInput(overrides) },
    HR,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.createWelfarePlan.id;
}

describe('createWelfarePlan', () => {
  it('creates a DRAFT plan with its categories for the employer’s HR', async () => {
    const result = await suite.run(
      CREATE,
      {
        employerId: ORG_A,
        input: planInput({
          name: '  Piano 2026  ',
          categories: [
            { code: 'operai', name: 'Operai', criterion: 'Livelli 1-3', creditCents: 50_000 },
          ],
        }),
      },
      HR,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.createWelfarePlan).toMatchObject({
      name: 'Piano 2026',
      year: 2026,
      status: 'DRAFT',
      purposes: ['SERVICES_IN_KIND', 'EDUCATION_CHILDCARE'],
      coveredCategories: ['EDUCATION', 'CHILDCARE'],
      endRule: 'RETURN_TO_EMPLOYER',
      publishedAt: null,
      regulationFileName: null,
      categories: [
        { code: 'OPERAI', name: 'Operai', criterion: 'Livelli 1-3', creditCents: 50_000 },
      ],
    });
  });

  it('reports every bad field at once and writes nothing', async () => {
    const before = await suite.count('plan');
    const categoriesBefore = await suite.count('plan_category');
    const result = await suite.run(
      CREATE,
      {
        employerId: ORG_A,
        input: planInput({
          name: 'x',
          year: 2030,
          validFrom: '2026-02-30',
          validUntil: '2025-01-01',
          purposes: [],
          coveredCategories: ['NOPE'],
          categories: [
            { code: 'OPERAI', name: 'O', criterion: 'ab', creditCents: -1 },
            { code: 'OPERAI', name: 'Operai bis', criterion: 'Livelli', creditCents: 1 },
            { code: 'bad code!', name: 'Altri', criterion: 'Livelli', creditCents: 100_000_001 },
          ],
        }),
      },
      HR,
    );
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(errorFields(result).sort()).toEqual(
      [
        'name',
        'year',
        'validFrom',
        'purposes',
        'coveredCategories',
        'categories.0.name',
        'categories.0.criterion',
        'categories.0.creditCents',
        'categories.1.code',
        'categories.2.code',
        'categories.2.creditCents',
      ].sort(),
    );
    const fields = (result.errors?.[0]?.originalError as unknown as CaughtError).fields;
    expect(fields.find((f) => f.field === 'name')?.message).toEqual({
      it: 'Da 3 a 120 caratteri.',
      en: 'From 3 to 120 characters.',
    });
    expect(await suite.count('plan')).toBe(before);
    expect(await suite.count('plan_category')).toBe(categoriesBefore);
  });

  it('requires catalogue categories for services in kind, and only for them', async () => {
    const none = await suite.run(
      CREATE,
      { employerId: ORG_A, input: planInput({ coveredCategories: [] }) },
      HR,
    );
    expect(errorFields(none)).toEqual(['coveredCategories']);
    const stray = await suite.run(
      CREATE,
      {
        employerId: ORG_A,
        input: planInput({ purposes: ['PUBLIC_TRANSPORT'], coveredCategories: ['SPORT'] }),
      },
      HR,
    );
    expect(errorFields(stray)).toEqual(['coveredCategories']);
    const late = await suite.run(
      CREATE,
      { employerId: ORG_A, input: planInput({ validUntil: '2027-07-01' }) },
      HR,
    );
    expect(errorFields(late)).toEqual(['validUntil']);
    const enumRefused = await suite.run(
      CREATE,
      { employerId: ORG_A, input: planInput({ purposes: ['CASH'] }) },
      HR,
    );
    expect(enumRefused.errors?.[0]?.message).toMatch(/WelfarePlanPurpose/);
  });
});

describe('updateWelfarePlan', () => {
  it('replaces a draft, categories matched by code', async () => {
    const id = await createPlan();
    const result = await suite.run(
      UPDATE,
      {
        id,
        input: planInput({
          name: 'Piano rivisto',
          validUntil: '2027-01-31',
          categories: [
            { code: 'IMPIEGATI', name: 'Impiegati', criterion: 'Livelli 4-7', creditCents: 35_000 },
            {
              code: 'QUADRI',
              name: 'Quadri',
              criterion: 'Quadri e dirigenti',
              creditCents: 20_000,
            },
          ],
        }),
      },
      HR,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.updateWelfarePlan).toEqual({
      id,
      name: 'Piano rivisto',
      validUntil: '2027-01-31',
      categories: [
        { code: 'IMPIEGATI', creditCents: 35_000 },
        { code: 'QUADRI', creditCents: 20_000 },
      ],
    });
  });

  it('changes nothing on bad input', async () => {
    const id = await createPlan();
    const result = await suite.run(UPDATE, { id, input: planInput({ name: '' }) }, HR);
    expect(errorFields(result)).toEqual(['name']);
    const [row] = await suite.sql<{ name: string }>(
      'select name from corporate_welfare.plan where id = ?',
      [id],
    );
    expect(row?.name).toBe('Piano welfare 2026');
  });
});

describe('regulation and publication', () => {
  it('stores a PDF regulation, refuses other files, and publishes only a complete plan', async () => {
    const id = await createPlan({ categories: [] });
    const early = await suite.run(PUBLISH, { id }, HR);
    expect(errorCode(early)).toBe('BAD_USER_INPUT');
    expect(errorFields(early).sort()).toEqual(['categories', 'regulation']);

    const gif = await caught(() =>
      suite.services.plans.setRegulation(suite.orm.em.fork(), HR, id, {
        fileName: 'reg.gif',
        content: Buffer.from('GIF89a....'),
      }),
    );
    expect(gif.code).toBe('BAD_USER_INPUT');
    expect(gif.fields.map((f) => f.field)).toEqual(['file']);
    const stranger = await caught(() =>
      suite.services.plans.setRegulation(suite.orm.em.fork(), OTHER_HR, id, {
        fileName: 'reg.pdf',
        content: PDF,
      }),
    );
    expect(stranger.code).toBe('FORBIDDEN');
    await suite.services.plans.setRegulation(suite.orm.em.fork(), HR, id, {
      fileName: 'regolamento.pdf',
      content: PDF,
    });
    const seen = await suite.run(PLAN, { id }, HR);
    expect(seen.data?.welfarePlan).toMatchObject({
      regulationFileName: 'regolamento.pdf',
      regulationSizeBytes: PDF.length,
    });
    const file = await suite.services.plans.regulation(suite.orm.em.fork(), HR, id);
    expect(file).toMatchObject({ fileName: 'regolamento.pdf', contentType: 'application/pdf' });
    expect(file.content.equals(PDF)).toBe(true);
    expect(
      (await caught(() => suite.services.plans.regulation(suite.orm.em.fork(), OTHER_HR, id))).code,
    ).toBe('FORBIDDEN');

    const noCategory = await suite.run(PUBLISH, { id }, HR);
    expect(errorFields(noCategory)).toEqual(['categories']);
    await suite.run(UPDATE, { id, input: planInput() }, HR);
    const published = await suite.run<{
      publishWelfarePlan: { status: string; publishedAt: string };
    }>(PUBLISH, { id }, HR);
    expect(published.errors).toBeUndefined();
    expect(published.data?.publishWelfarePlan).toMatchObject({ status: 'DRAFT' });
    expect(published.data?.publishWelfarePlan.publishedAt).toBeTruthy();
    const again = await suite.run(PUBLISH, { id }, HR);
    expect(again.data).toEqual(published.data);

    expect(errorCode(await suite.run(UPDATE, { id, input: planInput() }, HR))).toBe('CONFLICT');
    const late = await caught(() =>
      suite.services.plans.setRegulation(suite.orm.em.fork(), HR, id, {
        fileName: 'nuovo.pdf',
        content: PDF,
      }),
    );
    expect(late.code).toBe('CONFLICT');
  });
});

describe('tenancy', () => {
  it('refuses every operation to anyone but the employer’s HR', async () => {
    const id = await createPlan();
    const operations: [string, Record<string, unknown>][] = [
      [CREATE, { employerId: ORG_A, input: planInput() }],
      [UPDATE, { id, input: planInput() }],
      [PUBLISH, { id }],
      [PLAN, { id }],
    ];
    for (const [query, variables] of operations) {
      for (const caller of [ANONYMOUS, CITIZEN, OTHER_HR, COMUNE]) {
        const result = await suite.run(query, variables, caller);
        expect(errorCode(result)).toBe(caller === ANONYMOUS ? 'UNAUTHENTICATED' : 'FORBIDDEN');
      }
    }
    // The regulation's upload and download (the file routes call these).
    for (const caller of [ANONYMOUS, CITIZEN, OTHER_HR, COMUNE]) {
      const expected = caller === ANONYMOUS ? 'UNAUTHENTICATED' : 'FORBIDDEN';
      const upload = await caught(() =>
        suite.services.plans.setRegulation(suite.orm.em.fork(), caller, id, {
          fileName: 'r.pdf',
          content: PDF,
        }),
      );
      expect(upload.code).toBe(expected);
      const download = await caught(() =>
        suite.services.plans.regulation(suite.orm.em.fork(), caller, id),
      );
      expect(download.code).toBe(expected);
    }
    expect(errorCode(await suite.run(PLAN, { id: 'nope' }, HR))).toBe('BAD_USER_INPUT');
    expect(
      errorCode(await suite.run(PLAN, { id: '00000000-0000-4000-8000-000000000000' }, HR)),
    ).toBe('NOT_FOUND');
    const [row] = await suite.sql<{
      name: string;
      published_at: unknown;
      regulation_sha256: unknown;
    }>('select name, published_at, regulation_sha256 from corporate_welfare.plan where id = ?', [
      id,
    ]);
    expect(row).toEqual({
      name: 'Piano welfare 2026',
      published_at: null,
      regulation_sha256: null,
    });
  });
});
