import type { EntityManager } from '@mikro-orm/postgresql';

const S = '"public_welfare"';

/** A Comune's decision policy (issue 19, item 4): when its decisions need a second approval. */
export interface DecisionPolicy {
  comuneId: string;
  /** When true, an OPERATOR's rejections (and approvals above the limit) wait for a MANAGER. */
  secondApproval: boolean;
  /** Approvals above this amount (cents) wait too; null: approvals never wait. */
  amountLimitCents: number | null;
  updatedBy: string | null;
  updatedAt: Date | null;
}

/** The Comune's policy; off (no second approval) when it never set one. */
export async function readDecisionPolicy(
  em: EntityManager,
  comuneId: string,
): Promise<DecisionPolicy> {
  const [row] = await em.execute<
    {
      second_approval: boolean;
      amount_limit_cents: string | number | null;
      updated_by: string;
      updated_at: string | Date;
    }[]
  >(
    `select "second_approval", "amount_limit_cents", "updated_by", "updated_at"
       from ${S}."comune_decision_policy" where "comune_id" = ?`,
    [comuneId],
  );
  if (!row) {
    return {
      comuneId,
      secondApproval: false,
      amountLimitCents: null,
      updatedBy: null,
      updatedAt: null,
    };
  }
  return {
    comuneId,
    secondApproval: row.second_approval,
    amountLimitCents: row.amount_limit_cents === null ? null : Number(row.amount_limit_cents),
    updatedBy: row.updated_by,
    updatedAt: new Date(row.updated_at),
  };
}

/** Creates or replaces the Comune's policy. */
export async function writeDecisionPolicy(
  em: EntityManager,
  comuneId: string,
  secondApproval: boolean,
  amountLimitCents: number | null,
  updatedBy: string,
): Promise<void> {
  await em.execute(
    `insert into ${S}."comune_decision_policy"
       ("comune_id", "second_approval", "amount_limit_cents", "updated_by", "updated_at")
     values (?, ?, ?, ?, now())
     on conflict ("comune_id") do update set
       "second_approval" = excluded."second_approval",
       "amount_limit_cents" = excluded."amount_limit_cents",
       "updated_by" = excluded."updated_by",
       "updated_at" = excluded."updated_at"`,
    [comuneId, secondApproval, amountLimitCents, updatedBy],
  );
}

/**
 * True when the policy makes this decision wait for a MANAGER: a rejection, or an approval whose
 * amount is above the limit (only when the second approval is on).
 */
export function needsSecondApproval(
  policy: DecisionPolicy,
  approve: boolean,
  amountCents: number | null,
): boolean {
  if (!policy.secondApproval) return false;
  if (!approve) return true;
  return policy.amountLimitCents !== null && (amountCents ?? 0) > policy.amountLimitCents;
}
