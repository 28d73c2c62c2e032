import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { isComuneStaff, isProviderAdmin, requirePerson } from '@welfare/kit/access';
import type { TutoringProgramme } from '../tutoring-programme/tutoring-programme.entity.js';
import {
  programmeNotFound,
  type TutoringProgrammeService,
} from '../tutoring-programme/tutoring-programme.service.js';
import { minutesBetween } from '../tutoring-shared/values.js';
import { findReportLessonRows, type ReportLessonRow } from './tutoring-report.repository.js';

/** One lesson line of the hours report. */
export interface ReportLesson {
  lessonId: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
  tutorName: string;
  roomName: string;
  minutes: number;
  seated: number;
  present: number;
  absent: number;
  justified: number;
  unmarked: number;
  held: boolean;
}

export interface ReportTutor {
  tutorId: string;
  tutorName: string;
  lessonsHeld: number;
  minutesDelivered: number;
}

/** The hours report of a programme for its funder. */
export interface TutoringReport {
  programme: TutoringProgramme;
  lessonsPlanned: number;
  lessonsHeld: number;
  tutorMinutesDelivered: number;
  pupilMinutesPresent: number;
  pupilMinutesAbsent: number;
  pupilMinutesJustified: number;
  budgetMinutes: number;
  plannedMinutes: number;
  usedMinutes: number;
  remainingMinutes: number;
  tutors: ReportTutor[];
  lessons: ReportLesson[];
}

/** A lesson's line: minutes, seats and attendance; held when planned with a pupil PRESENT. */
function reportLesson(r: ReportLessonRow): ReportLesson {
  const startsAt = new Date(r.starts_at);
  const endsAt = new Date(r.ends_at);
  const present = Number(r.present);
  const absent = Number(r.absent);
  const justified = Number(r.justified);
  const seated = Number(r.seated);
  return {
    lessonId: r.id,
    startsAt,
    endsAt,
    status: r.status,
    tutorName: r.tutor_name,
    roomName: r.room_name,
    minutes: minutesBetween(startsAt, endsAt),
    seated,
    present,
    absent,
    justified,
    unmarked: Math.max(0, seated - present - absent - justified),
    held: r.status === 'PLANNED' && present > 0,
  };
}

/** The report's totals over the lessons, and the per-tutor lines (every tutor with a lesson). */
function summarise(
  programme: TutoringProgramme,
  rows: ReportLessonRow[],
  lessons: ReportLesson[],
): TutoringReport {
  const tutors = new Map<string, ReportTutor>();
  for (const r of rows) {
    if (!tutors.has(r.tutor_id)) {
      tutors.set(r.tutor_id, {
        tutorId: r.tutor_id,
        tutorName: r.tutor_name,
        lessonsHeld: 0,
        minutesDelivered: 0,
      });
    }
  }
  let held = 0;
  let delivered = 0;
  let present = 0;
  let absent = 0;
  let justified = 0;
  lessons.forEach((l, i) => {
    if (l.status !== 'PLANNED') return;
    present += l.present * l.minutes;
    absent += l.absent * l.minutes;
    justified += l.justified * l.minutes;
    if (!l.held) return;
    held += 1;
    delivered += l.minutes;
    const tutor = tutors.get(rows[i]!.tutor_id)!;
    tutor.lessonsHeld += 1;
    tutor.minutesDelivered += l.minutes;
  });
  return {
    programme,
    lessonsPlanned: lessons.filter((l) => l.status === 'PLANNED').length,
    lessonsHeld: held,
    tutorMinutesDelivered: delivered,
    pupilMinutesPresent: present,
    pupilMinutesAbsent: absent,
    pupilMinutesJustified: justified,
    budgetMinutes: programme.budgetMinutes,
    plannedMinutes: programme.plannedMinutes,
    usedMinutes: delivered,
    remainingMinutes: programme.budgetMinutes - programme.plannedMinutes,
    tutors: [...tutors.values()].sort((a, b) => a.tutorName.localeCompare(b.tutorName, 'it')),
    lessons,
  };
}

/** The hours report of a programme, for its funder and its provider. */
export class TutoringReportService {
  constructor(private readonly programmes: TutoringProgrammeService) {}

  /**
   * The hours report of a programme, for the funding Comune's staff and the provider's ADMIN
   * (NOT_FOUND for anyone else). A lesson is held when at least one pupil is PRESENT: its minutes
   * count as tutor time delivered (budget used); pupil-minutes are counted per attendance.
   */
  async report(em: EntityManager, caller: Caller, programmeId: string): Promise<TutoringReport> {
    requirePerson(caller);
    const programme = await this.programmes.get(em, programmeId);
    if (
      !programme ||
      !(isComuneStaff(caller, programme.comuneId) || isProviderAdmin(caller, programme.providerId))
    ) {
      throw programmeNotFound();
    }
    const rows = await findReportLessonRows(em, programme.id);
    return summarise(programme, rows, rows.map(reportLesson));
  }
}
