import type { EntityManager } from '@mikro-orm/postgresql';

/* The card module's statements on the `card` table (the entity's reads go through MikroORM). */

/**
 * The follow-the-successor rule for card accounts: the card that holds a replaced card's credit
 * now. From `cardId`, follows `replaced_by` while the card is REPLACED, locking each card row FOR
 * KEY SHARE on the way, so that the returned card cannot be replaced before the caller's transaction
 * ends (`replace` locks it FOR UPDATE): credit written to it in this transaction is never left
 * behind on a dead card. Run inside a transaction. Returns the live card's id (ACTIVE or BLOCKED).
 */
export async function liveCardId(em: EntityManager, cardId: string): Promise<string> {
  let id = cardId;
  for (let hops = 0; hops < 1000; hops++) {
    const [row] = await em.execute<{ status: string; replaced_by: string | null }[]>(
      `select status, replaced_by from "public_welfare"."card" where id = ? for key share`,
      [id],
    );
    if (!row) throw new Error(`card ${id} not found`);
    if (row.status !== 'REPLACED' || !row.replaced_by) return id;
    id = row.replaced_by;
  }
  throw new Error(`card ${cardId}: replacement chain too long`);
}

/**
 * The last 4 digits of the numbers of these cards, by card id (one query; only the last 4 digits
 * leave the database). A card that does not exist is missing from the map.
 */
export async function cardLast4ByIds(
  em: EntityManager,
  cardIds: readonly string[],
): Promise<Map<string, string>> {
  const rows = await em.execute<{ id: string; last4: string }[]>(
    `select "id", right("number", 4) as "last4" from "public_welfare"."card"
      where "id" = any(string_to_array(?, ',')::uuid[])`,
    [cardIds.join(',')],
  );
  return new Map(rows.map((r) => [r.id, r.last4]));
}
