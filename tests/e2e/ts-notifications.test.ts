// Issue 18: a waitlisted family receives the message when a seat frees. La Esse's ADMIN plans a
// one-seat lesson of the demo programme (in a room of this file, months ahead, early morning); two
// families of this file (fresh codici fiscali) enrol a pupil each and book it: the first gets the
// seat, the second waits. The first gives the seat up; the second finds "Si è liberato un posto"
// in "I miei messaggi" (the third-sector's outbox, delivered by its dispatcher). Shared platform:
// everything is this file's own (room, lesson, citizens); the demo programme gets one more lesson.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenToken } from '../support/citizen.js';
import { DEMO_ORG, DEMO_PASSWORD, DEMO_TUTORING, demoEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { beneficiaryFiscalCode } from '../support/money.js';
import { openPortal, type Portal } from '../support/portal.js';

const freshFiscalCode = () => beneficiaryFiscalCode(3_000_000 + randomInt(900_000));

const ENROL = `mutation ($input: TutoringEnrolmentInput!) { enrolTutoringPupil(input: $input) { id } }`;
const BOOK = `mutation ($lessonId: ID!, $pupilId: ID!) { bookTutoringLesson(lessonId: $lessonId, pupilId: $pupilId) { id status } }`;
const CANCEL = `mutation ($id: ID!) { cancelTutoringBooking(id: $id) { id status } }`;

describe('third-sector notifications in the portal', () => {
  let portal: Portal;
  let gateway = '';
  let lessonId = '';
  let lessonDay = '';

  beforeAll(async () => {
    portal = await openPortal({ shared: true });
    gateway = portal.platform.urls.gateway;
    const { token } = await login(gateway, demoEmail('COOPERATIVE', 'ADMIN'), DEMO_PASSWORD);
    const room = await gql<{ saveTutoringRoom: { id: string } }>(
      gateway,
      `mutation($input: TutoringRoomInput!) { saveTutoringRoom(input: $input) { id } }`,
      {
        input: {
          providerId: DEMO_ORG.laEsse,
          name: `Aula notifiche ${randomInt(1_000_000)}`,
          address: 'Via delle Prove 2, Balestrate',
          windows: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
            weekday,
            startsAt: '00:00',
            endsAt: '23:59',
          })),
        },
      },
      { token },
    );
    expect(room.errors).toBeUndefined();
    // 60 to 150 days ahead (inside the demo programme), at 06:00 in Rome, 20 minutes.
    const day = new Date(Date.now() + (60 + randomInt(90)) * 86_400_000);
    lessonDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(day);
    const offset = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Rome',
      timeZoneName: 'shortOffset',
    })
      .formatToParts(day)
      .find((p) => p.type === 'timeZoneName')!
      .value.replace('GMT', '');
    const zone = `+0${offset.replace('+', '')}:00`;
    const planned = await gql<{ planTutoringLessons: { id: string }[] }>(
      gateway,
      `mutation($input: TutoringLessonInput!) { planTutoringLessons(input: $input) { id } }`,
      {
        input: {
          programmeId: DEMO_TUTORING.programmeId,
          tutorId: DEMO_TUTORING.tutors[1].id,
          roomId: room.data!.saveTutoringRoom.id,
          startsAt: new Date(`${lessonDay}T06:00:00${zone}`).toISOString(),
          endsAt: new Date(`${lessonDay}T06:20:00${zone}`).toISOString(),
          capacity: 1,
        },
      },
      { token },
    );
    expect(planned.errors).toBeUndefined();
    lessonId = planned.data!.planTutoringLessons[0]!.id;
  });
  afterAll(() => portal?.close());

  /** A family of this file: enrols a pupil and books the lesson; returns the booking. */
  async function familyBooks(token: string, firstName: string) {
    const pupil = await gql<{ enrolTutoringPupil: { id: string } }>(
      gateway,
      ENROL,
      {
        input: {
          programmeId: DEMO_TUTORING.programmeId,
          firstName,
          lastName: 'Prova',
          schoolClass: '2ª media',
        },
      },
      { token },
    );
    expect(pupil.errors).toBeUndefined();
    const booked = await gql<{ bookTutoringLesson: { id: string; status: string } }>(
      gateway,
      BOOK,
      { lessonId, pupilId: pupil.data!.enrolTutoringPupil.id },
      { token },
    );
    expect(booked.errors).toBeUndefined();
    return booked.data!.bookTutoringLesson;
  }

  it('a waitlisted family receives the message when a seat frees', async () => {
    const first = await citizenToken(portal.platform, freshFiscalCode());
    const seated = await familyBooks(first, 'Anna');
    const waiting = await portal.citizenPage(freshFiscalCode());
    const waitlisted = await familyBooks(waiting.token, 'Bruno');
    expect([seated.status, waitlisted.status]).toEqual(['SEATED', 'WAITLISTED']);

    await waiting.page.goto(`${portal.web}/messaggi`);
    await waiting.page.getByTestId('my-service-messages-none').waitFor();

    const cancelled = await gql(gateway, CANCEL, { id: seated.id }, { token: first });
    expect(cancelled.errors).toBeUndefined();
    // Delivered by the dispatcher (a pass every second): reload until it shows.
    const list = waiting.page.getByTestId('my-service-messages');
    for (let i = 0; i < 20 && !(await list.isVisible()); i++) {
      await new Promise((r) => setTimeout(r, 500));
      await waiting.page.goto(`${portal.web}/messaggi`);
    }
    const text = await list.innerText();
    const [y, m, d] = lessonDay.split('-');
    expect(text).toContain('Si è liberato un posto');
    expect(text).toContain(`del ${d}/${m}/${y} alle 06:00`);
    await portal.expectAccessible(waiting.page);
  });
});
