import { randomUUID } from 'node:crypto';
import type { PersonCaller } from '@welfare/kit';
import type { ExecutionResult } from 'graphql';
import { expect } from 'vitest';
import type { Suite } from './helpers.js';

/** Makes the provider effectively accredited by the Comune (a direct row, as a decision leaves). */
export async function accreditProvider(suite: Suite, providerId: string, comuneId: string) {
  await suite.sql(
    `insert into third_sector.accreditation_request
       (id, provider_id, comune_id, status, submitted_at, decision_reason, decided_at, decided_by, valid_until, created_by)
     values (?, ?, ?, 'ACCREDITED', now(), 'Requisiti verificati', now(), ?, '2099-12-31'::date, ?)`,
    [randomUUID(), providerId, comuneId, randomUUID(), randomUUID()],
  );
}

/** A citizen (a person with a codice fiscale and no membership): a family. */
export function family(): PersonCaller {
  return {
    kind: 'person',
    personId: randomUUID(),
    sessionId: randomUUID(),
    platformAdmin: false,
    memberships: [],
    fiscalCode: 'RSSMRA80A01H501U',
  };
}

export function ok<T>(result: ExecutionResult, key: string): T {
  expect(result.errors).toBeUndefined();
  return (result.data as Record<string, T>)[key]!;
}

/** The field messages of the first error. */
export function fieldMessages(
  result: ExecutionResult,
): { field: string; it: string; en: string }[] {
  const original = result.errors?.[0]?.originalError as
    { fields?: { field: string; message: { it: string; en: string } }[] } | undefined;
  return (original?.fields ?? []).map((f) => ({ field: f.field, ...f.message }));
}

export const CREATE_PROGRAMME = `mutation ($input: TutoringProgrammeInput!) {
  createTutoringProgramme(input: $input) { id status budgetMinutes plannedMinutes groupSizeLimit cancellationNoticeHours }
}`;
export const ASSIGN_TUTOR = `mutation ($programmeId: ID!, $personId: ID!, $name: String!) {
  assignTutoringTutor(programmeId: $programmeId, personId: $personId, displayName: $name) { id personId displayName }
}`;
export const SAVE_ROOM = `mutation ($input: TutoringRoomInput!) {
  saveTutoringRoom(input: $input) { id name windows { weekday startsAt endsAt } }
}`;
export const PLAN = `mutation ($input: TutoringLessonInput!) {
  planTutoringLessons(input: $input) { id startsAt endsAt capacity seatsTaken status seriesId }
}`;
export const CANCEL_LESSON = `mutation ($id: ID!) { cancelTutoringLesson(id: $id) { id status seatsTaken } }`;
export const ENROL = `mutation ($input: TutoringEnrolmentInput!) {
  enrolTutoringPupil(input: $input) { id firstName }
}`;
export const BOOK = `mutation ($lessonId: ID!, $pupilId: ID!) {
  bookTutoringLesson(lessonId: $lessonId, pupilId: $pupilId) { id status waitlistPosition }
}`;
export const CANCEL_BOOKING = `mutation ($id: ID!) { cancelTutoringBooking(id: $id) { id status } }`;
export const MARK = `mutation ($lessonId: ID!, $marks: [TutoringAttendanceInput!]!) {
  markTutoringAttendance(lessonId: $lessonId, marks: $marks) { id attendance }
}`;
export const LESSON = `query ($id: ID!) {
  tutoringLesson(id: $id) { id seatsTaken freeSeats waitlisted canMarkAttendance
    bookings { id status waitlistPosition attendance pupil { firstName } } }
}`;
export const MY_BOOKINGS = `query { myTutoringBookings { booking { id status waitlistPosition } lesson { id } cancellable tutorName } }`;
export const REPORT = `query ($programmeId: ID!) {
  tutoringReport(programmeId: $programmeId) {
    lessonsPlanned lessonsHeld tutorMinutesDelivered pupilMinutesPresent pupilMinutesAbsent
    pupilMinutesJustified budgetMinutes plannedMinutes usedMinutes remainingMinutes
    tutors { tutorName lessonsHeld minutesDelivered }
  }
}`;
