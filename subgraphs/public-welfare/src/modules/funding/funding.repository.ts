import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@welfare/kit/book';
import type { FundingAllocation, FundingSource, FundingSourceKind } from './funding.js';

/* The statements on `campaign_funding_source`. */

const S = '"public_welfare"';

interface Row {
  kind: FundingSourceKind;
  name: string;
  amount_cents: string;
}

/** The campaign's sources, in the order staff gave them. */
export async function fundingSourcesOf(
  em: EntityManager,
  campaignId: string,
): Promise<FundingSource[]> {
  const rows = await em.execute<Row[]>(
    `select kind, name, amount_cents::text as amount_cents
       from ${S}."campaign_funding_source" where campaign_id = ? order by position`,
    [campaignId],
  );
  return rows.map((r) => ({ kind: r.kind, name: r.name, amountCents: Number(r.amount_cents) }));
}

/** How the campaign's reports split the money among its sources (PRO_RATA when unknown). */
export async function fundingAllocationOf(
  em: EntityManager,
  campaignId: string,
): Promise<FundingAllocation> {
  const rows = await em.execute<{ funding_allocation: FundingAllocation }[]>(
    `select funding_allocation from ${S}."campaign" where id = ?`,
    [campaignId],
  );
  return rows[0]?.funding_allocation ?? 'PRO_RATA';
}

/**
 * Replaces the campaign's sources with `sources`, and its allocation mode when given (in the
 * caller's transaction).
 */
export async function replaceFundingSources(
  tx: EntityManager,
  campaignId: string,
  sources: readonly FundingSource[],
  allocation?: FundingAllocation,
): Promise<void> {
  if (allocation)
    await tx.execute(`update ${S}."campaign" set funding_allocation = ? where id = ?`, [
      allocation,
      campaignId,
    ]);
  await tx.execute(`delete from ${S}."campaign_funding_source" where campaign_id = ?`, [
    campaignId,
  ]);
  if (sources.length === 0) return;
  await tx.execute(
    `insert into ${S}."campaign_funding_source" (campaign_id, position, kind, name, amount_cents)
     select ?, x.position - 1, x.kind, x.name, x.amount
       from unnest(?::text[], ?::text[], ?::bigint[]) with ordinality as x(kind, name, amount, position)`,
    [
      campaignId,
      arrayLiteral(sources.map((s) => s.kind)),
      arrayLiteral(sources.map((s) => s.name)),
      arrayLiteral(sources.map((s) => String(s.amountCents))),
    ],
  );
}
