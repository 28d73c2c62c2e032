import type { GraphQLObjectType } from 'graphql';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { LASTING_INCOME, campaignInput } from './campaign-fixtures.js';
import { REGISTRY } from './fixtures.js';
import {
  ANONYMOUS,
  COMUNE_A,
  caught,
  errorCode,
  setupSuite,
  staff,
  type Suite,
} from './helpers.js';
import {
  accreditationInput,
  accredit,
  merchantPerson,
  operator,
  publishCampaign,
} from './money-world.js';

let suite: Suite;
const em = () => suite.orm.em.fork();
const ROSSI = randomUUID();
const BIANCHI = randomUUID();
const PENDING = randomUUID();
let food: Campaign;
let school: Campaign;

const LIST = `query Shops($campaignId: ID, $comuneId: ID) {
  publicShops(campaignId: $campaignId, comuneId: $comuneId) {
    id comuneId name categories
    pointsOfSale { name address latitude longitude mapUrl }
    measures { id title }
  }
}`;
interface Shop {
  id: string;
  name: string;
  categories: string[];
  pointsOfSale: { address: string; latitude: number | null; mapUrl: string }[];
  measures: { id: string }[];
}
const list = async (vars: Record<string, unknown>) => {
  const result = await suite.run<{ publicShops: Shop[] }>(LIST, vars, ANONYMOUS);
  expect(result.errors).toBeUndefined();
  return result.data!.publicShops;
};

beforeAll(async () => {
  suite = await setupSuite('public_shops');
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
  food = await publishCampaign(suite);
  school = await publishCampaign(suite);
  // Rossi in both measures, with coordinates on its point of sale.
  const rossiOwner = merchantPerson(ROSSI, 'OWNER');
  const withCoordinates = {
    ...accreditationInput(ROSSI, food.id, 'IT60X0542811101000000123456'),
    pointsOfSale: [
      { name: 'Centro', address: 'Via Roma 1, Prova', latitude: 38.05, longitude: 13 },
    ],
  };
  const requested = await suite.services.shops.requestAccreditation(
    em(),
    rossiOwner,
    withCoordinates,
  );
  await suite.services.shops.decide(em(), operator, requested.id, 'ACCREDITED');
  await accredit(suite, rossiOwner, ROSSI, school);
  // Bianchi in the school measure only, without coordinates.
  await accredit(suite, merchantPerson(BIANCHI, 'OWNER'), BIANCHI, school);
  // A shop that asked and was never accredited.
  await suite.services.shops.requestAccreditation(
    em(),
    merchantPerson(PENDING, 'OWNER'),
    accreditationInput(PENDING, food.id, 'IT60X0542811101000000123456'),
  );
}, 180_000);
afterAll(() => suite.close());

describe('the public list of shops', () => {
  it('lists per measure only the ACCREDITED shops, to anyone, without private fields', async () => {
    const shops = await list({ campaignId: food.id });
    expect(shops.map((s) => s.id)).toEqual([ROSSI]);
    expect(shops[0]).toMatchObject({
      name: 'Alimentari Rossi',
      categories: ['FOOD', 'HYGIENE'],
      pointsOfSale: [
        {
          address: 'Via Roma 1, Prova',
          latitude: 38.05,
          mapUrl: 'https://www.openstreetmap.org/?mlat=38.05&mlon=13#map=18/38.05/13',
        },
      ],
      measures: [{ id: food.id }],
    });
    const json = JSON.stringify(shops);
    expect(json).not.toContain('IT60');
    expect(json).not.toContain('12345678903');
    // The public types have no private fields at all.
    const fields = (name: string) =>
      Object.keys((suite.schema.getType(name) as GraphQLObjectType).getFields());
    expect(fields('PublicShop')).toEqual([
      'id',
      'comuneId',
      'name',
      'categories',
      'pointsOfSale',
      'measures',
    ]);
    expect(fields('PublicPointOfSale')).toEqual([
      'name',
      'address',
      'latitude',
      'longitude',
      'mapUrl',
    ]);
  });

  it('lists per Comune one entry per shop, naming its measures; a search link without coordinates', async () => {
    const shops = await list({ comuneId: COMUNE_A });
    expect(shops.map((s) => s.id).sort()).toEqual([ROSSI, BIANCHI].sort());
    const rossi = shops.find((s) => s.id === ROSSI)!;
    expect(rossi.measures.map((m) => m.id).sort()).toEqual([food.id, school.id].sort());
    const bianchi = shops.find((s) => s.id === BIANCHI)!;
    expect(bianchi.pointsOfSale[0]).toMatchObject({
      latitude: null,
      mapUrl: 'https://www.openstreetmap.org/search?query=Via%20Roma%201%2C%20Prova',
    });
    expect(await list({ comuneId: randomUUID() })).toEqual([]);
    expect(await list({ campaignId: 'not-a-uuid' })).toEqual([]);
  });

  it('hides a suspended shop at once, and lists it again once accredited', async () => {
    const [row] = await suite.sql<{ id: string }>(
      `select "id" from "public_welfare"."shop_accreditation" where "merchant_id" = ? and "campaign_id" = ?`,
      [BIANCHI, school.id],
    );
    await suite.services.shops.decide(em(), operator, row!.id, 'SUSPENDED');
    expect((await list({ campaignId: school.id })).map((s) => s.id)).toEqual([ROSSI]);
    expect((await list({ comuneId: COMUNE_A })).map((s) => s.id)).toEqual([ROSSI]);
    await suite.services.shops.decide(em(), operator, row!.id, 'ACCREDITED');
    expect((await list({ campaignId: school.id })).map((s) => s.id).sort()).toEqual(
      [ROSSI, BIANCHI].sort(),
    );
  });

  it('lists nothing for a draft measure', async () => {
    const draft = await suite.services.campaigns.create(em(), operator, campaignInput(COMUNE_A));
    expect(await list({ campaignId: draft.id })).toEqual([]);
  });

  it('refuses invalid coordinates with a field error and records nothing', async () => {
    const owner = merchantPerson(randomUUID(), 'OWNER');
    const merchantId = owner.memberships[0]!.organisationId;
    const before = await suite.count('shop_accreditation');
    for (const point of [
      { latitude: 91, longitude: 13 },
      { latitude: 38, longitude: -181 },
      { latitude: 38, longitude: null },
    ]) {
      const error = await caught(() =>
        suite.services.shops.requestAccreditation(em(), owner, {
          ...accreditationInput(merchantId, food.id, 'IT60X0542811101000000123456'),
          pointsOfSale: [{ name: 'Centro', address: 'Via Roma 1', ...point }],
        }),
      );
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.fields.map((f) => f.field)).toEqual(['pointsOfSale.0.latitude']);
    }
    expect(await suite.count('shop_accreditation')).toBe(before);
  });

  it('asks for a measure or a Comune', async () => {
    const result = await suite.run(LIST, {}, staff(COMUNE_A));
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
  });
});
