import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, DEMO_PASSWORD, DEMO_TUTORING, demoEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

/** Identity's demo organisations and the third-sector demo programme (their demo data). */
const LA_ESSE = DEMO_ORG.laEsse;
const PROGRAMME = DEMO_TUTORING.programmeId;

describe('tutoring through the gateway', () => {
  let platform: TestPlatform;
  let gateway: string;
  let origin: string;

  beforeAll(async () => {
    platform = await startTestPlatform();
    gateway = platform.urls.gateway;
    origin = new URL(gateway).origin;
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('the open programmes are public, joined with identity’s organisations', async () => {
    const response = await gql<{
      tutoringProgrammes: {
        id: string;
        title: string;
        comune: { name: string };
        provider: { name: string };
        lessons: { tutorName: string; room: { name: string }; freeSeats: number }[];
      }[];
    }>(
      gateway,
      `{ tutoringProgrammes { id title comune { name } provider { name }
          lessons(upcoming: true) { tutorName room { name } freeSeats } } }`,
    );
    expect(response.errors).toBeUndefined();
    const [programme] = response.data!.tutoringProgrammes;
    expect(programme).toMatchObject({
      id: PROGRAMME,
      title: 'Doposcuola – tutoraggio scolastico',
      comune: { name: 'Comune di Balestrate' },
      provider: { name: 'Cooperativa Sociale La Esse' },
    });
    expect(programme!.lessons).toHaveLength(12);
    expect(new Set(programme!.lessons.map((l) => l.tutorName))).toEqual(
      new Set(['Chiara Romano', 'Davide Lombardo']),
    );
    // The demo family holds one seat of the first Monday lesson.
    expect(programme!.lessons.map((l) => l.freeSeats).sort()).toEqual([
      2,
      ...Array<number>(11).fill(3),
    ]);
  });

  it('the pupils are the provider’s only; another provider sees none and changes nothing', async () => {
    const admin = await login(gateway, demoEmail('COOPERATIVE', 'ADMIN'), DEMO_PASSWORD);
    const tutor = await login(gateway, demoEmail('COOPERATIVE', 'TUTOR'), DEMO_PASSWORD);
    const amici = await login(gateway, demoEmail('ASSOCIATION', 'ADMIN'), DEMO_PASSWORD);
    const lessonsOf = `query($id: ID!) { tutoringProgramme(id: $id) { lessons(upcoming: true) { id bookings { pupil { firstName } } } } }`;
    const forAdmin = await gql<{
      tutoringProgramme: {
        lessons: { id: string; bookings: { pupil: { firstName: string } }[] | null }[];
      };
    }>(gateway, lessonsOf, { id: PROGRAMME }, { token: admin.token });
    const booked = forAdmin.data!.tutoringProgramme.lessons.filter((l) => l.bookings!.length > 0);
    expect(booked.map((l) => l.bookings!.map((b) => b.pupil.firstName))).toEqual([['Luca']]);
    const first = booked[0]!;
    const forTutor = await gql<typeof forAdmin.data>(
      gateway,
      lessonsOf,
      { id: PROGRAMME },
      { token: tutor.token },
    );
    expect(
      forTutor.data!.tutoringProgramme.lessons.find((l) => l.id === first.id)!.bookings,
    ).toHaveLength(1);
    const forOther = await gql<typeof forAdmin.data>(
      gateway,
      lessonsOf,
      { id: PROGRAMME },
      { token: amici.token },
    );
    expect(forOther.data!.tutoringProgramme.lessons.every((l) => l.bookings === null)).toBe(true);

    const cancel = await gql(
      gateway,
      `mutation($id: ID!) { cancelTutoringLesson(id: $id) { id } }`,
      { id: first.id },
      { token: amici.token },
    );
    expect(cancel.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const mine = await gql(
      gateway,
      `query($p: ID!) { providerTutoringProgrammes(providerId: $p) { id } }`,
      { p: LA_ESSE },
      { token: amici.token },
    );
    expect(mine.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('planning outside the room’s availability is refused with the field error, in both languages', async () => {
    const admin = await login(gateway, demoEmail('COOPERATIVE', 'ADMIN'), DEMO_PASSWORD);
    const programme = await gql<{
      tutoringProgramme: {
        tutors: { id: string }[];
        lessons: { roomId: string; startsAt: string }[];
      };
    }>(
      gateway,
      `query($id: ID!) { tutoringProgramme(id: $id) { tutors { id } lessons { roomId startsAt } } }`,
      { id: PROGRAMME },
    );
    const { tutors, lessons } = programme.data!.tutoringProgramme;
    // Six hours after the first lesson's start (21:00 or 22:00 in Rome): both rooms are closed.
    const late = new Date(new Date(lessons[0]!.startsAt).getTime() + 6 * 3_600_000);
    const planned = await gql(
      gateway,
      `mutation($input: TutoringLessonInput!) { planTutoringLessons(input: $input) { id } }`,
      {
        input: {
          programmeId: PROGRAMME,
          tutorId: tutors[1]!.id,
          roomId: lessons[0]!.roomId,
          startsAt: late.toISOString(),
          endsAt: new Date(late.getTime() + 3_600_000).toISOString(),
          capacity: 3,
        },
      },
      { token: admin.token },
    );
    const error = planned.errors?.[0];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    const fields = error?.extensions?.fields as {
      field: string;
      message: { it: string; en: string };
    }[];
    expect(fields.map((f) => f.field)).toEqual(['startsAt']);
    expect(fields[0]!.message.it).toContain('disponibilità della stanza');
    expect(fields[0]!.message.en).toContain('availability');
  });

  it('the hours report downloads as CSV and PDF for the Comune’s staff, 404 for another provider', async () => {
    const operator = await login(gateway, demoEmail('COMUNE', 'OPERATOR'), DEMO_PASSWORD);
    const amici = await login(gateway, demoEmail('ASSOCIATION', 'ADMIN'), DEMO_PASSWORD);
    const csv = await fetch(
      `${origin}/downloads/third-sector/exports/tutoring-report.csv?programmeId=${PROGRAMME}`,
      { headers: { authorization: `Bearer ${operator.token}` } },
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text).toContain('data;inizio;fine;stato;tutor;stanza');
    expect(text.split('\r\n').filter((l) => l.includes('PROGRAMMATA'))).toHaveLength(12);
    const pdf = await fetch(
      `${origin}/downloads/third-sector/exports/tutoring-report.pdf?programmeId=${PROGRAMME}`,
      { headers: { authorization: `Bearer ${operator.token}` } },
    );
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    const refused = await fetch(
      `${origin}/downloads/third-sector/exports/tutoring-report.csv?programmeId=${PROGRAMME}`,
      { headers: { authorization: `Bearer ${amici.token}` } },
    );
    expect(refused.status).toBe(404);
    const anonymous = await fetch(
      `${origin}/downloads/third-sector/exports/tutoring-report.csv?programmeId=${PROGRAMME}`,
    );
    expect(anonymous.status).toBe(401);
    const report = await gql<{ tutoringReport: { budgetMinutes: number } }>(
      gateway,
      `query($p: ID!) { tutoringReport(programmeId: $p) { budgetMinutes } }`,
      { p: PROGRAMME },
      { token: operator.token },
    );
    expect(report.data?.tutoringReport.budgetMinutes).toBe(200 * 60);
  });
});
