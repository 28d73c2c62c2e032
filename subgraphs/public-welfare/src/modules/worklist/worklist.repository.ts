import type { EntityManager } from '@mikro-orm/postgresql';
import {
  TO_DECIDE_STATUSES,
  integrationAnsweredSql,
  overdueSql,
} from '../application/queue.sql.js';

/* The worklist's counts: one statement, each count on an index (see migration `worklist`). */

const S = '"public_welfare"';
const TO_DECIDE = TO_DECIDE_STATUSES.map((s) => `'${s}'`).join(', ');

/** The raw counts of a Comune's worklist on the day `today` (YYYY-MM-DD, Europe/Rome). */
export interface WorklistCounts {
  toDecide: number;
  overdue: number;
  nextDueBy: string | null;
  integrationsAnswered: number;
  awaitingIntegration: number;
  batchesToApprove: number;
  shopsToReview: number;
  decisionsToConfirm: number;
}

/**
 * Applications waiting for the Comune (SUBMITTED, IN_REVIEW, APPEALED), decisions proposed that
 * wait for a MANAGER's second approval (PENDING_APPROVAL), those past their due-by
 * date, the first due-by date still ahead, the ones whose applicant answered an integration
 * request (IN_REVIEW whose last case event is INTEGRATION_SUBMITTED), those waiting for the
 * applicant (NEEDS_INTEGRATION: the term is suspended), reimbursement batches in DRAFT and shops'
 * accreditation requests not yet decided (PENDING).
 */
export async function worklistCounts(
  em: EntityManager,
  comuneId: string,
  today: string,
): Promise<WorklistCounts> {
  const [row] = await em.execute<
    {
      to_decide: number;
      overdue: number;
      next_due_by: string | Date | null;
      answered: number;
      waiting: number;
      batches: number;
      shops: number;
      to_confirm: number;
    }[]
  >(
    `with open as (
       select a."id", a."status", a."due_by" from ${S}."application" a
        where a."comune_id" = ?
          and a."status" in
            ('SUBMITTED', 'IN_REVIEW', 'NEEDS_INTEGRATION', 'APPEALED', 'PENDING_APPROVAL'))
     select
       count(*) filter (where o."status" in (${TO_DECIDE}))::int as "to_decide",
       count(*) filter (where ${overdueSql('o')})::int as "overdue",
       min(o."due_by") filter (where o."status" in (${TO_DECIDE})
         and o."due_by" >= ?::date) as "next_due_by",
       count(*) filter (where o."status" = 'PENDING_APPROVAL')::int as "to_confirm",
       count(*) filter (where ${integrationAnsweredSql('o')})::int as "answered",
       count(*) filter (where o."status" = 'NEEDS_INTEGRATION')::int as "waiting",
       (select count(*)::int from ${S}."reimbursement_batch" b
         where b."comune_id" = ? and b."status" = 'DRAFT') as "batches",
       (select count(*)::int from ${S}."shop_accreditation" s
         where s."comune_id" = ? and s."status" = 'PENDING') as "shops"
     from open o`,
    [comuneId, today, today, comuneId, comuneId],
  );
  const due = row?.next_due_by ?? null;
  return {
    toDecide: row?.to_decide ?? 0,
    overdue: row?.overdue ?? 0,
    nextDueBy: due instanceof Date ? due.toISOString().slice(0, 10) : due,
    integrationsAnswered: row?.answered ?? 0,
    awaitingIntegration: row?.waiting ?? 0,
    batchesToApprove: row?.batches ?? 0,
    shopsToReview: row?.shops ?? 0,
    decisionsToConfirm: row?.to_confirm ?? 0,
  };
}
