import { z } from 'zod';

/*
 * The attendance feed: what ies-circuit asks third-sector (the owner of the tutoring register),
 * service to service (`@welfare/kit/service`), to reward attendances marked PRESENT. The callee
 * answers `ies-circuit` only. No effect.
 *
 * - The seated bookings marked PRESENT, in the order of their last marking (`markedAt`, then the
 *   booking's id), after the caller's cursor, `limit` at most; only markings older than a few
 *   seconds (`ATTENDANCE_FEED_SETTLE_MS`), so that a marking still committing is never passed by
 *   the cursor. A booking marked again (ABSENT, then PRESENT) comes again with its new time: the
 *   caller rewards each booking once (its reward's id is derived from the booking's id).
 * - Each carries the booker (the family, an identity Person) and the Comune funding the programme.
 */

export const ATTENDANCE_FEED_PATHS = {
  /** third-sector. */
  presentAttendances: '/internal/ies/present-attendances',
} as const;

/** The most attendances one page carries. */
export const MAX_ATTENDANCE_PAGE = 200;

/** Markings younger than this are not yet in the feed (their transaction may be committing). */
export const ATTENDANCE_FEED_SETTLE_MS = 5_000;

const uuid = z.string().uuid();

/** Where the caller has read up to: the last attendance it received. */
export const attendanceCursor = z.object({ markedAt: z.string().datetime(), bookingId: uuid });
export type AttendanceCursor = z.infer<typeof attendanceCursor>;

export const presentAttendancesRequest = z.object({
  after: attendanceCursor.nullable(),
  limit: z.number().int().min(1).max(MAX_ATTENDANCE_PAGE),
});
export type PresentAttendancesRequest = z.infer<typeof presentAttendancesRequest>;

export const presentAttendance = z.object({
  bookingId: uuid,
  /** The booker: the family's identity Person. */
  personId: uuid,
  /** The Comune funding the programme. */
  comuneId: uuid,
  programmeTitle: z.string().min(1).max(500),
  /** When it was (last) marked, ISO 8601. */
  markedAt: z.string().datetime(),
});
export type PresentAttendance = z.infer<typeof presentAttendance>;

export const presentAttendancesResponse = z.object({
  attendances: z.array(presentAttendance).max(MAX_ATTENDANCE_PAGE),
});
export type PresentAttendancesResponse = z.infer<typeof presentAttendancesResponse>;
