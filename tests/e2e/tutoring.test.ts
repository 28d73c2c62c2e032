import type { Page } from 'playwright-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CITIZEN,
  DEMO_COMUNE_ID,
  DEMO_ORG,
  DEMO_PASSWORD,
  DEMO_TUTORING,
  demoEmail,
} from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import type { TestPlatform } from '../support/platform.js';
import { openPortal, type Portal } from '../support/portal.js';

/** Identity's demo Comune and La Esse; the third-sector demo programme and its first tutor. */
const COMUNE = DEMO_COMUNE_ID;
const LA_ESSE = DEMO_ORG.laEsse;
const PROGRAMME = DEMO_TUTORING.programmeId;
const CHIARA = DEMO_TUTORING.tutors[0].id;

/** Rome's ISO weekday (1 Monday … 7 Sunday) and `yyyy-mm-dd` of an instant. */
function romeWeekday(at: Date): number {
  const name = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Rome',
    weekday: 'short',
  }).format(at);
  return ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(name) + 1;
}
function romeDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(at);
}

describe('tutoring in the portal', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let web: string;
  let db: pg.Client;
  /** A 30-minute lesson planned for a minute or two after the test begins, and its id. */
  let startsAt: Date;
  let lessonId = '';

  beforeAll(async () => {
    portal = await openPortal();
    ({ platform, web } = portal);
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    // La Esse's ADMIN (through the gateway) opens a room all day, every day, and plans a 30-minute
    // lesson for Chiara starting within two minutes (later, when that would cross midnight in
    // Rome): the family books it; then the test moves it to have begun a minute ago (the clock
    // of a lesson, not what the portal does), and the tutor marks attendance.
    const gateway = platform.urls.gateway;
    const { token } = await login(gateway, demoEmail('COOPERATIVE', 'ADMIN'), DEMO_PASSWORD);
    const now = new Date();
    const room = await gql<{ saveTutoringRoom: { id: string } }>(
      gateway,
      `mutation($input: TutoringRoomInput!) { saveTutoringRoom(input: $input) { id } }`,
      {
        input: {
          providerId: LA_ESSE,
          name: 'Aula prove',
          address: 'Via delle Prove 1, Balestrate',
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
    startsAt = new Date(Math.ceil((now.getTime() + 90_000) / 60_000) * 60_000);
    if (romeDay(startsAt) !== romeDay(new Date(startsAt.getTime() + 31 * 60_000))) {
      startsAt = new Date(startsAt.getTime() + 40 * 60_000); // after midnight: the next day
    }
    const planned = await gql<{ planTutoringLessons: { id: string }[] }>(
      gateway,
      `mutation($input: TutoringLessonInput!) { planTutoringLessons(input: $input) { id } }`,
      {
        input: {
          programmeId: PROGRAMME,
          tutorId: CHIARA,
          roomId: room.data!.saveTutoringRoom.id,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 30 * 60_000).toISOString(),
          capacity: 3,
        },
      },
      { token },
    );
    expect(
      planned.errors,
      `planning at ${startsAt.toISOString()} (${romeDay(now)})`,
    ).toBeUndefined();
    lessonId = planned.data!.planTutoringLessons[0]!.id;
  });
  afterAll(async () => {
    await db?.end().catch(() => undefined);
    await portal?.close();
  });

  const expectAccessible = (page: Page) => portal.expectAccessible(page);
  const citizenPage = async (fiscalCode: string) => (await portal.citizenPage(fiscalCode)).page;
  const staffPage = (email: string) => portal.staffPage(email);

  /** Moves the lesson (and its bookings) so that it began a minute ago. */
  async function lessonHasBegun(): Promise<void> {
    const shift = `${startsAt.getTime() - (Date.now() - 60_000)} milliseconds`;
    await db.query('begin');
    for (const table of ['tutoring_lesson', 'tutoring_booking']) {
      await db.query(
        `update third_sector.${table} set starts_at = starts_at - $2::interval,
           ends_at = ends_at - $2::interval where ${table === 'tutoring_lesson' ? 'id' : 'lesson_id'} = $1`,
        [lessonId, shift],
      );
    }
    await db.query('commit');
  }

  it('a family books a lesson, the tutor marks attendance, the report counts the hour', async () => {
    // The family (Mario Rossi, with Luca enrolled by the demo data) books today's lesson.
    const family = await citizenPage(DEMO_CITIZEN.fiscalCode);
    await family.goto(`${web}/tutoraggio`);
    await family.getByTestId('open-programmes').waitFor();
    await expectAccessible(family);
    await family.getByTestId('open-programme-link').first().click();
    await family.waitForURL(`${web}/tutoraggio/${PROGRAMME}`);
    await expectAccessible(family);
    const lesson = family.getByTestId('upcoming-lesson').first();
    await expect(lesson.getByTestId('lesson-seats').textContent()).resolves.toContain(
      'Posti liberi: 3 su 3',
    );
    await lesson.getByRole('button', { name: /^Prenota la lezione/ }).click();
    await family.getByTestId('tutoring-notice').waitFor();
    await expect(family.getByTestId('tutoring-notice').textContent()).resolves.toContain(
      'hai un posto',
    );

    // My bookings: today's lesson first, with a seat; the other page is linked.
    await family.goto(`${web}/prenotazioni`);
    await family.getByTestId('link-service-bookings').waitFor();
    const row = family.getByTestId('my-lesson-row').first();
    await expect(row.getAttribute('data-status')).resolves.toBe('SEATED');
    await expect(row.getByTestId('my-lesson-status').textContent()).resolves.toContain(
      'Posto confermato',
    );
    await expectAccessible(family);
    const ics = await family.request.get(`${web}/prenotazioni/lezioni.ics`);
    expect(ics.status()).toBe(200);
    expect(ics.headers()['content-type']).toContain('text/calendar');
    const calendar = await ics.text();
    expect(calendar).toContain('BEGIN:VCALENDAR');
    expect(calendar.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(calendar).toContain(
      `DTSTART:${startsAt.toISOString().replace(/[-:]/g, '').replace('.000', '')}`,
    );

    // Unhappy path: within the 24-hour notice the seat cannot be given up; nothing changes.
    await row.getByTestId('cancel-booking').click();
    await family.getByTestId('error-summary').waitFor();
    await expect(family.getByTestId('error-summary').textContent()).resolves.toContain(
      'preavviso è di 24 ore',
    );
    await expect(
      family.getByTestId('my-lesson-row').first().getAttribute('data-status'),
    ).resolves.toBe('SEATED');

    // The tutor opens the register from the provider area once the lesson has started.
    const tutor = await staffPage(demoEmail('COOPERATIVE', 'TUTOR'));
    await tutor.goto(`${web}/ente`);
    await tutor.getByTestId('nav-ente-tutoraggio').click();
    await tutor.waitForURL(`${web}/ente/${LA_ESSE}/tutoraggio`);
    await expectAccessible(tutor);
    await tutor.getByTestId('my-lesson-link').first().click();
    await tutor.waitForURL(new RegExp(`/lezioni/`));
    await lessonHasBegun();
    await tutor.reload();
    await tutor.getByTestId('register-form').waitFor();
    // Bootstrap Italia draws the radio on its label: the label is what a person clicks.
    await tutor
      .getByRole('group', { name: /Luca Rossi/ })
      .getByText('Presente', { exact: true })
      .click();
    await expectAccessible(tutor);
    await tutor.getByRole('button', { name: 'Salva le presenze' }).click();
    await tutor.getByTestId('register-saved').waitFor();
    await expect(
      tutor
        .getByRole('group', { name: /Luca Rossi/ })
        .getByLabel('Presente')
        .isChecked(),
    ).resolves.toBe(true);

    // The Comune's report counts the lesson held and its half hour; the CSV says so too.
    const operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'));
    await operator.goto(`${web}/comune/${COMUNE}/tutoraggio`);
    await operator.getByTestId('tutoring-programmes').waitFor();
    await expectAccessible(operator);
    await operator.getByRole('link', { name: /Rendiconto del programma/ }).click();
    await operator.waitForURL(`${web}/comune/${COMUNE}/tutoraggio/${PROGRAMME}`);
    await expect(operator.getByTestId('report-held').textContent()).resolves.toMatch(/1 su 13/);
    await expect(operator.getByTestId('report-used').textContent()).resolves.toBe('0,5');
    await expectAccessible(operator);
    const href = await operator.getByTestId('report-csv').getAttribute('href');
    const csv = await operator.request.get(`${web}${href}`);
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).split('\r\n');
    const held = lines.filter((l) => l.includes(';SI;'));
    expect(held).toHaveLength(1);
    expect(held[0]).toContain('Chiara Romano;Aula prove;30;1;1;0;0;SI;0,5');
  }, 240_000);

  it('planning a lesson outside the room’s availability shows the field error', async () => {
    const admin = await staffPage(demoEmail('COOPERATIVE', 'ADMIN'));
    await admin.goto(`${web}/ente/${LA_ESSE}/tutoraggio/${PROGRAMME}`);
    await admin.getByTestId('plan-form').waitFor();
    await expectAccessible(admin);
    // A Sunday in two weeks: the library is open Monday to Friday.
    const sunday = new Date(Date.now() + 14 * 86_400_000);
    while (romeWeekday(sunday) !== 7) sunday.setTime(sunday.getTime() + 86_400_000);
    await admin.locator('#tl-tutor').selectOption({ label: 'Davide Lombardo' });
    await admin.locator('#tl-room').selectOption({ label: 'Biblioteca comunale – Sala studio' });
    await admin.getByLabel(/Data della \(prima\) lezione/).fill(romeDay(sunday));
    await admin.getByLabel(/Ora di inizio/).fill('15:00');
    await admin.getByLabel(/Ora di fine/).fill('16:00');
    await admin.getByRole('button', { name: 'Programma', exact: true }).click();
    await admin.getByTestId('error-summary').waitFor();
    await expect(admin.locator('#tl-start').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(admin.locator('#tl-start-error').textContent()).resolves.toContain(
      'disponibilità della stanza',
    );
    await expectAccessible(admin);
  });
});
