import { DomainError } from '@welfare/kit';
import { constraintOf, sqlState } from '../shared/db-errors.js';

export const TUTOR_BUSY = {
  it: 'Il tutor ha già una lezione in quell’orario.',
  en: 'The tutor already has a lesson at that time.',
} as const;
export const ROOM_BUSY = {
  it: 'La stanza è già occupata in quell’orario.',
  en: 'The room is already taken at that time.',
} as const;
export const PUPIL_BUSY = {
  it: 'L’alunno ha già un posto in una lezione nello stesso orario.',
  en: 'The pupil already holds a seat in a lesson at the same time.',
} as const;

/** Maps an exclusion violation of the tutoring tables to its field error (or rethrows). */
export function overlapError(err: unknown): never {
  if (sqlState(err) === '23P01') {
    const name = constraintOf(err);
    if (name === 'tutoring_lesson_tutor_overlap') {
      throw DomainError.badInput([{ field: 'tutorId', message: TUTOR_BUSY }]);
    }
    if (name === 'tutoring_lesson_room_overlap') {
      throw DomainError.badInput([{ field: 'roomId', message: ROOM_BUSY }]);
    }
    if (name === 'tutoring_booking_pupil_overlap') {
      throw DomainError.badInput([{ field: 'pupilId', message: PUPIL_BUSY }]);
    }
  }
  throw err;
}
