import type { EntityManager } from '@mikro-orm/postgresql';
import type { Localized } from '@welfare/kit';
import { arrayLiteral } from '@welfare/kit/book';
import type { ReconciliationCheck, ReconciliationTrigger } from './reconciliation.enums.js';

/*
 * The reconciliation's statements: the domain's side of each check (campaigns, applications and
 * their tranches, cards, payments, shops, batches) and the stored runs. The book's side is read
 * through the kit's `Book`.
 */

const S = '"public_welfare"';

/** One thing that does not add up. */
export interface ReconciliationProblem {
  check: ReconciliationCheck;
  /** What it is about: `campaign:<id>`, `application:<id>`, `card:<id>`, `payment:<id>`, `batch:<id>`. */
  subject: string;
  /** The figure the rule expects, in cents (null when the rule is not about an amount). */
  expectedCents: number | null;
  /** The figure found, in cents. */
  actualCents: number | null;
  message: Localized;
}

/** A run of the reconciliation for one Comune. */
export interface ReconciliationReport {
  id: string | null;
  comuneId: string;
  ranAt: Date;
  trigger: ReconciliationTrigger | null;
  ok: boolean;
  problems: ReconciliationProblem[];
}

/** At most this many problems are kept per run (all are counted). */
const MAX_PROBLEMS = 200;

interface ReportRow {
  id: string;
  comune_id: string;
  ran_at: Date;
  trigger: ReconciliationTrigger;
  ok: boolean;
  problems: ReconciliationProblem[];
}

const REPORT_COLUMNS = `id, comune_id, ran_at, trigger, ok, problems`;

function toReport(r: ReportRow): ReconciliationReport {
  return {
    id: r.id,
    comuneId: r.comune_id,
    ranAt: new Date(r.ran_at),
    trigger: r.trigger,
    ok: r.ok,
    problems: r.problems,
  };
}

// ------------------------------------------------------------------ the stored runs

/** Stores a run (its first `MAX_PROBLEMS` problems, all of them counted), on its own connection. */
export async function insertRun(em: EntityManager, run: ReconciliationReport & { id: string }) {
  await em
    .fork()
    .getConnection()
    .execute(
      `insert into ${S}."money_reconciliation" (id, comune_id, ran_at, trigger, ok, problem_count, problems)
       values (?, ?, ?, ?, ?, ?, ?::jsonb)`,
      [
        run.id,
        run.comuneId,
        run.ranAt.toISOString(),
        run.trigger,
        run.ok,
        run.problems.length,
        JSON.stringify(run.problems.slice(0, MAX_PROBLEMS)),
      ],
    );
}

/** The Comuni with money to check: those with a campaign that is not a draft. */
export async function comuniWithMoney(em: EntityManager): Promise<string[]> {
  const rows = await em.execute<{ comune_id: string }[]>(
    `select distinct comune_id from ${S}."campaign" where status <> 'DRAFT' order by comune_id`,
  );
  return rows.map((r) => r.comune_id);
}

/** The Comune's latest run, or null. */
export async function latestRun(
  em: EntityManager,
  comuneId: string,
): Promise<ReconciliationReport | null> {
  const [row] = await em.execute<ReportRow[]>(
    `select ${REPORT_COLUMNS} from ${S}."money_reconciliation" where comune_id = ?
      order by ran_at desc, id limit 1`,
    [comuneId],
  );
  return row ? toReport(row) : null;
}

/** The latest run of every Comune whose latest run failed, the newest first (500 at most). */
export async function failedLatestRuns(em: EntityManager): Promise<ReconciliationReport[]> {
  const rows = await em.execute<ReportRow[]>(
    `select ${REPORT_COLUMNS} from (
       select distinct on (comune_id) * from ${S}."money_reconciliation"
        order by comune_id, ran_at desc, id) r
      where not r.ok order by r.ran_at desc limit 500`,
  );
  return rows.map(toReport);
}

// ------------------------------------------------------------------ campaigns and applications

/** The Comune's campaigns (`published`: those that are not drafts), by id. */
export async function comuneCampaignIds(
  tx: EntityManager,
  comuneId: string,
  published: boolean,
): Promise<string[]> {
  const rows = published
    ? await tx.execute<{ id: string }[]>(
        `select id from ${S}."campaign" where comune_id = ? and status <> 'DRAFT' order by id`,
        [comuneId],
      )
    : await tx.execute<{ id: string }[]>(`select id from ${S}."campaign" where comune_id = ?`, [
        comuneId,
      ]);
  return rows.map((r) => r.id);
}

/**
 * The Comune's published campaigns with their budget and what their APPROVED applications commit
 * (and their REVOKED ones: what was spent before the revocation).
 */
export function campaignBudgets(tx: EntityManager, comuneId: string) {
  return tx.execute<{ id: string; budget: string; committed: string }[]>(
    `select c.id, c.budget_cents::text as budget,
            coalesce((select sum(case when a.status = 'APPROVED' then a.amount_cents
                                      else a.revoked_spent_cents end)
                        from ${S}."application" a
                       where a.campaign_id = c.id and a.status in ('APPROVED', 'REVOKED')), 0)::text
              as committed
       from ${S}."campaign" c
      where c.comune_id = ? and c.status <> 'DRAFT'
      order by c.id`,
    [comuneId],
  );
}

/**
 * The Comune's applications with credit (`credit`: what the book's TOPUP transfers paid each) or
 * tranche rows: their status, entitlement, credit and tranches' sum.
 */
export function applicationCredits(
  tx: EntityManager,
  comuneId: string,
  credit: readonly { id: string; cents: number }[],
) {
  return tx.execute<
    { id: string; status: string; entitlement: string | null; credited: string; tranches: string }[]
  >(
    `with credit as (
       select x.application_id, x.cents
         from unnest(?::uuid[], ?::bigint[]) as x(application_id, cents)),
     tranche as (
       select t.application_id, sum(t.credited_cents) as cents
         from ${S}."application_tranche" t
         join ${S}."campaign" c on c.id = t.campaign_id
        where c.comune_id = ?
        group by 1)
     select a.id, a.status, a.amount_cents::text as entitlement,
            coalesce(credit.cents, 0)::text as credited, coalesce(tranche.cents, 0)::text as tranches
       from ${S}."application" a
       left join credit on credit.application_id = a.id
       left join tranche on tranche.application_id = a.id
      where a.comune_id = ? and (credit.cents is not null or tranche.cents is not null)
      order by a.id`,
    [
      arrayLiteral(credit.map((c) => c.id)),
      arrayLiteral(credit.map((c) => c.cents)),
      comuneId,
      comuneId,
    ],
  );
}

/** The Comune's REPLACED cards, by id. */
export async function replacedCardIds(tx: EntityManager, comuneId: string): Promise<string[]> {
  const rows = await tx.execute<{ id: string }[]>(
    `select id from ${S}."card" where comune_id = ? and status = 'REPLACED' order by id`,
    [comuneId],
  );
  return rows.map((r) => r.id);
}

// ------------------------------------------------------------------ payments

/** One transfer id a payment lists: a leg (`transfer_ids`) or a void (`void_transfer_ids`). */
export interface PaymentTransferRow {
  id: string;
  status: string;
  amount: string;
  card_id: string;
  holder: string;
  merchant_id: string;
  kind: 'LEG' | 'VOID';
  n: string;
  transfer_id: string;
}

/**
 * The Comune's payments with each transfer id they list (legs, then voids, in their order). The
 * amount is the voucher part: a card's fallback paid the rest (`ies_cents`) in ies-circuit's book.
 */
export function paymentTransferRows(tx: EntityManager, comuneId: string) {
  return tx.execute<PaymentTransferRow[]>(
    `select p.id, p.status, (p.amount_cents - p.ies_cents)::text as amount, p.card_id, pc.holder_fiscal_code_hash as holder,
            pa.merchant_id, x.kind, x.n::text as n, x.transfer_id
       from ${S}."payment" p
       join ${S}."card" pc on pc.id = p.card_id
       join ${S}."shop_accreditation" pa on pa.id = p.accreditation_id
       cross join lateral (
         select 'LEG' as kind, l.n, l.transfer_id
           from jsonb_array_elements_text(p.transfer_ids) with ordinality as l(transfer_id, n)
         union all
         select 'VOID' as kind, v.n, v.transfer_id
           from jsonb_array_elements_text(coalesce(p.void_transfer_ids, '[]'::jsonb)) with ordinality as v(transfer_id, n)
       ) x
      where p.comune_id = ?
      order by p.id, x.kind, x.n`,
    [comuneId],
  );
}

/** The Comune's payments that list no transfer at all (but those paid wholly with IES). */
export async function paymentsWithoutTransfers(
  tx: EntityManager,
  comuneId: string,
): Promise<number> {
  const [orphans] = await tx.execute<{ n: string }[]>(
    `select count(*)::text as n from ${S}."payment"
      where comune_id = ? and jsonb_array_length(transfer_ids) = 0 and ies_cents < amount_cents`,
    [comuneId],
  );
  return Number(orphans?.n ?? 0);
}

/** The accreditations of these ids: their campaign and merchant, by id. */
export async function accreditationsByIds(tx: EntityManager, ids: readonly string[]) {
  const rows = await tx.execute<{ id: string; campaign_id: string; merchant_id: string }[]>(
    `select id::text as id, campaign_id, merchant_id from ${S}."shop_accreditation"
      where id::text = any(?::text[])`,
    [arrayLiteral(ids)],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** The cards of these ids: their holder's key and Comune, by id. */
export async function cardsByIds(tx: EntityManager, ids: readonly string[]) {
  const rows = await tx.execute<{ id: string; holder: string; comune_id: string }[]>(
    `select id::text as id, holder_fiscal_code_hash as holder, comune_id from ${S}."card"
      where id::text = any(?::text[])`,
    [arrayLiteral(ids)],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

// ------------------------------------------------------------------ shops and batches

/** The accreditations of these campaigns. */
export function campaignAccreditations(tx: EntityManager, campaignIds: readonly string[]) {
  return tx.execute<{ id: string; campaign_id: string }[]>(
    `select id, campaign_id from ${S}."shop_accreditation" where campaign_id = any(?::uuid[])`,
    [arrayLiteral(campaignIds)],
  );
}

/** The campaign of each of the Comune's batches, by the batch's book reference. */
export async function batchCampaignsByReference(
  tx: EntityManager,
  comuneId: string,
): Promise<Map<string, string>> {
  const rows = await tx.execute<{ id: string; campaign_id: string }[]>(
    `select id, campaign_id from ${S}."reimbursement_batch" where comune_id = ?`,
    [comuneId],
  );
  return new Map(rows.map((b) => [`reimbursement:${b.id}`, b.campaign_id]));
}

/**
 * The Comune's batches with their total, the sums of their shop lines and their payments, of
 * their provider lines (`payee_lines`, of which `tutoring`, which the book does not hold), and
 * what the book moved for each (`moved`, by reference `reimbursement:<batch>`).
 */
export function batchTotals(
  tx: EntityManager,
  comuneId: string,
  moved: readonly { reference: string; cents: number }[],
) {
  return tx.execute<
    {
      id: string;
      status: string;
      total: string;
      lines: string;
      payments: string;
      moved: string;
      payee_lines: string;
      tutoring: string;
    }[]
  >(
    `select b.id, b.status, b.total_cents::text as total,
            coalesce((select sum(l.amount_cents) from ${S}."reimbursement_line" l where l.batch_id = b.id), 0)::text as lines,
            coalesce((select sum(r.amount_cents) from ${S}."reimbursement_payment" r where r.batch_id = b.id), 0)::text as payments,
            coalesce(m.cents, 0)::text as moved,
            coalesce((select sum(p.amount_cents) from ${S}."reimbursement_payee_line" p where p.batch_id = b.id), 0)::text as payee_lines,
            coalesce((select sum(p.amount_cents) from ${S}."reimbursement_payee_line" p where p.batch_id = b.id and p.kind = 'TUTORING'), 0)::text as tutoring
       from ${S}."reimbursement_batch" b
       left join unnest(?::text[], ?::bigint[]) as m(reference, cents)
         on m.reference = 'reimbursement:' || b.id
      where b.comune_id = ?
      order by b.id`,
    [
      arrayLiteral(moved.map((m) => m.reference)),
      arrayLiteral(moved.map((m) => m.cents)),
      comuneId,
    ],
  );
}
