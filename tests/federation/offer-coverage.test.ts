import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../support/campaigns.js';
import {
  DEMO_CAMPAIGN_ID,
  DEMO_COMUNE_ID,
  DEMO_ORG,
  DEMO_ORGANISATIONS,
  DEMO_PASSWORD,
  demoEmail,
} from '../support/demo.js';
import { gql, login, type GraphQLResponse } from '../support/graphql.js';
import type { TestPlatform } from '../support/platform.js';
import { sharedTestPlatform } from '../support/shared-platform.js';

/** Identity's demo organisations (subgraphs/identity/src/demo/accounts.ts). */
const BALESTRATE = DEMO_COMUNE_ID;
const LA_ESSE = DEMO_ORG.laEsse;
/** Public-welfare's open demo campaign ("Buoni spesa 2026": education, childcare, sport). */
const DEMO_CAMPAIGN = DEMO_CAMPAIGN_ID;
const DAY = 86_400_000;

function must<T>(response: GraphQLResponse<T>): T {
  expect(response.errors).toBeUndefined();
  return response.data!;
}

const romeDay = (at: Date) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Rome',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);

interface CampaignRow {
  id: string;
  title: string;
  status: string;
  spendingUntil: string;
  serviceCategories: string[];
}

describe('Offer.coveredByCampaigns: public-welfare’s field on third-sector’s offers', () => {
  let platform: TestPlatform;
  let gateway: string;
  let provider: string;
  let manager: string;
  const offers: Record<string, string> = {};
  const campaigns: Record<string, string> = {};

  async function publishOffer(title: string, category: string): Promise<string> {
    const created = must(
      await gql<{ createOffer: { id: string } }>(
        gateway,
        `mutation($p: ID!, $c: ID!, $input: OfferInput!) { createOffer(providerId: $p, comuneId: $c, input: $input) { id } }`,
        {
          p: LA_ESSE,
          c: BALESTRATE,
          input: {
            title,
            description: `${title}: un servizio di prova per il catalogo del Comune.`,
            category,
            targets: ['FAMILIES'],
            priceKind: 'PER_SESSION',
            priceCents: 1500,
            format: 'GROUP',
            capacity: 10,
            places: [{ name: 'Sede', address: 'Via Roma 1', municipality: 'Balestrate' }],
            schedule: [{ weekday: 3, startTime: '16:00', endTime: '18:00' }],
            contactEmail: DEMO_ORGANISATIONS.laEsse.email,
          },
        },
        { token: provider },
      ),
    ).createOffer;
    must(
      await gql(
        gateway,
        `mutation($id: ID!) { publishOffer(id: $id) { id } }`,
        { id: created.id },
        {
          token: provider,
        },
      ),
    );
    return created.id;
  }

  const campaign = (
    title: string,
    serviceCategories: string[],
    spendingUntil: string,
    publish: boolean,
  ) =>
    createCampaign(gateway, manager, {
      title,
      description: 'Contributo per servizi educativi e sanitari.',
      budgetCents: 500_000,
      spendingUntil,
      serviceCategories,
      publish,
    });

  beforeAll(async () => {
    // Its own offers and campaigns, the rule computed from whatever campaigns the Comune has:
    // the worker's shared platform (support/shared-platform.ts).
    platform = await sharedTestPlatform();
    gateway = platform.urls.gateway;
    provider = (await login(gateway, demoEmail('COOPERATIVE', 'ADMIN'), DEMO_PASSWORD)).token;
    manager = (await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD)).token;
    offers.education = await publishOffer('Doposcuola di prova', 'EDUCATION');
    offers.sport = await publishOffer('Minibasket di prova', 'SPORT');
    offers.health = await publishOffer('Logopedia di prova', 'HEALTH');
    offers.culture = await publishOffer('Teatro di prova', 'CULTURE');
    const later = romeDay(new Date(Date.now() + 90 * DAY));
    campaigns.health = await campaign('Contributo salute', ['HEALTH'], later, true);
    campaigns.draft = await campaign('Bozza salute', ['HEALTH', 'CULTURE'], later, false);
    campaigns.ended = await campaign(
      'Salute, spesa finita',
      ['HEALTH', 'CULTURE'],
      romeDay(new Date(Date.now() - 2 * DAY)),
      true,
    );
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('joins every offer of a catalogue page with the campaigns whose credit can pay for it', async () => {
    const { campaigns: all } = must(
      await gql<{ campaigns: CampaignRow[] }>(
        gateway,
        `query($c: ID!) { campaigns(comuneId: $c) { id title status spendingUntil serviceCategories } }`,
        { c: BALESTRATE },
        { token: manager },
      ),
    );
    const page = must(
      await gql<{
        catalogue: {
          items: {
            id: string;
            comuneId: string;
            category: string;
            coveredByCampaigns: { id: string; title: string }[];
          }[];
        };
      }>(
        gateway,
        `query($c: ID!) { catalogue(input: { comuneId: $c, pageSize: 50 }) {
           items { id comuneId category coveredByCampaigns { id title } } } }`,
        { c: BALESTRATE },
      ),
    ).catalogue;
    expect(page.items.length).toBeGreaterThanOrEqual(4);
    const today = romeDay(new Date());
    // The rule, computed here from the Comune's campaigns as its staff sees them.
    const expected = (category: string) =>
      all
        .filter(
          (c) =>
            c.status !== 'DRAFT' &&
            c.spendingUntil >= today &&
            c.serviceCategories.includes(category),
        )
        .map((c) => c.id)
        .sort();
    for (const item of page.items) {
      expect(item.coveredByCampaigns.map((c) => c.id).sort()).toEqual(expected(item.category));
    }
    const byId = new Map(page.items.map((i) => [i.id, i.coveredByCampaigns.map((c) => c.id)]));
    expect(byId.get(offers.education!)).toContain(DEMO_CAMPAIGN);
    expect(byId.get(offers.sport!)).toContain(DEMO_CAMPAIGN);
    expect(byId.get(offers.health!)).toEqual([campaigns.health]);
    // The draft and the campaign whose spending ended name CULTURE, but cover nothing.
    expect(byId.get(offers.culture!)).toEqual([]);
  });

  it('resolves the field on a single offer too, anonymously', async () => {
    const one = must(
      await gql<{ offer: { coveredByCampaigns: { id: string; title: string }[] } }>(
        gateway,
        `query($id: ID!) { offer(id: $id) { coveredByCampaigns { id title } } }`,
        { id: offers.health },
      ),
    );
    expect(one.offer.coveredByCampaigns).toEqual([
      { id: campaigns.health, title: 'Contributo salute' },
    ]);
  });
});
