import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANONYMOUS,
  CITIZEN,
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
import {
  CREATE,
  MINE,
  ONE,
  PUBLISH,
  UPDATE,
  WITHDRAW,
  accredit,
  offerInput,
} from './offer-fixtures.js';
import type { OfferData } from '../src/modules/offer/offer.service.js';

let suite: Suite;
beforeAll(async () => {
  suite = await setupSuite('offers');
  await accredit(suite, PROVIDER_P, COMUNE_A);
  await accredit(suite, PROVIDER_Q, COMUNE_A);
});
afterAll(() => suite?.close());

const adminP = member(PROVIDER_P, 'COOPERATIVE', 'ADMIN');
const tutorP = member(PROVIDER_P, 'COOPERATIVE', 'TUTOR');
const adminQ = member(PROVIDER_Q, 'ASSOCIATION', 'ADMIN');
const adminR = member(PROVIDER_R, 'COOPERATIVE', 'ADMIN');
const operatorA = member(COMUNE_A, 'COMUNE', 'OPERATOR');
const operatorB = member(COMUNE_B, 'COMUNE', 'OPERATOR');

interface OfferOut {
  id: string;
  status: string;
  title: string;
  priceCents: number | null;
  capacity: number;
  places: { municipality: string }[];
  schedule: { weekday: number; startTime: string }[];
  publishedAt: string | null;
  inCatalogue?: boolean;
}

function ok<T>(result: ExecutionResult, key: string): T {
  expect(result.errors).toBeUndefined();
  return (result.data as Record<string, T>)[key]!;
}

async function rows() {
  return {
    offers: await suite.count('offer'),
    places: await suite.count('offer_place'),
    slots: await suite.count('offer_schedule_slot'),
  };
}

async function create(
  overrides: Record<string, unknown> = {},
  caller = adminP,
  comuneId = COMUNE_A,
) {
  return suite.run(
    CREATE,
    {
      providerId: caller === adminQ ? PROVIDER_Q : caller === adminR ? PROVIDER_R : PROVIDER_P,
      comuneId,
      input: offerInput(overrides),
    },
    caller,
  );
}

describe('creating and editing offers', () => {
  it('creates a DRAFT with places and schedule, in integer cents', async () => {
    const offer = ok<OfferOut>(await create(), 'createOffer');
    expect(offer.status).toBe('DRAFT');
    expect(offer.priceCents).toBe(1250);
    expect(offer.places).toHaveLength(1);
    expect(offer.schedule).toEqual([{ weekday: 2, startTime: '15:00', endTime: '17:00' }]);
  });

  it('refuses every bad field at once and writes nothing', async () => {
    const before = await rows();
    const result = await create({
      title: ' x ',
      capacity: 1000,
      priceKind: 'PER_HOUR',
      priceCents: 0,
      places: [
        {
          name: 'Sala',
          address: 'Via Roma 1',
          municipality: 'Balestrate',
          latitude: 91,
          longitude: 13,
        },
        { name: 'Sala 2', address: 'Via Roma 2', municipality: 'Balestrate', latitude: 38 },
      ],
      schedule: [{ weekday: 8, startTime: '17:00', endTime: '15:00' }],
      contactEmail: 'not-an-email',
      contactWebsite: 'javascript:alert(1)',
    });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(errorFields(result)).toEqual([
      'capacity',
      'contactEmail',
      'contactWebsite',
      'places.0.latitude',
      'places.1.longitude',
      'priceCents',
      'schedule.0.endTime',
      'schedule.0.weekday',
      'title',
    ]);
    const messages = (
      result.errors?.[0]?.originalError as unknown as {
        fields: { message: { it: string; en: string } }[];
      }
    ).fields;
    for (const m of messages) {
      expect(m.message.it.length).toBeGreaterThan(3);
      expect(m.message.en.length).toBeGreaterThan(3);
    }
    expect(await rows()).toEqual(before);
  });

  it('refuses capacity 0 and 1,000 for a group, and anything but 1 for an individual offer', async () => {
    const before = await rows();
    for (const [format, capacity] of [
      ['GROUP', 0],
      ['GROUP', 1],
      ['GROUP', 1000],
      ['GROUP', 201],
      ['INDIVIDUAL', 0],
      ['INDIVIDUAL', 2],
    ] as const) {
      const result = await create({ format, capacity });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(errorFields(result)).toEqual(['capacity']);
    }
    expect(await rows()).toEqual(before);
    expect(
      ok<OfferOut>(await create({ format: 'GROUP', capacity: 200 }), 'createOffer').capacity,
    ).toBe(200);
    expect(
      ok<OfferOut>(await create({ format: 'INDIVIDUAL', capacity: 1 }), 'createOffer').capacity,
    ).toBe(1);
  });

  it('refuses a price with fractions of a cent, a free offer with a price, a priced one without', async () => {
    const before = await rows();
    // GraphQL's Int refuses 1250.5 before the resolver runs.
    const fraction = await create({ priceCents: 1250.5 });
    expect(fraction.errors?.length).toBeGreaterThan(0);
    expect(fraction.data).toBeUndefined();
    // The service refuses it too (a caller bypassing GraphQL).
    await expect(
      suite.services.offers.create(
        suite.orm.em.fork(),
        adminP,
        PROVIDER_P,
        COMUNE_A,
        offerInput({ priceCents: 1250.5 }) as unknown as OfferData,
      ),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'priceCents' }] });
    for (const [overrides, field] of [
      [{ priceKind: 'FREE', priceCents: 500 }, 'priceCents'],
      [{ priceKind: 'PER_SESSION', priceCents: null }, 'priceCents'],
      [{ priceKind: 'PER_SESSION', priceCents: -100 }, 'priceCents'],
      [{ priceKind: 'PER_SESSION', priceCents: 10_000_001 }, 'priceCents'],
      [{ priceKind: 'PER_HOUR', packageDescription: '10 lezioni' }, 'packageDescription'],
    ] as const) {
      const result = await create(overrides);
      expect(errorFields(result)).toEqual([field]);
    }
    expect(await rows()).toEqual(before);
    const free = ok<OfferOut>(await create({ priceKind: 'FREE', priceCents: null }), 'createOffer');
    expect(free.priceCents).toBeNull();
  });

  it('the database refuses what the service refuses (CHECK constraints)', async () => {
    const id = ok<OfferOut>(await create(), 'createOffer').id;
    for (const set of [
      `capacity = 1000`,
      `capacity = 0`,
      `price_kind = 'FREE'`,
      `price_cents = null`,
      `format = 'INDIVIDUAL'`,
      `targets = '{ALIENS}'`,
      `status = 'PUBLISHED'`,
    ]) {
      await expect(
        suite.sql(`update third_sector.offer set ${set} where id = ?`, [id]),
      ).rejects.toThrow(/check constraint/);
    }
    await expect(
      suite.sql(
        `insert into third_sector.offer_schedule_slot (id, offer_id, weekday, start_time, end_time) values (gen_random_uuid(), ?, 1, '10:00', '09:00')`,
        [id],
      ),
    ).rejects.toThrow(/check constraint/);
  });

  it('an edit replaces every field; a bad edit changes nothing', async () => {
    const offer = ok<OfferOut>(await create(), 'createOffer');
    const edited = ok<OfferOut>(
      await suite.run(
        UPDATE,
        {
          id: offer.id,
          input: offerInput({
            title: 'Laboratorio di lettura',
            format: 'INDIVIDUAL',
            capacity: 1,
            places: [
              { name: 'Sala A', address: 'Piazza Matrice 1', municipality: 'Balestrate' },
              { name: 'Sala B', address: 'Via Trappeto 3', municipality: 'Trappeto' },
            ],
            schedule: [
              { weekday: 5, startTime: '10:00', endTime: '11:00' },
              { weekday: 1, startTime: '09:00', endTime: '10:00' },
            ],
          }),
        },
        adminP,
      ),
      'updateOffer',
    );
    expect(edited.title).toBe('Laboratorio di lettura');
    expect(edited.places.map((p) => p.municipality)).toEqual(['Balestrate', 'Trappeto']);
    expect(edited.schedule.map((s) => s.weekday)).toEqual([1, 5]);
    const [denormalised] = await suite.sql<{ municipalities: string[] }>(
      `select municipalities from third_sector.offer where id = ?`,
      [offer.id],
    );
    expect(denormalised).toEqual({ municipalities: ['Balestrate', 'Trappeto'] });

    const before = await rows();
    const bad = await suite.run(
      UPDATE,
      { id: offer.id, input: offerInput({ title: '', places: [] }) },
      adminP,
    );
    expect(errorFields(bad)).toEqual(['title']);
    expect(await rows()).toEqual(before);
    const [still] = await suite.sql<{ title: string }>(
      `select title from third_sector.offer where id = ?`,
      [offer.id],
    );
    expect(still!.title).toBe('Laboratorio di lettura');
  });
});

describe('publishing', () => {
  it('publishes a complete offer of an accredited provider, then withdraws it', async () => {
    const offer = ok<OfferOut>(await create(), 'createOffer');
    const published = ok<OfferOut>(
      await suite.run(PUBLISH, { id: offer.id }, adminP),
      'publishOffer',
    );
    expect(published.status).toBe('PUBLISHED');
    expect(published.publishedAt).not.toBeNull();
    expect(
      ok<OfferOut>(await suite.run(ONE, { id: offer.id }, ANONYMOUS), 'offer').inCatalogue,
    ).toBe(true);
    expect(errorCode(await suite.run(PUBLISH, { id: offer.id }, adminP))).toBe('CONFLICT');
    // A published offer must stay complete.
    const incomplete = await suite.run(
      UPDATE,
      { id: offer.id, input: offerInput({ places: [], contactEmail: null }) },
      adminP,
    );
    expect(errorFields(incomplete)).toEqual(['contactEmail', 'places']);
    expect(
      ok<OfferOut>(await suite.run(WITHDRAW, { id: offer.id }, adminP), 'withdrawOffer').status,
    ).toBe('WITHDRAWN');
    expect(
      ok<OfferOut | null>(await suite.run(ONE, { id: offer.id }, ANONYMOUS), 'offer'),
    ).toBeNull();
    expect(errorCode(await suite.run(WITHDRAW, { id: offer.id }, adminP))).toBe('CONFLICT');
    expect(
      ok<OfferOut>(await suite.run(PUBLISH, { id: offer.id }, adminP), 'publishOffer').status,
    ).toBe('PUBLISHED');
  });

  it('refuses to publish an incomplete offer, listing everything missing, and changes nothing', async () => {
    const offer = ok<OfferOut>(
      await create({
        targets: [],
        places: [],
        schedule: [],
        scheduleNotes: null,
        contactEmail: null,
      }),
      'createOffer',
    );
    const result = await suite.run(PUBLISH, { id: offer.id }, adminP);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(errorFields(result)).toEqual(['contactEmail', 'places', 'schedule', 'targets']);
    const [row] = await suite.sql<{ status: string }>(
      `select status from third_sector.offer where id = ?`,
      [offer.id],
    );
    expect(row!.status).toBe('DRAFT');
    // Schedule notes stand in for weekly slots.
    ok(
      await suite.run(
        UPDATE,
        { id: offer.id, input: offerInput({ schedule: [], scheduleNotes: 'Su appuntamento' }) },
        adminP,
      ),
      'updateOffer',
    );
    expect(
      ok<OfferOut>(await suite.run(PUBLISH, { id: offer.id }, adminP), 'publishOffer').status,
    ).toBe('PUBLISHED');
  });

  it('refuses to publish when the provider is not accredited by the offer’s Comune', async () => {
    // P is accredited by A, not by B; R by nobody.
    const inB = ok<OfferOut>(await create({}, adminP, COMUNE_B), 'createOffer');
    const resultB = await suite.run(PUBLISH, { id: inB.id }, adminP);
    expect(errorFields(resultB)).toEqual(['accreditation']);
    const byR = ok<OfferOut>(await create({}, adminR), 'createOffer');
    expect(errorFields(await suite.run(PUBLISH, { id: byR.id }, adminR))).toEqual([
      'accreditation',
    ]);
    const statuses = await suite.sql<{ status: string }>(
      `select status from third_sector.offer where id in (?, ?)`,
      [inB.id, byR.id],
    );
    expect(statuses.map((s) => s.status)).toEqual(['DRAFT', 'DRAFT']);
  });

  it('refuses to publish after the accreditation expired', async () => {
    const EXPIRED_PROVIDER = '0b7c2d1e-0000-4000-8000-00000000c0e1';
    await accredit(suite, EXPIRED_PROVIDER, COMUNE_A, '2020-01-01');
    const admin = member(EXPIRED_PROVIDER, 'COOPERATIVE', 'ADMIN');
    const offer = ok<OfferOut>(
      await suite.run(
        CREATE,
        { providerId: EXPIRED_PROVIDER, comuneId: COMUNE_A, input: offerInput() },
        admin,
      ),
      'createOffer',
    );
    expect(errorFields(await suite.run(PUBLISH, { id: offer.id }, admin))).toEqual([
      'accreditation',
    ]);
  });
});

describe('tenancy', () => {
  it('a provider sees and changes only its own offers', async () => {
    const mine = ok<OfferOut>(await create(), 'createOffer');
    const theirs = ok<OfferOut>(await create({}, adminQ), 'createOffer');

    // Lists: only one's own; someone else's list is FORBIDDEN.
    const listP = ok<OfferOut[]>(
      await suite.run(MINE, { providerId: PROVIDER_P }, adminP),
      'providerOffers',
    );
    expect(listP.map((o) => o.id)).toContain(mine.id);
    expect(listP.map((o) => o.id)).not.toContain(theirs.id);
    for (const caller of [adminQ, tutorP, operatorA, CITIZEN]) {
      expect(errorCode(await suite.run(MINE, { providerId: PROVIDER_P }, caller))).toBe(
        'FORBIDDEN',
      );
    }
    expect(errorCode(await suite.run(MINE, { providerId: PROVIDER_P }, ANONYMOUS))).toBe(
      'UNAUTHENTICATED',
    );

    // Creating for another provider.
    const before = await rows();
    const forged = await suite.run(
      CREATE,
      { providerId: PROVIDER_Q, comuneId: COMUNE_A, input: offerInput() },
      adminP,
    );
    expect(errorCode(forged)).toBe('FORBIDDEN');
    expect(
      errorCode(
        await suite.run(
          CREATE,
          { providerId: PROVIDER_P, comuneId: COMUNE_A, input: offerInput() },
          tutorP,
        ),
      ),
    ).toBe('FORBIDDEN');

    // Reading, editing, publishing, withdrawing another provider's draft.
    expect(
      ok<OfferOut | null>(await suite.run(ONE, { id: theirs.id }, adminP), 'offer'),
    ).toBeNull();
    expect(
      errorCode(
        await suite.run(UPDATE, { id: theirs.id, input: offerInput({ title: 'Rubata' }) }, adminP),
      ),
    ).toBe('NOT_FOUND');
    expect(errorCode(await suite.run(PUBLISH, { id: theirs.id }, adminP))).toBe('NOT_FOUND');
    expect(errorCode(await suite.run(WITHDRAW, { id: theirs.id }, adminP))).toBe('NOT_FOUND');
    expect(errorCode(await suite.run(UPDATE, { id: mine.id, input: offerInput() }, tutorP))).toBe(
      'NOT_FOUND',
    );
    expect(errorCode(await suite.run(PUBLISH, { id: mine.id }, operatorA))).toBe('NOT_FOUND');
    expect(await rows()).toEqual(before);
    const [row] = await suite.sql<{ title: string; status: string }>(
      `select title, status from third_sector.offer where id = ?`,
      [theirs.id],
    );
    expect(row).toEqual({ title: 'Doposcuola e aiuto compiti', status: 'DRAFT' });
  });

  it('the Comune’s staff see the drafts addressed to its catalogue; other Comuni and the public do not', async () => {
    const draft = ok<OfferOut>(await create(), 'createOffer');
    expect(ok<OfferOut>(await suite.run(ONE, { id: draft.id }, operatorA), 'offer').status).toBe(
      'DRAFT',
    );
    expect(ok<OfferOut>(await suite.run(ONE, { id: draft.id }, adminP), 'offer').status).toBe(
      'DRAFT',
    );
    for (const caller of [operatorB, adminQ, CITIZEN, ANONYMOUS]) {
      expect(
        ok<OfferOut | null>(await suite.run(ONE, { id: draft.id }, caller), 'offer'),
      ).toBeNull();
    }
    expect(
      ok<OfferOut | null>(await suite.run(ONE, { id: 'not-a-uuid' }, ANONYMOUS), 'offer'),
    ).toBeNull();
  });
});
