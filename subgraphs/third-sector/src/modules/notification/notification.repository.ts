import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@welfare/kit/book';
import type { NotificationLanguage } from './notification.templates.js';

/* The notifications' statements: each person's language, what a tutoring event tells whom, and
   the messages a recipient reads. The outbox's own writes are the kit's (`enqueueMessage`). */

const S = '"third_sector"';

/** The languages of these people that were chosen (people absent: none chosen). */
export async function languagesOf(
  em: EntityManager,
  personIds: readonly string[],
): Promise<Map<string, NotificationLanguage>> {
  if (personIds.length === 0) return new Map();
  const rows = await em.execute<{ person_id: string; language: NotificationLanguage }[]>(
    `select "person_id", "language" from ${S}."notification_language" where "person_id" = any(?::uuid[])`,
    [arrayLiteral(personIds)],
  );
  return new Map(rows.map((r) => [r.person_id, r.language]));
}

/** Records a person's language (the last choice wins). */
export async function saveLanguage(
  em: EntityManager,
  personId: string,
  language: NotificationLanguage,
): Promise<void> {
  await em.execute(
    `insert into ${S}."notification_language" ("person_id", "language") values (?, ?)
       on conflict ("person_id") do update set "language" = excluded."language", "updated_at" = now()`,
    [personId, language],
  );
}

/** A tutoring booking with what its notification shows and to whom. */
export interface TutoringBookingFacts {
  booking_id: string;
  family_id: string;
  comune_id: string;
  programme_title: string;
  starts_at: Date;
}

const TUTORING_FACTS = `select b."id" as "booking_id", b."family_id", p."comune_id", p."title" as "programme_title", b."starts_at"
  from ${S}."tutoring_booking" b join ${S}."tutoring_programme" p on p."id" = b."programme_id"`;

/** One tutoring booking's facts. */
export async function tutoringBookingFacts(
  em: EntityManager,
  bookingId: string,
): Promise<TutoringBookingFacts | null> {
  const [row] = await em.execute<TutoringBookingFacts[]>(`${TUTORING_FACTS} where b."id" = ?`, [
    bookingId,
  ]);
  return row ? { ...row, starts_at: new Date(row.starts_at) } : null;
}

/** The lesson's bookings that hold a seat or wait for one (before the lesson is cancelled). */
export async function activeBookingsOfLesson(
  em: EntityManager,
  lessonId: string,
): Promise<TutoringBookingFacts[]> {
  const rows = await em.execute<TutoringBookingFacts[]>(
    `${TUTORING_FACTS} where b."lesson_id" = ? and b."status" in ('SEATED', 'WAITLISTED') order by b."id"`,
    [lessonId],
  );
  return rows.map((r) => ({ ...r, starts_at: new Date(r.starts_at) }));
}

/** A delivered portal message, as its recipient reads it. */
export interface PortalMessageRow {
  id: string;
  template: string;
  language: NotificationLanguage;
  subject: string;
  body: string;
  created_at: Date;
}

/** Up to `limit` delivered PORTAL messages of a recipient key, newest first. */
export async function portalMessages(
  em: EntityManager,
  recipient: string,
  limit: number,
): Promise<PortalMessageRow[]> {
  const rows = await em.execute<PortalMessageRow[]>(
    `select "id", "template", "language", "subject", "body", "created_at" from ${S}."message"
      where "channel" = 'PORTAL' and "recipient" = ? and "status" = 'SENT'
      order by "created_at" desc, "id" desc limit ?`,
    [recipient, limit],
  );
  return rows.map((r) => ({ ...r, created_at: new Date(r.created_at) }));
}

/** The provider's admin who created the offer (whose language the provider's messages use). */
export async function offerAuthor(em: EntityManager, offerId: string): Promise<string | null> {
  const [row] = await em.execute<{ created_by: string }[]>(
    `select "created_by" from ${S}."offer" where "id" = ?`,
    [offerId],
  );
  return row?.created_by ?? null;
}
