import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@welfare/kit/book';
import { sql } from '@welfare/kit/sql';
import { integrationAnsweredSql, overdueSql } from './queue.sql.js';

/* The applications' statements (the entities' own reads and writes go through MikroORM). */

const S = '"public_welfare"';

/** Which of a Comune's applications a queue shows (absent criteria do not filter). */
export interface QueueCriteria {
  comuneId: string;
  statuses: readonly string[];
  campaignId?: string | null;
  assignedTo?: string | null;
  /** A protocol number prefix (`%`, `_` and `\` are dropped). */
  protocol?: string | null;
  checksFailed?: boolean | null;
  /** Only those past due on this day (YYYY-MM-DD, Europe/Rome), as the worklist counts them. */
  overdueOn?: string | null;
  /** Only the integrations answered and not yet acted on, as the worklist counts them. */
  integrationAnswered?: boolean | null;
}

/** The SQL condition (alias `a`) of the queue's applications, with its parameters. */
function queueWhere(criteria: QueueCriteria): { whereSql: string; params: unknown[] } {
  const where: string[] = ['a."comune_id" = ?', 'a."status" = any(?::text[])'];
  const params: unknown[] = [criteria.comuneId, `{${criteria.statuses.join(',')}}`];
  if (criteria.campaignId) {
    where.push('a."campaign_id" = ?');
    params.push(criteria.campaignId);
  }
  if (criteria.assignedTo) {
    where.push('a."assigned_to" = ?');
    params.push(criteria.assignedTo);
  }
  if (criteria.protocol) {
    where.push('a."protocol_number" like ?');
    params.push(`${criteria.protocol.replace(/[%_\\]/g, '')}%`);
  }
  if (criteria.checksFailed != null) {
    where.push(
      `${criteria.checksFailed ? '' : 'not '}(a."checks" @> '[{"passed": false}]'::jsonb)`,
    );
  }
  if (criteria.overdueOn) {
    where.push(overdueSql('a'));
    params.push(criteria.overdueOn);
  }
  if (criteria.integrationAnswered) where.push(integrationAnsweredSql('a'));
  return { whereSql: where.join(' and '), params };
}

/**
 * The queue's count, and the ids of `limit` of its applications from `offset` by due date, then
 * protocol number.
 */
export async function queueIds(
  em: EntityManager,
  criteria: QueueCriteria,
  limit: number,
  offset: number,
): Promise<{ totalCount: number; ids: string[] }> {
  const { whereSql, params } = queueWhere(criteria);
  const [counted] = await em.execute<{ n: number }[]>(
    `select count(*)::int as "n" from ${S}."application" a where ${whereSql}`,
    params,
  );
  const rows = await em.execute<{ id: string }[]>(
    `select a."id" from ${S}."application" a where ${whereSql}
       order by a."due_by" asc nulls last, a."protocol_number" asc, a."id" limit ? offset ?`,
    [...params, limit, offset],
  );
  return { totalCount: counted?.n ?? 0, ids: rows.map((r) => r.id) };
}

/** Sum of the entitlements of the campaign's eligible PORTAL applications (APPROVED, ELIGIBLE_NOT_FUNDED) among these ids. */
export async function eligibleEntitlementCents(
  em: EntityManager,
  campaignId: string,
  applicationIds: readonly string[],
): Promise<number> {
  const [row] = await em.execute<{ total: string | null }[]>(
    `select coalesce(sum(a."amount_cents"), 0)::text as "total"
       from ${S}."application" a
      where a."campaign_id" = ? and a."status" in ('APPROVED', 'ELIGIBLE_NOT_FUNDED')
        and a."origin" = 'PORTAL' and a."id" = any(?::uuid[])`,
    [campaignId, arrayLiteral(applicationIds)],
  );
  return Number(row?.total ?? 0);
}

/**
 * Sum of the entitlements of the campaign's APPROVED applications, plus what REVOKED ones had
 * spent when revoked (money that left the FUND for good; their unspent credit came back).
 */
export async function approvedEntitlementCents(
  em: EntityManager,
  campaignId: string,
): Promise<number> {
  const [row] = await em.execute<{ total: string | null }[]>(
    `select coalesce(sum(case when "status" = 'APPROVED' then "amount_cents"
                              else "revoked_spent_cents" end), 0)::text as "total"
       from ${S}."application"
     where "campaign_id" = ? and "status" in ('APPROVED', 'REVOKED')`,
    [campaignId],
  );
  return Number(row?.total ?? 0);
}

/** A first draft: the application's columns the applicant's first save sets. */
interface NewDraft {
  id: string;
  campaignId: string;
  comuneId: string;
  applicantFiscalCodeHash: string;
  applicantFiscalCodeCipher: string;
  createdBy: string;
  onBehalf: boolean;
  answers: unknown;
  privacyNoticeVersion: string;
  at: Date;
  /** The DRAFT_CREATED event's actor and role. */
  actor: string;
  actorRole: string;
  /** The campaign's `version` the draft was checked against: another one inserts nothing. */
  campaignVersion: number;
}

/**
 * Inserts the applicant's first DRAFT and its DRAFT_CREATED timeline entry in one statement
 * (a prepared statement; opening day). Returns the new row, or nothing when the applicant already
 * has a live application to the campaign (the `application_one_per_applicant` index decides
 * between concurrent saves) or when the campaign's stored `version` is no longer
 * `campaignVersion` (the caller checked a campaign read earlier, see CampaignCache).
 */
export async function insertFirstDraft(
  em: EntityManager,
  d: NewDraft,
): Promise<Record<string, unknown> | undefined> {
  const [row] = await sql<Record<string, unknown>>(
    em,
    `with a as (
       insert into ${S}."application" ("id", "campaign_id", "comune_id", "status",
         "applicant_fiscal_code_hash", "applicant_fiscal_code_cipher", "created_by", "on_behalf",
         "answers", "checks", "privacy_notice_version", "privacy_notice_acknowledged_by",
         "privacy_notice_acknowledged_at", "version", "created_at", "updated_at")
       select $1::uuid, $2::uuid, $3::uuid, 'DRAFT', $4::text, $5::text, $6::uuid, $7::boolean,
         $8::jsonb, '[]'::jsonb, $9::text, $6::uuid, $10::timestamptz, 1, $10::timestamptz, $10::timestamptz
       where exists (select 1 from ${S}."campaign" k where k."id" = $2::uuid and k."version" = $13::int)
       on conflict ("campaign_id", "applicant_fiscal_code_hash") where "status" <> 'WITHDRAWN' do nothing
       returning *
     ), e as (
       insert into ${S}."case_event" ("application_id", "comune_id", "kind", "actor", "actor_role", "at")
       select a."id", a."comune_id", 'DRAFT_CREATED', $11::text, $12::text, $10::timestamptz from a
     )
     select * from a`,
    [
      d.id,
      d.campaignId,
      d.comuneId,
      d.applicantFiscalCodeHash,
      d.applicantFiscalCodeCipher,
      d.createdBy,
      d.onBehalf,
      JSON.stringify(d.answers),
      d.privacyNoticeVersion,
      d.at,
      d.actor,
      d.actorRole,
      d.campaignVersion,
    ],
  );
  return row;
}

/** What a submission writes: the checks' outcome and the two timeline entries' texts. */
interface Submission {
  id: string;
  comuneId: string;
  year: number;
  householdId: string | null;
  facts: unknown;
  checks: unknown;
  amountCents: number;
  submittedAt: Date;
  dueBy: string;
  /** The SUBMITTED event's actor and role. */
  actor: string;
  actorRole: string;
  /** The CHECKS_RUN event's note. */
  checksNote: string;
  /**
   * Written in this transaction's messages of the application in place of the protocol number
   * (replaced by it here).
   */
  protocolPlaceholder: string;
}

/**
 * Submits a DRAFT locked by the caller's transaction in one statement (a prepared statement;
 * opening day): the Comune's next protocol number of the year (`YYYY/NNNNNN`, gapless: the
 * counter row is updated in the transaction, so a rollback gives the number back), the
 * application's new columns, the SUBMITTED and CHECKS_RUN timeline entries, and the number put
 * in the application's messages written earlier in this transaction (their `created_at` is the
 * transaction's `now()`) in place of `protocolPlaceholder`. The counter's row stays locked until
 * the transaction ends: the caller commits right after (nothing else between). Returns the
 * updated row, or nothing when the application was no longer a DRAFT.
 */
export async function submitDraft(
  em: EntityManager,
  s: Submission,
): Promise<Record<string, unknown> | undefined> {
  const [row] = await sql<Record<string, unknown>>(
    em,
    `with c as (
       insert into ${S}."protocol_counter" ("comune_id", "year", "last") values ($1, $2, 1)
       on conflict ("comune_id", "year") do update set "last" = "protocol_counter"."last" + 1
       returning "last"
     ), u as (
       update ${S}."application" a set "status" = 'SUBMITTED', "household_id" = $4,
         "facts" = $5::jsonb, "checks" = $6::jsonb, "amount_cents" = $7, "submitted_at" = $8,
         "due_by" = $9, "updated_at" = $8, "version" = a."version" + 1,
         "protocol_number" = $2::text || '/' || lpad(c."last"::text, greatest(6, length(c."last"::text)), '0')
       from c where a."id" = $3 and a."status" = 'DRAFT'
       returning a.*
     ), e as (
       insert into ${S}."case_event"
         ("application_id", "comune_id", "kind", "actor", "actor_role", "from_status", "to_status", "note", "at")
       select u."id", u."comune_id", k."kind", k."actor", k."role", k."from", k."to", k."note", $8
       from u, (values (1, 'SUBMITTED', $10::text, $11::text, 'DRAFT', 'SUBMITTED', null::text),
                       (2, 'CHECKS_RUN', 'system', 'SYSTEM', null, null, $12::text))
               as k("n", "kind", "actor", "role", "from", "to", "note")
       order by k."n"
     ), m as (
       update ${S}."message" m set "subject" = replace(m."subject", $13, u."protocol_number"),
         "body" = replace(m."body", $13, u."protocol_number")
       from u where m."comune_id" = u."comune_id" and m."created_at" = now() and m."application_id" = u."id"
     )
     select * from u`,
    [
      s.comuneId,
      s.year,
      s.id,
      s.householdId,
      s.facts === null ? null : JSON.stringify(s.facts),
      JSON.stringify(s.checks),
      s.amountCents,
      s.submittedAt,
      s.dueBy,
      s.actor,
      s.actorRole,
      s.checksNote,
      s.protocolPlaceholder,
    ],
  );
  return row;
}

/** Sum of the entitlements of the campaign's DIRECT_LIST beneficiaries (always APPROVED). */
export async function directListCents(em: EntityManager, campaignId: string): Promise<number> {
  const [row] = await em.execute<{ total: string | null }[]>(
    `select coalesce(sum("amount_cents"), 0)::text as "total" from ${S}."application"
     where "campaign_id" = ? and "origin" = 'DIRECT_LIST'`,
    [campaignId],
  );
  return Number(row?.total ?? 0);
}

/**
 * Locks the application (`for update`, the submission's first statement) and reads its campaign's
 * current `version` in the same statement (opening day: the campaign itself comes from
 * CampaignCache when that version matches). Returns the application's row with
 * `campaign_version`, or nothing.
 */
export async function lockForSubmission(
  em: EntityManager,
  id: string,
): Promise<{ row: Record<string, unknown>; campaignVersion: number } | undefined> {
  const [found] = await sql<Record<string, unknown> & { campaign_version: number }>(
    em,
    `select a.*, k."version" as "campaign_version"
       from ${S}."application" a join ${S}."campaign" k on k."id" = a."campaign_id"
      where a."id" = $1 for update of a`,
    [id],
  );
  if (!found) return undefined;
  const { campaign_version: campaignVersion, ...row } = found;
  return { row, campaignVersion };
}
