import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '@welfare/kit/access';
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
