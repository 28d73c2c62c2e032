import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller, type PersonCaller } from '@welfare/kit';
import { isProviderAdmin, requirePerson } from '@welfare/kit/access';
import type { TutoringBooking } from '../tutoring-booking/tutoring-booking.entity.js';
import { ATTENDANCES, type Attendance } from '../tutoring-booking/tutoring-booking.enums.js';
import { findSeatedBookings } from '../tutoring-booking/tutoring-booking.repository.js';
import type { TutoringLesson } from '../tutoring-lesson/tutoring-lesson.entity.js';
import { findLesson, lockLesson } from '../tutoring-lesson/tutoring-lesson.repository.js';
import { lessonNotFound } from '../tutoring-lesson/tutoring-lesson.service.js';
import { canSeeProvider, isProviderTutor } from '../tutoring-shared/access.js';

export interface AttendanceMark {
  bookingId: string;
  attendance: Attendance;
}

/** True when the person may fill in the lesson's register: its tutor, or the provider's ADMIN. */
function mayMark(person: PersonCaller, lesson: TutoringLesson): boolean {
  return (
    isProviderAdmin(person, lesson.providerId) ||
    (isProviderTutor(person, lesson.providerId) && lesson.tutorPersonId === person.personId)
  );
}

/** One error per mark naming no seated booking (or one named twice) or no valid attendance. */
function validateMarks(
  marks: AttendanceMark[],
  seated: Map<string, TutoringBooking>,
  errors: FieldErrors,
): void {
  const seen = new Set<string>();
  marks.forEach((mark, i) => {
    if (!seated.has(mark.bookingId) || seen.has(mark.bookingId)) {
      errors.add(
        `marks.${i}.bookingId`,
        'Alunno senza posto in questa lezione.',
        'Not a seated pupil of this lesson.',
      );
    }
    seen.add(mark.bookingId);
    if (!(ATTENDANCES as readonly string[]).includes(mark.attendance)) {
      errors.add(`marks.${i}.attendance`, 'Presenza non valida.', 'Invalid attendance.');
    }
  });
}

/** The attendance register of a lesson's seated pupils. */
export class TutoringAttendanceService {
  constructor(private readonly now: () => Date = () => new Date()) {}

  /**
   * The attendance register: the lesson's tutor (a TUTOR of the provider) or the provider's
   * ADMIN marks seated pupils PRESENT, ABSENT or JUSTIFIED, from the lesson's start on (editable
   * afterwards). FORBIDDEN for another tutor of the provider; NOT_FOUND for anyone else.
   */
  async mark(
    em: EntityManager,
    caller: Caller,
    lessonId: string,
    marks: AttendanceMark[],
  ): Promise<TutoringBooking[]> {
    const person = requirePerson(caller);
    const lesson = await findLesson(em, lessonId);
    if (!lesson || !canSeeProvider(person, lesson.providerId)) throw lessonNotFound();
    if (!mayMark(person, lesson)) {
      throw DomainError.forbidden({
        it: 'Solo il tutor della lezione può compilare il registro.',
        en: 'Only the lesson’s tutor can fill in the register.',
      });
    }
    if (lesson.status !== 'PLANNED') {
      throw DomainError.conflict({ it: 'La lezione è annullata.', en: 'The lesson is cancelled.' });
    }
    if (this.now().getTime() < lesson.startsAt.getTime()) {
      throw DomainError.conflict({
        it: 'Le presenze si registrano dall’inizio della lezione.',
        en: 'Attendance is taken from the start of the lesson.',
      });
    }
    const errors = new FieldErrors();
    if (marks.length === 0 || marks.length > 10) {
      errors.add('marks', 'Indicare le presenze.', 'Give the attendance.');
    }
    return em.fork().transactional(async (tx) => {
      await lockLesson(tx, lesson.id);
      const seated = new Map((await findSeatedBookings(tx, lesson.id)).map((b) => [b.id, b]));
      validateMarks(marks, seated, errors);
      errors.throwIfAny();
      const at = this.now();
      for (const mark of marks) {
        const booking = seated.get(mark.bookingId)!;
        booking.attendance = mark.attendance;
        booking.attendanceMarkedBy = person.personId;
        booking.attendanceMarkedAt = at;
      }
      await tx.flush();
      return [...seated.values()];
    });
  }

  /** True when the caller may fill in the lesson's register (its tutor, or the provider's ADMIN). */
  canMark(caller: Caller, lesson: TutoringLesson): boolean {
    if (caller.kind !== 'person') return false;
    return mayMark(caller, lesson);
  }
}
