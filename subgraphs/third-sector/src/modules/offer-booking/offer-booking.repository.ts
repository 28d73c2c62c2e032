import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '@welfare/kit/access';
import { arrayLiteral } from '@welfare/kit/book';
import { OfferBooking } from './offer-booking.entity.js';
import { ACTIVE_BOOKING_STATUSES, type OfferBookingStatusValue } from './offer-booking.enums.js';

/** A citizen's bookings, latest day first. */
export function findBookingsOfCitizen(
  em: EntityManager,
  citizenPersonId: string,
): Promise<OfferBooking[]> {
  return em.find(
    OfferBooking,
    { citizenPersonId },
    { orderBy: { serviceDate: 'desc', createdAt: 'desc' } },
  );
}

/** The bookings of a provider's offers, of some statuses (all when empty), by day. */
export function findBookingsOfProvider(
  em: EntityManager,
  providerId: string,
  statuses: OfferBookingStatusValue[],
): Promise<OfferBooking[]> {
  return em.find(
    OfferBooking,
    statuses.length ? { providerId, status: { $in: statuses } } : { providerId },
    { orderBy: { serviceDate: 'asc', createdAt: 'asc' } },
  );
}

/** A booking by id (null for a malformed id). */
export async function findBooking(em: EntityManager, id: string): Promise<OfferBooking | null> {
  return isUuid(id) ? em.findOne(OfferBooking, { id }) : null;
}

/** A booking under its row lock (null for a malformed id or when missing). */
export async function lockBooking(tx: EntityManager, id: string): Promise<OfferBooking | null> {
  return isUuid(id)
    ? tx.findOne(OfferBooking, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE })
    : null;
}

/** The citizen's booking made with an idempotency key, if any. */
export function findByIdempotencyKey(
  em: EntityManager,
  citizenPersonId: string,
  idempotencyKey: string,
): Promise<OfferBooking | null> {
  return em.findOne(OfferBooking, { citizenPersonId, idempotencyKey });
}

/** The active (REQUESTED, CONFIRMED) bookings of an offer on a day: who holds them. */
export function findActiveBookingsOfDay(
  tx: EntityManager,
  offerId: string,
  serviceDate: string,
): Promise<Pick<OfferBooking, 'id' | 'citizenPersonId'>[]> {
  return tx.find(
    OfferBooking,
    { offerId, serviceDate, status: { $in: [...ACTIVE_BOOKING_STATUSES] } },
    { fields: ['id', 'citizenPersonId'] },
  );
}

/** Where lapsed bookings are looked for: one offer's day, or everywhere (at most `limit`). */
export type LapseScope = { offerId: string; serviceDate: string } | { limit: number };

const OVERDUE = `"status" in ('REQUESTED', 'CONFIRMED') and "pay_by" <= ?
  and ("payment_status" = 'PAYMENT_DUE'
       or ("payment_status" = 'PAYMENT_IN_PROGRESS' and "checkout_until" <= ?))`;

/**
 * Lapses the active bookings whose time to pay has passed at `now`: PAYMENT_DUE ones, and
 * PAYMENT_IN_PROGRESS ones whose checkout's own limit has passed too. They become EXPIRED and
 * UNPAID, which frees their places. One conditional UPDATE: PostgreSQL re-checks the condition on
 * each row after its lock, so a booking a checkout began or completed meanwhile is left alone.
 * Over one offer's day it waits for locked rows; everywhere (the lapse job) it skips them (the
 * next pass takes them). Answers the ids.
 */
export async function lapseOverdue(
  em: EntityManager,
  now: Date,
  scope: LapseScope,
): Promise<string[]> {
  const table = '"third_sector"."offer_booking"';
  const set = `set "status" = 'EXPIRED', "payment_status" = 'UNPAID', "checkout_id" = null,
    "checkout_until" = null, "updated_at" = ?`;
  const rows =
    'offerId' in scope
      ? await em.execute<{ id: string }[]>(
          `update ${table} ${set} where ${OVERDUE} and "offer_id" = ? and "service_date" = ? returning "id"`,
          [now, now, now, scope.offerId, scope.serviceDate],
        )
      : await em.execute<{ id: string }[]>(
          `update ${table} ${set} where "id" in (
             select "id" from ${table} where ${OVERDUE}
              limit ${Math.max(1, Math.floor(scope.limit))} for update skip locked)
           and ${OVERDUE} returning "id"`,
          [now, now, now, now, now],
        );
  return rows.map((r) => r.id);
}

/**
 * How many places the active bookings of an offer take on each of `days` at `now`: REQUESTED and
 * CONFIRMED ones, less those whose time to pay has passed (they lapse at the next booking).
 */
export async function countPlacesTaken(
  em: EntityManager,
  offerId: string,
  days: string[],
  now: Date,
): Promise<Map<string, number>> {
  if (days.length === 0) return new Map();
  const rows = await em.execute<{ day: string; taken: string | number }[]>(
    `select to_char("service_date", 'YYYY-MM-DD') as "day", count(*) as "taken"
       from "third_sector"."offer_booking"
      where "offer_id" = ? and "service_date" = any(?::date[])
        and "status" in ('REQUESTED', 'CONFIRMED') and not (${OVERDUE})
      group by "service_date"`,
    [offerId, arrayLiteral(days), now, now],
  );
  return new Map(rows.map((r) => [r.day, Number(r.taken)]));
}
