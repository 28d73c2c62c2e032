import type { EntityManager } from '@mikro-orm/postgresql';
import type { IseeType } from '../shared/enums.js';

/*
 * The registry's statements: the household filter as SQL (shared with segments and the export),
 * the count and the keyset page of a search, a household's latest income declaration. The
 * entities' own reads go through MikroORM.
 */

/** A search of the Comune's households (absent or null criteria do not filter). */
export interface HouseholdFilterData {
  iseeMax?: number | null;
  iseeType?: IseeType | null;
  minSize?: number | null;
  maxSize?: number | null;
  hasMinors?: boolean | null;
  hasElderly?: boolean | null;
  hasDisability?: boolean | null;
  receivesPublicSupport?: boolean | null;
}

const S = '"public_welfare"';

/** Members' facts per household and its latest income declaration, for filters (SQL). */
export const HOUSEHOLDS_FROM = `from ${S}."household" h
  left join lateral (
    select count(*)::int as size,
      coalesce(bool_or(m."birth_date" > current_date - interval '18 years'), false) as has_minors,
      coalesce(bool_or(m."birth_date" <= current_date - interval '65 years'), false) as has_elderly,
      coalesce(bool_or(m."disability"), false) as has_disability
    from ${S}."household_member" m where m."household_id" = h."id"
  ) mm on true
  left join lateral (${latestIncomeSql('h')}) inc on true`;

/** The latest declaration of any member of household `alias` (by validity, then update). */
function latestIncomeSql(alias: string): string {
  return `select d."id", d."isee_cents", d."isee_type", d."receives_public_support"
    from ${S}."income_declaration" d
    join ${S}."household_member" dm
      on dm."comune_id" = d."comune_id" and dm."fiscal_code_hash" = d."declarant_fiscal_code_hash"
    where dm."household_id" = ${alias}."id"
    order by d."valid_until" desc, d."updated_at" desc, d."id" limit 1`;
}

/**
 * The SQL condition (over `HOUSEHOLDS_FROM`, alias `h`) of the Comune's households matching the
 * filter, with its parameters. The one place the filter becomes SQL (households, segments, export).
 */
export function householdFilterWhere(
  comuneId: string,
  filter: HouseholdFilterData,
): { whereSql: string; params: unknown[] } {
  const where: string[] = ['h."comune_id" = ?'];
  const params: unknown[] = [comuneId];
  const add = (sql: string, value: unknown) => {
    where.push(sql);
    params.push(value);
  };
  if (filter.iseeMax != null) add('inc."isee_cents" <= ?', filter.iseeMax);
  if (filter.iseeType != null) add('inc."isee_type" = ?', filter.iseeType);
  if (filter.receivesPublicSupport != null)
    add('inc."receives_public_support" = ?', filter.receivesPublicSupport);
  if (filter.minSize != null) add('mm."size" >= ?', filter.minSize);
  if (filter.maxSize != null) add('mm."size" <= ?', filter.maxSize);
  if (filter.hasMinors != null) add('mm."has_minors" = ?', filter.hasMinors);
  if (filter.hasElderly != null) add('mm."has_elderly" = ?', filter.hasElderly);
  if (filter.hasDisability != null) add('mm."has_disability" = ?', filter.hasDisability);
  return { whereSql: where.join(' and '), params };
}

/** How many of the Comune's households match the filter (one SQL count; no access check). */
export async function countHouseholds(
  em: EntityManager,
  comuneId: string,
  filter: HouseholdFilterData,
): Promise<number> {
  const { whereSql, params } = householdFilterWhere(comuneId, filter);
  const [counted] = await em.execute<{ n: number }[]>(
    `select count(*)::int as n ${HOUSEHOLDS_FROM} where ${whereSql}`,
    params,
  );
  return counted?.n ?? 0;
}

/** Up to `limit` matching households by registry code after the cursor (id and code only). */
export function householdPageRows(
  em: EntityManager,
  comuneId: string,
  filter: HouseholdFilterData,
  after: { code: string; id: string } | undefined,
  limit: number,
): Promise<{ id: string; code: string }[]> {
  const { whereSql, params } = householdFilterWhere(comuneId, filter);
  const pageWhere = after ? `${whereSql} and (h."code", h."id") > (?, ?::uuid)` : whereSql;
  const pageParams = after ? [...params, after.code, after.id] : params;
  return em.execute<{ id: string; code: string }[]>(
    `select h."id", h."code" ${HOUSEHOLDS_FROM} where ${pageWhere} order by h."code", h."id" limit ?`,
    [...pageParams, limit],
  );
}

/** The id of the household's latest income declaration (of any member), if any. */
export async function latestIncomeId(
  em: EntityManager,
  householdId: string,
): Promise<string | undefined> {
  const rows = await em.execute<{ id: string }[]>(
    `select i."id" from (select ?::uuid as "id") h join lateral (${latestIncomeSql('h')}) i on true`,
    [householdId],
  );
  return rows[0]?.id;
}

/** A member of one of the households a person belongs to (`household_member` columns). */
export interface HouseholdMateRow {
  fiscal_code_hash: string;
  fiscal_code_cipher: string;
  given_name: string;
  family_name: string;
  birth_date: string;
}

/**
 * Every member of every household (of any Comune) the person with this codice fiscale hash belongs
 * to, each person once (by hash; the most recently imported row wins): the person first, then by
 * birth date. Identity columns only, never income.
 */
export function householdMatesOf(em: EntityManager, hash: string): Promise<HouseholdMateRow[]> {
  return em.execute<HouseholdMateRow[]>(
    `select * from (
       select distinct on (m."fiscal_code_hash") m."fiscal_code_hash", m."fiscal_code_cipher",
         m."given_name", m."family_name", to_char(m."birth_date", 'YYYY-MM-DD') as "birth_date"
       from ${S}."household_member" me
       join ${S}."household_member" m on m."household_id" = me."household_id"
       where me."fiscal_code_hash" = ?
       order by m."fiscal_code_hash", m."updated_at" desc, m."id"
     ) mates
     order by (mates."fiscal_code_hash" = ?) desc, mates."birth_date", mates."family_name", mates."given_name"`,
    [hash, hash],
  );
}

/** A registry search of one Comune (absent criteria do not filter; at least one is given). */
export interface HouseholdLookup {
  /** Keyed hash of a member's codice fiscale (exact). */
  fiscalCodeHash?: string;
  /** A member's family name starts with this (folded by the database; `%`, `_`, `\` escaped here). */
  familyNamePrefix?: string;
  /** The registry code, case-insensitive, exact. */
  code?: string;
}

/**
 * Up to `limit` ids of the Comune's households matching every given criterion, by registry code.
 * The family name is folded like the stored `family_name_folded` (`fold_name`: no case, accents
 * nor apostrophes) and goes through `household_member_family_name_folded_index` (prefix); the
 * code, any case, through `household_comune_code_lower_index`.
 */
export async function lookupHouseholdIds(
  em: EntityManager,
  comuneId: string,
  lookup: HouseholdLookup,
  limit: number,
): Promise<string[]> {
  const where = ['h."comune_id" = ?'];
  const params: unknown[] = [comuneId];
  if (lookup.code !== undefined) {
    where.push('lower(h."code") = lower(?)');
    params.push(lookup.code);
  }
  if (lookup.fiscalCodeHash !== undefined) {
    where.push(`exists (select 1 from ${S}."household_member" m
      where m."comune_id" = h."comune_id" and m."household_id" = h."id" and m."fiscal_code_hash" = ?)`);
    params.push(lookup.fiscalCodeHash);
  }
  if (lookup.familyNamePrefix !== undefined) {
    where.push(`exists (select 1 from ${S}."household_member" m
      where m."comune_id" = h."comune_id" and m."household_id" = h."id"
        and m."family_name_folded" like ${S}."fold_name"(?) || '%' escape '\\')`);
    params.push(lookup.familyNamePrefix.replace(/[\\%_]/g, (c) => `\\${c}`));
  }
  const rows = await em.execute<{ id: string }[]>(
    `select h."id" from ${S}."household" h where ${where.join(' and ')}
      order by h."code", h."id" limit ?`,
    [...params, limit],
  );
  return rows.map((r) => r.id);
}

/** The codice fiscale hashes of a household's members. */
export async function memberHashes(em: EntityManager, householdId: string): Promise<string[]> {
  const rows = await em.execute<{ h: string }[]>(
    `select "fiscal_code_hash" as h from ${S}."household_member" where "household_id" = ?`,
    [householdId],
  );
  return rows.map((r) => r.h);
}

/** Every income declaration of any member of the household, newest validity first (ids). */
export async function incomeHistoryIds(em: EntityManager, householdId: string): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select d."id" from ${S}."income_declaration" d
      join ${S}."household_member" m
        on m."comune_id" = d."comune_id" and m."fiscal_code_hash" = d."declarant_fiscal_code_hash"
      where m."household_id" = ?
      order by d."valid_until" desc, d."updated_at" desc, d."id"`,
    [householdId],
  );
  return rows.map((r) => r.id);
}
