import type { EntityManager } from '@mikro-orm/postgresql';
import type { PersonCaller } from '@welfare/kit';
import { TutoringProgramme } from '../modules/tutoring-programme/tutoring-programme.entity.js';
import { TutoringRoom, TutoringRoomWindow } from '../modules/tutoring-room/tutoring-room.entity.js';
import { TutoringTutor } from '../modules/tutoring-tutor/tutoring-tutor.entity.js';
import { addDays, romeDay } from '@welfare/kit/dates';
import type { Services } from '../services.js';
import { DEMO_TUTORING } from './facts.js';

/** The instant of a Rome wall-clock time (`HH:MM`) on a day, daylight saving included. */
export function romeInstant(day: string, time: string): Date {
  for (const offset of [1, 2]) {
    const candidate = new Date(`${day}T${time}:00+0${offset}:00`);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Rome',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(candidate);
    if (local === time && romeDay(candidate) === day) return candidate;
  }
  return new Date(`${day}T${time}:00+01:00`);
}

/** The first day after `today` (yyyy-mm-dd) falling on an ISO weekday. */
function nextWeekday(today: string, weekday: number): string {
  for (let i = 1; i <= 7; i += 1) {
    const day = addDays(today, i);
    const iso = ((new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
    if (iso === weekday) return day;
  }
  return addDays(today, 7);
}

/**
 * The demo tutoring programme, idempotently: "Doposcuola – tutoraggio scolastico" funded by the
 * demo Comune, run by La Esse (accredited), 200 hours, two tutors, two rooms with availability,
 * six weeks of lessons on Mondays (library) and Wednesdays (youth centre) from next week, and
 * the demo family (Mario Rossi) with a pupil enrolled and booked. Nothing happens when the
 * programme exists already.
 */
export async function loadDemoTutoring(
  em: EntityManager,
  services: Services,
  comuneId: string,
  providerId: string,
  managerId: string,
  admin: PersonCaller,
): Promise<void> {
  if (await em.fork().count(TutoringProgramme, { id: DEMO_TUTORING.programmeId })) return;
  const today = romeDay(new Date());
  await seedProgramme(em, { comuneId, providerId, managerId }, today);
  const mondays = await planWeekly(em, services, admin, 0, nextWeekday(today, 1), '15:00', '16:30');
  await planWeekly(em, services, admin, 1, nextWeekday(today, 3), '16:00', '17:30');
  await enrolAndBook(em, services, mondays[0]!.id);
}

/**
 * The programme (from two weeks ago, for six months), its two tutors, and the two rooms with
 * their windows (unless they exist), in one transaction: written directly, as the Comune and the
 * provider would have set them up.
 */
async function seedProgramme(
  em: EntityManager,
  owners: { comuneId: string; providerId: string; managerId: string },
  today: string,
): Promise<void> {
  const d = DEMO_TUTORING;
  const { providerId } = owners;
  await em.fork().transactional(async (tx) => {
    tx.create(TutoringProgramme, {
      id: d.programmeId,
      comuneId: owners.comuneId,
      providerId,
      title: 'Doposcuola – tutoraggio scolastico',
      description:
        'Aiuto compiti e sostegno allo studio per alunni delle scuole primarie e medie, in piccoli gruppi (fino a 3 alunni) con tutor qualificati. Finanziato dal Comune: gratuito per le famiglie.',
      startsOn: addDays(today, -14),
      endsOn: addDays(today, 180),
      budgetMinutes: d.budgetMinutes,
      createdBy: owners.managerId,
    });
    await tx.flush();
    for (const t of d.tutors) {
      tx.create(TutoringTutor, {
        id: t.id,
        programmeId: d.programmeId,
        providerId,
        personId: t.personId,
        displayName: t.name,
      });
    }
    for (const r of d.rooms) {
      const existing = await tx.count(TutoringRoom, { id: r.id });
      if (!existing)
        tx.create(TutoringRoom, { id: r.id, providerId, name: r.name, address: r.address });
    }
    await tx.flush();
    for (const r of d.rooms) {
      if (await tx.count(TutoringRoomWindow, { roomId: r.id })) continue;
      for (const w of r.windows) tx.create(TutoringRoomWindow, { roomId: r.id, ...w });
    }
    await tx.flush();
  });
}

/** The weekly series of the demo's tutor and room number `which`, through the lesson service. */
function planWeekly(
  em: EntityManager,
  services: Services,
  admin: PersonCaller,
  which: 0 | 1,
  day: string,
  from: string,
  to: string,
) {
  const d = DEMO_TUTORING;
  return services.tutoring.lessons.plan(em.fork(), admin, {
    programmeId: d.programmeId,
    tutorId: d.tutors[which].id,
    roomId: d.rooms[which].id,
    startsAt: romeInstant(day, from),
    endsAt: romeInstant(day, to),
    capacity: 3,
    weeks: d.weeks,
  });
}

/** The demo family enrols its pupil and books the lesson, through the services. */
async function enrolAndBook(em: EntityManager, services: Services, lessonId: string) {
  const d = DEMO_TUTORING;
  const family: PersonCaller = {
    kind: 'person',
    personId: d.family.personId,
    sessionId: 'demo',
    platformAdmin: false,
    memberships: [],
    fiscalCode: d.family.fiscalCode,
  };
  const pupil = await services.tutoring.enrolments.enrol(em.fork(), family, {
    programmeId: d.programmeId,
    firstName: 'Luca',
    lastName: 'Rossi',
    schoolClass: '2ª media',
  });
  await services.tutoring.bookings.book(em.fork(), family, lessonId, pupil.id);
}
