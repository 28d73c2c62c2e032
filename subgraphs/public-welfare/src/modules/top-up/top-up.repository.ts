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

/**
 * The live (not REPLACED) card of each applicant: card ids by `cardKey`. The cards are locked FOR
 * KEY SHARE (id order) until the top-up commits, so none of them can be replaced before its credit
 * lands (`replace` locks a card FOR UPDATE; PIN checks are not blocked). A card replaced while this
 * waited for its lock drops out of the first read, and its successor, committed by then, is found
 * by the next one: a few reads at most, each one query.
 */
export async function liveCards(
  em: EntityManager,
  apps: readonly TopUpApplicant[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let missing = new Map<string, TopUpApplicant>();
  for (const app of apps) missing.set(cardKey(app.comuneId, app.applicantFiscalCodeHash), app);
  for (let round = 0; round < 5 && missing.size > 0; round++) {
    const holders = [...missing.values()];
    const rows = await em.execute<{ id: string; comune_id: string; hash: string }[]>(
      `select c.id, c.comune_id, c.holder_fiscal_code_hash as hash
         from unnest(?::uuid[], ?::text[]) as k(comune_id, hash)
         join "public_welfare"."card" c
           on c.comune_id = k.comune_id and c.holder_fiscal_code_hash = k.hash
        where c.status <> 'REPLACED'
        order by c.id
        for key share of c`,
      [
        arrayLiteral(holders.map((a) => a.comuneId)),
        arrayLiteral(holders.map((a) => a.applicantFiscalCodeHash)),
      ],
    );
    // Nothing new after the first read: the holders left have no live card.
    if (rows.length === 0 && round > 0) break;
    const next = new Map(missing);
    for (const r of rows) {
      const key = cardKey(r.comune_id, r.hash);
      found.set(key, r.id);
      next.delete(key);
    }
    // A round that found every holder ends the search; otherwise the holders left may have had
    // their card replaced under us (or have none): one more read tells.
    missing = next;
  }
  return found;
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
