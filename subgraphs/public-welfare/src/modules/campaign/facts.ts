import type { EntityManager } from '@mikro-orm/postgresql';
import type { IseeType } from '../shared/enums.js';
import type { RankingCriterion } from './campaign.enums.js';
import type { HouseholdFacts } from './rules.js';

const S = '"public_welfare"';

interface FactsRow {
  id: string;
  code: string;
  resident: boolean;
  size: number;
  minors: number;
  has_disability: boolean;
  isee_cents: string | null;
  isee_type: IseeType | null;
  receives_public_support: boolean | null;
}

/**
 * Facts of the Comune's households (`householdSql` narrows them: a condition on `h`): members
 * aggregated per household and each household's latest declaration still valid today, as set
 * operations (hash joins), so the whole registry is one pass.
 */
function factsSql(householdSql = 'true'): string {
  return `with mm as (
    select m."household_id",
      count(*)::int as "size",
      count(*) filter (where m."birth_date" > current_date - interval '18 years')::int as "minors",
      coalesce(bool_or(m."disability"), false) as "has_disability"
    from ${S}."household_member" m
    where m."comune_id" = ? and m."household_id" in (select h."id" from ${S}."household" h where h."comune_id" = ? and ${householdSql})
    group by m."household_id"
  ), inc as (
    select distinct on (dm."household_id") dm."household_id",
      d."isee_cents", d."isee_type", d."receives_public_support"
    from ${S}."income_declaration" d
    join ${S}."household_member" dm
      on dm."comune_id" = d."comune_id" and dm."fiscal_code_hash" = d."declarant_fiscal_code_hash"
    where d."comune_id" = ? and d."valid_until" >= current_date
      and dm."household_id" in (select h."id" from ${S}."household" h where h."comune_id" = ? and ${householdSql})
    order by dm."household_id", d."valid_until" desc, d."updated_at" desc, d."id"
  )
  select h."id", h."code", h."resident",
    coalesce(mm."size", 0) as "size", coalesce(mm."minors", 0) as "minors",
    coalesce(mm."has_disability", false) as "has_disability",
    inc."isee_cents", inc."isee_type", inc."receives_public_support"
  from ${S}."household" h
  left join mm on mm."household_id" = h."id"
  left join inc on inc."household_id" = h."id"
  where h."comune_id" = ? and ${householdSql}`;
}

/** A household's id, registry code and facts. */
export interface HouseholdWithFacts {
  id: string;
  code: string;
  facts: HouseholdFacts;
}

function toFacts(row: FactsRow): HouseholdWithFacts {
  return {
    id: row.id,
    code: row.code,
    facts: {
      resident: row.resident,
      size: row.size,
      minors: row.minors,
      hasDisability: row.has_disability,
      iseeCents: row.isee_cents == null ? null : Number(row.isee_cents),
      iseeType: row.isee_type,
      receivesPublicSupport: row.receives_public_support ?? false,
    },
  };
}

/** Every household of the Comune with its facts (one query; the simulation's input). */
export async function allHouseholdFacts(
  em: EntityManager,
  comuneId: string,
): Promise<HouseholdWithFacts[]> {
  const c = comuneId;
  const rows = await em.execute<FactsRow[]>(factsSql(), [c, c, c, c, c]);
  return rows.map(toFacts);
}

/** The household of the Comune that has a member with this codice fiscale hash, with its facts. */
export async function householdFactsByMember(
  em: EntityManager,
  comuneId: string,
  fiscalCodeHash: string,
): Promise<HouseholdWithFacts | null> {
  // One statement: the member's household is a subquery (evaluated once per use).
  const c = comuneId;
  const h = fiscalCodeHash;
  const rows = await em.execute<FactsRow[]>(
    factsSql(
      `h."id" = (select m."household_id" from ${S}."household_member" m
        where m."comune_id" = ? and m."fiscal_code_hash" = ? limit 1)`,
    ),
    [c, c, c, h, c, c, c, h, c, c, h],
  );
  return rows[0] ? toFacts(rows[0]) : null;
}

/** What the ranking compares. */
export interface Rankable {
  facts: HouseholdFacts;
  /** Submission time (applications) or null (simulation). */
  submittedAt: Date | null;
  /** The last tie-break: protocol number or registry code. */
  tieBreak: string;
}

/** A comparator by the campaign's criteria, in order; then by submission, then `tieBreak`. */
export function rankingComparator(
  criteria: readonly RankingCriterion[],
): (a: Rankable, b: Rankable) => number {
  return (a, b) => {
    for (const c of criteria) {
      let d = 0;
      if (c === 'ISEE_ASC') {
        const ai = a.facts.iseeCents ?? Number.MAX_SAFE_INTEGER;
        const bi = b.facts.iseeCents ?? Number.MAX_SAFE_INTEGER;
        d = ai - bi;
      } else if (c === 'MINORS_DESC') d = b.facts.minors - a.facts.minors;
      else if (c === 'SIZE_DESC') d = b.facts.size - a.facts.size;
      else if (c === 'DISABILITY_FIRST')
        d = Number(b.facts.hasDisability) - Number(a.facts.hasDisability);
      else if (c === 'SUBMITTED_ASC')
        d = (a.submittedAt?.getTime() ?? 0) - (b.submittedAt?.getTime() ?? 0);
      if (d !== 0) return d;
    }
    return a.tieBreak < b.tieBreak ? -1 : a.tieBreak > b.tieBreak ? 1 : 0;
  };
}

/**
 * Funds the ranked items in order while the budget lasts: the first that does not fit stops the
 * funding (a ranking is not skipped over). Returns how many are funded and their total.
 */
export function fundInOrder(
  amounts: readonly number[],
  budgetCents: number,
): {
  funded: number;
  fundedCents: number;
} {
  let fundedCents = 0;
  let funded = 0;
  for (const amount of amounts) {
    if (fundedCents + amount > budgetCents) break;
    fundedCents += amount;
    funded += 1;
  }
  return { funded, fundedCents };
}
