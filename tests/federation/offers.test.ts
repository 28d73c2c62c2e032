import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMUNE_ID, DEMO_ORG, DEMO_PASSWORD, demoEmail, staffEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import type { TestPlatform } from '../support/platform.js';
import { sharedTestPlatform } from '../support/shared-platform.js';

/** Identity's demo organisations (subgraphs/identity/src/demo/accounts.ts). */
const BALESTRATE = DEMO_COMUNE_ID;
const LA_ESSE = DEMO_ORG.laEsse;
const AMICI = DEMO_ORG.amiciBalestrate;
const GIRASOLE = DEMO_ORG.girasole;

const INPUT = {
  title: 'Corso di scacchi per ragazzi',
  description: 'Scacchi per principianti, in piccoli gruppi, con un istruttore federale.',
  category: 'CULTURE',
  targets: ['TEENAGERS'],
  priceKind: 'PER_SESSION',
  priceCents: 700,
  format: 'GROUP',
  capacity: 10,
  places: [{ name: 'Biblioteca', address: 'Via Vittorio Emanuele 45', municipality: 'Balestrate' }],
  schedule: [{ weekday: 3, startTime: '17:00', endTime: '18:30' }],
  contactEmail: 'scacchi@coop-laesse.example.it',
};

const CREATE = `mutation($p: ID!, $c: ID!, $input: OfferInput!) {
  createOffer(providerId: $p, comuneId: $c, input: $input) { id status } }`;

describe('offers and the catalogue through the gateway', () => {
  let platform: TestPlatform;
  let gateway: string;
  let laEsse: string;
  let amici: string;

  beforeAll(async () => {
    // Its own offers, found by their own words: the worker's shared platform
    // (support/shared-platform.ts).
    platform = await sharedTestPlatform();
    gateway = platform.urls.gateway;
    laEsse = (await login(gateway, demoEmail('COOPERATIVE', 'ADMIN'), DEMO_PASSWORD)).token;
    amici = (await login(gateway, demoEmail('ASSOCIATION', 'ADMIN'), DEMO_PASSWORD)).token;
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('serves the public catalogue anonymously, joined with identity’s provider names', async () => {
    const response = await gql<{
      catalogue: {
        total: number;
        items: { providerId: string; provider: { name: string } }[];
        facets: { categories: { value: string; count: number }[] };
      };
    }>(
      gateway,
      `query($c: ID!) { catalogue(input: { comuneId: $c, pageSize: 50 }) {
        total items { providerId provider { name } } facets { categories { value count } } } }`,
      { c: BALESTRATE },
    );
    expect(response.errors).toBeUndefined();
    const page = response.data!.catalogue;
    expect(page.total).toBeGreaterThanOrEqual(25);
    expect(new Set(page.items.map((i) => i.providerId))).toEqual(new Set([LA_ESSE, AMICI]));
    expect(page.items.some((i) => i.providerId === GIRASOLE)).toBe(false);
    const names = new Set(page.items.map((i) => i.provider.name));
    expect(names).toEqual(
      new Set(['Cooperativa Sociale La Esse', 'Associazione Amici di Balestrate']),
    );
    expect(page.facets.categories.reduce((sum, c) => sum + c.count, 0)).toBe(page.total);
  });

  it('searches in Italian with typos through the gateway', async () => {
    const response = await gql<{ catalogue: { items: { title: string }[] } }>(
      gateway,
      `{ catalogue(input: { text: "dopscuola" }) { items { title } } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.catalogue.items.map((i) => i.title)).toContain(
      'Doposcuola e aiuto compiti',
    );
  });

  it('refuses bad input with field errors in both languages, writing nothing', async () => {
    const before = await gql<{ providerOffers: unknown[] }>(
      gateway,
      `query($p: ID!) { providerOffers(providerId: $p) { id } }`,
      { p: LA_ESSE },
      { token: laEsse },
    );
    const bad = await gql(
      gateway,
      CREATE,
      { p: LA_ESSE, c: BALESTRATE, input: { ...INPUT, capacity: 1000, priceKind: 'FREE' } },
      { token: laEsse },
    );
    const error = bad.errors?.[0];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    const fields = (
      error?.extensions?.fields as { field: string; message: { it: string; en: string } }[]
    )
      .map((f) => f.field)
      .sort();
    expect(fields).toEqual(['capacity', 'priceCents']);
    expect(JSON.stringify(bad)).not.toMatch(/stack|select |insert /i);
    // A fraction of a cent never reaches the subgraph (GraphQL's Int).
    const fraction = await gql(
      gateway,
      CREATE,
      { p: LA_ESSE, c: BALESTRATE, input: { ...INPUT, priceCents: 700.5 } },
      { token: laEsse },
    );
    expect(fraction.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const after = await gql<{ providerOffers: unknown[] }>(
      gateway,
      `query($p: ID!) { providerOffers(providerId: $p) { id } }`,
      { p: LA_ESSE },
      { token: laEsse },
    );
    expect(after.data!.providerOffers.length).toBe(before.data!.providerOffers.length);
  });

  it('a provider changes only its own offers; publishing puts one in the catalogue', async () => {
    const created = await gql<{ createOffer: { id: string; status: string } }>(
      gateway,
      CREATE,
      { p: LA_ESSE, c: BALESTRATE, input: INPUT },
      { token: laEsse },
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createOffer.id;

    const forged = await gql(
      gateway,
      CREATE,
      { p: LA_ESSE, c: BALESTRATE, input: INPUT },
      { token: amici },
    );
    expect(forged.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const [query, variables] of [
      [`mutation($id: ID!) { publishOffer(id: $id) { id } }`, { id }],
      [`mutation($id: ID!) { withdrawOffer(id: $id) { id } }`, { id }],
      [
        `mutation($id: ID!, $input: OfferInput!) { updateOffer(id: $id, input: $input) { id } }`,
        { id, input: INPUT },
      ],
    ] as const) {
      const response = await gql(gateway, query, variables, { token: amici });
      expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    const peek = await gql<{ offer: unknown }>(
      gateway,
      `query($id: ID!) { offer(id: $id) { id } }`,
      { id },
      { token: amici },
    );
    expect(peek.data?.offer).toBeNull();
    const anonymous = await gql<{ offer: unknown }>(
      gateway,
      `query($id: ID!) { offer(id: $id) { id } }`,
      { id },
    );
    expect(anonymous.data?.offer).toBeNull();

    const published = await gql<{ publishOffer: { status: string } }>(
      gateway,
      `mutation($id: ID!) { publishOffer(id: $id) { status } }`,
      { id },
      { token: laEsse },
    );
    expect(published.data?.publishOffer.status).toBe('PUBLISHED');
    const found = await gql<{ catalogue: { items: { id: string; provider: { name: string } }[] } }>(
      gateway,
      `{ catalogue(input: { text: "scacchi" }) { items { id provider { name } } } }`,
    );
    expect(found.data?.catalogue.items).toEqual([
      { id, provider: { name: 'Cooperativa Sociale La Esse' } },
    ]);
  });

  it('a provider pending accreditation cannot publish', async () => {
    const girasole = (await login(gateway, staffEmail('girasole'), DEMO_PASSWORD)).token;
    const created = await gql<{ createOffer: { id: string } }>(
      gateway,
      CREATE,
      { p: GIRASOLE, c: BALESTRATE, input: INPUT },
      { token: girasole },
    );
    expect(created.errors).toBeUndefined();
    const refused = await gql(
      gateway,
      `mutation($id: ID!) { publishOffer(id: $id) { id } }`,
      { id: created.data!.createOffer.id },
      { token: girasole },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(
      (refused.errors?.[0]?.extensions?.fields as { field: string }[]).map((f) => f.field),
    ).toEqual(['accreditation']);
  });
});
