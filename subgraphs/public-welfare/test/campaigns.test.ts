import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateOver } from '../src/modules/campaign/campaign.service.js';
import { entitlementCents } from '../src/modules/campaign/rules.js';
import { campaignInput, LASTING_INCOME } from './campaign-fixtures.js';
import { REGISTRY } from './fixtures.js';
import {
  ANONYMOUS,
  CITIZEN,
  COMUNE_A,
  COMUNE_B,
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
const managerB = staff(COMUNE_B, 'MANAGER');

beforeAll(async () => {
  suite = await setupSuite('campaigns');
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
});
afterAll(() => suite.close());

const CREATE = `mutation($input: CampaignInput!) { createCampaign(input: $input) { id status title budgetCents rules { iseeThresholds { type maxCents } } } }`;

function gqlInput(input: ReturnType<typeof campaignInput>) {
  return {
    ...input,
    applicationsOpenAt: input.applicationsOpenAt.toISOString(),
    applicationsCloseAt: input.applicationsCloseAt.toISOString(),
  };
}

describe('campaign editing', () => {
  it('creates a DRAFT through GraphQL with the given rules', async () => {
    const result = await suite.run<{ createCampaign: { status: string; budgetCents: number } }>(
      CREATE,
      { input: gqlInput(campaignInput(COMUNE_A)) },
      operator,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.createCampaign).toMatchObject({ status: 'DRAFT', budgetCents: 100_000 });
  });

  it('refuses bad input field by field and writes nothing', async () => {
    const before = await suite.count('campaign');
    const now = Date.now();
    const err = await caught(() =>
      suite.services.campaigns.create(
        suite.orm.em.fork(),
        operator,
        campaignInput(COMUNE_A, {
          title: ' ',
          budgetCents: -1,
          applicationsOpenAt: new Date(now),
          applicationsCloseAt: new Date(now - 1000),
          spendingFrom: '2026-06-01',
          spendingUntil: '2026-05-31',
          amountSchedule: {
            mode: 'BY_SIZE',
            bySizeCents: [10_000, -5],
            perAdultCents: 0,
            perMinorCents: 0,
            capCents: null,
          },
          rules: {
            requireResidency: true,
            iseeThresholds: [{ type: 'ORDINARIO', maxCents: 999_999_999_999 }],
            minSize: 5,
            maxSize: 2,
            excludePublicSupport: false,
          },
          requiredDocuments: [
            { code: 'ID', labelIt: 'a', labelEn: 'a', mandatory: true },
            { code: 'ID', labelIt: 'b', labelEn: 'b', mandatory: true },
          ],
          decisionDays: 0,
        }),
      ),
    );
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.fields.map((f) => f.field).sort()).toEqual(
      [
        'amountSchedule.bySizeCents.1',
        'applicationsCloseAt',
        'budgetCents',
        'decisionDays',
        'requiredDocuments.1.code',
        'rules.iseeMaxByType.ORDINARIO',
        'rules.maxSize',
        'spendingUntil',
        'title',
      ].sort(),
    );
    for (const f of err.fields) {
      expect(f.message.it.length).toBeGreaterThan(0);
      expect(f.message.en.length).toBeGreaterThan(0);
    }
    expect(await suite.count('campaign')).toBe(before);
  });

  it('keeps the categories the credit cannot pay for, and refuses excluding them all', async () => {
    const created = await suite.run<{
      createCampaign: { id: string; excludedCategories: string[] };
    }>(
      `mutation($input: CampaignInput!) { createCampaign(input: $input) { id excludedCategories } }`,
      { input: gqlInput(campaignInput(COMUNE_A, { excludedCategories: ['ALCOHOL', 'GAMBLING'] })) },
      operator,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data?.createCampaign.excludedCategories).toEqual(['ALCOHOL', 'GAMBLING']);
    const before = await suite.count('campaign');
    const all = await caught(() =>
      suite.services.campaigns.create(
        suite.orm.em.fork(),
        operator,
        campaignInput(COMUNE_A, {
          excludedCategories: [
            'FOOD',
            'PHARMACY',
            'HYGIENE',
            'CLOTHING',
            'SCHOOL',
            'ALCOHOL',
            'TOBACCO',
            'GAMBLING',
            'PHONE_TOPUP',
            'OTHER',
          ],
        }),
      ),
    );
    expect(all.code).toBe('BAD_USER_INPUT');
    expect(all.fields.map((f) => f.field)).toEqual(['excludedCategories']);
    const unknown = await suite.run(
      CREATE,
      { input: gqlInput(campaignInput(COMUNE_A, { excludedCategories: ['WINE'] })) },
      operator,
    );
    // Not a ShopCategory: refused by the schema before the service.
    expect(JSON.stringify(unknown.errors)).toContain('WINE');
    expect(await suite.count('campaign')).toBe(before);
  });

  it('rejects an absurd budget through GraphQL too (nothing written)', async () => {
    const before = await suite.count('campaign');
    const result = await suite.run(
      CREATE,
      { input: gqlInput(campaignInput(COMUNE_A, { budgetCents: 10_000_000_001 })) },
      operator,
    );
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(await suite.count('campaign')).toBe(before);
  });

  it('lets only the MANAGER publish; published campaigns are frozen and public', async () => {
    const em = suite.orm.em.fork();
    const draft = await suite.services.campaigns.create(em, operator, campaignInput(COMUNE_A));
    expect(
      (await caught(() => suite.services.campaigns.publish(em, operator, draft.id))).code,
    ).toBe('FORBIDDEN');
    // A draft is invisible outside the Comune's staff.
    expect(await suite.services.campaigns.get(suite.orm.em.fork(), CITIZEN, draft.id)).toBeNull();
    const published = await suite.services.campaigns.publish(em, manager, draft.id);
    expect(published.status).toBe('PUBLISHED');
    expect((await suite.services.campaigns.get(suite.orm.em.fork(), ANONYMOUS, draft.id))?.id).toBe(
      draft.id,
    );
    const listed = await suite.services.campaigns.listPublished(suite.orm.em.fork());
    expect(listed.map((c) => c.id)).toContain(draft.id);
    expect(
      (
        await caught(() =>
          suite.services.campaigns.update(
            suite.orm.em.fork(),
            operator,
            draft.id,
            campaignInput(COMUNE_A),
          ),
        )
      ).code,
    ).toBe('CONFLICT');
    const closed = await suite.services.campaigns.close(suite.orm.em.fork(), manager, draft.id);
    expect(closed.status).toBe('CLOSED');
  });

  it('keeps tenants apart: Comune B staff neither see nor change Comune A campaigns', async () => {
    const em = suite.orm.em.fork();
    const draft = await suite.services.campaigns.create(em, operator, campaignInput(COMUNE_A));
    const svc = suite.services.campaigns;
    const fresh = () => suite.orm.em.fork();
    expect((await caught(() => svc.create(fresh(), operatorB, campaignInput(COMUNE_A)))).code).toBe(
      'FORBIDDEN',
    );
    expect((await caught(() => svc.listForComune(fresh(), operatorB, COMUNE_A))).code).toBe(
      'FORBIDDEN',
    );
    expect(await svc.get(fresh(), operatorB, draft.id)).toBeNull();
    expect(
      (await caught(() => svc.update(fresh(), operatorB, draft.id, campaignInput(COMUNE_B)))).code,
    ).toBe('FORBIDDEN');
    expect((await caught(() => svc.publish(fresh(), managerB, draft.id))).code).toBe('FORBIDDEN');
    expect((await caught(() => svc.close(fresh(), managerB, draft.id))).code).toBe('FORBIDDEN');
    expect(
      (await caught(() => suite.services.cases.setBudget(fresh(), managerB, draft.id, 1))).code,
    ).toBe('FORBIDDEN');
    expect((await caught(() => suite.services.cases.rank(fresh(), managerB, draft.id))).code).toBe(
      'FORBIDDEN',
    );
    const sim = campaignInput(COMUNE_A);
    expect(
      (
        await caught(() =>
          svc.simulate(fresh(), operatorB, {
            comuneId: COMUNE_A,
            rules: sim.rules,
            amountSchedule: sim.amountSchedule,
            budgetCents: 1,
            rankingCriteria: [],
          }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect((await caught(() => svc.listForComune(fresh(), ANONYMOUS, COMUNE_A))).code).toBe(
      'UNAUTHENTICATED',
    );
    // Nothing changed.
    const again = await svc.get(fresh(), operator, draft.id);
    expect(again).toMatchObject({ status: 'DRAFT', budgetCents: 100_000 });
  });
});

describe('simulation over the registry', () => {
  const base = campaignInput(COMUNE_A);
  const simulate = (
    overrides: Partial<Parameters<Suite['services']['campaigns']['simulate']>[2]>,
  ) =>
    suite.services.campaigns.simulate(suite.orm.em.fork(), operator, {
      comuneId: COMUNE_A,
      rules: base.rules,
      amountSchedule: base.amountSchedule,
      budgetCents: 40_000,
      rankingCriteria: ['ISEE_ASC'],
      ...overrides,
    });

  it('counts eligible households, their cost and what the budget covers in ranking order', async () => {
    const auditBefore = await suite.count('audit_event', COMUNE_A);
    const result = await simulate({});
    // F001 (3 members, ORDINARIO 12,345.67) and F003 (2 members, MINORENNI 4,500.50) qualify;
    // F002 has a SOCIOSANITARIO ISEE (not accepted), F004 is not resident and has no ISEE.
    expect(result).toMatchObject({
      households: 4,
      eligible: 2,
      totalCostCents: 30_000 + 20_000,
      budgetCents: 40_000,
      // Ranked by ISEE: F003 (20,000) fits, F001 (30,000) does not.
      funded: 1,
      fundedCents: 20_000,
      shortfallCents: 10_000,
    });
    expect(result.exclusions).toEqual(
      expect.arrayContaining([
        { code: 'ISEE', excluded: 2 },
        { code: 'RESIDENCY', excluded: 1 },
      ]),
    );
    expect(result.bySize).toEqual([
      { size: 2, households: 1, costCents: 20_000 },
      { size: 3, households: 1, costCents: 30_000 },
    ]);
    expect(await suite.count('audit_event', COMUNE_A)).toBe(auditBefore + 1);
  });

  it('shows the effect of changing a threshold or an amount', async () => {
    const lower = await simulate({
      rules: {
        ...base.rules,
        iseeThresholds: [
          { type: 'ORDINARIO', maxCents: 1_000_000 },
          { type: 'MINORENNI', maxCents: 1_000_000 },
        ],
      },
    });
    expect(lower.eligible).toBe(1);
    const supported = await simulate({ rules: { ...base.rules, excludePublicSupport: true } });
    expect(supported.eligible).toBe(1);
    const perMember = await simulate({
      amountSchedule: {
        mode: 'PER_MEMBER',
        bySizeCents: [],
        perAdultCents: 10_000,
        perMinorCents: 5_000,
        capCents: 22_000,
      },
      budgetCents: 1_000_000,
    });
    // F001: 2 adults + 1 minor = 25,000 capped at 22,000; F003: 1 adult + 1 minor = 15,000.
    expect(perMember).toMatchObject({ totalCostCents: 37_000, funded: 2, shortfallCents: 0 });
  });

  it('refuses invalid simulation input', async () => {
    const err = await caught(() =>
      simulate({
        budgetCents: -5,
        amountSchedule: {
          mode: 'PER_MEMBER',
          bySizeCents: [],
          perAdultCents: 0,
          perMinorCents: 0,
          capCents: null,
        },
      }),
    );
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.fields.map((f) => f.field).sort()).toEqual([
      'amountSchedule.perAdultCents',
      'budgetCents',
    ]);
  });

  it('computes amounts by size (last amount for larger households) and per member with a cap', () => {
    const bySize = {
      mode: 'BY_SIZE' as const,
      bySizeCents: [100, 200],
      perAdultCents: 0,
      perMinorCents: 0,
      capCents: null,
    };
    expect([1, 2, 5].map((n) => entitlementCents(bySize, n, 0))).toEqual([100, 200, 200]);
    const perMember = {
      mode: 'PER_MEMBER' as const,
      bySizeCents: [],
      perAdultCents: 100,
      perMinorCents: 50,
      capCents: 220,
    };
    expect(entitlementCents(perMember, 3, 1)).toBe(220);
    expect(entitlementCents(perMember, 2, 1)).toBe(150);
  });

  it('funds in ranking order and stops at the first that does not fit', () => {
    const facts = (iseeCents: number, size: number) => ({
      resident: true,
      size,
      minors: 0,
      hasDisability: false,
      iseeCents,
      iseeType: 'ORDINARIO' as const,
      receivesPublicSupport: false,
    });
    const result = simulateOver(
      [
        { code: 'C', facts: facts(200, 1) },
        { code: 'A', facts: facts(150, 2) },
        { code: 'B', facts: facts(100, 3) },
      ],
      {
        requireResidency: true,
        iseeMaxByType: { ORDINARIO: 1000 },
        minSize: null,
        maxSize: null,
        excludePublicSupport: false,
      },
      {
        mode: 'BY_SIZE',
        bySizeCents: [10, 20, 30],
        perAdultCents: 0,
        perMinorCents: 0,
        capCents: null,
      },
      45,
      ['ISEE_ASC', 'SUBMITTED_ASC'],
    );
    // By ISEE: B (30) fits; A (20) would make 50 > 45: funding stops there, although C (10)
    // alone would still fit (a ranking is not skipped over).
    expect(result).toMatchObject({ eligible: 3, totalCostCents: 60, funded: 1, fundedCents: 30 });
  });
});

describe('failedRules agrees with evaluateRules', () => {
  it('on every combination of facts', async () => {
    const { evaluateRules, failedRules } = await import('../src/modules/campaign/rules.js');
    const rules = {
      requireResidency: true,
      iseeMaxByType: { ORDINARIO: 1000, MINORENNI: 500 },
      minSize: 2,
      maxSize: 4,
      excludePublicSupport: true,
    };
    const cases = [null];
    for (const resident of [true, false])
      for (const size of [1, 2, 5])
        for (const iseeCents of [null, 400, 800, 1200])
          for (const iseeType of [null, 'ORDINARIO', 'MINORENNI', 'CORRENTE'] as const)
            for (const receivesPublicSupport of [true, false])
              cases.push({
                resident,
                size,
                minors: 0,
                hasDisability: false,
                iseeCents,
                iseeType,
                receivesPublicSupport,
              } as never);
    for (const facts of cases) {
      const slow = evaluateRules(rules, facts)
        .filter((c) => !c.passed)
        .map((c) => c.code);
      expect(failedRules(rules, facts)).toEqual(slow);
    }
    expect(cases.length).toBeGreaterThan(100);
  });
});
