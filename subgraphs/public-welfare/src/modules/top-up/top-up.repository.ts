import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@welfare/kit/book';
import type { Application } from '../application/application.entity.js';

/* The top-up's statements: the applications, their live cards and their tranche rows. */

/** What a top-up needs of an APPROVED application. */
export type TopUpApplicant = Pick<
  Application,
  'id' | 'comuneId' | 'applicantFiscalCodeHash' | 'amountCents'
>;

/** A tranche row of this call: what it credited an application, and the book transfer. */
export interface TrancheRow {
  applicationId: string;
  cents: number;
  transferId: string | null;
}

/** The key of a holder's live card: one per Comune and codice fiscale (a partial unique index). */
export function cardKey(comuneId: string, fiscalCodeHash: string): string {
  return `${comuneId}\u0000${fiscalCodeHash}`;
}

/**
 * The campaign's APPROVED applications with an amount (`only`: that one), read under the
 * campaign's lock. Plain rows, not entities: nothing for the transaction's flush to inspect.
 */
export async function approvedApplications(
  em: EntityManager,
  campaignId: string,
  only: string | null,
): Promise<TopUpApplicant[]> {
  const rows = await em.execute<
    { id: string; comune_id: string; hash: string; amount_cents: string }[]
  >(
    `select id, comune_id, applicant_fiscal_code_hash as hash, amount_cents::text as amount_cents
       from "public_welfare"."application"
      where campaign_id = ? and status = 'APPROVED' and amount_cents > 0
        and (?::uuid is null or id = ?::uuid)
      order by id`,
    [campaignId, only, only],
  );
  return rows.map((r) => ({
    id: r.id,
    comuneId: r.comune_id,
    applicantFiscalCodeHash: r.hash,
    amountCents: Number(r.amount_cents),
  }));
}

/** A card row as `liveCards` reads it, under its row lock: the version committed last. */
interface LockedCard {
  id: string;
  comune_id: string;
  hash: string;
  status: string;
  replaced_by: string | null;
}

/**
 * The live (not REPLACED) card of each applicant: card ids by `cardKey`. The cards are locked FOR
 * KEY SHARE (id order) until the top-up commits, so none of them can be replaced before its credit
 * lands (`replace` locks a card FOR UPDATE; PIN checks are not blocked).
 *
 * The follow-the-successor rule of `liveCardId`, for many holders at once: the first read takes
 * the cards live in its snapshot and locks them; a card replaced while this waited for its lock
 * comes back REPLACED (a locked row is the version committed last), and its successor
 * (`replaced_by`, committed by then) is locked by the next read, and so on down the chain until
 * every holder's card is live. The status is not a condition of the locking read: PostgreSQL
 * re-checks the conditions of a row updated while it waited and drops the row when they fail, so a
 * card replaced twice while the top-up waited used to vanish with its successor, and the tranche
 * silently credited nothing (counted `withoutCard`). One query per replacement met, at most.
 */
export async function liveCards(
  em: EntityManager,
  apps: readonly TopUpApplicant[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (apps.length === 0) return found;
  // The snapshot's live cards (materialised: not re-checked), then their rows locked.
  let rows = await em.execute<LockedCard[]>(
    `with live as materialized (
       select c.id
         from unnest(?::uuid[], ?::text[]) as k(comune_id, hash)
         join "public_welfare"."card" c
           on c.comune_id = k.comune_id and c.holder_fiscal_code_hash = k.hash
        where c.status <> 'REPLACED')
     select c.id, c.comune_id, c.holder_fiscal_code_hash as hash, c.status, c.replaced_by
       from live join "public_welfare"."card" c on c.id = live.id
      order by c.id
      for key share of c`,
    [
      arrayLiteral(apps.map((a) => a.comuneId)),
      arrayLiteral(apps.map((a) => a.applicantFiscalCodeHash)),
    ],
  );
  for (let hops = 0; hops < 1000; hops++) {
    const successors: string[] = [];
    for (const r of rows) {
      if (r.status !== 'REPLACED') found.set(cardKey(r.comune_id, r.hash), r.id);
      else if (r.replaced_by) successors.push(r.replaced_by);
    }
    if (successors.length === 0) return found;
    rows = await em.execute<LockedCard[]>(
      `select c.id, c.comune_id, c.holder_fiscal_code_hash as hash, c.status, c.replaced_by
         from "public_welfare"."card" c
        where c.id = any(?::uuid[])
        order by c.id
        for key share of c`,
      [arrayLiteral(successors)],
    );
  }
  throw new Error('top-up: card replacement chain too long');
}

/** What an application received so far, from its tranche rows. */
export interface Received {
  /** Cents credited by every tranche. */
  total: number;
  /** The percents of every tranche (at most 100 counts). */
  percent: number;
  /** Whether the tranche asked for is among them. */
  tranche: boolean;
}

/**
 * Every application's tranches so far (credited cents, percents) and whether tranche `number` is
 * among them, in one query (by application id).
 */
export async function receivedTranches(
  em: EntityManager,
  apps: readonly TopUpApplicant[],
  number: number,
): Promise<Map<string, Received>> {
  if (apps.length === 0) return new Map();
  const rows = await em.execute<
    { application_id: string; total: string; percent: string; tranche: boolean }[]
  >(
    `select t.application_id, sum(t.credited_cents)::text as total, sum(t.percent)::text as percent,
            bool_or(t.number = ?) as tranche
       from "public_welfare"."application_tranche" t
      where t.application_id = any(?::uuid[])
      group by t.application_id`,
    [number, arrayLiteral(apps.map((a) => a.id))],
  );
  return new Map(
    rows.map((r) => [
      r.application_id,
      { total: Number(r.total), percent: Number(r.percent), tranche: r.tranche },
    ]),
  );
}

/** The tranche rows of this call, in one INSERT (the primary key refuses a tranche twice). */
export async function recordTranches(
  em: EntityManager,
  campaignId: string,
  t: { number: number; percent: number },
  tranches: readonly TrancheRow[],
): Promise<void> {
  if (tranches.length === 0) return;
  await em.execute(
    `insert into "public_welfare"."application_tranche"
       (application_id, number, campaign_id, percent, credited_cents, transfer_id)
     select x.application_id, ?, ?, ?, x.cents, x.transfer_id
       from unnest(?::uuid[], ?::bigint[], ?::uuid[]) as x(application_id, cents, transfer_id)`,
    [
      t.number,
      campaignId,
      t.percent,
      arrayLiteral(tranches.map((x) => x.applicationId)),
      arrayLiteral(tranches.map((x) => x.cents)),
      arrayLiteral(tranches.map((x) => x.transferId)),
    ],
  );
}
