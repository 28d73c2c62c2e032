import { randomUUID } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonCaller } from '@welfare/kit';
import { addDays, isoWeekday, romeDay } from '@welfare/kit/dates';
import { isValidPersonalFiscalCode } from '@welfare/kit/pii';
import { easterSunday, nationalHoliday } from '../src/modules/calendar/holidays.js';
import {
  COMUNE_A,
  COMUNE_B,
  PROVIDER_P,
  PROVIDER_Q,
  errorCode,
  errorFields,
  member,
  setupSuite,
  type Suite,
} from './helpers.js';
import { CREATE, EVERY_DAY, PUBLISH, accredit, offerInput, openDay } from './offer-fixtures.js';

let suite: Suite;
const adminP = member(PROVIDER_P, 'COOPERATIVE', 'ADMIN');
const tutorP = member(PROVIDER_P, 'COOPERATIVE', 'TUTOR');
const adminQ = member(PROVIDER_Q, 'ASSOCIATION', 'ADMIN');
const managerA = member(COMUNE_A, 'COMUNE', 'MANAGER');
const operatorA = member(COMUNE_A, 'COMUNE', 'OPERATOR');
const managerB = member(COMUNE_B, 'COMUNE', 'MANAGER');

let serial = 0;
function citizen(): PersonCaller {
  serial += 1;
  return {
    kind: 'person',
    personId: randomUUID(),
    sessionId: randomUUID(),
    platformAdmin: false,
    memberships: [],
    fiscalCode: `VRDLGU80A01H${String(serial).padStart(3, '0')}X`,
  };
}

const TODAY = romeDay(new Date());
const open = (n: number) => openDay(TODAY, n);
/** A real, well-formed codice fiscale (Mario Rossi, the usual example). */
const CHILD_CF = 'RSSMRA85T10A562S';

const FIELDS = `id status serviceDate paymentStatus refundedCents cancelReason refundDue contactPhone contactEmail
  attendee { givenName familyName fiscalCode birthDate }`;
const BOOK = `mutation($input: BookOfferInput!) { bookOffer(input: $input) { ${FIELDS} } }`;
const DAYS = `query($offerId: ID!, $first: Int) { offerBookableDays(offerId: $offerId, first: $first) { date placesLeft } }`;
const SET_PATRON = `mutation($comuneId: ID!, $input: ComunePatronDayInput!) {
  setComunePatronDay(comuneId: $comuneId, input: $input) { comuneId month day name source } }`;
const PATRON = `query($comuneId: ID!) { comunePatronDay(comuneId: $comuneId) { month day name } }`;
const REMOVE_PATRON = `mutation($comuneId: ID!) { removeComunePatronDay(comuneId: $comuneId) }`;
const DECLARE = `mutation($providerId: ID!, $input: ProviderClosureInput!) {
  declareProviderClosure(providerId: $providerId, input: $input) { id startsOn endsOn reason } }`;
const CLOSURES = `query($providerId: ID!) { providerClosures(providerId: $providerId) { id startsOn endsOn } }`;
const REMOVE = `mutation($id: ID!) { removeProviderClosure(id: $id) }`;
const CONFIRM = `mutation($id: ID!) { confirmOfferBooking(id: $id) { id status } }`;
const PROVIDER_CANCEL = `mutation($id: ID!, $reason: String!) {
  cancelOfferBookingAsProvider(id: $id, reason: $reason) { ${FIELDS} } }`;
const PROVIDER_LIST = `query($providerId: ID!) { providerOfferBookings(providerId: $providerId) { ${FIELDS} } }`;

interface Booking {
  id: string;
  status: string;
  serviceDate: string;
  paymentStatus: string;
  refundedCents: number;
  cancelReason: string | null;
  refundDue: boolean;
  contactPhone: string | null;
  contactEmail: string | null;
  attendee: {
    givenName: string;
    familyName: string;
    fiscalCode: string | null;
    birthDate: string;
  } | null;
}
interface Day {
  date: string;
  placesLeft: number;
}

function ok<T>(result: ExecutionResult, key: string): T {
  expect(result.errors).toBeUndefined();
  return (result.data as Record<string, T>)[key]!;
}

async function publishedOffer(overrides: Record<string, unknown> = {}): Promise<string> {
  const created = ok<{ id: string }>(
    await suite.run(
      CREATE,
      {
        providerId: PROVIDER_P,
        comuneId: COMUNE_A,
        input: offerInput({
          schedule: EVERY_DAY,
          priceKind: 'FREE',
          priceCents: null,
          ...overrides,
        }),
      },
      adminP,
    ),
    'createOffer',
  );
  ok(await suite.run(PUBLISH, { id: created.id }, adminP), 'publishOffer');
  return created.id;
}

function book(
  caller: PersonCaller,
  offerId: string,
  serviceDate: string,
  extra: Record<string, unknown> = {},
): Promise<ExecutionResult> {
  return suite.run(
    BOOK,
    {
      input: {
        offerId,
        serviceDate,
        quantity: 1,
        idempotencyKey: `cal-${randomUUID()}`,
        contactEmail: 'famiglia@esempio.it',
        ...extra,
      },
    },
    caller,
  );
}

/** The Italian message of the first field error. */
function fieldMessage(result: ExecutionResult): string {
  const original = result.errors?.[0]?.originalError as
    { fields?: { message: { it: string } }[] } | undefined;
  return original?.fields?.[0]?.message.it ?? '';
}

const days = async (offerId: string, first = 10) =>
  ok<Day[]>(await suite.run(DAYS, { offerId, first }, citizen()), 'offerBookableDays');

/** The first day from `from` on that satisfies `test`. */
function firstDay(from: string, test: (day: string) => boolean): string {
  let day = from;
  while (!test(day)) day = addDays(day, 1);
  return day;
}

let everyDay: string;

beforeAll(async () => {
  suite = await setupSuite('booking_calendar');
  await accredit(suite, PROVIDER_P, COMUNE_A);
  everyDay = await publishedOffer({ title: 'Laboratorio di lettura' });
});
afterAll(() => suite?.close());

describe('national holidays (L. 260/1949 and later laws)', () => {
  it('computes Easter Monday and knows the fixed days, 4 October from 2026 only', () => {
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(nationalHoliday('2026-04-06')?.it).toBe('Lunedì dell’Angelo');
    expect(nationalHoliday('2027-03-29')?.en).toBe('Easter Monday');
    expect(nationalHoliday('2026-04-07')).toBeNull();
    expect(nationalHoliday('2026-12-08')?.it).toBe('Immacolata Concezione');
    expect(nationalHoliday('2026-06-02')).not.toBeNull();
    expect(nationalHoliday('2026-10-04')).not.toBeNull();
    expect(nationalHoliday('2025-10-04')).toBeNull();
    expect(nationalHoliday('2026-11-04')).toBeNull();
  });

  it('refuses a holiday with a field error, writes nothing, and never offers it', async () => {
    const holiday = firstDay(addDays(TODAY, 1), (d) => d.slice(5) === '12-08');
    const before = await suite.count('offer_booking');
    const refused = await book(citizen(), everyDay, holiday);
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(errorFields(refused)).toEqual(['serviceDate']);
    expect(fieldMessage(refused)).toContain('festa nazionale');
    expect(await suite.count('offer_booking')).toBe(before);
    const listed = await days(everyDay, 90);
    expect(listed.length).toBe(90);
    expect(listed.every((d) => nationalHoliday(d.date) === null)).toBe(true);
  });
});

describe('the offer’s weekly schedule', () => {
  it('refuses a day off the schedule and lists only the scheduled weekdays', async () => {
    const mwf = await publishedOffer({
      title: 'Doposcuola lun/mer/ven',
      schedule: [1, 3, 5].map((weekday) => ({ weekday, startTime: '15:00', endTime: '18:00' })),
    });
    const tuesday = firstDay(addDays(TODAY, 1), (d) => isoWeekday(d) === 2 && !nationalHoliday(d));
    const refused = await book(citizen(), mwf, tuesday);
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(errorFields(refused)).toEqual(['serviceDate']);
    const listed = await days(mwf, 12);
    expect(listed).toHaveLength(12);
    expect(listed.every((d) => [1, 3, 5].includes(isoWeekday(d.date)))).toBe(true);
    expect(listed.every((d) => d.date >= TODAY && nationalHoliday(d.date) === null)).toBe(true);
    ok(await book(citizen(), mwf, listed[1]!.date), 'bookOffer');
  });
});

describe('the Comune’s patron saint day', () => {
  it('is set by the Comune’s MANAGER only; bad input lists the fields and changes nothing', async () => {
    const day = open(30);
    const input = {
      month: Number(day.slice(5, 7)),
      day: Number(day.slice(8)),
      name: 'San Patrono',
    };
    for (const caller of [managerB, operatorA, adminP, citizen()])
      expect(errorCode(await suite.run(SET_PATRON, { comuneId: COMUNE_A, input }, caller))).toBe(
        'FORBIDDEN',
      );
    const bad = await suite.run(
      SET_PATRON,
      { comuneId: COMUNE_A, input: { month: 2, day: 30, name: 'X' } },
      managerA,
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(errorFields(bad).sort()).toEqual(['day', 'name']);
    expect(
      ok(await suite.run(PATRON, { comuneId: COMUNE_A }, citizen()), 'comunePatronDay'),
    ).toBeNull();
    ok(await suite.run(SET_PATRON, { comuneId: COMUNE_A, input }, managerA), 'setComunePatronDay');
    expect(
      ok(await suite.run(PATRON, { comuneId: COMUNE_A }, citizen()), 'comunePatronDay'),
    ).toMatchObject(input);
    const refused = await book(citizen(), everyDay, day);
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(errorFields(refused)).toEqual(['serviceDate']);
    expect(fieldMessage(refused)).toContain('santo patrono');
    expect((await days(everyDay, 40)).map((d) => d.date)).not.toContain(day);
    // Comune B's patron day does not touch Comune A's catalogue.
    const other = open(31);
    ok(
      await suite.run(
        SET_PATRON,
        {
          comuneId: COMUNE_B,
          input: { month: Number(other.slice(5, 7)), day: Number(other.slice(8)), name: 'Altro' },
        },
        managerB,
      ),
      'setComunePatronDay',
    );
    ok(await book(citizen(), everyDay, other), 'bookOffer');
  });

  it('is removed by the Comune’s MANAGER only (true when one was set)', async () => {
    const day = open(33);
    const input = {
      month: Number(day.slice(5, 7)),
      day: Number(day.slice(8)),
      name: 'San Rimosso',
    };
    ok(await suite.run(SET_PATRON, { comuneId: COMUNE_B, input }, managerB), 'setComunePatronDay');
    for (const caller of [managerA, operatorA, adminP, citizen()])
      expect(errorCode(await suite.run(REMOVE_PATRON, { comuneId: COMUNE_B }, caller))).toBe(
        'FORBIDDEN',
      );
    expect(
      ok(await suite.run(PATRON, { comuneId: COMUNE_B }, citizen()), 'comunePatronDay'),
    ).toMatchObject(input);
    expect(
      ok(await suite.run(REMOVE_PATRON, { comuneId: COMUNE_B }, managerB), 'removeComunePatronDay'),
    ).toBe(true);
    expect(
      ok(await suite.run(PATRON, { comuneId: COMUNE_B }, citizen()), 'comunePatronDay'),
    ).toBeNull();
    expect(
      ok(await suite.run(REMOVE_PATRON, { comuneId: COMUNE_B }, managerB), 'removeComunePatronDay'),
    ).toBe(false);
  });
});

describe('the provider’s closures', () => {
  it('are declared by the provider’s ADMIN only; a closed day is refused until removed', async () => {
    const input = { startsOn: open(50), endsOn: open(52), reason: 'Ferie estive' };
    for (const caller of [adminQ, tutorP, managerA])
      expect(errorCode(await suite.run(DECLARE, { providerId: PROVIDER_P, input }, caller))).toBe(
        'FORBIDDEN',
      );
    const before = await suite.count('provider_closure');
    const bad = await suite.run(
      DECLARE,
      { providerId: PROVIDER_P, input: { startsOn: open(52), endsOn: open(50), reason: 'x' } },
      adminP,
    );
    expect(errorFields(bad).sort()).toEqual(['endsOn', 'reason']);
    expect(await suite.count('provider_closure')).toBe(before);
    const closure = ok<{ id: string }>(
      await suite.run(DECLARE, { providerId: PROVIDER_P, input }, adminP),
      'declareProviderClosure',
    );
    expect(
      ok<{ id: string }[]>(
        await suite.run(CLOSURES, { providerId: PROVIDER_P }, citizen()),
        'providerClosures',
      ).map((c) => c.id),
    ).toContain(closure.id);
    const refused = await book(citizen(), everyDay, open(51));
    expect(errorFields(refused)).toEqual(['serviceDate']);
    expect(fieldMessage(refused)).toContain('Ferie estive');
    expect((await days(everyDay, 60)).map((d) => d.date)).not.toContain(open(51));
    expect(errorCode(await suite.run(REMOVE, { id: closure.id }, adminQ))).toBe('FORBIDDEN');
    expect(ok(await suite.run(REMOVE, { id: closure.id }, adminP), 'removeProviderClosure')).toBe(
      true,
    );
    ok(await book(citizen(), everyDay, open(51)), 'bookOffer');
  });
});

describe('places left', () => {
  it('shows the places left per day, and 20 concurrent bookings take exactly the last 3', async () => {
    const group = await publishedOffer({ title: 'Gruppo di cammino', capacity: 5 });
    const day = open(3);
    ok(await book(citizen(), group, day), 'bookOffer');
    ok(await book(citizen(), group, day), 'bookOffer');
    const left = (await days(group, 10)).find((d) => d.date === day);
    expect(left?.placesLeft).toBe(3);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => book(citizen(), group, day)),
    );
    const won = results.filter((r) => !r.errors);
    const lost = results.filter((r) => r.errors);
    expect(won).toHaveLength(3);
    expect(
      lost.every((r) => errorCode(r) === 'CONFLICT' && errorFields(r)[0] === 'serviceDate'),
    ).toBe(true);
    const [row] = await suite.sql<{ n: string }>(
      `select count(*) as n from third_sector.offer_booking where offer_id = ? and service_date = ? and status in ('REQUESTED', 'CONFIRMED')`,
      [group, day],
    );
    expect(Number(row!.n)).toBe(5);
    expect((await days(group, 10)).find((d) => d.date === day)?.placesLeft).toBe(0);
  });
});

describe('who attends and the contact', () => {
  it('refuses a bad attendee or contact with every field listed, writing nothing', async () => {
    const before = await suite.count('offer_booking');
    const bad = await book(citizen(), everyDay, open(4), {
      contactEmail: 'non-una-mail',
      contactPhone: '12ab',
      attendee: {
        givenName: ' ',
        familyName: 'Rossi',
        fiscalCode: 'RSSMRA85T10A562X',
        birthDate: addDays(TODAY, 3),
      },
    });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(errorFields(bad).sort()).toEqual([
      'attendee.birthDate',
      'attendee.fiscalCode',
      'attendee.givenName',
      'contactEmail',
      'contactPhone',
    ]);
    const noContact = await book(citizen(), everyDay, open(4), { contactEmail: null });
    expect(errorFields(noContact)).toEqual(['contactPhone']);
    expect(await suite.count('offer_booking')).toBe(before);
  });

  it('records the attendee and the contact; the provider’s list shows them', async () => {
    expect(isValidPersonalFiscalCode(CHILD_CF)).toBe(true);
    const booking = ok<Booking>(
      await book(citizen(), everyDay, open(5), {
        contactEmail: 'Genitore@Esempio.it',
        contactPhone: '+39 333 123 4567',
        attendee: {
          givenName: 'Mario',
          familyName: 'Rossi',
          fiscalCode: CHILD_CF.toLowerCase(),
          birthDate: '2015-12-10',
        },
      }),
      'bookOffer',
    );
    expect(booking).toMatchObject({
      contactEmail: 'genitore@esempio.it',
      contactPhone: '+393331234567',
      attendee: {
        givenName: 'Mario',
        familyName: 'Rossi',
        fiscalCode: CHILD_CF,
        birthDate: '2015-12-10',
      },
    });
    const nonResident = ok<Booking>(
      await book(citizen(), everyDay, open(5), {
        attendee: {
          givenName: 'Anna',
          familyName: 'Müller',
          fiscalCode: null,
          birthDate: '2012-03-01',
        },
      }),
      'bookOffer',
    );
    expect(nonResident.attendee).toMatchObject({ familyName: 'Müller', fiscalCode: null });
    const listed = ok<Booking[]>(
      await suite.run(PROVIDER_LIST, { providerId: PROVIDER_P }, adminP),
      'providerOfferBookings',
    );
    expect(listed.find((b) => b.id === booking.id)).toMatchObject({
      attendee: { familyName: 'Rossi' },
      contactEmail: 'genitore@esempio.it',
    });
  });
});

describe('the provider cancels a confirmed booking', () => {
  it('with a reason, by its ADMIN only: the place is freed and the cancellation audited', async () => {
    const single = await publishedOffer({ title: 'Colloquio', format: 'INDIVIDUAL', capacity: 1 });
    const day = open(6);
    const booking = ok<Booking>(await book(citizen(), single, day), 'bookOffer');
    expect(
      errorCode(
        await suite.run(PROVIDER_CANCEL, { id: booking.id, reason: 'Operatore malato' }, adminP),
      ),
    ).toBe('CONFLICT'); // still REQUESTED: declined, not cancelled
    ok(await suite.run(CONFIRM, { id: booking.id }, adminP), 'confirmOfferBooking');
    for (const caller of [adminQ, tutorP, managerA])
      expect(
        errorCode(
          await suite.run(PROVIDER_CANCEL, { id: booking.id, reason: 'Operatore malato' }, caller),
        ),
      ).toBe('FORBIDDEN');
    const short = await suite.run(PROVIDER_CANCEL, { id: booking.id, reason: 'no' }, adminP);
    expect(errorFields(short)).toEqual(['reason']);
    expect((await days(single, 10)).find((d) => d.date === day)?.placesLeft).toBe(0);
    const cancelled = ok<Booking>(
      await suite.run(PROVIDER_CANCEL, { id: booking.id, reason: 'Operatore malato' }, adminP),
      'cancelOfferBookingAsProvider',
    );
    expect(cancelled).toMatchObject({
      status: 'CANCELLED_BY_PROVIDER',
      cancelReason: 'Operatore malato',
      paymentStatus: 'NOT_DUE',
      refundDue: false,
    });
    expect((await days(single, 10)).find((d) => d.date === day)?.placesLeft).toBe(1);
    const audit = await suite.sql<{ action: string; organisation_id: string }>(
      `select action, organisation_id from third_sector.audit_event where subject = ?`,
      [`offer-booking:${booking.id}`],
    );
    expect(audit).toEqual([{ action: 'CANCEL_OFFER_BOOKING', organisation_id: COMUNE_A }]);
    // The citizen is told, with the reason, in the cancellation's transaction (the outbox).
    const told = await suite.sql<{ recipient: string; body: string }>(
      `select recipient, body from third_sector.message
        where template = 'BOOKING_CANCELLED_BY_PROVIDER' and subject_ref = ?`,
      [`offer-booking:${booking.id}`],
    );
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain('Operatore malato');
    expect(
      errorCode(await suite.run(PROVIDER_CANCEL, { id: booking.id, reason: 'Di nuovo' }, adminP)),
    ).toBe('CONFLICT');
  });

  it('a paid booking is refunded through the payments’ refund path', async () => {
    const priced = await publishedOffer({
      title: 'Lezione di nuoto',
      priceKind: 'PER_SESSION',
      priceCents: 1500,
    });
    const who = citizen();
    const booking = ok<Booking>(await book(who, priced, open(7), { quantity: 2 }), 'bookOffer');
    const em = () => suite.orm.em.fork();
    const checkoutId = randomUUID();
    const ref = `offer-booking:${booking.id}`;
    await suite.services.payables.begin(em(), {
      ref,
      checkoutId,
      personId: who.personId,
      amountCents: 3000,
      until: new Date(Date.now() + 10 * 60_000).toISOString(),
    });
    await suite.services.payables.complete(em(), { ref, checkoutId });
    ok(await suite.run(CONFIRM, { id: booking.id }, adminP), 'confirmOfferBooking');
    const cancelled = ok<Booking>(
      await suite.run(PROVIDER_CANCEL, { id: booking.id, reason: 'Piscina chiusa' }, adminP),
      'cancelOfferBookingAsProvider',
    );
    expect(cancelled).toMatchObject({
      status: 'CANCELLED_BY_PROVIDER',
      paymentStatus: 'PAID',
      refundDue: true,
    });
    // What payments' refundCheckout reports back once the money went back.
    await suite.services.payables.refunded(em(), {
      ref,
      checkoutId,
      refundId: randomUUID(),
      amountCents: 3000,
      cancel: true,
    });
    const after = ok<Booking[]>(
      await suite.run(PROVIDER_LIST, { providerId: PROVIDER_P }, adminP),
      'providerOfferBookings',
    ).find((b) => b.id === booking.id);
    expect(after).toMatchObject({
      status: 'CANCELLED_BY_PROVIDER',
      paymentStatus: 'REFUNDED',
      refundedCents: 3000,
      refundDue: false,
    });
  });
});
