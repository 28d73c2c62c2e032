import type { EntityManager } from '@mikro-orm/postgresql';

/* The revocation's statements: the application under its row lock, the holder's cards, the write. */

const S = '"public_welfare"';

/** An application as the revocation reads it, under its row lock. */
export interface RevocableApplication {
  id: string;
  campaignId: string;
  comuneId: string;
  status: string;
  applicantFiscalCodeHash: string;
  amountCents: number | null;
  /** Cents its tranches credited to the holder's card, all tranches. */
  creditedCents: number;
  /** Set once REVOKED. */
  revokedReturnedCents: number | null;
  revokedSpentCents: number | null;
  /** When it was revoked (the REVOKED event), once REVOKED. */
  revokedAt: Date | null;
}

/** The application locked `FOR UPDATE` (after the campaign's row), with its credit so far. */
export async function lockApplication(
  em: EntityManager,
  applicationId: string,
): Promise<RevocableApplication | null> {
  const [row] = await em.execute<
    {
      id: string;
      campaign_id: string;
      comune_id: string;
      status: string;
      hash: string;
      amount: string | null;
      credited: string;
      returned: string | null;
      spent: string | null;
      revoked_at: Date | null;
    }[]
  >(
    `select a.id, a.campaign_id, a.comune_id, a.status, a.applicant_fiscal_code_hash as hash,
            a.amount_cents::text as amount, a.revoked_returned_cents::text as returned,
            a.revoked_spent_cents::text as spent,
            (select coalesce(sum(t.credited_cents), 0) from ${S}."application_tranche" t
              where t.application_id = a.id)::text as credited,
            (select max(e.at) from ${S}."case_event" e
              where e.application_id = a.id and e.kind = 'REVOKED') as revoked_at
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
    status: row.status,
    applicantFiscalCodeHash: row.hash,
    amountCents: row.amount === null ? null : Number(row.amount),
    creditedCents: Number(row.credited),
    revokedReturnedCents: row.returned === null ? null : Number(row.returned),
    revokedSpentCents: row.spent === null ? null : Number(row.spent),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
  };
}

/** Every card (live or replaced) the holder had in the Comune: where the campaign's credit went. */
export async function holderCardIds(
  em: EntityManager,
  comuneId: string,
  fiscalCodeHash: string,
): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from ${S}."card" where comune_id = ? and holder_fiscal_code_hash = ? order by id`,
    [comuneId, fiscalCodeHash],
  );
  return rows.map((r) => r.id);
}

/**
 * The application REVOKED with its figures, and its REVOKED case event (the reason as its note,
 * the figures as its changes), in one statement. Returns when it was revoked.
 */
export async function writeRevocation(
  em: EntityManager,
  r: {
    applicationId: string;
    comuneId: string;
    actor: string;
    reason: string;
    returnedCents: number;
    spentCents: number;
  },
): Promise<Date> {
  const [row] = await em.execute<{ at: Date }[]>(
    `with a as (
       update ${S}."application"
          set status = 'REVOKED', revoked_returned_cents = ?, revoked_spent_cents = ?,
              version = version + 1, updated_at = now()
        where id = ? and status = 'APPROVED' returning id
     )
     insert into ${S}."case_event"
       ("application_id", "comune_id", "kind", "actor", "actor_role", "from_status", "to_status",
        "note", "changes")
     select a.id, ?, 'REVOKED', ?, 'OPERATOR', 'APPROVED', 'REVOKED', ?, ?::jsonb from a
     returning "at"`,
    [
      r.returnedCents,
      r.spentCents,
      r.applicationId,
      r.comuneId,
      r.actor,
      r.reason,
      JSON.stringify({
        returnedCents: [null, r.returnedCents],
        spentCents: [null, r.spentCents],
      }),
    ],
  );
  return new Date(row!.at);
}
