import { randomUUID } from 'node:crypto';
import type { Caller } from '@welfare/kit';
import { openOrm } from '@welfare/kit/orm';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thirdSectorOrmSettings } from '../src/orm.js';
import { createServices } from '../src/services.js';
import { reportCsv } from '../src/modules/tutoring-export/tutoring-report.files.js';
import {
  ANONYMOUS,
  COMUNE_A,
  COMUNE_B,
  PROVIDER_P,
  PROVIDER_Q,
  PROVIDER_R,
  CITIZEN,
  errorCode,
  errorFields,
  member,
  setupSuite,
  type Suite,
} from './helpers.js';
import {
  ASSIGN_TUTOR,
  BOOK,
  CANCEL_BOOKING,
  CANCEL_LESSON,
  CREATE_PROGRAMME,
  ENROL,
  LESSON,
  MARK,
  MY_BOOKINGS,
  PLAN,
  REPORT,
  SAVE_ROOM,
  accreditProvider,
  family,
  fieldMessages,
  ok,
} from './tutoring-fixtures.js';

// The clock of the services: 2026-12-01 09:00 in Rome (a Tuesday). December in Rome is UTC+1.
const START = new Date('2026-12-01T08:00:00Z');
let clock = START;
const now = () => clock;

let suite: Suite;
beforeAll(async () => {
  suite = await setupSuite('tutoring', { now });
  await accreditProvider(suite, PROVIDER_P, COMUNE_A);
  await accreditProvider(suite, PROVIDER_Q, COMUNE_A);
});
afterAll(() => suite?.close());

const managerA = member(COMUNE_A, 'COMUNE', 'MANAGER');
const operatorA = member(COMUNE_A, 'COMUNE', 'OPERATOR');
const managerB = member(COMUNE_B, 'COMUNE', 'MANAGER');
const operatorB = member(COMUNE_B, 'COMUNE', 'OPERATOR');
const adminP = member(PROVIDER_P, 'COOPERATIVE', 'ADMIN');
const tutor1 = member(PROVIDER_P, 'COOPERATIVE', 'TUTOR');
const tutor2 = member(PROVIDER_P, 'COOPERATIVE', 'TUTOR');
const adminQ = member(PROVIDER_Q, 'ASSOCIATION', 'ADMIN');
const tutorQ = member(PROVIDER_Q, 'ASSOCIATION', 'TUTOR');

const ids: Record<string, string> = {};

/** A time in Rome in December (UTC+1) as an ISO instant. */
const rome = (day: string, time: string) =>
  new Date(`2026-12-${day}T${time}:00+01:00`).toISOString();

function programmeInput(overrides: Record<string, unknown> = {}) {
  return {
    comuneId: COMUNE_A,
    providerId: PROVIDER_P,
    title: 'Doposcuola – tutoraggio scolastico',
    description: 'Aiuto compiti in piccoli gruppi.',
    startsOn: '2026-12-01',
    endsOn: '2027-06-30',
    budgetMinutes: 1200,
    ...overrides,
  };
}

function lessonInput(overrides: Record<string, unknown> = {}) {
  return {
    programmeId: ids.programme,
    tutorId: ids.t1,
    roomId: ids.room1,
    startsAt: rome('07', '15:00'),
    endsAt: rome('07', '16:00'),
    capacity: 3,
    ...overrides,
  };
}

async function counts() {
  return {
    programmes: await suite.count('tutoring_programme'),
    tutors: await suite.count('tutoring_tutor'),
    rooms: await suite.count('tutoring_room'),
    windows: await suite.count('tutoring_room_window'),
    lessons: await suite.count('tutoring_lesson'),
    enrolments: await suite.count('tutoring_enrolment'),
    bookings: await suite.count('tutoring_booking'),
    planned: Number(
      (
        await suite.sql<{ m: number }>(
          `select coalesce(sum(planned_minutes), 0) as m from third_sector.tutoring_programme`,
        )
      )[0]!.m,
    ),
    state: JSON.stringify(
      await suite.sql(
        `select id, status, attendance from third_sector.tutoring_booking order by id`,
      ),
    ),
  };
}

/** Runs an operation that must be refused with `code`, and checks nothing was written. */
async function refused(
  query: string,
  variables: Record<string, unknown>,
  caller: Caller,
  code: string,
  fields?: string[],
) {
  const before = await counts();
  const result = await suite.run(query, variables, caller);
  expect(errorCode(result), JSON.stringify(result.errors)).toBe(code);
  if (fields) expect(errorFields(result)).toEqual([...fields].sort());
  expect(await counts()).toEqual(before);
  return result;
}

describe('programmes', () => {
  it('are created by the Comune’s MANAGER for a provider it accredits', async () => {
    const created = ok<{ id: string; groupSizeLimit: number; cancellationNoticeHours: number }>(
      await suite.run(CREATE_PROGRAMME, { input: programmeInput() }, managerA),
      'createTutoringProgramme',
    );
    expect(created.groupSizeLimit).toBe(3);
    expect(created.cancellationNoticeHours).toBe(24);
    ids.programme = created.id;
    ids.programme2 = ok<{ id: string }>(
      await suite.run(
        CREATE_PROGRAMME,
        { input: programmeInput({ title: 'Tutoraggio estivo', budgetMinutes: 600 }) },
        managerA,
      ),
      'createTutoringProgramme',
    ).id;
  });

  it('refuses others and bad input with every field, writing nothing', async () => {
    await refused(CREATE_PROGRAMME, { input: programmeInput() }, operatorA, 'FORBIDDEN');
    await refused(CREATE_PROGRAMME, { input: programmeInput() }, managerB, 'FORBIDDEN');
    await refused(CREATE_PROGRAMME, { input: programmeInput() }, adminP, 'FORBIDDEN');
    await refused(CREATE_PROGRAMME, { input: programmeInput() }, ANONYMOUS, 'UNAUTHENTICATED');
    await refused(
      CREATE_PROGRAMME,
      { input: programmeInput({ providerId: PROVIDER_R }) },
      managerA,
      'BAD_USER_INPUT',
      ['providerId'],
    );
    const result = await refused(
      CREATE_PROGRAMME,
      {
        input: programmeInput({
          title: 'x',
          startsOn: '2026-02-30',
          endsOn: '2026-13-01',
          budgetMinutes: 0,
          groupSizeLimit: 11,
          cancellationNoticeHours: -1,
        }),
      },
      managerA,
      'BAD_USER_INPUT',
      ['title', 'startsOn', 'endsOn', 'budgetMinutes', 'groupSizeLimit', 'cancellationNoticeHours'],
    );
    expect(fieldMessages(result).every((m) => m.it && m.en && m.it !== m.en)).toBe(true);
  });

  it('are listed for the Comune’s staff and the provider’s members only', async () => {
    const list = `query ($c: ID!) { comuneTutoringProgrammes(comuneId: $c) { id } }`;
    expect(
      ok<unknown[]>(await suite.run(list, { c: COMUNE_A }, operatorA), 'comuneTutoringProgrammes'),
    ).toHaveLength(2);
    expect(errorCode(await suite.run(list, { c: COMUNE_A }, operatorB))).toBe('FORBIDDEN');
    const mine = `query ($p: ID!) { providerTutoringProgrammes(providerId: $p) { id } }`;
    expect(
      ok<unknown[]>(await suite.run(mine, { p: PROVIDER_P }, tutor1), 'providerTutoringProgrammes'),
    ).toHaveLength(2);
    expect(
      ok<unknown[]>(await suite.run(mine, { p: PROVIDER_Q }, adminQ), 'providerTutoringProgrammes'),
    ).toHaveLength(0);
    expect(errorCode(await suite.run(mine, { p: PROVIDER_P }, adminQ))).toBe('FORBIDDEN');
    const open = `{ tutoringProgrammes { id title } }`;
    expect(ok<unknown[]>(await suite.run(open, {}, ANONYMOUS), 'tutoringProgrammes')).toHaveLength(
      2,
    );
  });

  it('are edited by the MANAGER only; another Comune gets NOT_FOUND', async () => {
    const update = `mutation ($id: ID!, $input: TutoringProgrammeUpdate!) { updateTutoringProgramme(id: $id, input: $input) { id title version: budgetMinutes } }`;
    const input = {
      title: 'Doposcuola – tutoraggio scolastico',
      startsOn: '2026-12-01',
      endsOn: '2027-06-30',
      budgetMinutes: 1200,
    };
    await refused(update, { id: ids.programme, input }, managerB, 'NOT_FOUND');
    await refused(update, { id: ids.programme, input }, operatorA, 'FORBIDDEN');
    await refused(update, { id: ids.programme, input }, adminP, 'NOT_FOUND');
    ok(await suite.run(update, { id: ids.programme, input }, managerA), 'updateTutoringProgramme');
  });
});

describe('tutors and rooms', () => {
  it('the provider’s ADMIN assigns tutors and adds rooms with weekly availability', async () => {
    ids.t1 = ok<{ id: string }>(
      await suite.run(
        ASSIGN_TUTOR,
        { programmeId: ids.programme, personId: tutor1.personId, name: 'Giulia B.' },
        adminP,
      ),
      'assignTutoringTutor',
    ).id;
    ids.t2 = ok<{ id: string }>(
      await suite.run(
        ASSIGN_TUTOR,
        { programmeId: ids.programme, personId: tutor2.personId, name: 'Marco R.' },
        adminP,
      ),
      'assignTutoringTutor',
    ).id;
    ids.t1b = ok<{ id: string }>(
      await suite.run(
        ASSIGN_TUTOR,
        { programmeId: ids.programme2, personId: tutor1.personId, name: 'Giulia B.' },
        adminP,
      ),
      'assignTutoringTutor',
    ).id;
    const room1 = ok<{ id: string; windows: unknown[] }>(
      await suite.run(
        SAVE_ROOM,
        {
          input: {
            providerId: PROVIDER_P,
            name: 'Biblioteca comunale – Sala studio',
            address: 'Via Roma 1, Balestrate',
            windows: [
              { weekday: 1, startsAt: '15:00', endsAt: '19:00' },
              { weekday: 3, startsAt: '15:00', endsAt: '19:00' },
            ],
          },
        },
        adminP,
      ),
      'saveTutoringRoom',
    );
    expect(room1.windows).toEqual([
      { weekday: 1, startsAt: '15:00', endsAt: '19:00' },
      { weekday: 3, startsAt: '15:00', endsAt: '19:00' },
    ]);
    ids.room1 = room1.id;
    ids.room2 = ok<{ id: string }>(
      await suite.run(
        SAVE_ROOM,
        {
          input: {
            providerId: PROVIDER_P,
            name: 'Centro giovani',
            address: 'Piazza Europa 3, Balestrate',
            windows: [
              { weekday: 1, startsAt: '14:00', endsAt: '20:00' },
              { weekday: 3, startsAt: '14:00', endsAt: '20:00' },
            ],
          },
        },
        adminP,
      ),
      'saveTutoringRoom',
    ).id;
  });

  it('refuses other tenants, tutors and bad windows, writing nothing', async () => {
    const assign = { programmeId: ids.programme, personId: tutorQ.personId, name: 'Intruso' };
    await refused(ASSIGN_TUTOR, assign, adminQ, 'NOT_FOUND');
    await refused(ASSIGN_TUTOR, assign, tutor1, 'FORBIDDEN');
    await refused(ASSIGN_TUTOR, assign, managerA, 'NOT_FOUND');
    const room = {
      providerId: PROVIDER_P,
      name: 'Aula',
      address: 'Via Mare 2',
      windows: [{ weekday: 1, startsAt: '15:00', endsAt: '14:00' }],
    };
    await refused(SAVE_ROOM, { input: room }, adminQ, 'FORBIDDEN');
    await refused(SAVE_ROOM, { input: room }, tutor1, 'FORBIDDEN');
    await refused(SAVE_ROOM, { input: room }, adminP, 'BAD_USER_INPUT', ['windows.0.endsAt']);
    await refused(
      SAVE_ROOM,
      {
        input: {
          ...room,
          name: 'x',
          windows: [{ weekday: 8, startsAt: '25:00', endsAt: '14:00' }],
        },
      },
      adminP,
      'BAD_USER_INPUT',
      ['name', 'windows.0.weekday', 'windows.0.startsAt'],
    );
    await refused(
      SAVE_ROOM,
      {
        input: {
          ...room,
          id: ids.room1,
          providerId: PROVIDER_Q,
          windows: [{ weekday: 1, startsAt: '09:00', endsAt: '10:00' }],
        },
      },
      adminQ,
      'NOT_FOUND',
    );
    const rooms = `query ($p: ID!) { tutoringRooms(providerId: $p) { id } }`;
    expect(
      ok<unknown[]>(await suite.run(rooms, { p: PROVIDER_P }, tutor2), 'tutoringRooms'),
    ).toHaveLength(2);
    expect(errorCode(await suite.run(rooms, { p: PROVIDER_P }, adminQ))).toBe('FORBIDDEN');
  });
});

describe('planning lessons', () => {
  it('plans a lesson within the room’s availability', async () => {
    const [lesson] = ok<{ id: string; seatsTaken: number }[]>(
      await suite.run(PLAN, { input: lessonInput() }, adminP),
      'planTutoringLessons',
    );
    ids.l1 = lesson!.id;
    const [row] = await suite.sql<{ planned_minutes: number }>(
      `select planned_minutes from third_sector.tutoring_programme where id = ?`,
      [ids.programme],
    );
    expect(row!.planned_minutes).toBe(60);
  });

  it('refuses a lesson outside the room’s availability, nothing written', async () => {
    const tuesday = await refused(
      PLAN,
      { input: lessonInput({ startsAt: rome('08', '15:00'), endsAt: rome('08', '16:00') }) },
      adminP,
      'BAD_USER_INPUT',
      ['startsAt'],
    );
    expect(fieldMessages(tuesday)[0]!.it).toContain('disponibilità della stanza');
    expect(fieldMessages(tuesday)[0]!.en).toContain('room');
    await refused(
      PLAN,
      { input: lessonInput({ startsAt: rome('07', '18:30'), endsAt: rome('07', '19:30') }) },
      adminP,
      'BAD_USER_INPUT',
      ['startsAt'],
    );
  });

  it('refuses overlapping lessons of the same tutor or the same room, nothing written', async () => {
    const tutorBusy = await refused(
      PLAN,
      {
        input: lessonInput({
          roomId: ids.room2,
          startsAt: rome('07', '15:30'),
          endsAt: rome('07', '16:30'),
        }),
      },
      adminP,
      'BAD_USER_INPUT',
      ['tutorId'],
    );
    expect(fieldMessages(tutorBusy)[0]!.en).toContain('tutor already has a lesson');
    await refused(
      PLAN,
      {
        input: lessonInput({
          tutorId: ids.t2,
          startsAt: rome('07', '15:30'),
          endsAt: rome('07', '16:30'),
        }),
      },
      adminP,
      'BAD_USER_INPUT',
      ['roomId'],
    );
  });

  it('refuses capacity 0, above the group limit and 1,000, nothing written', async () => {
    const slot = {
      tutorId: ids.t2,
      roomId: ids.room2,
      startsAt: rome('07', '17:00'),
      endsAt: rome('07', '18:00'),
    };
    for (const capacity of [0, 4, 1000]) {
      await refused(PLAN, { input: lessonInput({ ...slot, capacity }) }, adminP, 'BAD_USER_INPUT', [
        'capacity',
      ]);
    }
  });

  it('refuses a series beyond the remaining budget, and a past start', async () => {
    const budget = await refused(
      PLAN,
      {
        input: lessonInput({
          tutorId: ids.t2,
          roomId: ids.room2,
          startsAt: rome('07', '17:00'),
          endsAt: rome('07', '18:00'),
          weeks: 26,
        }),
      },
      adminP,
      'BAD_USER_INPUT',
      ['weeks'],
    );
    expect(fieldMessages(budget)[0]!.it).toContain('monte ore');
    await refused(
      PLAN,
      { input: lessonInput({ startsAt: '2026-11-30T14:00:00Z', endsAt: '2026-11-30T15:00:00Z' }) },
      adminP,
      'BAD_USER_INPUT',
      ['startsAt'],
    );
  });

  it('plans a weekly series at the same local time, all or nothing', async () => {
    const series = ok<{ id: string; startsAt: string; seriesId: string }[]>(
      await suite.run(
        PLAN,
        {
          input: lessonInput({
            tutorId: ids.t2,
            roomId: ids.room2,
            startsAt: rome('07', '16:00'),
            endsAt: rome('07', '17:00'),
            weeks: 4,
          }),
        },
        adminP,
      ),
      'planTutoringLessons',
    );
    expect(series.map((l) => l.startsAt)).toEqual([
      '2026-12-07T15:00:00.000Z',
      '2026-12-14T15:00:00.000Z',
      '2026-12-21T15:00:00.000Z',
      '2026-12-28T15:00:00.000Z',
    ]);
    expect(new Set(series.map((l) => l.seriesId)).size).toBe(1);
    // The first of these three weeks finds the tutor busy (16:00-17:00 in room 2): nothing is written.
    await refused(
      PLAN,
      {
        input: lessonInput({
          tutorId: ids.t2,
          roomId: ids.room1,
          startsAt: rome('28', '16:00'),
          endsAt: rome('28', '17:00'),
          weeks: 3,
        }),
      },
      adminP,
      'BAD_USER_INPUT',
      ['tutorId'],
    );
  });

  it('is for the provider’s ADMIN only', async () => {
    const input = lessonInput({
      tutorId: ids.t2,
      roomId: ids.room2,
      startsAt: rome('07', '17:00'),
      endsAt: rome('07', '18:00'),
    });
    await refused(PLAN, { input }, adminQ, 'NOT_FOUND');
    await refused(PLAN, { input }, tutor1, 'FORBIDDEN');
    await refused(PLAN, { input }, managerA, 'NOT_FOUND');
    await refused(PLAN, { input }, family(), 'NOT_FOUND');
  });

  it('the database itself refuses a double booking of a tutor or a room', async () => {
    const insert = (tutorPerson: string, room: string) =>
      suite.sql(
        `insert into third_sector.tutoring_lesson (id, programme_id, provider_id, tutor_id, tutor_person_id, room_id, starts_at, ends_at, capacity, created_by)
         values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, 3, gen_random_uuid())`,
        [
          ids.programme,
          PROVIDER_P,
          ids.t1,
          tutorPerson,
          room,
          rome('07', '15:30'),
          rome('07', '16:30'),
        ],
      );
    await expect(insert(tutor1.personId, ids.room2!)).rejects.toThrow(
      /tutoring_lesson_tutor_overlap/,
    );
    await expect(insert(randomUUID(), ids.room1!)).rejects.toThrow(/tutoring_lesson_room_overlap/);
  });

  it('two concurrent plannings of overlapping lessons for the same tutor: exactly one succeeds', async () => {
    const before = await suite.count('tutoring_lesson');
    // Two programmes (two row locks): only the exclusion constraint stands between them.
    const results = await Promise.all([
      suite.run(
        PLAN,
        {
          input: lessonInput({
            roomId: ids.room2,
            startsAt: rome('09', '15:00'),
            endsAt: rome('09', '16:00'),
          }),
        },
        adminP,
      ),
      suite.run(
        PLAN,
        {
          input: lessonInput({
            programmeId: ids.programme2,
            tutorId: ids.t1b,
            roomId: ids.room1,
            startsAt: rome('09', '15:30'),
            endsAt: rome('09', '16:30'),
          }),
        },
        adminP,
      ),
    ]);
    const succeeded = results.filter((r) => !r.errors);
    const failed = results.filter((r) => r.errors);
    expect(succeeded).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(errorCode(failed[0]!)).toBe('BAD_USER_INPUT');
    expect(errorFields(failed[0]!)).toEqual(['tutorId']);
    expect(await suite.count('tutoring_lesson')).toBe(before + 1);
    const minutes = await suite.sql<{ planned_minutes: number }>(
      `select planned_minutes from third_sector.tutoring_programme where id in (?, ?) order by id`,
      [ids.programme, ids.programme2],
    );
    expect(minutes.reduce((s, r) => s + r.planned_minutes, 0)).toBe(60 + 240 + 60);
  });
});

describe('enrolments and bookings', () => {
  const f1 = family();
  const f2 = family();
  const f3 = family();
  const f4 = family();
  const pupils: Record<string, string> = {};

  it('a family enrols a pupil; a person without a codice fiscale cannot', async () => {
    for (const [name, f] of [
      ['Anna', f1],
      ['Bruno', f2],
      ['Carla', f3],
      ['Dario', f4],
    ] as const) {
      pupils[name] = ok<{ id: string }>(
        await suite.run(
          ENROL,
          {
            input: {
              programmeId: ids.programme,
              firstName: name,
              lastName: 'Rossi',
              schoolClass: '2ª media',
            },
          },
          f,
        ),
        'enrolTutoringPupil',
      ).id;
    }
    const input = {
      programmeId: ids.programme,
      firstName: 'Ugo',
      lastName: 'Verdi',
      schoolClass: '1ª media',
    };
    await refused(ENROL, { input }, CITIZEN, 'FORBIDDEN');
    await refused(ENROL, { input }, ANONYMOUS, 'UNAUTHENTICATED');
    await refused(
      ENROL,
      { input: { ...input, firstName: ' ', schoolClass: '' } },
      f1,
      'BAD_USER_INPUT',
      ['firstName', 'schoolClass'],
    );
    await refused(
      ENROL,
      { input: { ...input, firstName: 'anna', lastName: 'ROSSI' } },
      f1,
      'CONFLICT',
    );
  });

  it('books seats, then the waitlist in order', async () => {
    const b1 = ok<{ id: string; status: string }>(
      await suite.run(BOOK, { lessonId: ids.l1, pupilId: pupils.Anna }, f1),
      'bookTutoringLesson',
    );
    const b2 = ok<{ status: string }>(
      await suite.run(BOOK, { lessonId: ids.l1, pupilId: pupils.Bruno }, f2),
      'bookTutoringLesson',
    );
    const b3 = ok<{ status: string }>(
      await suite.run(BOOK, { lessonId: ids.l1, pupilId: pupils.Carla }, f3),
      'bookTutoringLesson',
    );
    const b4 = ok<{ id: string; status: string; waitlistPosition: number }>(
      await suite.run(BOOK, { lessonId: ids.l1, pupilId: pupils.Dario }, f4),
      'bookTutoringLesson',
    );
    expect([b1.status, b2.status, b3.status, b4.status]).toEqual([
      'SEATED',
      'SEATED',
      'SEATED',
      'WAITLISTED',
    ]);
    expect(b4.waitlistPosition).toBe(1);
    ids.b1 = b1.id;
    ids.b4 = b4.id;
    await refused(BOOK, { lessonId: ids.l1, pupilId: pupils.Anna }, f1, 'CONFLICT');
  });

  it('a family uses only its own pupils and bookings', async () => {
    await refused(BOOK, { lessonId: ids.l1, pupilId: pupils.Anna }, f2, 'BAD_USER_INPUT', [
      'pupilId',
    ]);
    await refused(CANCEL_BOOKING, { id: ids.b1 }, f2, 'NOT_FOUND');
    await refused(CANCEL_BOOKING, { id: ids.b1 }, adminP, 'NOT_FOUND');
    const mine = ok<{ booking: { id: string } }[]>(
      await suite.run(MY_BOOKINGS, {}, f1),
      'myTutoringBookings',
    );
    expect(mine.map((r) => r.booking.id)).toEqual([ids.b1]);
    const pupilsOf = `{ myTutoringPupils { id firstName } }`;
    expect(
      ok<{ firstName: string }[]>(await suite.run(pupilsOf, {}, f2), 'myTutoringPupils').map(
        (p) => p.firstName,
      ),
    ).toEqual(['Bruno']);
  });

  it('the lesson’s pupils are for the provider only', async () => {
    const forAdmin = ok<{
      bookings: { status: string; pupil: { firstName: string } }[] | null;
      waitlisted: number;
      freeSeats: number;
    }>(await suite.run(LESSON, { id: ids.l1 }, adminP), 'tutoringLesson');
    expect(forAdmin.bookings!.map((b) => `${b.pupil.firstName}:${b.status}`)).toEqual([
      'Anna:SEATED',
      'Bruno:SEATED',
      'Carla:SEATED',
      'Dario:WAITLISTED',
    ]);
    expect(forAdmin.waitlisted).toBe(1);
    expect(forAdmin.freeSeats).toBe(0);
    for (const other of [adminQ, tutorQ, f1, managerA, ANONYMOUS]) {
      const seen = ok<{ bookings: unknown }>(
        await suite.run(LESSON, { id: ids.l1 }, other),
        'tutoringLesson',
      );
      expect(seen.bookings).toBeNull();
    }
  });

  it('a pupil never holds two seats in overlapping lessons', async () => {
    const [overlapping] = ok<{ id: string }[]>(
      await suite.run(
        PLAN,
        {
          input: lessonInput({
            tutorId: ids.t2,
            roomId: ids.room2,
            startsAt: rome('07', '15:00'),
            endsAt: rome('07', '16:00'),
          }),
        },
        adminP,
      ),
      'planTutoringLessons',
    );
    ids.lOverlap = overlapping!.id;
    const result = await refused(
      BOOK,
      { lessonId: ids.lOverlap, pupilId: pupils.Bruno },
      f2,
      'BAD_USER_INPUT',
      ['pupilId'],
    );
    expect(fieldMessages(result)[0]!.it).toContain('stesso orario');
  });

  it('a freed seat goes to the first on the waitlist in the same transaction', async () => {
    ok(await suite.run(CANCEL_BOOKING, { id: ids.b1 }, f1), 'cancelTutoringBooking');
    const [dario] = await suite.sql<{ status: string }>(
      `select status from third_sector.tutoring_booking where id = ?`,
      [ids.b4],
    );
    expect(dario!.status).toBe('SEATED');
    const [lesson] = await suite.sql<{ seats_taken: number }>(
      `select seats_taken from third_sector.tutoring_lesson where id = ?`,
      [ids.l1],
    );
    expect(lesson!.seats_taken).toBe(3);
    // Cancelling again changes nothing.
    expect(
      ok<{ status: string }>(
        await suite.run(CANCEL_BOOKING, { id: ids.b1 }, f1),
        'cancelTutoringBooking',
      ).status,
    ).toBe('CANCELLED');
  });

  it('refuses a cancellation within the notice, nothing changed', async () => {
    const [bruno] = await suite.sql<{ id: string }>(
      `select b.id from third_sector.tutoring_booking b join third_sector.tutoring_enrolment e on e.id = b.enrolment_id where e.first_name = 'Bruno' and b.lesson_id = ?`,
      [ids.l1],
    );
    ids.bBruno = bruno!.id;
    clock = new Date('2026-12-06T14:30:00Z'); // 23 h 30 before the start: within 24 h
    try {
      const listed = ok<{ booking: { id: string }; cancellable: boolean }[]>(
        await suite.run(MY_BOOKINGS, {}, f2),
        'myTutoringBookings',
      );
      expect(listed.find((r) => r.booking.id === ids.bBruno)!.cancellable).toBe(false);
      const late = await refused(CANCEL_BOOKING, { id: ids.bBruno }, f2, 'CONFLICT');
      expect(late.errors![0]!.message).toContain('24');
    } finally {
      clock = START;
    }
  });
});

describe('50 families booking the last seat at once', () => {
  let racers: MikroORM;
  afterAll(() => racers?.close());

  // Over 80 lines on purpose: one race, set up, run and checked in order on the same lesson.
  it('exactly one wins; the others are waitlisted in order, each once', async () => {
    const [lesson] = ok<{ id: string }[]>(
      await suite.run(
        PLAN,
        { input: lessonInput({ startsAt: rome('16', '15:00'), endsAt: rome('16', '16:00') }) },
        adminP,
      ),
      'planTutoringLessons',
    );
    // Two seats of three taken first.
    for (const name of ['Primo', 'Secondo']) {
      const f = family();
      const pupil = ok<{ id: string }>(
        await suite.run(
          ENROL,
          {
            input: {
              programmeId: ids.programme,
              firstName: name,
              lastName: 'Bianchi',
              schoolClass: '3ª',
            },
          },
          f,
        ),
        'enrolTutoringPupil',
      );
      expect(
        ok<{ status: string }>(
          await suite.run(BOOK, { lessonId: lesson!.id, pupilId: pupil.id }, f),
          'bookTutoringLesson',
        ).status,
      ).toBe('SEATED');
    }
    const families = Array.from({ length: 50 }, () => family());
    const pupilIds: string[] = [];
    for (const [i, f] of families.entries()) {
      pupilIds.push(
        ok<{ id: string }>(
          await suite.run(
            ENROL,
            {
              input: {
                programmeId: ids.programme,
                firstName: `Alunno${i}`,
                lastName: 'Neri',
                schoolClass: '1ª',
              },
            },
            f,
          ),
          'enrolTutoringPupil',
        ).id,
      );
    }
    // 50 transactions on 50 separate connections of their own pool.
    racers = await openOrm(thirdSectorOrmSettings(suite.orm.config.get('clientUrl'), 50), {
      migrate: false,
    });
    const services = createServices({ now });
    const outcomes = await Promise.allSettled(
      families.map((f, i) =>
        services.tutoring.bookings.book(racers.em.fork(), f, lesson!.id, pupilIds[i]!),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    const bookings = outcomes.map(
      (o) => (o as PromiseFulfilledResult<{ status: string; id: string }>).value,
    );
    expect(bookings.filter((b) => b.status === 'SEATED')).toHaveLength(1);
    expect(bookings.filter((b) => b.status === 'WAITLISTED')).toHaveLength(49);
    const [row] = await suite.sql<{ seats_taken: number; capacity: number }>(
      `select seats_taken, capacity from third_sector.tutoring_lesson where id = ?`,
      [lesson!.id],
    );
    expect(row).toEqual({ seats_taken: 3, capacity: 3 });
    const waitlist = ok<{
      bookings: { id: string; status: string; waitlistPosition: number | null }[];
    }>(await suite.run(LESSON, { id: lesson!.id }, adminP), 'tutoringLesson').bookings.filter(
      (b) => b.status === 'WAITLISTED',
    );
    expect(waitlist.map((b) => b.waitlistPosition)).toEqual(
      Array.from({ length: 49 }, (_, i) => i + 1),
    );
    expect(new Set(waitlist.map((b) => b.id)).size).toBe(49);
    // The first on the waitlist gets the seat the winner gives up.
    const winner = bookings.findIndex((b) => b.status === 'SEATED');
    await services.tutoring.bookings.cancel(
      racers.em.fork(),
      families[winner]!,
      bookings[winner]!.id,
    );
    const [first] = await suite.sql<{ status: string }>(
      `select status from third_sector.tutoring_booking where id = ?`,
      [waitlist[0]!.id],
    );
    expect(first!.status).toBe('SEATED');
    const [second] = await suite.sql<{ status: string }>(
      `select status from third_sector.tutoring_booking where id = ?`,
      [waitlist[1]!.id],
    );
    expect(second!.status).toBe('WAITLISTED');
  });
});

describe('attendance register', () => {
  const marks = () => [
    { bookingId: ids.bBruno, attendance: 'PRESENT' },
    { bookingId: ids.b4, attendance: 'JUSTIFIED' },
  ];

  it('opens at the start of the lesson', async () => {
    await refused(MARK, { lessonId: ids.l1, marks: marks() }, tutor1, 'CONFLICT');
  });

  it('is kept by the lesson’s tutor (or the ADMIN), editable; others refused, nothing written', async () => {
    clock = new Date('2026-12-07T14:30:00Z');
    try {
      await refused(MARK, { lessonId: ids.l1, marks: marks() }, tutor2, 'FORBIDDEN');
      await refused(MARK, { lessonId: ids.l1, marks: marks() }, adminQ, 'NOT_FOUND');
      await refused(MARK, { lessonId: ids.l1, marks: marks() }, tutorQ, 'NOT_FOUND');
      await refused(MARK, { lessonId: ids.l1, marks: marks() }, family(), 'NOT_FOUND');
      await refused(MARK, { lessonId: ids.l1, marks: marks() }, managerA, 'NOT_FOUND');
      await refused(
        MARK,
        { lessonId: ids.l1, marks: [...marks(), { bookingId: ids.b1, attendance: 'PRESENT' }] },
        tutor1,
        'BAD_USER_INPUT',
        ['marks.2.bookingId'],
      );
      const canMark = `query ($id: ID!) { tutoringLesson(id: $id) { canMarkAttendance } }`;
      expect(
        ok<{ canMarkAttendance: boolean }>(
          await suite.run(canMark, { id: ids.l1 }, tutor1),
          'tutoringLesson',
        ).canMarkAttendance,
      ).toBe(true);
      expect(
        ok<{ canMarkAttendance: boolean }>(
          await suite.run(canMark, { id: ids.l1 }, tutor2),
          'tutoringLesson',
        ).canMarkAttendance,
      ).toBe(false);
      ok(
        await suite.run(MARK, { lessonId: ids.l1, marks: marks() }, tutor1),
        'markTutoringAttendance',
      );
      const [carla] = await suite.sql<{ id: string }>(
        `select b.id from third_sector.tutoring_booking b join third_sector.tutoring_enrolment e on e.id = b.enrolment_id where e.first_name = 'Carla' and b.lesson_id = ?`,
        [ids.l1],
      );
      ok(
        await suite.run(
          MARK,
          { lessonId: ids.l1, marks: [{ bookingId: carla!.id, attendance: 'PRESENT' }] },
          tutor1,
        ),
        'markTutoringAttendance',
      );
      // The ADMIN corrects it.
      const marked = ok<{ id: string; attendance: string }[]>(
        await suite.run(
          MARK,
          { lessonId: ids.l1, marks: [{ bookingId: carla!.id, attendance: 'ABSENT' }] },
          adminP,
        ),
        'markTutoringAttendance',
      );
      expect(marked.find((b) => b.id === carla!.id)!.attendance).toBe('ABSENT');
    } finally {
      clock = START;
    }
  });
});

describe('cancelling a lesson', () => {
  it('is for the provider’s ADMIN: bookings cancelled, minutes back to the budget', async () => {
    await refused(CANCEL_LESSON, { id: ids.lOverlap }, adminQ, 'NOT_FOUND');
    await refused(CANCEL_LESSON, { id: ids.lOverlap }, tutor2, 'FORBIDDEN');
    await refused(CANCEL_LESSON, { id: ids.lOverlap }, family(), 'NOT_FOUND');
    const before = (
      await suite.sql<{ planned_minutes: number }>(
        `select planned_minutes from third_sector.tutoring_programme where id = ?`,
        [ids.programme],
      )
    )[0]!.planned_minutes;
    const f5 = family();
    const pupil = ok<{ id: string }>(
      await suite.run(
        ENROL,
        {
          input: {
            programmeId: ids.programme,
            firstName: 'Elena',
            lastName: 'Gialli',
            schoolClass: '1ª',
          },
        },
        f5,
      ),
      'enrolTutoringPupil',
    );
    ok(
      await suite.run(BOOK, { lessonId: ids.lOverlap, pupilId: pupil.id }, f5),
      'bookTutoringLesson',
    );
    const cancelled = ok<{ status: string; seatsTaken: number }>(
      await suite.run(CANCEL_LESSON, { id: ids.lOverlap }, adminP),
      'cancelTutoringLesson',
    );
    expect(cancelled).toMatchObject({ status: 'CANCELLED', seatsTaken: 0 });
    const after = (
      await suite.sql<{ planned_minutes: number }>(
        `select planned_minutes from third_sector.tutoring_programme where id = ?`,
        [ids.programme],
      )
    )[0]!.planned_minutes;
    expect(after).toBe(before - 60);
    const [booking] = await suite.sql<{ status: string }>(
      `select status from third_sector.tutoring_booking where lesson_id = ?`,
      [ids.lOverlap],
    );
    expect(booking!.status).toBe('CANCELLED');
  });
});

describe('hours report', () => {
  it('counts a lesson held when a pupil is present, for the Comune and the provider', async () => {
    const report = ok<Record<string, unknown>>(
      await suite.run(REPORT, { programmeId: ids.programme }, operatorA),
      'tutoringReport',
    );
    const [planned] = await suite.sql<{ n: string; m: number }>(
      `select count(*) as n, (select planned_minutes from third_sector.tutoring_programme where id = ?) as m
         from third_sector.tutoring_lesson where programme_id = ? and status = 'PLANNED'`,
      [ids.programme, ids.programme],
    );
    expect(report).toEqual({
      lessonsPlanned: Number(planned!.n),
      lessonsHeld: 1,
      tutorMinutesDelivered: 60,
      pupilMinutesPresent: 60,
      pupilMinutesAbsent: 60,
      pupilMinutesJustified: 60,
      budgetMinutes: 1200,
      plannedMinutes: planned!.m,
      usedMinutes: 60,
      remainingMinutes: 1200 - planned!.m,
      tutors: [
        { tutorName: 'Giulia B.', lessonsHeld: 1, minutesDelivered: 60 },
        { tutorName: 'Marco R.', lessonsHeld: 0, minutesDelivered: 0 },
      ],
    });
    expect(
      ok(await suite.run(REPORT, { programmeId: ids.programme }, adminP), 'tutoringReport'),
    ).toEqual(report);
    for (const other of [operatorB, managerB, adminQ, tutor1, family()]) {
      expect(errorCode(await suite.run(REPORT, { programmeId: ids.programme }, other))).toBe(
        'NOT_FOUND',
      );
    }
  });

  it('as CSV: one line per lesson and the totals', async () => {
    const data = await suite.services.tutoring.reports.report(
      suite.orm.em.fork(),
      operatorA,
      ids.programme!,
    );
    const csv = reportCsv(data);
    const lines = csv
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'data;inizio;fine;stato;tutor;stanza;minuti;posti_occupati;presenti;assenti;giustificati;svolta;ore_tutor_conteggiate',
    );
    expect(lines).toContain(
      '07/12/2026;15:00;16:00;PROGRAMMATA;Giulia B.;Biblioteca comunale – Sala studio;60;3;1;1;1;SI;1',
    );
    const total = lines.find((l) => l.startsWith('TOTALE'))!.split(';');
    expect(total[6]).toBe('60');
    expect(total[12]).toBe('1');
  });

  it('as CSV: names a spreadsheet would run stay text', async () => {
    const data = await suite.services.tutoring.reports.report(
      suite.orm.em.fork(),
      operatorA,
      ids.programme!,
    );
    const hostile = {
      ...data,
      lessons: data.lessons.map((l) => ({
        ...l,
        tutorName: '=cmd|" /C calc"!A0',
        roomName: '@SUM(1)',
      })),
    };
    const lines = reportCsv(hostile)
      .replace(/^\ufeff/, '')
      .split('\r\n');
    expect(lines[1]).toContain(`;"'=cmd|"" /C calc""!A0";'@SUM(1);`);
  });
});

describe('calendar', () => {
  it('gives a family its own lessons as iCalendar', async () => {
    const f = family();
    const pupil = ok<{ id: string }>(
      await suite.run(
        ENROL,
        {
          input: {
            programmeId: ids.programme,
            firstName: 'Franco',
            lastName: 'Blu',
            schoolClass: '2ª',
          },
        },
        f,
      ),
      'enrolTutoringPupil',
    );
    const [lesson] = await suite.sql<{ id: string }>(
      `select id from third_sector.tutoring_lesson where programme_id = ? and status = 'PLANNED' and starts_at = ?`,
      [ids.programme, '2026-12-14T15:00:00Z'],
    );
    const booking = ok<{ id: string }>(
      await suite.run(BOOK, { lessonId: lesson!.id, pupilId: pupil.id }, f),
      'bookTutoringLesson',
    );
    const ics = await suite.services.tutoring.exports.familyCalendar(suite.orm.em.fork(), f);
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain(`UID:tutoring-booking-${booking.id}@welfare-territoriale\r\n`);
    expect(ics.split('\r\n').every((line) => Buffer.byteLength(line, 'utf8') <= 75)).toBe(true);
    expect(ics).toContain('DTSTART:20261214T150000Z\r\nDTEND:20261214T160000Z\r\n');
    expect(ics).toContain('DTSTAMP:20261201T080000Z\r\n');
    expect(unfolded).toContain('LOCATION:Centro giovani\\, Piazza Europa 3\\, Balestrate');
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    const other = await suite.services.tutoring.exports.familyCalendar(
      suite.orm.em.fork(),
      family(),
    );
    expect(other).not.toContain('BEGIN:VEVENT');
  });
});

describe('editing a programme with lessons', () => {
  it('an edit cannot leave planned lessons outside the period, nor the budget below them', async () => {
    const update = `mutation ($id: ID!, $input: TutoringProgrammeUpdate!) { updateTutoringProgramme(id: $id, input: $input) { id } }`;
    await refused(
      update,
      {
        id: ids.programme,
        input: {
          title: 'Doposcuola',
          startsOn: '2026-12-01',
          endsOn: '2026-12-10',
          budgetMinutes: 30,
        },
      },
      managerA,
      'BAD_USER_INPUT',
      ['budgetMinutes', 'endsOn'],
    );
  });
});

describe('delivered hours for the Comune’s reimbursement batches', () => {
  const update = `mutation ($id: ID!, $input: TutoringProgrammeUpdate!) { updateTutoringProgramme(id: $id, input: $input) { id hourlyTariffCents } }`;
  const input = (hourlyTariffCents?: unknown) => ({
    title: 'Doposcuola – tutoraggio scolastico',
    startsOn: '2026-12-01',
    endsOn: '2027-06-30',
    budgetMinutes: 1200,
    ...(hourlyTariffCents === undefined ? {} : { hourlyTariffCents }),
  });
  const delivered = (comuneId: string, upTo: string) =>
    suite.services.tutoringStatements.deliveredLessons(suite.orm.em.fork(), comuneId, upTo);

  it('answers the held lessons (a pupil PRESENT) ended by the day, without a tariff until one is set', async () => {
    const held = await delivered(COMUNE_A, '2026-12-31');
    expect(held).toEqual([
      {
        lessonId: ids.l1,
        programmeId: ids.programme,
        programmeTitle: 'Doposcuola – tutoraggio scolastico',
        providerId: PROVIDER_P,
        day: '2026-12-07',
        minutes: 60,
        hourlyTariffCents: null,
      },
    ]);
    // Not before the day it ended (Rome), and never another Comune's.
    expect(await delivered(COMUNE_A, '2026-12-06')).toEqual([]);
    expect(await delivered(COMUNE_B, '2026-12-31')).toEqual([]);
  });

  it('the MANAGER sets the hourly tariff (validated, nothing written on errors); absent keeps it', async () => {
    for (const bad of [0, -100, 100_001]) {
      await refused(update, { id: ids.programme, input: input(bad) }, managerA, 'BAD_USER_INPUT', [
        'hourlyTariffCents',
      ]);
    }
    const [before] = await suite.sql<{ t: number | null }>(
      `select hourly_tariff_cents as t from third_sector.tutoring_programme where id = ?`,
      [ids.programme],
    );
    expect(before!.t).toBeNull();
    const set = ok<{ hourlyTariffCents: number }>(
      await suite.run(update, { id: ids.programme, input: input(2400) }, managerA),
      'updateTutoringProgramme',
    );
    expect(set.hourlyTariffCents).toBe(2400);
    const kept = ok<{ hourlyTariffCents: number }>(
      await suite.run(update, { id: ids.programme, input: input() }, managerA),
      'updateTutoringProgramme',
    );
    expect(kept.hourlyTariffCents).toBe(2400);
    expect((await delivered(COMUNE_A, '2026-12-31'))[0]!.hourlyTariffCents).toBe(2400);
  });
});
