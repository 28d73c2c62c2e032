import type { EntityManager } from '@mikro-orm/postgresql';
import type { OfferCategoryValue, OfferPriceKindValue } from '../offer/offer.enums.js';
import { AccreditationTariff } from './accreditation-tariff.entity.js';

/** A Comune's tariffs, by category and kind of price. */
export function findTariffs(em: EntityManager, comuneId: string): Promise<AccreditationTariff[]> {
  return em.find(
    AccreditationTariff,
    { comuneId },
    { orderBy: { category: 'asc', priceKind: 'asc' } },
  );
}

/** The Comune's tariff for a category and kind of price (null when none). */
export function findTariff(
  em: EntityManager,
  comuneId: string,
  category: OfferCategoryValue,
  priceKind: OfferPriceKindValue,
): Promise<AccreditationTariff | null> {
  if (priceKind === 'FREE') return Promise.resolve(null);
  return em.findOne(AccreditationTariff, { comuneId, category, priceKind });
}

/** The ids of the Comune's offers (any status but DRAFT) priced above their tariff, newest first. */
export async function findOfferIdsAboveTariff(
  em: EntityManager,
  comuneId: string,
): Promise<string[]> {
  const rows = await em.getConnection().execute<{ id: string }[]>(
    `select o.id from "third_sector"."offer" o
       join "third_sector"."accreditation_tariff" t
         on t.comune_id = o.comune_id and t.category = o.category and t.price_kind = o.price_kind
      where o.comune_id = ? and o.status <> 'DRAFT' and o.price_cents > t.max_price_cents
      order by o.created_at desc, o.id`,
    [comuneId],
  );
  return rows.map((r) => r.id);
}
