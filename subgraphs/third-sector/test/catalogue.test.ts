import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANONYMOUS,
  COMUNE_A,
  COMUNE_B,
  PROVIDER_P,
  PROVIDER_Q,
  PROVIDER_R,
  errorCode,
  errorFields,
  member,
  setupSuite,
  type Suite,
} from './helpers.js';
import { CREATE, PUBLISH, accredit, offerInput } from './offer-fixtures.js';

/** The suite's clock (accreditation expiry is a day in Europe/Rome). */
let clock = new Date('2026-06-15T10:00:00Z');
let suite: Suite;
let accreditationQ: string;

const adminP = member(PROVIDER_P, 'COOPERATIVE', 'ADMIN');
const adminQ = member(PROVIDER_Q, 'ASSOCIATION', 'ADMIN');
const adminR = member(PROVIDER_R, 'COOPERATIVE', 'ADMIN');
const managerA = member(COMUNE_A, 'COMUNE', 'MANAGER');

const ids: Record<string, string> = {};

async function offer(
  key: string,
  caller: typeof adminP,
  providerId: string,
  overrides: Record<string, unknown>,
  publish = true,
  comuneId = COMUNE_A,
) {
  const created = await suite.run<{ createOffer: { id: string } }>(
    CREATE,
    { providerId, comuneId, input: offerInput(overrides) },
    caller,
  );
  expect(created.errors).toBeUndefined();
  ids[key] = created.data!.createOffer.id;
  if (publish) {
    const published = await suite.run(PUBLISH, { id: ids[key] }, caller);
    expect(published.errors).toBeUndefined();
  }
}

const place = (municipality: string) => [
  { name: 'Centro', address: 'Via Roma 1', municipality, latitude: 38.05, longitude: 13.0 },
];

beforeAll(async () => {
  suite = await setupSuite('catalogue', { now: () => clock });
  await accredit(suite, PROVIDER_P, COMUNE_A, '2026-12-31');
  accreditationQ = await accredit(suite, PROVIDER_Q, COMUNE_A, '2026-06-30');
  await accredit(suite, PROVIDER_P, COMUNE_B, '2026-12-31');
  await offer('doposcuola', adminP, PROVIDER_P, {
    title: 'Doposcuola per le medie',
    description: 'Aiuto nei compiti e lezioni di matematica e italiano in piccoli gruppi.',
    category: 'EDUCATION',
    targets: ['TEENAGERS'],
    places: place('Balestrate'),
    schedule: [
      { weekday: 1, startTime: '15:00', endTime: '18:00' },
      { weekday: 3, startTime: '15:00', endTime: '18:00' },
    ],
  });
  await offer('nuoto', adminP, PROVIDER_P, {
    title: 'Corso di nuoto per bambini',
    description: 'Acquaticità e nuoto in piscina con istruttori qualificati.',
    category: 'SPORT',
    targets: ['CHILDREN'],
    priceKind: 'FREE',
    priceCents: null,
    places: place('Partinico'),
    schedule: [{ weekday: 6, startTime: '09:00', endTime: '12:00' }],
  });
  await offer('anziani', adminQ, PROVIDER_Q, {
    title: 'Compagnia agli anziani',
    description: 'Visite a domicilio e lettura dei giornali per persone anziane sole.',
    category: 'ELDERLY_CARE',
    targets: ['ELDERLY'],
    priceKind: 'FREE',
    priceCents: null,
    format: 'INDIVIDUAL',
    capacity: 1,
    places: place('Balestrate'),
    schedule: [{ weekday: 3, startTime: '10:00', endTime: '12:00' }],
  });
  await offer('teatro', adminQ, PROVIDER_Q, {
    title: 'Laboratorio di teatro',
    description: 'Una lezione di teatro alla settimana per ragazzi e adulti, nel nuovo auditorium.',
    category: 'CULTURE',
    targets: ['TEENAGERS', 'ADULTS'],
    priceKind: 'PER_PACKAGE',
    priceCents: 12000,
    packageDescription: '10 incontri',
    places: place('Balestrate'),
    schedule: [{ weekday: 5, startTime: '17:00', endTime: '19:00' }],
  });
  // Not in A's catalogue: a draft, an offer for Comune B, an unaccredited provider's draft.
  await offer('bozza', adminP, PROVIDER_P, { title: 'Doposcuola in bozza' }, false);
  await offer('inB', adminP, PROVIDER_P, { title: 'Doposcuola a Trappeto' }, true, COMUNE_B);
  await offer('diR', adminR, PROVIDER_R, { title: 'Doposcuola non accreditato' }, false);
});
afterAll(() => suite?.close());

const SEARCH = `query($input: CatalogueSearchInput) { catalogue(input: $input) {
  total page pageSize pageCount
  items { id title category }
  facets {
    categories { value count } targets { value count } pricing { value count }
    municipalities { value count } weekdays { value count }
  } } }`;

interface Page {
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  items: { id: string; title: string }[];
  facets: Record<string, { value: string | number; count: number }[]>;
}

async function search(input: Record<string, unknown>): Promise<Page> {
  const result = await suite.run<{ catalogue: Page }>(SEARCH, { input }, ANONYMOUS);
  expect(result.errors).toBeUndefined();
  return result.data!.catalogue;
}

const titles = (page: Page) => page.items.map((i) => i.title).sort();
const facet = (page: Page, name: string) =>
  Object.fromEntries(page.facets[name]!.filter((f) => f.count > 0).map((f) => [f.value, f.count]));

describe('the catalogue', () => {
  it('lists only published offers of accredited providers, anonymously', async () => {
    const page = await search({ comuneId: COMUNE_A });
    expect(titles(page)).toEqual([
      'Compagnia agli anziani',
      'Corso di nuoto per bambini',
      'Doposcuola per le medie',
      'Laboratorio di teatro',
    ]);
    expect(page.total).toBe(4);
    const all = await search({});
    expect(all.total).toBe(5); // plus the offer in B's catalogue (P is accredited there)
  });

  it('searches in Italian: stems ("lezioni" finds "lezione") and tolerates typos ("dopscuola")', async () => {
    expect(titles(await search({ comuneId: COMUNE_A, text: 'lezioni' }))).toEqual([
      'Doposcuola per le medie',
      'Laboratorio di teatro',
    ]);
    expect(titles(await search({ comuneId: COMUNE_A, text: 'dopscuola' }))).toEqual([
      'Doposcuola per le medie',
    ]);
    expect(titles(await search({ comuneId: COMUNE_A, text: 'teatri per ragazzi' }))).toEqual([
      'Laboratorio di teatro',
    ]);
    expect((await search({ comuneId: COMUNE_A, text: 'astrofisica' })).total).toBe(0);
    // A stem as a prefix: "laboratori" finds "laboratorio", "dopo" finds "doposcuola".
    expect(titles(await search({ comuneId: COMUNE_A, text: 'laboratori' }))).toEqual([
      'Laboratorio di teatro',
    ]);
    expect(titles(await search({ comuneId: COMUNE_A, text: 'dopo' }))).toEqual([
      'Doposcuola per le medie',
    ]);
    // A correct word does not match merely similar ones ("nuoto" is not "nuovo").
    expect(titles(await search({ comuneId: COMUNE_A, text: 'nuoto' }))).toEqual([
      'Corso di nuoto per bambini',
    ]);
    // The title weighs more than the description.
    const ranked = await search({ comuneId: COMUNE_A, text: 'teatro' });
    expect(ranked.items[0]!.title).toBe('Laboratorio di teatro');
  });

  it('filters by category, target, price, place, day and time', async () => {
    expect(titles(await search({ comuneId: COMUNE_A, categories: ['SPORT', 'CULTURE'] }))).toEqual([
      'Corso di nuoto per bambini',
      'Laboratorio di teatro',
    ]);
    expect(titles(await search({ comuneId: COMUNE_A, targets: ['TEENAGERS'] }))).toEqual([
      'Doposcuola per le medie',
      'Laboratorio di teatro',
    ]);
    expect(titles(await search({ comuneId: COMUNE_A, pricing: ['FREE'] }))).toEqual([
      'Compagnia agli anziani',
      'Corso di nuoto per bambini',
    ]);
    expect(titles(await search({ comuneId: COMUNE_A, municipalities: ['Partinico'] }))).toEqual([
      'Corso di nuoto per bambini',
    ]);
    expect(titles(await search({ comuneId: COMUNE_A, weekdays: [3] }))).toEqual([
      'Compagnia agli anziani',
      'Doposcuola per le medie',
    ]);
    expect(titles(await search({ comuneId: COMUNE_A, weekdays: [3], time: '16:30' }))).toEqual([
      'Doposcuola per le medie',
    ]);
    expect(titles(await search({ comuneId: COMUNE_A, time: '18:00' }))).toEqual([
      'Laboratorio di teatro',
    ]);
    expect(titles(await search({ providerId: PROVIDER_Q }))).toEqual([
      'Compagnia agli anziani',
      'Laboratorio di teatro',
    ]);
  });

  it('counts facets disjunctively (each with every other filter applied)', async () => {
    const page = await search({ comuneId: COMUNE_A, categories: ['EDUCATION'], pricing: ['PAID'] });
    expect(page.total).toBe(1);
    // Categories counted without the category filter, with the price filter: the paid ones.
    expect(facet(page, 'categories')).toEqual({ EDUCATION: 1, CULTURE: 1 });
    // Pricing counted without the price filter, with the category filter.
    expect(facet(page, 'pricing')).toEqual({ PAID: 1 });
    expect(facet(page, 'targets')).toEqual({ TEENAGERS: 1 });
    expect(facet(page, 'municipalities')).toEqual({ Balestrate: 1 });
    expect(facet(page, 'weekdays')).toEqual({ 1: 1, 3: 1 });
    const all = await search({ comuneId: COMUNE_A });
    expect(facet(all, 'categories')).toEqual({
      EDUCATION: 1,
      SPORT: 1,
      ELDERLY_CARE: 1,
      CULTURE: 1,
    });
    expect(facet(all, 'pricing')).toEqual({ FREE: 2, PAID: 2 });
    expect(facet(all, 'municipalities')).toEqual({ Balestrate: 3, Partinico: 1 });
    expect(facet(all, 'targets')).toEqual({ TEENAGERS: 2, CHILDREN: 1, ELDERLY: 1, ADULTS: 1 });
    expect(facet(all, 'weekdays')).toEqual({ 1: 1, 3: 2, 5: 1, 6: 1 });
    expect(all.facets.categories).toHaveLength(10);
  });

  it('pages in a stable order', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const result = await search({ comuneId: COMUNE_A, page, pageSize: 2 });
      expect(result.pageCount).toBe(2);
      expect(result.total).toBe(4);
      seen.push(...result.items.map((i) => i.title));
    }
    expect(seen).toEqual([
      'Compagnia agli anziani',
      'Corso di nuoto per bambini',
      'Doposcuola per le medie',
      'Laboratorio di teatro',
    ]);
  });

  it('refuses malformed filters, naming each field', async () => {
    const result = await suite.run(
      SEARCH,
      {
        input: {
          comuneId: 'x',
          pageSize: 51,
          page: 0,
          weekdays: [0],
          time: '25:00',
          text: 'a'.repeat(201),
        },
      },
      ANONYMOUS,
    );
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(errorFields(result)).toEqual([
      'comuneId',
      'page',
      'pageSize',
      'text',
      'time',
      'weekdays',
    ]);
  });

  it('a suspension hides the provider’s offers at once; a reinstatement shows them again', async () => {
    await suite.services.accreditations.suspend(
      suite.orm.em.fork(),
      managerA,
      accreditationQ,
      'Verifiche in corso sui requisiti',
    );
    const page = await search({ comuneId: COMUNE_A });
    expect(titles(page)).toEqual(['Corso di nuoto per bambini', 'Doposcuola per le medie']);
    expect(facet(page, 'categories')).toEqual({ EDUCATION: 1, SPORT: 1 });
    const one = await suite.run<{ offer: null }>(
      `query($id: ID!) { offer(id: $id) { id } }`,
      { id: ids.teatro },
      ANONYMOUS,
    );
    expect(one.data!.offer).toBeNull();
    await suite.services.accreditations.reinstate(
      suite.orm.em.fork(),
      managerA,
      accreditationQ,
      'Requisiti confermati',
    );
    expect((await search({ comuneId: COMUNE_A })).total).toBe(4);
  });

  it('an expiry hides the provider’s offers from the day after', async () => {
    clock = new Date('2026-06-30T21:00:00Z'); // 23:00 in Rome on 30 June: still valid
    expect((await search({ providerId: PROVIDER_Q })).total).toBe(2);
    clock = new Date('2026-06-30T22:30:00Z'); // 00:30 in Rome on 1 July
    expect((await search({ providerId: PROVIDER_Q })).total).toBe(0);
    expect((await search({ comuneId: COMUNE_A })).total).toBe(2);
    clock = new Date('2026-06-15T10:00:00Z');
  });

  it('answers a repeated search from its cache, until any write to the catalogue', async () => {
    const query = { comuneId: COMUNE_A, text: 'teatro' };
    expect((await search(query)).total).toBe(1);
    const withdraw = (status: string) =>
      suite.sql(`update "third_sector"."offer" set "status" = ? where "id" = ?`, [
        status,
        ids.teatro,
      ]);
    // With the version (and change log) trigger off, a write goes unseen: the answer comes from
    // the cache.
    await suite.sql(`alter table "third_sector"."offer" disable trigger "offer_catalogue_update"`);
    await withdraw('WITHDRAWN');
    expect((await search(query)).total).toBe(1);
    await withdraw('PUBLISHED');
    await suite.sql(`alter table "third_sector"."offer" enable trigger "offer_catalogue_update"`);
    // Any write, even one that bypasses the services (another replica, a script), is seen at once.
    await withdraw('WITHDRAWN');
    expect((await search(query)).total).toBe(0);
    await withdraw('PUBLISHED');
    expect((await search(query)).total).toBe(1);
  });
});
