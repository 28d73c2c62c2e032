import { randomUUID } from 'node:crypto';
import { execute, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { romeDay } from '@welfare/kit/dates';
import { campaignInput } from './campaign-fixtures.js';
import { COMUNE_A, COMUNE_B, caught, errorCode, setupSuite, staff, type Suite } from './helpers.js';

let suite: Suite;
const operator = staff(COMUNE_A);
const manager = staff(COMUNE_A, 'MANAGER');
const managerB = staff(COMUNE_B, 'MANAGER');
const DAY = 86_400_000;

beforeAll(async () => {
  suite = await setupSuite('coverage');
});
afterAll(() => suite.close());

const CREATE = `mutation($input: CampaignInput!) { createCampaign(input: $input) { id serviceCategories } }`;

function gqlInput(input: ReturnType<typeof campaignInput>) {
  return {
    ...input,
    applicationsOpenAt: input.applicationsOpenAt.toISOString(),
    applicationsCloseAt: input.applicationsCloseAt.toISOString(),
  };
}

describe('Campaign.serviceCategories', () => {
  it('stores the categories once each, in taxonomy order; none by default', async () => {
    const result = await suite.run<{ createCampaign: { id: string; serviceCategories: string[] } }>(
      CREATE,
      {
        input: gqlInput(
          campaignInput(COMUNE_A, { serviceCategories: ['SPORT', 'EDUCATION', 'SPORT'] }),
        ),
      },
      operator,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.createCampaign.serviceCategories).toEqual(['EDUCATION', 'SPORT']);
    const plain = campaignInput(COMUNE_A);
    delete plain.serviceCategories;
    const byDefault = await suite.run<{ createCampaign: { serviceCategories: string[] } }>(
      CREATE,
      { input: gqlInput(plain) },
      operator,
    );
    expect(byDefault.errors).toBeUndefined();
    expect(byDefault.data?.createCampaign.serviceCategories).toEqual([]);
  });

  it('refuses an unknown category with the other bad fields, in Italian and English, writing nothing', async () => {
    const before = await suite.count('campaign');
    const err = await caught(() =>
      suite.services.campaigns.create(
        suite.orm.em.fork(),
        operator,
        campaignInput(COMUNE_A, { title: ' ', serviceCategories: ['EDUCATION', 'SHOES'] }),
      ),
    );
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.fields.map((f) => f.field).sort()).toEqual(['serviceCategories', 'title']);
    const message = err.fields.find((f) => f.field === 'serviceCategories')!.message;
    expect(message.it).toMatch(/categoria/i);
    expect(message.en).toMatch(/category/i);
    // Through GraphQL the enum itself refuses it before any resolver runs.
    const result = await suite.run(
      CREATE,
      { input: gqlInput(campaignInput(COMUNE_A, { serviceCategories: ['SHOES'] })) },
      operator,
    );
    expect(result.errors?.[0]?.message).toMatch(/OfferCategory/);
    expect(await suite.count('campaign')).toBe(before);
  });

  it('is checked by the database too', async () => {
    const campaign = await suite.services.campaigns.create(
      suite.orm.em.fork(),
      operator,
      campaignInput(COMUNE_A),
    );
    await expect(
      suite.orm.em
        .getConnection()
        .execute(
          `update public_welfare.campaign set service_categories = '{EDUCATION,SHOES}' where id = ?`,
          [campaign.id],
        ),
    ).rejects.toThrow(/campaign_service_categories_check/);
  });
});

describe('Offer.coveredByCampaigns', () => {
  const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Offer { id coveredByCampaigns { id title serviceCategories } } } }`;
  const ids: Record<string, string> = {};
  const today = romeDay(new Date());

  /** A campaign of `comuneId` with the given categories, published unless told otherwise. */
  async function campaign(
    name: string,
    comuneId: string,
    overrides: Parameters<typeof campaignInput>[1],
    then: 'DRAFT' | 'PUBLISHED' | 'CLOSED' = 'PUBLISHED',
  ): Promise<void> {
    const who = comuneId === COMUNE_A ? manager : managerB;
    const created = await suite.services.campaigns.create(
      suite.orm.em.fork(),
      who,
      campaignInput(comuneId, { title: name, ...overrides }),
    );
    if (then !== 'DRAFT')
      await suite.services.campaigns.publish(suite.orm.em.fork(), who, created.id);
    if (then === 'CLOSED')
      await suite.services.campaigns.close(suite.orm.em.fork(), who, created.id);
    ids[name] = created.id;
  }

  beforeAll(async () => {
    await campaign('open A', COMUNE_A, { serviceCategories: ['EDUCATION', 'SPORT'] });
    await campaign('ends today A', COMUNE_A, {
      serviceCategories: ['EDUCATION'],
      spendingFrom: '2026-01-01',
      spendingUntil: today,
    });
    await campaign(
      'closed, still spendable A',
      COMUNE_A,
      { serviceCategories: ['EDUCATION'] },
      'CLOSED',
    );
    await campaign('window ended A', COMUNE_A, {
      serviceCategories: ['EDUCATION'],
      spendingFrom: '2020-01-01',
      spendingUntil: romeDay(new Date(Date.now() - 2 * DAY)),
    });
    await campaign('draft A', COMUNE_A, { serviceCategories: ['EDUCATION'] }, 'DRAFT');
    await campaign('culture only A', COMUNE_A, { serviceCategories: ['CULTURE'] });
    await campaign('no services A', COMUNE_A, { serviceCategories: [] });
    await campaign('open B', COMUNE_B, { serviceCategories: ['EDUCATION', 'SPORT'] });
  });

  function offer(comuneId: string, category: string) {
    return { __typename: 'Offer', id: randomUUID(), comuneId, providerId: randomUUID(), category };
  }

  it('lists the not-draft campaigns of the offer’s Comune, window not ended, naming its category', async () => {
    const reps = [
      offer(COMUNE_A, 'EDUCATION'),
      offer(COMUNE_A, 'SPORT'),
      offer(COMUNE_A, 'HEALTH'),
      offer(COMUNE_B, 'EDUCATION'),
      offer(randomUUID(), 'EDUCATION'),
    ];
    const result = await suite.run<{
      _entities: { id: string; coveredByCampaigns: { id: string; title: string }[] }[];
    }>(ENTITIES, { reps });
    expect(result.errors).toBeUndefined();
    const titles = result.data!._entities.map((e) =>
      e.coveredByCampaigns.map((c) => c.title).sort(),
    );
    expect(result.data!._entities.map((e) => e.id)).toEqual(reps.map((r) => r.id));
    expect(titles[0]).toEqual(['closed, still spendable A', 'ends today A', 'open A']);
    expect(titles[1]).toEqual(['open A']);
    expect(titles[2]).toEqual([]);
    expect(titles[3]).toEqual(['open B']);
    expect(titles[4]).toEqual([]);
    const all = result.data!._entities.flatMap((e) => e.coveredByCampaigns.map((c) => c.id));
    for (const excluded of ['window ended A', 'draft A', 'culture only A', 'no services A']) {
      expect(all).not.toContain(ids[excluded]);
    }
  });

  it('loads the campaigns of a page of offers with one query per request', async () => {
    const reps = Array.from({ length: 20 }, (_, i) =>
      offer(i % 2 ? COMUNE_A : COMUNE_B, i % 3 ? 'EDUCATION' : 'SPORT'),
    );
    const em = suite.orm.em.fork();
    const find = vi.spyOn(em, 'find');
    const result = (await execute({
      schema: suite.schema,
      document: parse(ENTITIES),
      variableValues: { reps },
      contextValue: { em, caller: { kind: 'anonymous' }, requestId: randomUUID() },
    })) as { errors?: unknown; data?: { _entities: { coveredByCampaigns: unknown[] }[] } };
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities).toHaveLength(20);
    expect(result.data!._entities.every((e) => e.coveredByCampaigns.length > 0)).toBe(true);
    expect(find).toHaveBeenCalledTimes(1);
  });

  it('ignores malformed representations instead of failing', async () => {
    const result = await suite.run<{ _entities: { coveredByCampaigns: unknown[] }[] }>(ENTITIES, {
      reps: [offer('not-a-uuid', 'EDUCATION'), offer(COMUNE_A, 'SHOES')],
    });
    expect(errorCode(result)).toBeUndefined();
    expect(result.data?._entities.map((e) => e.coveredByCampaigns)).toEqual([[], []]);
  });
});
