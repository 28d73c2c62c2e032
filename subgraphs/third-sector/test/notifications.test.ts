import { randomUUID } from 'node:crypto';
import type { PersonCaller } from '@welfare/kit';
import { createLogger } from '@welfare/kit';
import { formatDay } from '@welfare/kit/dates';
import {
  OutboxDispatcher,
  UnconfiguredTransport,
  type MessageTransport,
  type OutgoingMessage,
} from '@welfare/kit/outbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationDispatcher } from '../src/modules/notification/notification.dispatcher.js';
import { saveLanguage } from '../src/modules/notification/notification.repository.js';
import {
  NOTIFICATION_OUTBOX,
  notifyBookingCancelledByProvider,
  notifyLessonCancelled,
} from '../src/modules/notification/notification.service.js';
import {
  ANONYMOUS,
  COMUNE_A,
  PROVIDER_P,
  PROVIDER_Q,
  errorCode,
  errorFields,
  member,
  setupSuite,
  type Suite,
} from './helpers.js';
import { CREATE, PUBLISH, offerInput } from './offer-fixtures.js';
import {
  ASSIGN_TUTOR,
  BOOK,
  CANCEL_BOOKING,
  CANCEL_LESSON,
  CREATE_PROGRAMME,
  ENROL,
  PLAN,
  SAVE_ROOM,
  accreditProvider,
  family,
  ok,
} from './tutoring-fixtures.js';

// The clock of the services: 2026-12-01 09:00 in Rome (a Tuesday; UTC+1 in December).
const now = () => new Date('2026-12-01T08:00:00Z');
const logger = createLogger('notifications-test', 'silent');
const DISPATCH = {
  batchSize: 50,
  pollMs: 50,
  maxAttempts: 3,
  retryBaseMs: 10,
  retryMaxMs: 100,
  sendTimeoutMs: 1000,
};

let suite: Suite;
const managerA = member(COMUNE_A, 'COMUNE', 'MANAGER');
const adminP = member(PROVIDER_P, 'COOPERATIVE', 'ADMIN');
const tutor = member(PROVIDER_P, 'COOPERATIVE', 'TUTOR');

interface MessageOut {
  id: string;
  template: string;
  recipient: string;
  language: string;
  subject: string;
  body: string;
  status: string;
  channel: string;
}
const messagesTo = (personOrProvider: string) =>
  suite.sql<MessageOut>(
    `select "id", "template", "recipient", "language", "subject", "body", "status", "channel"
       from third_sector.message where "recipient" = ? order by "created_at", "id"`,
    [personOrProvider],
  );

const ids: Record<string, string> = {};

beforeAll(async () => {
  suite = await setupSuite('notifications', { now });
  await accreditProvider(suite, PROVIDER_P, COMUNE_A);
  ids.programme = ok<{ id: string }>(
    await suite.run(
      CREATE_PROGRAMME,
      {
        input: {
          comuneId: COMUNE_A,
          providerId: PROVIDER_P,
          title: 'Doposcuola – tutoraggio scolastico',
          description: 'Aiuto compiti in piccoli gruppi.',
          startsOn: '2026-12-01',
          endsOn: '2027-06-30',
          budgetMinutes: 1200,
        },
      },
      managerA,
    ),
    'createTutoringProgramme',
  ).id;
  ids.tutor = ok<{ id: string }>(
    await suite.run(
      ASSIGN_TUTOR,
      { programmeId: ids.programme, personId: tutor.personId, name: 'Giulia B.' },
      adminP,
    ),
    'assignTutoringTutor',
  ).id;
  ids.room = ok<{ id: string }>(
    await suite.run(
      SAVE_ROOM,
      {
        input: {
          providerId: PROVIDER_P,
          name: 'Biblioteca comunale',
          address: 'Via Roma 1, Balestrate',
          windows: [{ weekday: 1, startsAt: '15:00', endsAt: '19:00' }],
        },
      },
      adminP,
    ),
    'saveTutoringRoom',
  ).id;
});
afterAll(() => suite?.close());

/** A lesson on Monday 7 December at the given hour in Rome, with one seat. */
async function lesson(hour: string): Promise<string> {
  const [planned] = ok<{ id: string }[]>(
    await suite.run(
      PLAN,
      {
        input: {
          programmeId: ids.programme,
          tutorId: ids.tutor,
          roomId: ids.room,
          startsAt: new Date(`2026-12-07T${hour}:00:00+01:00`).toISOString(),
          endsAt: new Date(`2026-12-07T${hour}:50:00+01:00`).toISOString(),
          capacity: 1,
        },
      },
      adminP,
    ),
    'planTutoringLessons',
  );
  return planned!.id;
}

async function enrol(f: PersonCaller, firstName: string): Promise<string> {
  return ok<{ id: string }>(
    await suite.run(
      ENROL,
      {
        input: { programmeId: ids.programme, firstName, lastName: 'Rossi', schoolClass: '2ª' },
      },
      f,
    ),
    'enrolTutoringPupil',
  ).id;
}

describe('a seat freed from the waitlist', () => {
  it('tells the waitlisted family, in its language, with the date as dd/mm/yyyy, once', async () => {
    const lessonId = await lesson('15');
    const seated = family();
    const waiting = family();
    await saveLanguage(suite.orm.em.fork(), waiting.personId, 'en');
    const first = ok<{ id: string; status: string }>(
      await suite.run(BOOK, { lessonId, pupilId: await enrol(seated, 'Anna') }, seated),
      'bookTutoringLesson',
    );
    const second = ok<{ id: string; status: string }>(
      await suite.run(BOOK, { lessonId, pupilId: await enrol(waiting, 'Bruno') }, waiting),
      'bookTutoringLesson',
    );
    expect([first.status, second.status]).toEqual(['SEATED', 'WAITLISTED']);
    expect(await messagesTo(`person:${waiting.personId}`)).toEqual([]);

    ok(await suite.run(CANCEL_BOOKING, { id: first.id }, seated), 'cancelTutoringBooking');
    const got = await messagesTo(`person:${waiting.personId}`);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      template: 'SEAT_FREED',
      channel: 'PORTAL',
      language: 'en',
      status: 'PENDING',
      subject: 'A seat is free: Doposcuola – tutoraggio scolastico',
    });
    expect(got[0]!.body).toContain('on 07/12/2026 at 15:00');
    // One language a message, no internal codes.
    expect(got[0]!.body).not.toMatch(/posto|SEAT_FREED|[0-9a-f]{8}-[0-9a-f]{4}/);
    // The family that cancelled is told nothing.
    expect(await messagesTo(`person:${seated.personId}`)).toEqual([]);
  });
});

describe('a lesson cancelled', () => {
  it('tells every seated and waitlisted family, in Italian when none chose; a rolled-back cancellation tells nobody', async () => {
    const lessonId = await lesson('17');
    const seated = family();
    const waiting = family();
    ok(
      await suite.run(BOOK, { lessonId, pupilId: await enrol(seated, 'Carla') }, seated),
      'bookTutoringLesson',
    );
    ok(
      await suite.run(BOOK, { lessonId, pupilId: await enrol(waiting, 'Dario') }, waiting),
      'bookTutoringLesson',
    );
    // The notices are written in the event's transaction: if it rolls back, none stays.
    await expect(
      suite.orm.em.fork().transactional(async (tx) => {
        expect(await notifyLessonCancelled(tx, lessonId)).toBe(2);
        throw new Error('the cancellation failed');
      }),
    ).rejects.toThrow('the cancellation failed');
    expect(await messagesTo(`person:${seated.personId}`)).toEqual([]);

    ok(await suite.run(CANCEL_LESSON, { id: lessonId }, adminP), 'cancelTutoringLesson');
    for (const f of [seated, waiting]) {
      const got = await messagesTo(`person:${f.personId}`);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({
        template: 'LESSON_CANCELLED',
        language: 'it',
        subject: 'Lezione annullata: Doposcuola – tutoraggio scolastico',
      });
      expect(got[0]!.body).toBe(
        'La lezione di «Doposcuola – tutoraggio scolastico» del 07/12/2026 alle 17:00 è stata annullata dall’ente. La sua prenotazione è annullata.',
      );
    }
  });
});

describe('offer bookings', () => {
  const CONFIRM = `mutation($id: ID!) { confirmOfferBooking(id: $id) { id status } }`;
  const DECLINE = `mutation($id: ID!, $reason: String!) { declineOfferBooking(id: $id, reason: $reason) { id status } }`;
  const BOOK_OFFER = `mutation($input: BookOfferInput!) { bookOffer(input: $input) { id status serviceDate offerTitle comuneId } }`;
  // A Tuesday (the offer's schedule), a week after the services' clock.
  const serviceDate = '2026-12-15';

  async function bookFree(citizen: PersonCaller) {
    const created = await suite.run(
      CREATE,
      {
        providerId: PROVIDER_P,
        comuneId: COMUNE_A,
        input: offerInput({
          title: 'Sportello di ascolto',
          priceKind: 'FREE',
          priceCents: null,
          format: 'GROUP',
          capacity: 5,
        }),
      },
      adminP,
    );
    const offer = ok<{ id: string }>(created, 'createOffer');
    ok(await suite.run(PUBLISH, { id: offer.id }, adminP), 'publishOffer');
    return ok<{ id: string; serviceDate: string; offerTitle: string; comuneId: string }>(
      await suite.run(
        BOOK_OFFER,
        {
          input: {
            offerId: offer.id,
            serviceDate,
            quantity: 1,
            note: null,
            idempotencyKey: `key-${randomUUID()}`,
            contactEmail: 'famiglia@esempio.it',
          },
        },
        citizen,
      ),
      'bookOffer',
    );
  }

  it('confirmed: the citizen is told in their language; declined: with the reason', async () => {
    const anna = family();
    const john = family();
    await saveLanguage(suite.orm.em.fork(), john.personId, 'en');
    const a = await bookFree(anna);
    const j = await bookFree(john);
    ok(await suite.run(CONFIRM, { id: a.id }, adminP), 'confirmOfferBooking');
    ok(
      await suite.run(DECLINE, { id: j.id, reason: 'Sportello chiuso per ferie' }, adminP),
      'declineOfferBooking',
    );
    const [toAnna] = await messagesTo(`person:${anna.personId}`);
    expect(toAnna).toMatchObject({
      template: 'BOOKING_CONFIRMED',
      language: 'it',
      subject: 'Prenotazione confermata: Sportello di ascolto',
      body: `La sua prenotazione di «Sportello di ascolto» per il ${formatDay(serviceDate)} è stata confermata dall’ente.`,
    });
    const [toJohn] = await messagesTo(`person:${john.personId}`);
    expect(toJohn).toMatchObject({
      template: 'BOOKING_DECLINED',
      language: 'en',
      body: `Your booking of “Sportello di ascolto” for ${formatDay(serviceDate)} was declined by the provider. Reason: Sportello chiuso per ferie`,
    });
  });

  it('a provider’s cancellation (called by its transaction) is told once, however often called', async () => {
    const carla = family();
    const c = await bookFree(carla);
    const booking = { ...c, citizenPersonId: carla.personId };
    const em = suite.orm.em.fork();
    expect(await notifyBookingCancelledByProvider(em, booking, 'Operatore malato')).toBe(1);
    expect(await notifyBookingCancelledByProvider(em, booking, 'Operatore malato')).toBe(0);
    const got = await messagesTo(`person:${carla.personId}`);
    expect(got).toHaveLength(1);
    expect(got[0]!.body).toContain('L’ente ha annullato la sua prenotazione');
  });
});

describe('an accreditation decided', () => {
  it('tells the provider’s admins, in the language of the admin who asked', async () => {
    const requester = randomUUID();
    await saveLanguage(suite.orm.em.fork(), requester, 'en');
    const id = randomUUID();
    await suite.sql(
      `insert into third_sector.accreditation_request (id, provider_id, comune_id, status, submitted_at, created_by)
       values (?, ?, ?, 'SUBMITTED', now(), ?)`,
      [id, PROVIDER_P, COMUNE_A, requester],
    );
    await suite.services.accreditations.decide(suite.orm.em.fork(), managerA, id, {
      outcome: 'REJECTED',
      reason: 'Manca la polizza assicurativa',
    });
    // (The provider's other messages, of bookings of its offers, are not this test's.)
    const got = (await messagesTo(`provider:${PROVIDER_P}`)).filter(
      (m) => m.template === 'ACCREDITATION_DECIDED',
    );
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      template: 'ACCREDITATION_DECIDED',
      language: 'en',
      subject: 'Accreditation refused',
      body: 'The Comune refused the provider’s accreditation request. Reason: Manca la polizza assicurativa',
    });
  });
});

describe('the dispatcher', () => {
  it('sends each message once under two concurrent dispatchers', async () => {
    for (let i = 0; i < 30; i++) {
      const c = family();
      await notifyBookingCancelledByProvider(
        suite.orm.em.fork(),
        {
          id: randomUUID(),
          comuneId: COMUNE_A,
          citizenPersonId: c.personId,
          offerTitle: 'Sportello di ascolto',
          serviceDate: '2026-12-09',
        },
        'Chiusura straordinaria',
      );
    }
    const [{ n: pending }] = (await suite.sql<{ n: string }>(
      `select count(*) as n from third_sector.message where status = 'PENDING'`,
    )) as [{ n: string }];
    const sent: OutgoingMessage[] = [];
    const portal: MessageTransport = {
      channel: 'PORTAL',
      async send(m) {
        await new Promise((r) => setTimeout(r, 2));
        sent.push(m);
        return {};
      },
    };
    const settings = {
      batchSize: 4,
      pollMs: 50,
      maxAttempts: 3,
      retryBaseMs: 10,
      retryMaxMs: 100,
      sendTimeoutMs: 1000,
    };
    const make = () =>
      new OutboxDispatcher(
        suite.orm,
        NOTIFICATION_OUTBOX,
        {
          EMAIL: new UnconfiguredTransport('EMAIL'),
          SMS: new UnconfiguredTransport('SMS'),
          PORTAL: portal,
        },
        settings,
        logger,
      );
    const drain = async (d: OutboxDispatcher) => {
      while ((await d.dispatchOnce()).claimed > 0);
    };
    await Promise.all([drain(make()), drain(make())]);
    expect(sent.length).toBe(Number(pending));
    expect(new Set(sent.map((m) => m.id)).size).toBe(sent.length);
    const [{ n: left }] = (await suite.sql<{ n: string }>(
      `select count(*) as n from third_sector.message where status <> 'SENT'`,
    )) as [{ n: string }];
    expect(Number(left)).toBe(0);
    // The subgraph's own dispatcher finds nothing more to send.
    const own = notificationDispatcher(suite.orm, settings, logger);
    expect(await own.dispatchOnce()).toEqual({ claimed: 0, sent: 0, retried: 0, failed: 0 });
  });
});

describe('the personal area', () => {
  it('shows a person their delivered messages; the language is chosen as it or en only', async () => {
    const MINE = `{ myServiceMessages { id language subject body createdAt } }`;
    const SET = `mutation($l: String!) { setMyNotificationLanguage(language: $l) }`;
    const LANGUAGE = `{ myNotificationLanguage }`;
    const mario = family();
    expect(ok(await suite.run(LANGUAGE, {}, mario), 'myNotificationLanguage')).toBe('it');
    const refused = await suite.run(SET, { l: 'fr' }, mario);
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(errorFields(refused)).toEqual(['language']);
    expect(ok(await suite.run(LANGUAGE, {}, mario), 'myNotificationLanguage')).toBe('it');
    expect(ok(await suite.run(SET, { l: 'en' }, mario), 'setMyNotificationLanguage')).toBe('en');
    expect(ok(await suite.run(LANGUAGE, {}, mario), 'myNotificationLanguage')).toBe('en');
    expect(ok(await suite.run(LANGUAGE, {}, family()), 'myNotificationLanguage')).toBe('it');
    expect(errorCode(await suite.run(LANGUAGE, {}, ANONYMOUS))).toBe('UNAUTHENTICATED');
    await notifyBookingCancelledByProvider(
      suite.orm.em.fork(),
      {
        id: randomUUID(),
        comuneId: COMUNE_A,
        citizenPersonId: mario.personId,
        offerTitle: 'Corso di nuoto',
        serviceDate: '2026-12-16',
      },
      'Piscina chiusa',
    );
    // Not delivered yet: not shown.
    expect(ok<unknown[]>(await suite.run(MINE, {}, mario), 'myServiceMessages')).toEqual([]);
    await notificationDispatcher(suite.orm, DISPATCH, logger).dispatchOnce();
    const mine = ok<{ language: string; body: string }[]>(
      await suite.run(MINE, {}, mario),
      'myServiceMessages',
    );
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      language: 'en',
      body: 'The provider cancelled your booking of “Corso di nuoto” for 16/12/2026. Reason: Piscina chiusa',
    });
    // Another person sees none of them.
    expect(ok<unknown[]>(await suite.run(MINE, {}, family()), 'myServiceMessages')).toEqual([]);
  });
});

describe('the provider’s messages', () => {
  const MESSAGES = `query($p: ID!) { providerServiceMessages(providerId: $p) { id language subject body createdAt } }`;
  const BOOK_OFFER = `mutation($input: BookOfferInput!) { bookOffer(input: $input) { id } }`;
  const CANCEL = `mutation($id: ID!) { cancelOfferBooking(id: $id) { id status } }`;
  const adminQ = member(PROVIDER_Q, 'ASSOCIATION', 'ADMIN');
  const dispatchAll = async () => {
    const d = notificationDispatcher(suite.orm, DISPATCH, logger);
    while ((await d.dispatchOnce()).claimed > 0);
  };

  it('tells the provider of a booking request and of the family’s cancellation, in the language of the offer’s author; only its ADMINs read them', async () => {
    // Another admin of P creates the offer and reads English: the provider's messages about it are in English.
    const author = member(PROVIDER_P, 'COOPERATIVE', 'ADMIN');
    await saveLanguage(suite.orm.em.fork(), author.personId, 'en');
    const offer = ok<{ id: string }>(
      await suite.run(
        CREATE,
        {
          providerId: PROVIDER_P,
          comuneId: COMUNE_A,
          input: offerInput({
            title: 'Laboratorio di ceramica',
            priceKind: 'FREE',
            priceCents: null,
            format: 'GROUP',
            capacity: 5,
          }),
        },
        author,
      ),
      'createOffer',
    );
    ok(await suite.run(PUBLISH, { id: offer.id }, author), 'publishOffer');
    const lucia = family();
    const booking = ok<{ id: string }>(
      await suite.run(
        BOOK_OFFER,
        {
          input: {
            offerId: offer.id,
            serviceDate: '2026-12-15',
            quantity: 1,
            note: null,
            idempotencyKey: `key-${randomUUID()}`,
            contactEmail: 'lucia@esempio.it',
          },
        },
        lucia,
      ),
      'bookOffer',
    );
    const told = await suite.sql<MessageOut>(
      `select "template", "recipient", "language", "subject", "status" from third_sector.message
        where "subject_ref" = ? order by "created_at", "id"`,
      [`offer-booking:${booking.id}`],
    );
    expect(told).toEqual([
      expect.objectContaining({
        template: 'BOOKING_REQUESTED',
        recipient: `provider:${PROVIDER_P}`,
        language: 'en',
        subject: 'New booking request: Laboratorio di ceramica',
        status: 'PENDING',
      }),
    ]);
    ok(await suite.run(CANCEL, { id: booking.id }, lucia), 'cancelOfferBooking');
    await dispatchAll();

    const read = ok<{ language: string; subject: string; body: string; createdAt: string }[]>(
      await suite.run(MESSAGES, { p: PROVIDER_P }, adminP),
      'providerServiceMessages',
    );
    const ours = read.filter((m) => m.subject.endsWith('Laboratorio di ceramica'));
    // Newest first: the cancellation, then the request; dates as dd/mm/yyyy, no codes.
    expect(ours.map((m) => m.subject)).toEqual([
      'Booking cancelled by the family: Laboratorio di ceramica',
      'New booking request: Laboratorio di ceramica',
    ]);
    expect(ours[0]!.body).toBe(
      'The family cancelled the booking of “Laboratorio di ceramica” for 15/12/2026: the place is free again.',
    );
    expect(ours[1]!.body).toContain('on 15/12/2026 (quantity 1)');
    expect(ours.map((m) => m.body).join(' ')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}|lucia|RSSMRA/);
    expect(read.length).toBeLessThanOrEqual(50);
    const times = read.map((m) => new Date(m.createdAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));

    // Anyone but P's ADMINs is refused and sees nothing of them.
    const tutorOfP = member(PROVIDER_P, 'COOPERATIVE', 'TUTOR');
    for (const stranger of [adminQ, lucia, tutorOfP, managerA]) {
      const refused = await suite.run(MESSAGES, { p: PROVIDER_P }, stranger);
      expect(errorCode(refused)).toBe('FORBIDDEN');
      expect(refused.data?.providerServiceMessages ?? null).toBeNull();
    }
    expect(errorCode(await suite.run(MESSAGES, { p: PROVIDER_P }, ANONYMOUS))).toBe(
      'UNAUTHENTICATED',
    );
    expect(errorFields(await suite.run(MESSAGES, { p: 'not-an-id' }, adminP))).toEqual([
      'providerId',
    ]);
    // Q's admin reads Q's own messages: none of P's.
    expect(
      ok<unknown[]>(
        await suite.run(MESSAGES, { p: PROVIDER_Q }, adminQ),
        'providerServiceMessages',
      ),
    ).toEqual([]);
  });
});
