import type { EntityManager } from '@mikro-orm/postgresql';
import type { CardStatus } from './card.enums.js';

/* The card module's statements (the entity's own reads and writes go through MikroORM). */

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

// ---------------------------------------------------------------- issuance

/**
 * The campaign's APPROVED applicants without a live card in the Comune, one application each (the
 * first submitted): its id and the applicant's codice fiscale (key and cipher). Read under the
 * campaign's lock (`lockCampaignForIssuance`), so that an entry withdrawn meanwhile is not picked.
 */
export function holdersWithoutCard(em: EntityManager, campaignId: string) {
  return em.execute<{ id: string; hash: string; cipher: string }[]>(
    `select distinct on (a."applicant_fiscal_code_hash") a."id",
       a."applicant_fiscal_code_hash" as "hash", a."applicant_fiscal_code_cipher" as "cipher"
     from "public_welfare"."application" a
     where a."campaign_id" = ? and a."status" = 'APPROVED'
       and not exists (select 1 from "public_welfare"."card" c
         where c."comune_id" = a."comune_id"
           and c."holder_fiscal_code_hash" = a."applicant_fiscal_code_hash"
           and c."status" <> 'REPLACED')
     order by a."applicant_fiscal_code_hash", a."submitted_at", a."id"`,
    [campaignId],
  );
}

/**
 * The campaign's row locked `for key share` until the transaction ends: a correction of its list,
 * a decision, a ranking or a top-up (which lock it `for update` first) either committed before
 * the issuance reads its candidates or waits for the issuance to commit. Take it before
 * `lockIssuance`, as they take the campaign's row before anything else.
 */
export async function lockCampaignForIssuance(tx: EntityManager, campaignId: string) {
  await tx.execute(`select 1 from "public_welfare"."campaign" where "id" = ? for key share`, [
    campaignId,
  ]);
}

/**
 * The application's holder if it is APPROVED (its codice fiscale, key and cipher), undefined
 * otherwise; call under the campaign's lock (`lockCampaignForIssuance`).
 */
export async function approvedHolder(tx: EntityManager, applicationId: string) {
  const [row] = await tx.execute<{ id: string; hash: string; cipher: string }[]>(
    `select a."id", a."applicant_fiscal_code_hash" as "hash",
       a."applicant_fiscal_code_cipher" as "cipher"
     from "public_welfare"."application" a where a."id" = ? and a."status" = 'APPROVED'`,
    [applicationId],
  );
  return row;
}

/** One issuance per Comune at a time (until the transaction ends). */
export async function lockIssuance(tx: EntityManager, comuneId: string): Promise<void> {
  await tx.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [
    `card-issue:${comuneId}`,
  ]);
}

/** Which of these holders (codice fiscale keys) have a live card in the Comune. */
export async function holdersWithLiveCard(
  tx: EntityManager,
  comuneId: string,
  hashes: readonly string[],
): Promise<Set<string>> {
  const live = await tx.execute<{ hash: string }[]>(
    `select "holder_fiscal_code_hash" as "hash" from "public_welfare"."card"
     where "comune_id" = ? and "holder_fiscal_code_hash" = any(?::text[]) and "status" <> 'REPLACED'`,
    [comuneId, `{${hashes.join(',')}}`],
  );
  return new Set(live.map((r) => r.hash));
}

/** Which of these card numbers are in use. */
export async function numbersInUse(
  em: EntityManager,
  numbers: readonly string[],
): Promise<Set<string>> {
  const used = await em.execute<{ number: string }[]>(
    `select "number" from "public_welfare"."card" where "number" = any(?::text[])`,
    [`{${numbers.join(',')}}`],
  );
  return new Set(used.map((r) => r.number));
}

// ---------------------------------------------------------------- PIN attempts

/** A card's PIN row, read under its row lock. */
export interface PinRow {
  pin_hash: string;
  pin_failures: number;
  status: CardStatus;
}

/**
 * The card's PIN row, locked `for no key update` (which does not hold up payments inserting rows
 * that reference the card) until the transaction ends; undefined when there is no such card.
 */
export async function lockPinRow(tx: EntityManager, cardId: string): Promise<PinRow | undefined> {
  const [row] = await tx.execute<PinRow[]>(
    `select "pin_hash", "pin_failures", "status" from "public_welfare"."card"
     where "id" = ? for no key update`,
    [cardId],
  );
  return row;
}

/** A right PIN: the failures cleared, the PIN's value rewritten when `pinHash` is given. */
export async function clearPinFailures(
  tx: EntityManager,
  cardId: string,
  pinHash: string | null,
): Promise<void> {
  await tx.execute(
    `update "public_welfare"."card" set "pin_failures" = 0,
       "pin_hash" = coalesce(?, "pin_hash"), "updated_at" = now()
     where "id" = ?`,
    [pinHash, cardId],
  );
}

/** The wrong PIN that used the last try: the card BLOCKED (PIN_LOCKED). Returns its Comune. */
export async function lockOutPin(
  tx: EntityManager,
  cardId: string,
  failures: number,
): Promise<string> {
  const rows = await tx.execute<{ comune_id: string }[]>(
    `update "public_welfare"."card" set "pin_failures" = ?, "status" = 'BLOCKED',
       "block_reason" = 'PIN_LOCKED', "blocked_at" = now(), "updated_at" = now()
     where "id" = ? returning "comune_id"`,
    [failures, cardId],
  );
  return rows[0]!.comune_id;
}

/** A wrong PIN, counted. */
export async function countPinFailure(tx: EntityManager, cardId: string, failures: number) {
  await tx.execute(
    `update "public_welfare"."card" set "pin_failures" = ?, "updated_at" = now() where "id" = ?`,
    [failures, cardId],
  );
}
