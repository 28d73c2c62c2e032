import type { EntityManager } from '@mikro-orm/postgresql';
import { Campaign } from '../campaign/campaign.entity.js';
import { Card } from '../card/card.entity.js';

/* The fund module's reads and locks (the book's own tables only through the kit's Book API). */

/**
 * The campaigns of a Comune whose credit can pay for services of `category` on `today` (Italian
 * day): not drafts, spending window open today, the category among their `serviceCategories`.
 * Ending soonest first (the order `Offer.coveredByCampaigns` answers too).
 */
export async function coveringCampaigns(
  em: EntityManager,
  comuneId: string,
  category: string,
  today: string,
): Promise<Campaign[]> {
  const open = await em.find(
    Campaign,
    {
      comuneId,
      status: { $ne: 'DRAFT' },
      spendingFrom: { $lte: today },
      spendingUntil: { $gte: today },
    },
    { orderBy: { spendingUntil: 'asc', id: 'asc' } },
  );
  return open.filter((c) => c.serviceCategories.includes(category));
}

/** The live card (ACTIVE or BLOCKED, not REPLACED) of a holder in a Comune, by fiscal code key. */
export function liveCardOf(
  em: EntityManager,
  comuneId: string,
  fiscalCodeKey: string,
): Promise<Card | null> {
  return em.findOne(Card, {
    comuneId,
    holderFiscalCodeHash: fiscalCodeKey,
    status: { $ne: 'REPLACED' },
  });
}

/** The status of a card, read in the caller's transaction (after `liveCardId` locked its row). */
export async function cardStatus(tx: EntityManager, cardId: string): Promise<string | undefined> {
  const [row] = await tx.execute<{ status: string }[]>(
    `select "status" from "public_welfare"."card" where "id" = ?`,
    [cardId],
  );
  return row?.status;
}
