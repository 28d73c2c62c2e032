import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFER_CATEGORIES, OFFER_TARGETS } from '../src/modules/offer/offer.enums.js';
import { CatalogueIndex } from '../src/modules/catalogue/catalogue.index.js';
import {
  loadCatalogue,
  loadCatalogueChanges,
  pruneCatalogueChanges,
  type CatalogueSearch,
} from '../src/modules/catalogue/catalogue.repository.js';
import { CatalogueService } from '../src/modules/catalogue/catalogue.service.js';
import { stem, words } from '../src/modules/catalogue/catalogue.text.js';
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
import { CREATE, OFFER_FIELDS, PUBLISH, UPDATE, accredit, offerInput } from './offer-fixtures.js';

const clock = new Date('2026-06-15T10:00:00Z');
const TODAY = '2026-06-15';
let suite: Suite;
/** The accreditations: P by A and B, Q by A (R is not accredited). */
let accreditationQ: string;
let accreditationPA: string;

beforeAll(async () => {
  suite = await setupSuite('catalogue_index', { now: () => clock, catalogueCacheSize: 0 });
  accreditationPA = await accredit(suite, PROVIDER_P, COMUNE_A, '2026-12-31');
  accreditationQ = await accredit(suite, PROVIDER_Q, COMUNE_A, '2026-12-31');
  await accredit(suite, PROVIDER_P, COMUNE_B, '2026-12-31');
});
afterAll(() => suite?.close());

// ---- the property: the index's answers equal a brute-force count ---------------------------

/** Words of titles and descriptions: no synonyms, none a prefix of another, none a label. */
const VOCABULARY = ['sole', 'luna', 'vento', 'pane', 'ferro', 'vetro', 'carta', 'pietra'];
const MUNICIPALITIES = ['Balestrate', 'Partinico', 'Trappeto', 'Alcamo', 'Terrasini', 'Cinisi'];
const SLOTS = [
  ['09:00', '12:00'],
  ['15:00', '18:00'],
  ['17:30', '19:30'],
] as const;

interface GenOffer {
  id: string;
  providerId: string;
  comuneId: string;
  published: boolean;
  title: string;
  description: string;
  category: string;
  targets: string[];
  free: boolean;
  municipalities: string[];
  slots: { weekday: number; slot: number }[];
  /** The last day in the catalogue (a tutoring programme's end; absent or null: none). */
  availableUntil?: string | null;
}

const subset = <T>(values: readonly T[], max: number) =>
  fc.uniqueArray(fc.constantFrom(...values), { minLength: 0, maxLength: max });

const offerArb: fc.Arbitrary<GenOffer> = fc.record({
  id: fc.uuid({ version: 4 }),
  providerId: fc.constantFrom(PROVIDER_P, PROVIDER_Q, PROVIDER_R),
  comuneId: fc.constantFrom(COMUNE_A, COMUNE_A, COMUNE_B),
  published: fc.boolean().map((b) => b || Math.random() < 0.6),
  title: fc
    .tuple(fc.constantFrom(...VOCABULARY), fc.constantFrom(...VOCABULARY), fc.boolean())
    .map(([a, b, upper]) => `${upper ? a[0]!.toUpperCase() + a.slice(1) : a} di ${b}`),
  description: fc
    .array(fc.constantFrom(...VOCABULARY), { minLength: 1, maxLength: 4 })
    .map((ws) => `Servizio con ${ws.join(' e ')}.`),
  category: fc.constantFrom(...OFFER_CATEGORIES),
  targets: fc.uniqueArray(fc.constantFrom(...OFFER_TARGETS), { minLength: 1, maxLength: 3 }),
  free: fc.boolean(),
  municipalities: fc.uniqueArray(fc.constantFrom(...MUNICIPALITIES), {
    minLength: 1,
    maxLength: 2,
  }),
  slots: fc.uniqueArray(
    fc.record({ weekday: fc.integer({ min: 1, max: 7 }), slot: fc.integer({ min: 0, max: 2 }) }),
    { maxLength: 3, selector: (s) => `${s.weekday}/${s.slot}` },
  ),
});

const filterArb = fc.record({
  text: fc.constantFrom(
    '',
    ...VOCABULARY,
    'sole luna',
    'pane vetr',
    'di carta',
    'per',
    'soli',
    'pietre',
  ),
  comuneId: fc.constantFrom(null, COMUNE_A, COMUNE_B),
  providerId: fc.constantFrom(null, null, PROVIDER_P, PROVIDER_Q),
  categories: subset(OFFER_CATEGORIES, 3),
  targets: subset(OFFER_TARGETS, 2),
  pricing: subset(['FREE', 'PAID'] as const, 2),
  municipalities: subset([...MUNICIPALITIES, 'Palermo'], 2),
  weekdays: subset([1, 2, 3, 4, 5, 6, 7], 3),
  time: fc.constantFrom(null, null, '09:00', '11:59', '16:00', '18:00', '19:30'),
});
type Filters = typeof filterArb extends fc.Arbitrary<infer F> ? F : never;

async function writeCatalogue(offers: GenOffer[]): Promise<void> {
  await suite.sql(`delete from "third_sector"."offer"`);
  await insertOffers(offers);
}

/** Inserts the offers with their places and slots (three statements). */
async function insertOffers(offers: GenOffer[]): Promise<void> {
  await suite.sql(
    `insert into "third_sector"."offer" ("id", "provider_id", "comune_id", "title", "description",
       "category", "targets", "price_kind", "price_cents", "format", "capacity", "status",
       "contact_email", "published_at", "created_by")
     select (r->>'id')::uuid, (r->>'providerId')::uuid, (r->>'comuneId')::uuid, r->>'title',
       r->>'description', r->>'category', array(select jsonb_array_elements_text(r->'targets')),
       case when (r->>'free')::boolean then 'FREE' else 'PER_HOUR' end,
       case when (r->>'free')::boolean then null else 1000 end, 'GROUP', 5,
       case when (r->>'published')::boolean then 'PUBLISHED' else 'DRAFT' end,
       'info@esempio.it', case when (r->>'published')::boolean then now() end, gen_random_uuid()
     from jsonb_array_elements(?::jsonb) r`,
    [JSON.stringify(offers)],
  );
  await suite.sql(
    `insert into "third_sector"."offer_place" ("id", "offer_id", "position", "name", "address",
       "municipality", "latitude", "longitude")
     select gen_random_uuid(), (r->>'id')::uuid, (m.n - 1)::int, 'Sede', 'Via Roma 1', m.name, 38.05, 13.0
     from jsonb_array_elements(?::jsonb) r,
          jsonb_array_elements_text(r->'municipalities') with ordinality m(name, n)`,
    [JSON.stringify(offers)],
  );
  const slots = offers.flatMap((o) =>
    o.slots.map((s) => ({
      offerId: o.id,
      weekday: s.weekday,
      start: SLOTS[s.slot]![0],
      end: SLOTS[s.slot]![1],
    })),
  );
  await suite.sql(
    `insert into "third_sector"."offer_schedule_slot" ("id", "offer_id", "weekday", "start_time", "end_time")
     select gen_random_uuid(), (r->>'offerId')::uuid, (r->>'weekday')::smallint, r->>'start', r->>'end'
     from jsonb_array_elements(?::jsonb) r`,
    [JSON.stringify(slots)],
  );
}

const search = (f: Filters, pageSize = 1000): CatalogueSearch => ({
  words: [...new Set(f.text.match(/[\p{L}\p{N}]+/gu) ?? [])],
  comuneId: f.comuneId,
  providerId: f.providerId,
  categories: f.categories,
  targets: f.targets,
  pricing: f.pricing,
  municipalities: f.municipalities,
  weekdays: f.weekdays,
  time: f.time,
  page: 1,
  pageSize,
});

const STOP = new Set(['di', 'e', 'con', 'per']);

/** The brute force: every offer checked against every condition, counted one by one. */
function bruteForce(offers: GenOffer[], f: Filters, accredited: Set<string>, today = TODAY) {
  const query = (f.text.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOP.has(w));
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  const days = (o: GenOffer) =>
    new Set(
      o.slots
        .filter((s) => {
          if (f.time === null) return true;
          const [start, end] = SLOTS[s.slot]!;
          return minutes(start) <= minutes(f.time) && minutes(end) > minutes(f.time);
        })
        .map((s) => s.weekday),
    );
  const matchesText = (o: GenOffer) => {
    const tokens = words(`${o.title} ${o.description}`);
    return query.every(
      (w) => tokens.some((t) => stem(t) === stem(w)) || tokens.some((t) => t.startsWith(w)),
    );
  };
  const base = offers.filter(
    (o) =>
      o.published &&
      accredited.has(`${o.providerId}/${o.comuneId}`) &&
      (o.availableUntil == null || o.availableUntil >= today) &&
      (f.comuneId === null || o.comuneId === f.comuneId) &&
      (f.providerId === null || o.providerId === f.providerId) &&
      matchesText(o),
  );
  const passes = {
    category: (o: GenOffer) => !f.categories.length || f.categories.includes(o.category as never),
    target: (o: GenOffer) =>
      !f.targets.length || o.targets.some((t) => f.targets.includes(t as never)),
    pricing: (o: GenOffer) => f.pricing.length !== 1 || o.free === (f.pricing[0] === 'FREE'),
    municipality: (o: GenOffer) =>
      !f.municipalities.length || o.municipalities.some((m) => f.municipalities.includes(m)),
    weekday: (o: GenOffer) =>
      f.weekdays.length
        ? f.weekdays.some((d) => days(o).has(d))
        : f.time === null || days(o).size > 0,
  };
  type Facet = keyof typeof passes;
  const others = (except: Facet | null) =>
    base.filter((o) => (Object.keys(passes) as Facet[]).every((n) => n === except || passes[n](o)));
  const totals: Record<string, number> = { total: others(null).length };
  for (const c of OFFER_CATEGORIES) {
    totals[`category:${c}`] = others('category').filter((o) => o.category === c).length;
  }
  for (const t of OFFER_TARGETS) {
    totals[`target:${t}`] = others('target').filter((o) => o.targets.includes(t)).length;
  }
  totals['pricing:FREE'] = others('pricing').filter((o) => o.free).length;
  totals['pricing:PAID'] = others('pricing').filter((o) => !o.free).length;
  for (let d = 1; d <= 7; d++) {
    totals[`weekday:${d}`] = others('weekday').filter((o) => days(o).has(d)).length;
  }
  const municipalities = new Map<string, number>();
  for (const o of others('municipality')) {
    for (const m of o.municipalities) municipalities.set(m, (municipalities.get(m) ?? 0) + 1);
  }
  const collator = new Intl.Collator('it');
  const ids = others(null)
    .sort((a, b) => collator.compare(a.title, b.title) || (a.id < b.id ? -1 : 1))
    .map((o) => o.id);
  return { ids, totals, municipalities };
}

async function checkAll(offers: GenOffer[], filters: Filters[], accredited: Set<string>) {
  const data = await loadCatalogue(suite.orm.em.fork());
  const index = new CatalogueIndex(data.version, data);
  for (const f of filters) {
    const expected = bruteForce(offers, f, accredited);
    const got = index.search(search(f), TODAY);
    expect(got.totals, JSON.stringify(f)).toEqual(expected.totals);
    expect(got.municipalities, JSON.stringify(f)).toEqual(expected.municipalities);
    if (f.text === '' || f.text === 'per') expect(got.ids).toEqual(expected.ids);
    else expect([...got.ids].sort()).toEqual([...expected.ids].sort());
    // The service (version read, its own index, the page's offers) agrees on the first page.
    const page = await suite.services.catalogue.search(suite.orm.em.fork(), {
      ...f,
      text: f.text,
      pageSize: 10,
    });
    expect(page.total).toBe(expected.totals.total);
    expect(page.items.map((o) => o.id)).toEqual(got.ids.slice(0, 10));
  }
}

describe('the catalogue index at scale', () => {
  it('counts facets and finds the same offers as a brute force, on random catalogues of 1,000 offers, also right after a suspension', async () => {
    const accredited = new Set([
      `${PROVIDER_P}/${COMUNE_A}`,
      `${PROVIDER_Q}/${COMUNE_A}`,
      `${PROVIDER_P}/${COMUNE_B}`,
    ]);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(offerArb, { minLength: 1000, maxLength: 1000, selector: (o) => o.id }),
        fc.array(filterArb, { minLength: 10, maxLength: 10 }),
        async (offers, filters) => {
          await writeCatalogue(offers);
          await checkAll(offers, filters, accredited);
          // A suspension: the very next search no longer counts Q's offers.
          await suite.services.accreditations.suspend(
            suite.orm.em.fork(),
            managerA,
            accreditationQ,
            'Verifiche in corso sui requisiti',
          );
          try {
            const withoutQ = new Set([...accredited].filter((k) => !k.startsWith(PROVIDER_Q)));
            await checkAll(offers, filters.slice(0, 5), withoutQ);
          } finally {
            await suite.services.accreditations.reinstate(
              suite.orm.em.fork(),
              managerA,
              accreditationQ,
              'Requisiti confermati',
            );
          }
        },
      ),
      { numRuns: 3, endOnFailure: true },
    );
  }, 600_000);
});

describe('offers with a last day (tutoring programmes)', () => {
  it('are found and counted up to their last day only, as a brute force, on random catalogues and days', async () => {
    const accredited = new Set([
      `${PROVIDER_P}/${COMUNE_A}`,
      `${PROVIDER_Q}/${COMUNE_A}`,
      `${PROVIDER_P}/${COMUNE_B}`,
    ]);
    const DAYS = ['2026-06-14', '2026-06-15', '2026-06-16', '2026-06-17'];
    const withUntil = fc
      .tuple(offerArb, fc.constantFrom(null, null, ...DAYS.slice(0, 3)))
      .map(([o, availableUntil]) => ({ ...o, availableUntil }));
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(withUntil, { minLength: 300, maxLength: 300, selector: (o) => o.id }),
        fc.array(fc.tuple(filterArb, fc.constantFrom(...DAYS)), { minLength: 12, maxLength: 12 }),
        async (offers, searches) => {
          await writeCatalogue(offers);
          const data = await loadCatalogue(suite.orm.em.fork());
          // The last days as the loader reads them from the programmes (see tutoring-offers.test).
          const until = new Map(offers.map((o) => [o.id, o.availableUntil]));
          for (const doc of data.offers) doc.availableUntil = until.get(doc.id) ?? null;
          const index = new CatalogueIndex(data.version, data);
          for (const [f, day] of searches) {
            const expected = bruteForce(offers, f, accredited, day);
            const got = index.search(search(f), day);
            const about = JSON.stringify([f, day]);
            expect(got.totals, about).toEqual(expected.totals);
            expect(got.municipalities, about).toEqual(expected.municipalities);
            if (f.text === '') expect(got.ids, about).toEqual(expected.ids);
            else expect([...got.ids].sort(), about).toEqual([...expected.ids].sort());
          }
        },
      ),
      { numRuns: 3, endOnFailure: true },
    );
  }, 600_000);
});

// ---- incremental refresh: the index after N applied changes equals a fresh build ----------

/** One random change to the catalogue, as SQL would make it (a provider, a script, a Comune). */
const editArb = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), at: fc.nat(), offer: offerArb }),
  fc.record({ kind: fc.constant('status' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('rewrite' as const), at: fc.nat(), offer: offerArb }),
  fc.record({ kind: fc.constant('add' as const), offer: offerArb }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('slots' as const), at: fc.nat(), offer: offerArb }),
);
type Edit = typeof editArb extends fc.Arbitrary<infer E> ? E : never;

/** Applies an edit to the database and to the model (`offers`, changed in place). */
async function applyEdit(offers: GenOffer[], edit: Edit): Promise<void> {
  if (edit.kind === 'add') {
    offers.push(edit.offer);
    await insertOffers([edit.offer]);
    return;
  }
  const at = edit.at % offers.length;
  const o = offers[at]!;
  switch (edit.kind) {
    case 'text':
      Object.assign(o, { title: edit.offer.title, description: edit.offer.description });
      await suite.sql(
        `update "third_sector"."offer" set "title" = ?, "description" = ? where "id" = ?`,
        [o.title, o.description, o.id],
      );
      break;
    case 'status':
      o.published = !o.published;
      await suite.sql(
        `update "third_sector"."offer" set "status" = ?, "published_at" = now() where "id" = ?`,
        [o.published ? 'PUBLISHED' : 'WITHDRAWN', o.id],
      );
      break;
    case 'rewrite':
      offers[at] = { ...edit.offer, id: o.id };
      await suite.sql(`delete from "third_sector"."offer" where "id" = ?`, [o.id]);
      await insertOffers([offers[at]]);
      break;
    case 'delete':
      offers.splice(at, 1);
      await suite.sql(`delete from "third_sector"."offer" where "id" = ?`, [o.id]);
      break;
    case 'slots':
      Object.assign(o, { slots: edit.offer.slots });
      await suite.sql(`delete from "third_sector"."offer_schedule_slot" where "offer_id" = ?`, [
        o.id,
      ]);
      await suite.sql(
        `insert into "third_sector"."offer_schedule_slot" ("id", "offer_id", "weekday", "start_time", "end_time")
         select gen_random_uuid(), ?::uuid, (r->>'weekday')::smallint, r->>'start', r->>'end'
         from jsonb_array_elements(?::jsonb) r`,
        [
          o.id,
          JSON.stringify(
            o.slots.map((x) => ({
              weekday: x.weekday,
              start: SLOTS[x.slot]![0],
              end: SLOTS[x.slot]![1],
            })),
          ),
        ],
      );
      break;
  }
}

describe('the index refreshed incrementally', () => {
  it('after random edits, suspensions and reinstatements applied from the change log, answers as a fresh build and as a brute force', async () => {
    const all = [
      `${PROVIDER_P}/${COMUNE_A}`,
      `${PROVIDER_Q}/${COMUNE_A}`,
      `${PROVIDER_P}/${COMUNE_B}`,
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(offerArb, { minLength: 300, maxLength: 300, selector: (o) => o.id }),
        fc.array(fc.array(editArb, { minLength: 1, maxLength: 6 }), {
          minLength: 6,
          maxLength: 6,
        }),
        fc.array(filterArb, { minLength: 8, maxLength: 8 }),
        async (initial, rounds, filters) => {
          const offers = [...initial];
          await writeCatalogue(offers);
          const em = suite.orm.em.fork();
          const data = await loadCatalogue(em);
          const index = new CatalogueIndex(data.version, data);
          let accredited = new Set(all);
          for (const [r, edits] of rounds.entries()) {
            for (const edit of edits) {
              if (offers.length > 1 || edit.kind === 'add') await applyEdit(offers, edit);
            }
            // Every other round, Q's accreditation is suspended or reinstated.
            if (r % 2 === 0) {
              const suspended = !accredited.has(`${PROVIDER_Q}/${COMUNE_A}`);
              const act = suspended ? 'reinstate' : 'suspend';
              await suite.services.accreditations[act](
                suite.orm.em.fork(),
                managerA,
                accreditationQ,
                suspended ? 'Requisiti confermati' : 'Verifiche in corso sui requisiti',
              );
              accredited = suspended
                ? new Set(all)
                : new Set(all.filter((k) => !k.startsWith(PROVIDER_Q)));
            }
            const changes = await loadCatalogueChanges(em, index.version, index.room);
            expect(changes).not.toBeNull();
            expect(index.apply(changes!)).toBe(true);
          }
          const fresh = await loadCatalogue(suite.orm.em.fork());
          expect(index.version).toBe(fresh.version);
          const rebuilt = new CatalogueIndex(fresh.version, fresh);
          expect(index.size).toBe(rebuilt.size);
          for (const f of filters) {
            const got = index.search(search(f), TODAY);
            const want = rebuilt.search(search(f), TODAY);
            expect(got.ids, JSON.stringify(f)).toEqual(want.ids);
            expect(got.items.map((o) => o.id)).toEqual(got.ids);
            expect(got.totals, JSON.stringify(f)).toEqual(want.totals);
            expect(got.municipalities, JSON.stringify(f)).toEqual(want.municipalities);
            const expected = bruteForce(offers, f, accredited);
            expect(got.totals, JSON.stringify(f)).toEqual(expected.totals);
            expect([...got.ids].sort()).toEqual([...expected.ids].sort());
            if (f.text === '') expect(got.ids).toEqual(expected.ids);
            // Paging walks the same order as one long page.
            const second = index.search({ ...search(f, 7), page: 2 }, TODAY);
            expect(second.ids).toEqual(want.ids.slice(7, 14));
          }
          if (!accredited.has(`${PROVIDER_Q}/${COMUNE_A}`)) {
            await suite.services.accreditations.reinstate(
              suite.orm.em.fork(),
              managerA,
              accreditationQ,
              'Requisiti confermati',
            );
          }
        },
      ),
      { numRuns: 4, endOnFailure: true },
    );
  }, 600_000);

  it('keeps the vocabulary exact: a word gone from every offer is no prefix or typo match, a new one is', async () => {
    await suite.sql(`delete from "third_sector"."offer"`);
    const one = (id: string, title: string): GenOffer => ({
      id,
      providerId: PROVIDER_P,
      comuneId: COMUNE_A,
      published: true,
      title,
      description: 'Servizio per tutti.',
      category: 'CULTURE',
      targets: ['EVERYONE'],
      free: true,
      municipalities: ['Balestrate'],
      slots: [],
    });
    const a = randomUUID();
    await insertOffers([one(a, 'Laboratorio di ceramica'), one(randomUUID(), 'Corso di pittura')]);
    const em = suite.orm.em.fork();
    const data = await loadCatalogue(em);
    const index = new CatalogueIndex(data.version, data);
    const titles = (text: string) =>
      index
        .search({ ...search({ ...EMPTY, text }), comuneId: COMUNE_A }, TODAY)
        .items.map((o) => o.title);
    expect(titles('ceramca')).toEqual(['Laboratorio di ceramica']); // a typo
    expect(titles('ceram')).toEqual(['Laboratorio di ceramica']); // a prefix
    await suite.sql(`update "third_sector"."offer" set "title" = ? where "id" = ?`, [
      'Laboratorio di mosaico',
      a,
    ]);
    expect(index.apply((await loadCatalogueChanges(em, index.version, index.room))!)).toBe(true);
    expect(titles('ceramca')).toEqual([]);
    expect(titles('ceram')).toEqual([]);
    expect(titles('mosaco')).toEqual(['Laboratorio di mosaico']);
    expect(titles('mosa')).toEqual(['Laboratorio di mosaico']);
    // Two offers in title order, the appended one among the built ones.
    expect(titles('')).toEqual(['Corso di pittura', 'Laboratorio di mosaico']);
  });
});

/** A search with no filter. */
const EMPTY: Filters = {
  text: '',
  comuneId: null,
  providerId: null,
  categories: [],
  targets: [],
  pricing: [],
  municipalities: [],
  weekdays: [],
  time: null,
};

describe('the service refreshes from the change log', () => {
  /** Two processes: two services, each with its own index, on the same database. */
  const first = new CatalogueService(() => clock, 0);
  const second = new CatalogueService(() => clock, 0);
  const titlesIn = async (service: CatalogueService, text: string) =>
    (await service.search(suite.orm.em.fork(), { comuneId: COMUNE_A, text })).items.map(
      (o) => o.title,
    );
  const both = async (text: string) => [await titlesIn(first, text), await titlesIn(second, text)];

  it('applies an edit, a suspension and a withdrawal in place; two processes stay consistent; a pruned log means a full reload, still right', async () => {
    await suite.sql(`delete from "third_sector"."offer"`);
    const created = await suite.run<{ createOffer: { id: string } }>(
      CREATE,
      {
        providerId: PROVIDER_P,
        comuneId: COMUNE_A,
        input: offerInput({ title: 'Laboratorio di ceramica', description: 'Argilla e tornio.' }),
      },
      adminP,
    );
    const id = created.data!.createOffer.id;
    expect((await suite.run(PUBLISH, { id }, adminP)).errors).toBeUndefined();
    expect(await both('ceramica')).toEqual([
      ['Laboratorio di ceramica'],
      ['Laboratorio di ceramica'],
    ]);
    const full = [first.refreshes.full, second.refreshes.full];

    // An edit through the service: both processes see it at their next search, in place.
    const edited = await suite.run(
      UPDATE,
      {
        id,
        input: offerInput({ title: 'Laboratorio di mosaico', description: 'Tessere e colla.' }),
      },
      adminP,
    );
    expect(edited.errors).toBeUndefined();
    expect(await both('ceramica')).toEqual([[], []]);
    expect(await both('mosaico')).toEqual([['Laboratorio di mosaico'], ['Laboratorio di mosaico']]);
    // A suspension hides it, a reinstatement shows it again.
    await suite.services.accreditations.suspend(
      suite.orm.em.fork(),
      managerA,
      accreditationPA,
      'Verifiche in corso sui requisiti',
    );
    expect(await both('mosaico')).toEqual([[], []]);
    await suite.services.accreditations.reinstate(
      suite.orm.em.fork(),
      managerA,
      accreditationPA,
      'Requisiti confermati',
    );
    expect(await both('mosaico')).toEqual([['Laboratorio di mosaico'], ['Laboratorio di mosaico']]);
    // Withdrawn by a script (no service): gone at the next search.
    await suite.sql(`update "third_sector"."offer" set "status" = 'WITHDRAWN' where "id" = ?`, [
      id,
    ]);
    expect(await both('mosaico')).toEqual([[], []]);
    expect([first.refreshes.full, second.refreshes.full]).toEqual(full);
    expect([first.refreshes.incremental, second.refreshes.incremental]).toEqual([4, 4]);

    // The log pruned past both indexes' versions: the next refresh reloads everything, right.
    await suite.sql(`update "third_sector"."offer" set "status" = 'PUBLISHED' where "id" = ?`, [
      id,
    ]);
    expect(await pruneCatalogueChanges(suite.orm.em.fork(), 0)).toBeGreaterThan(0);
    expect(await suite.count('catalogue_change')).toBe(0);
    expect(await both('mosaico')).toEqual([['Laboratorio di mosaico'], ['Laboratorio di mosaico']]);
    expect([first.refreshes.full, second.refreshes.full]).toEqual([full[0]! + 1, full[1]! + 1]);
    // And incremental again after it.
    await suite.sql(
      `update "third_sector"."offer" set "title" = 'Laboratorio di vetrate' where "id" = ?`,
      [id],
    );
    expect(await both('vetrate')).toEqual([['Laboratorio di vetrate'], ['Laboratorio di vetrate']]);
    expect([first.refreshes.full, second.refreshes.full]).toEqual([full[0]! + 1, full[1]! + 1]);
  });

  it('prunes only the rows older than asked, and never waits for a writer holding the version', async () => {
    await insertOffers([
      {
        id: randomUUID(),
        providerId: PROVIDER_P,
        comuneId: COMUNE_A,
        published: true,
        title: 'Corso di ricamo',
        description: 'Ago e filo.',
        category: 'CULTURE',
        targets: ['EVERYONE'],
        free: true,
        municipalities: ['Balestrate'],
        slots: [],
      },
    ]);
    const logged = await suite.count('catalogue_change');
    expect(logged).toBeGreaterThan(0);
    expect(await pruneCatalogueChanges(suite.orm.em.fork(), 3600)).toBe(0);
    // Another process's write under way: its transaction holds the version row.
    const writer = await suite.orm.em.getConnection().getKnex().transaction();
    try {
      await writer.raw(
        `update "third_sector"."catalogue_version" set "version" = "version" where "id"`,
      );
      expect(await pruneCatalogueChanges(suite.orm.em.fork(), 0)).toBe(0);
    } finally {
      await writer.rollback();
    }
    expect(await suite.count('catalogue_change')).toBe(logged);
    expect(await pruneCatalogueChanges(suite.orm.em.fork(), 0)).toBe(logged);
    const [head] = await suite.sql<{ version: string; log_from: string }>(
      `select "version"::text as "version", "log_from"::text as "log_from" from "third_sector"."catalogue_version"`,
    );
    expect(head!.log_from).toBe(head!.version);
  });

  it('logs each written offer with the new version, and nothing for a statement that changes no row', async () => {
    const before = await suite.sql<{ version: string }>(
      `select "version"::text as "version" from "third_sector"."catalogue_version"`,
    );
    await suite.sql(`update "third_sector"."offer" set "title" = "title" where false`);
    const after = await suite.sql<{ version: string }>(
      `select "version"::text as "version" from "third_sector"."catalogue_version"`,
    );
    expect(after).toEqual(before);
    await suite.sql(`update "third_sector"."offer_place" set "name" = "name"`);
    const logged = await suite.sql<{ version: string; offer_id: string }>(
      `select "version"::text as "version", "offer_id" from "third_sector"."catalogue_change"
        where "version" > ?::bigint`,
      [before[0]!.version],
    );
    const offers = await suite.sql<{ id: string }>(
      `select distinct "offer_id" as "id" from "third_sector"."offer_place"`,
    );
    // The places' statement, then the offers' (their municipalities, by the places' trigger).
    expect(new Set(logged.map((r) => r.offer_id))).toEqual(new Set(offers.map((o) => o.id)));
    expect(logged.length).toBeGreaterThan(0);
  });
});

// ---- refresh: what a transaction commits, the next search sees ------------------------------

const adminP = member(PROVIDER_P, 'COOPERATIVE', 'ADMIN');
const managerA = member(COMUNE_A, 'COMUNE', 'MANAGER');
const managerB = member(COMUNE_B, 'COMUNE', 'MANAGER');
const operatorA = member(COMUNE_A, 'COMUNE', 'OPERATOR');

const titlesFor = async (text: string, comuneId = COMUNE_A) =>
  (await suite.services.catalogue.search(suite.orm.em.fork(), { comuneId, text })).items.map(
    (o) => o.title,
  );

describe('the index follows the catalogue', () => {
  it('shows a published offer, an edit and a suspension at the next search', async () => {
    await suite.sql(`delete from "third_sector"."offer"`);
    const created = await suite.run<{ createOffer: { id: string } }>(
      CREATE,
      {
        providerId: PROVIDER_P,
        comuneId: COMUNE_A,
        input: offerInput({ title: 'Laboratorio di ceramica', description: 'Argilla e tornio.' }),
      },
      adminP,
    );
    const id = created.data!.createOffer.id;
    expect(await titlesFor('ceramica')).toEqual([]); // a draft
    expect((await suite.run(PUBLISH, { id }, adminP)).errors).toBeUndefined();
    expect(await titlesFor('ceramica')).toEqual(['Laboratorio di ceramica']);
    // The index's copy of the offer is the offer, every field (places and schedule too).
    const listed = await suite.run<{ catalogue: { items: unknown[] } }>(
      `query($input: CatalogueSearchInput) { catalogue(input: $input) { items { ${OFFER_FIELDS} } } }`,
      { input: { text: 'ceramica' } },
      ANONYMOUS,
    );
    const one = await suite.run<{ offer: unknown }>(
      `query($id: ID!) { offer(id: $id) { ${OFFER_FIELDS} } }`,
      { id },
      ANONYMOUS,
    );
    expect(one.data!.offer).not.toBeNull();
    expect(listed.data!.catalogue.items).toEqual([one.data!.offer]);
    const edited = await suite.run(
      UPDATE,
      {
        id,
        input: offerInput({ title: 'Laboratorio di mosaico', description: 'Tessere e colla.' }),
      },
      adminP,
    );
    expect(edited.errors).toBeUndefined();
    expect(await titlesFor('ceramica')).toEqual([]);
    expect(await titlesFor('mosaico')).toEqual(['Laboratorio di mosaico']);
    // Suspended (one transaction): hidden at the next search.
    await suite.services.accreditations.suspend(
      suite.orm.em.fork(),
      managerA,
      accreditationPA,
      'Verifiche in corso sui requisiti',
    );
    expect(await titlesFor('mosaico')).toEqual([]);
    await suite.services.accreditations.reinstate(
      suite.orm.em.fork(),
      managerA,
      accreditationPA,
      'Requisiti confermati',
    );
    expect(await titlesFor('mosaico')).toEqual(['Laboratorio di mosaico']);
  });
});

// ---- a Comune's synonyms -----------------------------------------------------------------

const ADD = `mutation($comuneId: ID!, $words: [String!]!) {
  addCatalogueSynonyms(comuneId: $comuneId, words: $words) { id comuneId words builtIn } }`;
const REMOVE = `mutation($id: ID!) { removeCatalogueSynonyms(id: $id) }`;
const LIST = `query($comuneId: ID!) { catalogueSynonyms(comuneId: $comuneId) { id words builtIn } }`;

describe('a Comune’s synonyms', () => {
  it('extends the built-in list for its own catalogue only, at once', async () => {
    expect(await titlesFor('tessere')).toEqual(['Laboratorio di mosaico']);
    expect(await titlesFor('ceramiche artistiche')).toEqual([]);
    const added = await suite.run<{ addCatalogueSynonyms: { id: string; words: string[] } }>(
      ADD,
      { comuneId: COMUNE_A, words: ['Mosaico', ' ceramiche  artistiche ', 'mosaico'] },
      managerA,
    );
    expect(added.errors).toBeUndefined();
    expect(added.data!.addCatalogueSynonyms.words).toEqual(['mosaico', 'ceramiche artistiche']);
    expect(await titlesFor('ceramiche artistiche')).toEqual(['Laboratorio di mosaico']);
    const list = await suite.run<{ catalogueSynonyms: { id: string | null; builtIn: boolean }[] }>(
      LIST,
      { comuneId: COMUNE_A },
      ANONYMOUS,
    );
    const groups = list.data!.catalogueSynonyms;
    expect(groups.filter((g) => g.builtIn).length).toBeGreaterThan(10);
    expect(groups.filter((g) => !g.builtIn).map((g) => g.id)).toEqual([
      added.data!.addCatalogueSynonyms.id,
    ]);
    // Another Comune's manager can neither add to A's nor remove A's group.
    const other = await suite.run(ADD, { comuneId: COMUNE_A, words: ['a1', 'b1'] }, managerB);
    expect(errorCode(other)).toBe('FORBIDDEN');
    const operator = await suite.run(ADD, { comuneId: COMUNE_A, words: ['aa', 'bb'] }, operatorA);
    expect(errorCode(operator)).toBe('FORBIDDEN');
    const removeOther = await suite.run(
      REMOVE,
      { id: added.data!.addCatalogueSynonyms.id },
      managerB,
    );
    expect(errorCode(removeOther)).toBe('NOT_FOUND');
    expect(errorCode(await suite.run(REMOVE, { id: randomUUID() }, managerA))).toBe('NOT_FOUND');
    const removed = await suite.run(REMOVE, { id: added.data!.addCatalogueSynonyms.id }, managerA);
    expect(removed.errors).toBeUndefined();
    expect(await titlesFor('ceramiche artistiche')).toEqual([]);
  });

  it('refuses bad words, naming the field, and writes nothing', async () => {
    const before = await suite.count('catalogue_synonym');
    for (const words of [['solo'], ['uno', 'due<script>'], ['per', 'di'], ['a b c d', 'due']]) {
      const result = await suite.run(ADD, { comuneId: COMUNE_A, words }, managerA);
      expect(errorCode(result), JSON.stringify(words)).toBe('BAD_USER_INPUT');
      expect(errorFields(result)).toEqual(['words']);
    }
    expect(await suite.count('catalogue_synonym')).toBe(before);
  });
});
