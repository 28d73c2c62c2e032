import { randomUUID } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonCaller } from '@welfare/kit';
import { romeDay, addDays } from '@welfare/kit/dates';
import {
  ADMIN,
  ANONYMOUS,
  COMUNE_A,
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
  EVERY_DAY,
  PUBLISH,
  WITHDRAW,
  accredit,
  offerInput,
  openDay,
} from './offer-fixtures.js';

let suite: Suite;
const adminP = member(PROVIDER_P, 'COOPERATIVE', 'ADMIN');
const tutorP = member(PROVIDER_P, 'COOPERATIVE', 'TUTOR');
const adminQ = member(PROVIDER_Q, 'ASSOCIATION', 'ADMIN');
const adminR = member(PROVIDER_R, 'COOPERATIVE', 'ADMIN');
const managerA = member(COMUNE_A, 'COMUNE', 'MANAGER');

let serial = 0;
/** A citizen logged in with SPID/CIE: a person with a (made-up, well-formed) codice fiscale. */
function citizen(): PersonCaller {
  serial += 1;
  return {
    kind: 'person',
    personId: randomUUID(),
    sessionId: randomUUID(),
    platformAdmin: false,
    memberships: [],
    fiscalCode: `RSSMRA80A01H${String(serial).padStart(3, '0')}X`,
  };
}
const alice = citizen();
const bruno = citizen();

const TODAY = romeDay(new Date());
/** Days that are not national holidays (the offers here run every day). */
const open = (n: number) => openDay(TODAY, n);
const TOMORROW = open(1);
const NEXT_WEEK = open(7);

const BOOKING_FIELDS = `id offerId offerTitle providerId comuneId citizenFiscalCode serviceDate quantity
  priceKind unitPriceCents amountDueCents paymentStatus payBy paidAt refundedCents status note declineReason
  cancellable payee { id }`;
const BOOK = `mutation($input: BookOfferInput!) { bookOffer(input: $input) { ${BOOKING_FIELDS} } }`;
const MINE = `query { myOfferBookings { ${BOOKING_FIELDS} } }`;
const PROVIDER = `query($providerId: ID!, $statuses: [OfferBookingStatus!]) {
  providerOfferBookings(providerId: $providerId, statuses: $statuses) { ${BOOKING_FIELDS} } }`;
const ONE = `query($id: ID!) { offerBooking(id: $id) { id status } }`;
const ONE_FULL = `query($id: ID!) { offerBooking(id: $id) { ${BOOKING_FIELDS} } }`;
const CONFIRM = `mutation($id: ID!) { confirmOfferBooking(id: $id) { id status } }`;
const DECLINE = `mutation($id: ID!, $reason: String!) { declineOfferBooking(id: $id, reason: $reason) { id status declineReason } }`;
const CANCEL = `mutation($id: ID!) { cancelOfferBooking(id: $id) { id status cancellable } }`;

interface BookingOut {
  id: string;
  offerId: string;
  providerId: string;
  serviceDate: string;
  quantity: number;
  unitPriceCents: number | null;
  amountDueCents: number;
  paymentStatus: string;
  payBy: string | null;
  paidAt: string | null;
  refundedCents: number;
  status: string;
  cancellable: boolean;
  payee: { id: string };
  declineReason: string | null;
}

function ok<T>(result: ExecutionResult, key: string): T {
  expect(result.errors).toBeUndefined();
  return (result.data as Record<string, T>)[key]!;
}

/** A published offer of the provider in Comune A's catalogue. */
async function publishedOffer(
  overrides: Record<string, unknown> = {},
  caller = adminP,
  providerId = PROVIDER_P,
): Promise<string> {
  const created = ok<{ id: string }>(
    await suite.run(
      CREATE,
      { providerId, comuneId: COMUNE_A, input: offerInput({ schedule: EVERY_DAY, ...overrides }) },
      caller,
    ),
    'createOffer',
  );
  ok(await suite.run(PUBLISH, { id: created.id }, caller), 'publishOffer');
  return created.id;
}

function book(
  caller: PersonCaller,
  offerId: string,
  extra: Record<string, unknown> = {},
): Promise<ExecutionResult> {
  return suite.run(
    BOOK,
    {
      input: {
        offerId,
        serviceDate: NEXT_WEEK,
        quantity: 2,
        note: null,
        idempotencyKey: `key-${randomUUID()}`,
        contactEmail: 'famiglia@esempio.it',
        ...extra,
      },
    },
    caller,
  );
}

let priced: string; // PER_HOUR 12.50 €, GROUP of 3
let free: string; // FREE, INDIVIDUAL
let ofQ: string; // provider Q's offer
let accreditationR: string;

beforeAll(async () => {
  suite = await setupSuite('offer_bookings');
  await accredit(suite, PROVIDER_P, COMUNE_A);
  await accredit(suite, PROVIDER_Q, COMUNE_A);
  accreditationR = await accredit(suite, PROVIDER_R, COMUNE_A);
  priced = await publishedOffer();
  free = await publishedOffer({
    title: 'Sportello di ascolto',
    priceKind: 'FREE',
    priceCents: null,
    format: 'INDIVIDUAL',
    capacity: 1,
  });
  ofQ = await publishedOffer({ title: 'Corso di ceramica' }, adminQ, PROVIDER_Q);
});
afterAll(() => suite?.close());

describe('booking an offer', () => {
  it('records what is owed and to whom: price × quantity, to be paid on the platform within 30 minutes', async () => {
    const before = Date.now();
    const booking = ok<BookingOut>(await book(alice, priced, { quantity: 3 }), 'bookOffer');
    expect(booking).toMatchObject({
      offerId: priced,
      providerId: PROVIDER_P,
      payee: { id: PROVIDER_P },
      serviceDate: NEXT_WEEK,
      quantity: 3,
      unitPriceCents: 1250,
      amountDueCents: 3750,
      paymentStatus: 'PAYMENT_DUE',
      paidAt: null,
      refundedCents: 0,
      status: 'REQUESTED',
      cancellable: true,
    });
    const payBy = new Date(booking.payBy!).getTime();
    expect(payBy).toBeGreaterThanOrEqual(before + 30 * 60_000 - 1000);
    expect(payBy).toBeLessThanOrEqual(Date.now() + 30 * 60_000);
    const [row] = await suite.sql<{ amount_due_cents: string }>(
      'select amount_due_cents from third_sector.offer_booking where id = ?',
      [booking.id],
    );
    expect(Number(row!.amount_due_cents)).toBe(3750);
  });

  it('owes nothing for a free offer', async () => {
    const booking = ok<BookingOut>(await book(alice, free, { quantity: 1 }), 'bookOffer');
    expect(booking).toMatchObject({
      amountDueCents: 0,
      unitPriceCents: null,
      paymentStatus: 'NOT_DUE',
      payBy: null,
    });
  });

  it('returns the same booking for a replayed request, and refuses a changed one', async () => {
    const key = `replay-${randomUUID()}`;
    const citizenX = citizen();
    const first = ok<BookingOut>(
      await book(citizenX, priced, { idempotencyKey: key, serviceDate: TOMORROW }),
      'bookOffer',
    );
    const before = await suite.count('offer_booking');
    const again = ok<BookingOut>(
      await book(citizenX, priced, { idempotencyKey: key, serviceDate: TOMORROW }),
      'bookOffer',
    );
    expect(again.id).toBe(first.id);
    const changed = await book(citizenX, priced, {
      idempotencyKey: key,
      serviceDate: TOMORROW,
      quantity: 5,
    });
    expect(errorCode(changed)).toBe('CONFLICT');
    expect(await suite.count('offer_booking')).toBe(before);
  });

  it('refuses bad input field by field, in Italian and English, and writes nothing', async () => {
    const before = await suite.count('offer_booking');
    const yesterday = addDays(TODAY, -1);
    const all = await book(bruno, randomUUID(), {
      serviceDate: yesterday,
      quantity: 0,
      note: 'x'.repeat(1001),
      idempotencyKey: 'short',
    });
    expect(errorCode(all)).toBe('BAD_USER_INPUT');
    expect(errorFields(all)).toEqual([
      'idempotencyKey',
      'note',
      'offerId',
      'quantity',
      'serviceDate',
    ]);
    const fields = (
      all.errors?.[0]?.originalError as unknown as {
        fields: { message: { it: string; en: string } }[];
      }
    ).fields;
    for (const f of fields) {
      expect(f.message.it.length).toBeGreaterThan(5);
      expect(f.message.en.length).toBeGreaterThan(5);
    }
    for (const quantity of [0, 51, -1]) {
      const r = await book(bruno, priced, { quantity });
      expect(errorFields(r)).toEqual(['quantity']);
    }
    expect(errorFields(await book(bruno, priced, { serviceDate: '2026-02-30' }))).toEqual([
      'serviceDate',
    ]);
    expect(errorFields(await book(bruno, priced, { serviceDate: yesterday }))).toEqual([
      'serviceDate',
    ]);
    expect(errorFields(await book(bruno, free, { quantity: 2 }))).toEqual(['quantity']);
    expect(errorFields(await book(bruno, 'not-an-id'))).toEqual(['offerId']);
    // A fraction of an hour is refused by GraphQL's Int before anything runs.
    expect((await book(bruno, priced, { quantity: 1.5 })).errors).toBeDefined();
    expect(await suite.count('offer_booking')).toBe(before);
  });

  it('refuses offers not in the catalogue: a draft, a withdrawn one, one of a suspended provider', async () => {
    const before = await suite.count('offer_booking');
    const draft = ok<{ id: string }>(
      await suite.run(
        CREATE,
        { providerId: PROVIDER_P, comuneId: COMUNE_A, input: offerInput({ title: 'Bozza' }) },
        adminP,
      ),
      'createOffer',
    ).id;
    expect(errorFields(await book(bruno, draft))).toEqual(['offerId']);
    const withdrawn = await publishedOffer({ title: 'Ritirata' });
    ok(await suite.run(WITHDRAW, { id: withdrawn }, adminP), 'withdrawOffer');
    expect(errorFields(await book(bruno, withdrawn))).toEqual(['offerId']);
    const ofR = await publishedOffer({ title: 'Offerta di R' }, adminR, PROVIDER_R);
    ok<BookingOut>(await book(citizen(), ofR), 'bookOffer');
    await suite.services.accreditations.suspend(
      suite.orm.em.fork(),
      managerA,
      accreditationR,
      'Verifica in corso sui requisiti',
    );
    const refused = await book(bruno, ofR);
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(errorFields(refused)).toEqual(['offerId']);
    expect(await suite.count('offer_booking')).toBe(before + 1);
  });

  it('needs a citizen logged in with SPID/CIE', async () => {
    expect(errorCode(await book(ANONYMOUS as never, priced))).toBe('UNAUTHENTICATED');
    expect(errorCode(await book(adminP, priced))).toBe('FORBIDDEN');
  });
});

describe('capacity', () => {
  it('an INDIVIDUAL offer takes one booking a day; a second citizen gets CONFLICT on the day', async () => {
    const day = open(10);
    ok(await book(citizen(), free, { quantity: 1, serviceDate: day }), 'bookOffer');
    const second = await book(citizen(), free, { quantity: 1, serviceDate: day });
    expect(errorCode(second)).toBe('CONFLICT');
    expect(errorFields(second)).toEqual(['serviceDate']);
    ok(await book(citizen(), free, { quantity: 1, serviceDate: open(11) }), 'bookOffer');
  });

  it('refuses a second active booking of the same citizen, offer and day', async () => {
    const day = open(11);
    const someone = citizen();
    ok(await book(someone, priced, { serviceDate: day }), 'bookOffer');
    expect(errorCode(await book(someone, priced, { serviceDate: day }))).toBe('CONFLICT');
  });

  it('50 citizens racing for the last place: exactly one wins, nobody exceeds the capacity', async () => {
    const offer = await publishedOffer({ title: 'Ultimo posto', capacity: 2 });
    const day = open(12);
    ok(await book(citizen(), offer, { serviceDate: day }), 'bookOffer');
    const results = await Promise.all(
      Array.from({ length: 50 }, () => book(citizen(), offer, { serviceDate: day })),
    );
    const won = results.filter((r) => !r.errors);
    const lost = results.filter((r) => r.errors);
    expect(won).toHaveLength(1);
    expect(lost.map(errorCode)).toEqual(Array.from({ length: 49 }, () => 'CONFLICT'));
    const [row] = await suite.sql<{ n: string }>(
      `select count(*) as n from third_sector.offer_booking where offer_id = ? and service_date = ? and status in ('REQUESTED', 'CONFIRMED')`,
      [offer, day],
    );
    expect(Number(row!.n)).toBe(2);
  });

  it('the database refuses to exceed the capacity even without the service', async () => {
    const offer = await publishedOffer({ title: 'Pieno', format: 'INDIVIDUAL', capacity: 1 });
    const day = open(13);
    ok(await book(citizen(), offer, { serviceDate: day }), 'bookOffer');
    await expect(
      suite.sql(
        `insert into third_sector.offer_booking (id, offer_id, provider_id, comune_id, offer_title, citizen_person_id,
           citizen_fiscal_code, service_date, quantity, price_kind, unit_price_cents, amount_due_cents, payment_status, idempotency_key)
         values (?, ?, ?, ?, 'Pieno', ?, 'RSSMRA80A01H501U', ?, 1, 'PER_HOUR', 1250, 1250, 'TO_BE_PAID_AT_PROVIDER', 'raw-insert-key')`,
        [randomUUID(), offer, PROVIDER_P, COMUNE_A, randomUUID(), day],
      ),
    ).rejects.toThrow(/offer_booking_capacity/);
  });

  it('the database refuses an amount that is not price × quantity', async () => {
    await expect(
      suite.sql(
        `insert into third_sector.offer_booking (id, offer_id, provider_id, comune_id, offer_title, citizen_person_id,
           citizen_fiscal_code, service_date, quantity, price_kind, unit_price_cents, amount_due_cents, payment_status, idempotency_key)
         values (?, ?, ?, ?, 'X', ?, 'RSSMRA80A01H501U', ?, 2, 'PER_HOUR', 1250, 1, 'TO_BE_PAID_AT_PROVIDER', 'raw-insert-key2')`,
        [randomUUID(), priced, PROVIDER_P, COMUNE_A, randomUUID(), open(30)],
      ),
    ).rejects.toThrow(/offer_booking_amount_check/);
  });

  it('a cancelled booking frees its place', async () => {
    const offer = await publishedOffer({
      title: 'Posto liberato',
      format: 'INDIVIDUAL',
      capacity: 1,
    });
    const day = open(14);
    const first = citizen();
    const booked = ok<BookingOut>(await book(first, offer, { serviceDate: day }), 'bookOffer');
    expect(errorCode(await book(citizen(), offer, { serviceDate: day }))).toBe('CONFLICT');
    ok(await suite.run(CANCEL, { id: booked.id }, first), 'cancelOfferBooking');
    ok(await book(citizen(), offer, { serviceDate: day }), 'bookOffer');
  });
});

describe('tenancy and decisions', () => {
  let aliceBooking: BookingOut;
  let onQ: BookingOut;

  beforeAll(async () => {
    aliceBooking = ok<BookingOut>(
      await book(alice, priced, { serviceDate: open(20) }),
      'bookOffer',
    );
    onQ = ok<BookingOut>(await book(alice, ofQ, { serviceDate: open(20) }), 'bookOffer');
  });

  it('a citizen sees only its own bookings', async () => {
    const mine = ok<BookingOut[]>(await suite.run(MINE, {}, alice), 'myOfferBookings');
    expect(mine.map((b) => b.id)).toContain(aliceBooking.id);
    const theirs = ok<BookingOut[]>(await suite.run(MINE, {}, bruno), 'myOfferBookings');
    expect(theirs.map((b) => b.id)).not.toContain(aliceBooking.id);
    expect(ok(await suite.run(ONE, { id: aliceBooking.id }, bruno), 'offerBooking')).toBeNull();
    expect(errorCode(await suite.run(MINE, {}, ANONYMOUS))).toBe('UNAUTHENTICATED');
  });

  it('a provider sees only the bookings of its own offers', async () => {
    const ofP = ok<BookingOut[]>(
      await suite.run(PROVIDER, { providerId: PROVIDER_P }, adminP),
      'providerOfferBookings',
    );
    expect(ofP.map((b) => b.id)).toContain(aliceBooking.id);
    expect(ofP.every((b) => b.providerId === PROVIDER_P)).toBe(true);
    expect(ofP.map((b) => b.id)).not.toContain(onQ.id);
    expect(errorCode(await suite.run(PROVIDER, { providerId: PROVIDER_P }, adminQ))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await suite.run(PROVIDER, { providerId: PROVIDER_P }, tutorP))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await suite.run(PROVIDER, { providerId: PROVIDER_P }, alice))).toBe(
      'FORBIDDEN',
    );
    expect(ok(await suite.run(ONE, { id: aliceBooking.id }, adminP), 'offerBooking')).toMatchObject(
      { id: aliceBooking.id },
    );
    expect(ok(await suite.run(ONE, { id: aliceBooking.id }, adminQ), 'offerBooking')).toBeNull();
    const requested = ok<BookingOut[]>(
      await suite.run(PROVIDER, { providerId: PROVIDER_Q, statuses: ['REQUESTED'] }, adminQ),
      'providerOfferBookings',
    );
    expect(requested.map((b) => b.id)).toEqual([onQ.id]);
  });

  it('only the provider’s ADMIN confirms or declines; others change nothing', async () => {
    for (const caller of [adminQ, tutorP, alice, bruno]) {
      expect(errorCode(await suite.run(CONFIRM, { id: aliceBooking.id }, caller))).toBe(
        'FORBIDDEN',
      );
      expect(
        errorCode(await suite.run(DECLINE, { id: aliceBooking.id, reason: 'Non posso' }, caller)),
      ).toBe('FORBIDDEN');
    }
    expect(errorCode(await suite.run(CONFIRM, { id: aliceBooking.id }, ADMIN))).toBe('FORBIDDEN');
    const [row] = await suite.sql<{ status: string }>(
      'select status from third_sector.offer_booking where id = ?',
      [aliceBooking.id],
    );
    expect(row!.status).toBe('REQUESTED');
    expect(errorCode(await suite.run(CONFIRM, { id: randomUUID() }, adminP))).toBe('NOT_FOUND');
    const confirmed = ok<BookingOut>(
      await suite.run(CONFIRM, { id: aliceBooking.id }, adminP),
      'confirmOfferBooking',
    );
    expect(confirmed.status).toBe('CONFIRMED');
    expect(errorCode(await suite.run(CONFIRM, { id: aliceBooking.id }, adminP))).toBe('CONFLICT');
  });

  it('declining needs a reason, shown to the citizen', async () => {
    const short = await suite.run(DECLINE, { id: onQ.id, reason: ' ' }, adminQ);
    expect(errorFields(short)).toEqual(['reason']);
    const declined = ok<BookingOut>(
      await suite.run(DECLINE, { id: onQ.id, reason: 'Corso al completo per malattia' }, adminQ),
      'declineOfferBooking',
    );
    expect(declined).toMatchObject({
      status: 'DECLINED',
      declineReason: 'Corso al completo per malattia',
    });
    const mine = ok<BookingOut[]>(await suite.run(MINE, {}, alice), 'myOfferBookings');
    expect(mine.find((b) => b.id === onQ.id)?.declineReason).toBe('Corso al completo per malattia');
  });

  it('only the citizen who booked cancels, before the day', async () => {
    const booking = ok<BookingOut>(
      await book(bruno, priced, { serviceDate: open(21) }),
      'bookOffer',
    );
    for (const caller of [alice, adminP, adminQ]) {
      expect(errorCode(await suite.run(CANCEL, { id: booking.id }, caller))).toBe('FORBIDDEN');
    }
    const cancelled = ok<BookingOut>(
      await suite.run(CANCEL, { id: booking.id }, bruno),
      'cancelOfferBooking',
    );
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellable: false });
    expect(errorCode(await suite.run(CANCEL, { id: booking.id }, bruno))).toBe('CONFLICT');
    const confirmedFirst = ok<BookingOut>(
      await book(bruno, priced, { serviceDate: open(22) }),
      'bookOffer',
    );
    ok(await suite.run(CONFIRM, { id: confirmedFirst.id }, adminP), 'confirmOfferBooking');
    expect(
      ok<BookingOut>(
        await suite.run(CANCEL, { id: confirmedFirst.id }, bruno),
        'cancelOfferBooking',
      ).status,
    ).toBe('CANCELLED');
    // Booked for a later day, then moved to today in the table (today may be a holiday).
    const booked = ok<BookingOut>(
      await book(bruno, priced, { serviceDate: open(23) }),
      'bookOffer',
    );
    await suite.sql('update third_sector.offer_booking set service_date = ? where id = ?', [
      TODAY,
      booked.id,
    ]);
    const today = ok<BookingOut>(
      await suite.run(ONE_FULL, { id: booked.id }, bruno),
      'offerBooking',
    );
    expect(today.cancellable).toBe(false);
    expect(errorCode(await suite.run(CANCEL, { id: today.id }, bruno))).toBe('CONFLICT');
  });
});
