import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '@welfare/kit/access';
import { OfferPlace } from './offer-place.entity.js';
import { OfferScheduleSlot } from './offer-schedule-slot.entity.js';
import { Offer } from './offer.entity.js';
import type { OfferStatusValue } from './offer.enums.js';

/** An offer with its places and schedule (what the API returns). */
export type OfferRecord = Offer & { places: OfferPlace[]; schedule: OfferScheduleSlot[] };

/** An offer by id (null for a malformed id). */
export async function findOffer(em: EntityManager, id: string): Promise<Offer | null> {
  return isUuid(id) ? em.findOne(Offer, { id }) : null;
}

/** The last day (`YYYY-MM-DD`) of the tutoring programme an offer lists, or null. */
export async function findProgrammeEndsOn(
  em: EntityManager,
  programmeId: string,
): Promise<string | null> {
  const [row] = await em
    .getConnection()
    .execute<{ ends_on: string }[]>(
      `select "ends_on"::text as "ends_on" from "third_sector"."tutoring_programme" where "id" = ?`,
      [programmeId],
    );
  return row?.ends_on ?? null;
}

/**
 * The offer under its row lock (null for a malformed id or when missing); `refresh` reads it
 * afresh even when the entity manager holds it already.
 */
export async function lockOffer(
  tx: EntityManager,
  id: string,
  refresh = false,
): Promise<Offer | null> {
  if (!isUuid(id)) return null;
  return tx.findOne(
    Offer,
    { id },
    { lockMode: LockMode.PESSIMISTIC_WRITE, ...(refresh ? { refresh: true } : {}) },
  );
}

/** A provider's offers, of some statuses (all when null), newest first. */
export function findOffersOfProvider(
  em: EntityManager,
  providerId: string,
  statuses: OfferStatusValue[] | null,
): Promise<Offer[]> {
  const where = statuses ? { providerId, status: { $in: statuses } } : { providerId };
  return em.find(Offer, where, { orderBy: { createdAt: 'desc', id: 'asc' } });
}

/** The offers addressed to a Comune's catalogue, of some statuses, newest first. */
export function findOffersOfComune(
  em: EntityManager,
  comuneId: string,
  statuses: OfferStatusValue[],
): Promise<Offer[]> {
  return em.find(
    Offer,
    { comuneId, status: { $in: statuses } },
    { orderBy: { createdAt: 'desc', id: 'asc' } },
  );
}

/** Offers by id, in the order of `ids` (missing ones skipped). */
export async function findOffersInOrder(em: EntityManager, ids: string[]): Promise<Offer[]> {
  const rows = await em.find(Offer, { id: { $in: ids } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is Offer => !!r);
}

/** Loads places and schedule of the offers (two queries). */
export async function withChildren(em: EntityManager, rows: Offer[]): Promise<OfferRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [places, slots] = await Promise.all([
    em.find(OfferPlace, { offerId: { $in: ids } }, { orderBy: { position: 'asc' } }),
    em.find(
      OfferScheduleSlot,
      { offerId: { $in: ids } },
      { orderBy: { weekday: 'asc', startTime: 'asc', endTime: 'asc' } },
    ),
  ]);
  return rows.map((row) =>
    Object.assign(row, {
      places: places.filter((p) => p.offerId === row.id),
      schedule: slots.filter((s) => s.offerId === row.id),
    }),
  );
}

/** Deletes an offer's places and schedule (an edit replaces them). */
export async function deleteChildren(tx: EntityManager, offerId: string): Promise<void> {
  await tx.nativeDelete(OfferPlace, { offerId });
  await tx.nativeDelete(OfferScheduleSlot, { offerId });
}
