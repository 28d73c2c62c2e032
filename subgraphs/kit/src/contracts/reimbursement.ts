import { z } from 'zod';

/*
 * The reimbursement contracts: what public-welfare asks, service to service
 * (`@welfare/kit/service`), when a Comune's reimbursement batch pays third-sector providers. The
 * callees answer `public-welfare` only.
 *
 * - Payees (identity, the owner of organisations): the name and IBAN of provider organisations,
 *   by id. An organisation without an IBAN answers `iban: null` (its line is held back); an
 *   unknown id is left out. No effect.
 * - Delivered lessons (third-sector, the owner of the attendance register): the tutoring lessons
 *   held (PLANNED, at least one pupil marked PRESENT) of the programmes a Comune funds, ended by
 *   the end of `upTo` (an Italian day), with each programme's hourly tariff. No effect: which
 *   lessons were already paid is public-welfare's record (one row per lesson, a primary key), so
 *   a lesson whose attendance is marked after a statement comes in the next one.
 */

/** The paths of the reimbursement operations, under their owners' base URLs. */
export const REIMBURSEMENT_PATHS = {
  /** identity. */
  payees: '/internal/reimbursement/payees',
  /** third-sector. */
  deliveredLessons: '/internal/reimbursement/delivered-lessons',
} as const;

const uuid = z.string().uuid();
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Most organisations asked at once. */
export const MAX_PAYEES_PER_CALL = 500;
/** Most lessons answered at once (the oldest first; the rest come in the next batch). */
export const MAX_DELIVERED_LESSONS = 5_000;

export const payeesRequest = z.object({
  organisationIds: z.array(uuid).min(1).max(MAX_PAYEES_PER_CALL),
});
export type PayeesRequest = z.infer<typeof payeesRequest>;

export const payee = z.object({
  organisationId: uuid,
  name: z.string().min(1).max(500),
  /** Electronic format; null when the organisation has none. */
  iban: z.string().min(15).max(34).nullable(),
});
export type Payee = z.infer<typeof payee>;

export const payeesResponse = z.object({ payees: z.array(payee) });
export type PayeesResponse = z.infer<typeof payeesResponse>;

export const deliveredLessonsRequest = z.object({ comuneId: uuid, upTo: isoDay });
export type DeliveredLessonsRequest = z.infer<typeof deliveredLessonsRequest>;

export const deliveredLesson = z.object({
  lessonId: uuid,
  programmeId: uuid,
  programmeTitle: z.string().min(1).max(500),
  /** The provider organisation running the programme. */
  providerId: uuid,
  /** The lesson's day in Italy. */
  day: isoDay,
  /** The lesson's length (tutor time delivered), in minutes. */
  minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  /** The programme's tariff per hour of tutor time, in euro cents; null when it has none yet. */
  hourlyTariffCents: z.number().int().min(1).nullable(),
});
export type DeliveredLesson = z.infer<typeof deliveredLesson>;

export const deliveredLessonsResponse = z.object({ lessons: z.array(deliveredLesson) });
export type DeliveredLessonsResponse = z.infer<typeof deliveredLessonsResponse>;
