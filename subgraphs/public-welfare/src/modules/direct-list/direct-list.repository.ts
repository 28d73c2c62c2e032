import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@welfare/kit/book';

/* The statements of a direct list: who is already in the campaign, and the new beneficiaries. */

const S = '"public_welfare"';

/** A live application of the campaign for one of the list's codici fiscali. */
interface Existing {
  hash: string;
  origin: 'PORTAL' | 'DIRECT_LIST';
  amountCents: number;
  protocolNumber: string | null;
}

/** The campaign's applications (not withdrawn) of these codice fiscale hashes. */
export async function existingApplications(
  em: EntityManager,
  campaignId: string,
  hashes: readonly string[],
): Promise<Map<string, Existing>> {
  const rows = await em.execute<
    { hash: string; origin: Existing['origin']; amount: string | null; protocol: string | null }[]
  >(
    `select applicant_fiscal_code_hash as hash, origin, amount_cents::text as amount,
            protocol_number as protocol
       from ${S}."application"
      where campaign_id = ? and status <> 'WITHDRAWN'
        and applicant_fiscal_code_hash = any(?::text[])`,
    [campaignId, arrayLiteral(hashes)],
  );
  return new Map(
    rows.map((r) => [
      r.hash,
      {
        hash: r.hash,
        origin: r.origin,
        amountCents: Number(r.amount ?? 0),
        protocolNumber: r.protocol,
      },
    ]),
  );
}

/** A beneficiary to insert. */
interface NewBeneficiary {
  hash: string;
  cipher: string;
  amountCents: number;
  reason: string;
}

/**
 * Inserts the beneficiaries as APPROVED DIRECT_LIST applications in one statement: protocol
 * numbers taken from the Comune's counter for the year (n at once, in the list's order), the
 * reason as the decision's, an APPROVED entry on each case's timeline with the reason.
 */
export async function insertBeneficiaries(
  em: EntityManager,
  b: {
    campaignId: string;
    comuneId: string;
    year: number;
    personId: string;
    actor: string;
    rows: readonly NewBeneficiary[];
  },
): Promise<number> {
  if (b.rows.length === 0) return 0;
  const [row] = await em.execute<{ n: string }[]>(
    `with c as (
       insert into ${S}."protocol_counter" ("comune_id", "year", "last") values (?, ?, ?)
       on conflict ("comune_id", "year") do update set "last" = "protocol_counter"."last" + excluded."last"
       returning "last"
     ), l as (
       select k.*, (c."last" - ? + k.ord)::bigint as "n"
         from c, unnest(?::text[], ?::text[], ?::bigint[], ?::text[]) with ordinality
              as k("hash", "cipher", "amount", "reason", "ord")
     ), a as (
       insert into ${S}."application"
         ("id", "campaign_id", "comune_id", "status", "origin", "applicant_fiscal_code_hash",
          "applicant_fiscal_code_cipher", "created_by", "answers", "checks", "protocol_number",
          "submitted_at", "amount_cents", "decision_reason", "decided_at", "decided_by")
       select gen_random_uuid(), ?, ?, 'APPROVED', 'DIRECT_LIST', l."hash", l."cipher", ?,
              '{"email":null,"phone":null,"notes":null,"acceptedDeclarations":[]}'::jsonb, '[]'::jsonb,
              ?::text || '/' || lpad(l."n"::text, greatest(6, length(l."n"::text)), '0'),
              now(), l."amount", l."reason", now(), ?
         from l order by l.ord
       returning "id", "comune_id", "decision_reason"
     ), e as (
       insert into ${S}."case_event"
         ("application_id", "comune_id", "kind", "actor", "actor_role", "from_status", "to_status", "note")
       select a."id", a."comune_id", 'APPROVED', ?, 'OPERATOR', null, 'APPROVED', a."decision_reason"
         from a
     )
     select count(*)::text as n from a`,
    [
      b.comuneId,
      b.year,
      b.rows.length,
      b.rows.length,
      arrayLiteral(b.rows.map((r) => r.hash)),
      arrayLiteral(b.rows.map((r) => r.cipher)),
      arrayLiteral(b.rows.map((r) => String(r.amountCents))),
      arrayLiteral(b.rows.map((r) => r.reason)),
      b.campaignId,
      b.comuneId,
      b.personId,
      String(b.year),
      b.personId,
      b.actor,
    ],
  );
  return Number(row?.n ?? 0);
}

/** One beneficiary of a campaign's list, as the staff read it (the codice fiscale encrypted). */
export interface ListedBeneficiary {
  applicationId: string;
  fiscalCodeCipher: string;
  amountCents: number;
  reason: string;
  protocolNumber: string;
  /** True when the beneficiary holds a live (not replaced) card of the Comune. */
  cardIssued: boolean;
  /** Cents credited to the entitlement so far (its tranches). */
  creditedCents: number;
}

/**
 * A page of the campaign's list beneficiaries (DIRECT_LIST applications not withdrawn), by
 * protocol number, with whether each holds a live card of the Comune and what the tranches
 * credited; and how many there are in all.
 */
export async function listBeneficiaries(
  em: EntityManager,
  campaignId: string,
  offset: number,
  limit: number,
): Promise<{ totalCount: number; nodes: ListedBeneficiary[] }> {
  const [count] = await em.execute<{ n: string }[]>(
    `select count(*)::text as n from ${S}."application"
      where campaign_id = ? and origin = 'DIRECT_LIST' and status <> 'WITHDRAWN'`,
    [campaignId],
  );
  const rows = await em.execute<
    {
      id: string;
      cipher: string;
      amount: string;
      reason: string;
      protocol: string;
      card: boolean;
      credited: string;
    }[]
  >(
    `select a.id, a.applicant_fiscal_code_cipher as cipher, a.amount_cents::text as amount,
            a.decision_reason as reason, a.protocol_number as protocol,
            exists (select 1 from ${S}."card" c
                     where c.comune_id = a.comune_id
                       and c.holder_fiscal_code_hash = a.applicant_fiscal_code_hash
                       and c.status <> 'REPLACED') as card,
            (select coalesce(sum(t.credited_cents), 0) from ${S}."application_tranche" t
              where t.application_id = a.id)::text as credited
       from ${S}."application" a
      where a.campaign_id = ? and a.origin = 'DIRECT_LIST' and a.status <> 'WITHDRAWN'
      order by a.protocol_number, a.id
      offset ? limit ?`,
    [campaignId, offset, limit],
  );
  return {
    totalCount: Number(count?.n ?? 0),
    nodes: rows.map((r) => ({
      applicationId: r.id,
      fiscalCodeCipher: r.cipher,
      amountCents: Number(r.amount),
      reason: r.reason,
      protocolNumber: r.protocol,
      cardIssued: r.card,
      creditedCents: Number(r.credited),
    })),
  };
}

/** A list entry as a correction reads it, its row locked until the transaction ends. */
interface LockedEntry {
  id: string;
  campaignId: string;
  comuneId: string;
  origin: 'PORTAL' | 'DIRECT_LIST';
  status: string;
  amountCents: number;
  /** Cents credited to the entitlement by its tranches (0: no credit given yet). */
  creditedCents: number;
  /** True when the holder's live (not replaced) card was issued for this entry. */
  cardIssuedForEntry: boolean;
}

/**
 * The application, locked FOR UPDATE, with what its tranches credited and whether the holder's
 * live card was issued for it. Call under the campaign's row lock: top-ups take it first, so the
 * tranches read here are all those committed.
 */
export async function lockEntry(
  em: EntityManager,
  applicationId: string,
): Promise<LockedEntry | null> {
  const [row] = await em.execute<
    {
      id: string;
      campaign_id: string;
      comune_id: string;
      origin: LockedEntry['origin'];
      status: string;
      amount: string | null;
      credited: string;
      card: boolean;
    }[]
  >(
    `select a.id, a.campaign_id, a.comune_id, a.origin, a.status, a.amount_cents::text as amount,
            (select coalesce(sum(t.credited_cents), 0) from ${S}."application_tranche" t
              where t.application_id = a.id)::text as credited,
            exists (select 1 from ${S}."card" c
                     where c.comune_id = a.comune_id
                       and c.holder_fiscal_code_hash = a.applicant_fiscal_code_hash
                       and c.status <> 'REPLACED' and c.application_id = a.id) as card
       from ${S}."application" a
      where a.id = ?
      for update of a`,
    [applicationId],
  );
  if (!row) return null;
  return {
    id: row.id,
    campaignId: row.campaign_id,
    comuneId: row.comune_id,
    origin: row.origin,
    status: row.status,
    amountCents: Number(row.amount ?? 0),
    creditedCents: Number(row.credited),
    cardIssuedForEntry: row.card,
  };
}

/**
 * Writes a correction of a list entry: its new amount, or WITHDRAWN (the amount kept as it was),
 * and its case event (AMOUNT_CORRECTED with `changes.amountCents`, or WITHDRAWN), the reason as
 * the event's note.
 */
export async function writeCorrection(
  em: EntityManager,
  c: {
    applicationId: string;
    comuneId: string;
    actor: string;
    before: number;
    after: number | null;
    reason: string;
  },
): Promise<void> {
  if (c.after === null) {
    await em.execute(
      `with a as (
         update ${S}."application" set status = 'WITHDRAWN', version = version + 1,
                updated_at = now()
          where id = ? returning id
       )
       insert into ${S}."case_event"
         ("application_id", "comune_id", "kind", "actor", "actor_role", "from_status", "to_status", "note")
       select a.id, ?, 'WITHDRAWN', ?, 'OPERATOR', 'APPROVED', 'WITHDRAWN', ? from a`,
      [c.applicationId, c.comuneId, c.actor, c.reason],
    );
    return;
  }
  await em.execute(
    `with a as (
       update ${S}."application" set amount_cents = ?, version = version + 1, updated_at = now()
        where id = ? returning id
     )
     insert into ${S}."case_event"
       ("application_id", "comune_id", "kind", "actor", "actor_role", "note", "changes")
     select a.id, ?, 'AMOUNT_CORRECTED', ?, 'OPERATOR', ?, ?::jsonb from a`,
    [
      c.after,
      c.applicationId,
      c.comuneId,
      c.actor,
      c.reason,
      JSON.stringify({ amountCents: [c.before, c.after] }),
    ],
  );
}
