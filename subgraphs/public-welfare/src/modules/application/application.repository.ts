import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@welfare/kit/book';

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

/** Sum of the entitlements of the campaign's eligible applications (APPROVED, ELIGIBLE_NOT_FUNDED) among these ids. */
export async function eligibleEntitlementCents(
  em: EntityManager,
  campaignId: string,
  applicationIds: readonly string[],
): Promise<number> {
  const [row] = await em.execute<{ total: string | null }[]>(
    `select coalesce(sum(a."amount_cents"), 0)::text as "total"
       from ${S}."application" a
      where a."campaign_id" = ? and a."status" in ('APPROVED', 'ELIGIBLE_NOT_FUNDED')
        and a."id" = any(?::uuid[])`,
    [campaignId, arrayLiteral(applicationIds)],
  );
  return Number(row?.total ?? 0);
}

/** Sum of the entitlements of the campaign's APPROVED applications. */
export async function approvedEntitlementCents(
  em: EntityManager,
  campaignId: string,
): Promise<number> {
  const [row] = await em.execute<{ total: string | null }[]>(
    `select coalesce(sum("amount_cents"), 0)::text as "total" from ${S}."application"
     where "campaign_id" = ? and "status" = 'APPROVED'`,
    [campaignId],
  );
  return Number(row?.total ?? 0);
}

/** Increments the Comune's protocol counter of the year (one upsert); returns its new value. */
export async function nextProtocolCounter(
  em: EntityManager,
  comuneId: string,
  year: number,
): Promise<number> {
  const rows = await em.execute<{ last: number }[]>(
    `insert into ${S}."protocol_counter" ("comune_id", "year", "last") values (?, ?, 1)
     on conflict ("comune_id", "year") do update set "last" = "protocol_counter"."last" + 1
     returning "last"`,
    [comuneId, year],
  );
  return rows[0]!.last;
}
