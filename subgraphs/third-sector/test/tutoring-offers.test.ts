import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, romeDay, romeDayStart } from '@welfare/kit/dates';
import { createServices } from '../src/services.js';
import {
  ANONYMOUS,
  COMUNE_A,
  PROVIDER_P,
  errorCode,
  errorFields,
  member,
  setupSuite,
  type Suite,
} from './helpers.js';
import { PUBLISH, UPDATE, WITHDRAW, accredit, offerInput } from './offer-fixtures.js';
import { CREATE_PROGRAMME, family, fieldMessages, ok } from './tutoring-fixtures.js';

/**
 * Tutoring programmes in the catalogue (issue 18, item 3): each programme is listed by an offer
 * kept in step with it by a trigger (migration `tutoring_offers`), found by everyday words,
 * free, not bookable as an offer; closing the programme takes it off the catalogue.
 */
let suite: Suite;
const managerA = member(COMUNE_A, 'COMUNE', 'MANAGER');
const adminP = member(PROVIDER_P, 'COOPERATIVE', 'ADMIN');
const TODAY = romeDay(new Date());

const UPDATE_PROGRAMME = `mutation ($id: ID!, $input: TutoringProgrammeUpdate!) {
  updateTutoringProgramme(id: $id, input: $input) { id status } }`;
const SEARCH = `query ($input: CatalogueSearchInput) { catalogue(input: $input) {
  total items { id title providerId comuneId category targets priceKind priceCents format capacity
    tutoringProgrammeId description scheduleNotes inCatalogue }
  facets { categories { value count } targets { value count } pricing { value count } } } }`;
const BOOK = `mutation ($input: BookOfferInput!) { bookOffer(input: $input) { id } }`;
const DAYS = `query ($offerId: ID!) { offerBookableDays(offerId: $offerId, first: 7) { date } }`;

interface Item {
  id: string;
  title: string;
  providerId: string;
  comuneId: string;
  category: string;
  targets: string[];
  priceKind: string;
  priceCents: number | null;
  format: string;
  capacity: number;
  tutoringProgrammeId: string | null;
  description: string;
  scheduleNotes: string | null;
  inCatalogue: boolean;
}
interface Page {
  total: number;
  items: Item[];
  facets: Record<string, { value: string; count: number }[]>;
}

const programmeInput = (overrides: Record<string, unknown> = {}) => ({
  comuneId: COMUNE_A,
  providerId: PROVIDER_P,
  title: 'Studiamo insieme',
  description: 'Sostegno allo studio per alunni delle medie.',
  startsOn: addDays(TODAY, -7),
  endsOn: addDays(TODAY, 120),
  budgetMinutes: 1200,
  groupSizeLimit: 4,
  ...overrides,
});

/** The programme's update input (every field of `programmeInput` but the owners). */
function updateInput(overrides: Record<string, unknown> = {}) {
  const { comuneId: _c, providerId: _p, ...rest } = programmeInput(overrides);
  return rest;
}

async function search(text: string | null, extra: Record<string, unknown> = {}): Promise<Page> {
  return ok<Page>(
    await suite.run(SEARCH, { input: { comuneId: COMUNE_A, text, ...extra } }, ANONYMOUS),
    'catalogue',
  );
}

/** The catalogue entry of the programme, found by `text` (undefined when not found). */
async function entryOf(programmeId: string, text: string | null): Promise<Item | undefined> {
  return (await search(text, { pageSize: 50 })).items.find(
    (o) => o.tutoringProgrammeId === programmeId,
  );
}

async function counts() {
  const [row] = await suite.sql<{ bookings: string; offers: string; version: string }>(
    `select (select count(*) from third_sector.offer_booking)::text as bookings,
            (select count(*) from third_sector.offer)::text as offers,
            (select version from third_sector.catalogue_version)::text as version`,
  );
  return row;
}

let programmeId: string;

beforeAll(async () => {
  suite = await setupSuite('tutoring_offers');
  await accredit(suite, PROVIDER_P, COMUNE_A);
  // A provider's own education offer, so the programme competes with an ordinary one.
  const own = ok<{ id: string }>(
    await suite.run(
      `mutation($providerId: ID!, $comuneId: ID!, $input: OfferInput!) {
        createOffer(providerId: $providerId, comuneId: $comuneId, input: $input) { id } }`,
      { providerId: PROVIDER_P, comuneId: COMUNE_A, input: offerInput() },
      adminP,
    ),
    'createOffer',
  );
  ok(await suite.run(PUBLISH, { id: own.id }, adminP), 'publishOffer');
});
afterAll(() => suite?.close());

describe('a tutoring programme in the catalogue', () => {
  it('is listed as soon as it is created: found by everyday words and its title, free, counted in the facets', async () => {
    const before = await search(null);
    programmeId = ok<{ id: string }>(
      await suite.run(CREATE_PROGRAMME, { input: programmeInput() }, managerA),
      'createTutoringProgramme',
    ).id;
    for (const words of ['tutoraggio', 'ripetizioni', 'compiti', 'Studiamo insieme']) {
      const entry = await entryOf(programmeId, words);
      expect(entry, words).toBeDefined();
    }
    const entry = (await entryOf(programmeId, 'tutoraggio'))!;
    expect(entry).toMatchObject({
      title: 'Studiamo insieme',
      providerId: PROVIDER_P,
      comuneId: COMUNE_A,
      category: 'EDUCATION',
      targets: ['CHILDREN', 'TEENAGERS'],
      priceKind: 'FREE',
      priceCents: null,
      format: 'GROUP',
      capacity: 4,
      inCatalogue: true,
    });
    expect(entry.description).toContain('Sostegno allo studio per alunni delle medie.');
    expect(entry.description).toContain('finanziato dal Comune: gratuito per le famiglie');
    expect(entry.scheduleNotes).toContain('Dal ');

    const after = await search(null);
    expect(after.total).toBe(before.total + 1);
    const count = (p: Page, facet: string, value: string) =>
      p.facets[facet]!.find((f) => f.value === value)!.count;
    expect(count(after, 'categories', 'EDUCATION')).toBe(
      count(before, 'categories', 'EDUCATION') + 1,
    );
    expect(count(after, 'pricing', 'FREE')).toBe(count(before, 'pricing', 'FREE') + 1);
    expect(count(after, 'targets', 'TEENAGERS')).toBe(count(before, 'targets', 'TEENAGERS') + 1);
    // Public on its own too, with the programme's id.
    const one = await suite.run(
      `query($id: ID!) { offer(id: $id) { id tutoringProgrammeId inCatalogue } }`,
      { id: entry.id },
      ANONYMOUS,
    );
    expect(ok(one, 'offer')).toEqual({
      id: entry.id,
      tutoringProgrammeId: programmeId,
      inCatalogue: true,
    });
  });

  it('follows the programme’s edits at once (same transaction: the catalogue’s version moves)', async () => {
    const version = (await counts())!.version;
    ok(
      await suite.run(
        UPDATE_PROGRAMME,
        {
          id: programmeId,
          input: updateInput({ title: 'Ripassiamo la matematica', groupSizeLimit: 1 }),
        },
        managerA,
      ),
      'updateTutoringProgramme',
    );
    expect(Number((await counts())!.version)).toBeGreaterThan(Number(version));
    const entry = await entryOf(programmeId, 'matematica');
    expect(entry).toMatchObject({
      title: 'Ripassiamo la matematica',
      format: 'INDIVIDUAL',
      capacity: 1,
    });
    expect(await entryOf(programmeId, 'Studiamo insieme')).toBeUndefined();
  });

  it('is not booked as an offer: bookOffer is refused with a field error, nothing written', async () => {
    const entry = (await entryOf(programmeId, 'tutoraggio'))!;
    const before = await counts();
    const result = await suite.run(
      BOOK,
      {
        input: {
          offerId: entry.id,
          serviceDate: addDays(TODAY, 7),
          quantity: 1,
          idempotencyKey: `key-${randomUUID()}`,
          contactEmail: 'famiglia@esempio.it',
        },
      },
      family(),
    );
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(errorFields(result)).toContain('offerId');
    const message = fieldMessages(result).find((f) => f.field === 'offerId')!;
    expect(message.it).toContain('programma di tutoraggio');
    expect(message.en).toContain('tutoring programme');
    expect(await counts()).toEqual(before);
    expect(
      ok(await suite.run(DAYS, { offerId: entry.id }, ANONYMOUS), 'offerBookableDays'),
    ).toEqual([]);
  });

  it('is not written as an offer by the provider (CONFLICT, nothing written)', async () => {
    const entry = (await entryOf(programmeId, 'tutoraggio'))!;
    const before = await counts();
    for (const [query, variables] of [
      [UPDATE, { id: entry.id, input: offerInput() }],
      [WITHDRAW, { id: entry.id }],
    ] as const) {
      const result = await suite.run(query, variables, adminP);
      expect(errorCode(result)).toBe('CONFLICT');
    }
    expect(await counts()).toEqual(before);
  });

  it('leaves the catalogue when the programme is closed, and comes back when reopened', async () => {
    const update = (status: string) =>
      suite.run(
        UPDATE_PROGRAMME,
        {
          id: programmeId,
          input: updateInput({ title: 'Ripassiamo la matematica', status }),
        },
        managerA,
      );
    const entry = (await entryOf(programmeId, 'tutoraggio'))!;
    ok(await update('CLOSED'), 'updateTutoringProgramme');
    expect(await entryOf(programmeId, 'tutoraggio')).toBeUndefined();
    expect(await entryOf(programmeId, null)).toBeUndefined();
    expect(
      ok(
        await suite.run(`query($id: ID!) { offer(id: $id) { id } }`, { id: entry.id }, ANONYMOUS),
        'offer',
      ),
    ).toBeNull();
    ok(await update('OPEN'), 'updateTutoringProgramme');
    expect((await entryOf(programmeId, 'tutoraggio'))?.id).toBe(entry.id);
  });
});

describe('a tutoring programme past its last day', () => {
  it('is neither found nor counted from the day after its end (a fixed today), its page says it is not in the catalogue; listed on its last day', async () => {
    const ending = ok<{ id: string }>(
      await suite.run(
        CREATE_PROGRAMME,
        {
          input: programmeInput({
            title: 'Geometria facile',
            startsOn: addDays(TODAY, -30),
            endsOn: TODAY,
          }),
        },
        managerA,
      ),
      'createTutoringProgramme',
    ).id;
    // Its last day: listed and counted.
    const entry = (await entryOf(ending, 'geometria'))!;
    expect(entry.inCatalogue).toBe(true);
    const onLastDay = await search(null, { pageSize: 50 });
    // The day after (the programme still OPEN, its offer still PUBLISHED: nothing was written).
    const dayAfter = new Date(romeDayStart(addDays(TODAY, 1)).getTime() + 12 * 3600_000);
    const later = createServices({ now: () => dayAfter, catalogueCacheSize: 0 });
    const [row] = await suite.sql<{ status: string }>(
      `select "status" from "third_sector"."offer" where "id" = ?`,
      [entry.id],
    );
    expect(row!.status).toBe('PUBLISHED');
    const em = () => suite.orm.em.fork();
    expect(
      (await later.catalogue.search(em(), { comuneId: COMUNE_A, text: 'geometria' })).total,
    ).toBe(0);
    const all = await later.catalogue.search(em(), { comuneId: COMUNE_A, pageSize: 50 });
    expect(all.items.map((o) => o.id)).not.toContain(entry.id);
    expect(all.total).toBe(onLastDay.total - 1);
    const education = (facets: { value: string; count: number }[]) =>
      facets.find((f) => f.value === 'EDUCATION')!.count;
    expect(education(all.facets.categories)).toBe(education(onLastDay.facets.categories!) - 1);
    for (const t of ['CHILDREN', 'TEENAGERS']) {
      const count = (facets: { value: string; count: number }[]) =>
        facets.find((f) => f.value === t)!.count;
      expect(count(all.facets.targets)).toBe(count(onLastDay.facets.targets!) - 1);
    }
    expect(all.facets.pricing.find((f) => f.value === 'FREE')!.count).toBe(
      onLastDay.facets.pricing!.find((f) => f.value === 'FREE')!.count - 1,
    );
    // Its page stays readable (a saved link), no longer in the catalogue: no enrolment offered.
    const offer = await later.offers.get(em(), ANONYMOUS, entry.id);
    expect(offer?.id).toBe(entry.id);
    expect(await later.offers.inCatalogue(em(), offer!)).toBe(false);
    // Today's clock still lists it.
    expect(
      (await suite.services.catalogue.search(em(), { comuneId: COMUNE_A, text: 'geometria' }))
        .total,
    ).toBe(1);
    // Closed: off the catalogue for good (the other tests' counts untouched).
    ok(
      await suite.run(
        UPDATE_PROGRAMME,
        {
          id: ending,
          input: updateInput({
            title: 'Geometria facile',
            startsOn: addDays(TODAY, -30),
            endsOn: TODAY,
            status: 'CLOSED',
          }),
        },
        managerA,
      ),
      'updateTutoringProgramme',
    );
  });
});

describe('the migration `tutoring_offers`', () => {
  it('lists the programmes that existed before it (open ones published, closed or ended ones not)', async () => {
    const migrator = suite.orm.getMigrator();
    await migrator.down({ to: 'Migration20261208060000_comune_review' });
    const ids = { open: randomUUID(), closed: randomUUID(), ended: randomUUID() };
    for (const [key, status, endsOn] of [
      ['open', 'OPEN', addDays(TODAY, 30)],
      ['closed', 'CLOSED', addDays(TODAY, 30)],
      ['ended', 'OPEN', addDays(TODAY, -1)],
    ] as const) {
      await suite.sql(
        `insert into third_sector.tutoring_programme
           (id, comune_id, provider_id, title, description, starts_on, ends_on, budget_minutes, status, created_by)
         values (?, ?, ?, ?, '', ?::date, ?::date, 600, ?, ?)`,
        [
          ids[key],
          COMUNE_A,
          PROVIDER_P,
          `Compiti insieme ${key}`,
          addDays(TODAY, -60),
          endsOn,
          status,
          randomUUID(),
        ],
      );
    }
    await migrator.up();
    const rows = await suite.sql<{
      tutoring_programme_id: string;
      status: string;
      description: string;
    }>(
      `select tutoring_programme_id, status, description from third_sector.offer
        where tutoring_programme_id = any(?::uuid[])`,
      [`{${Object.values(ids).join(',')}}`],
    );
    const byProgramme = new Map(rows.map((r) => [r.tutoring_programme_id, r]));
    expect(byProgramme.get(ids.open)?.status).toBe('PUBLISHED');
    expect(byProgramme.get(ids.closed)?.status).toBe('WITHDRAWN');
    expect(byProgramme.get(ids.ended)?.status).toBe('WITHDRAWN');
    expect(byProgramme.get(ids.open)?.description).toMatch(/^Programma di tutoraggio/);
    // The programme created through the API before the round trip is listed again too.
    expect((await entryOf(programmeId, 'tutoraggio'))?.title).toBe('Ripassiamo la matematica');
    expect((await entryOf(ids.open, 'ripetizioni'))?.title).toBe('Compiti insieme open');
    expect(await entryOf(ids.closed, null)).toBeUndefined();
  });
});
