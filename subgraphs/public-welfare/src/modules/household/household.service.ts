import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import type { PiiCipher } from '@welfare/kit/pii';
import type { AuditService } from '../audit/audit.service.js';
import { IncomeDeclaration } from '../income/income-declaration.entity.js';
import { actorOf, isUuid, requireComuneStaff } from '@welfare/kit/access';
import type { IseeType } from '../shared/enums.js';
import { HouseholdMember } from './household-member.entity.js';
import { Household } from './household.entity.js';

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

export interface HouseholdPage {
  nodes: Household[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

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
export function latestIncomeSql(alias: string): string {
  return `select d."id", d."isee_cents", d."isee_type", d."receives_public_support"
    from ${S}."income_declaration" d
    join ${S}."household_member" dm
      on dm."comune_id" = d."comune_id" and dm."fiscal_code_hash" = d."declarant_fiscal_code_hash"
    where dm."household_id" = ${alias}."id"
    order by d."valid_until" desc, d."updated_at" desc, d."id" limit 1`;
}

const INCOME_FILTERS: (keyof HouseholdFilterData)[] = [
  'iseeMax',
  'iseeType',
  'receivesPublicSupport',
];

/** True when the filter has an income criterion (a search by it reads income data). */
export function hasIncomeCriteria(filter: HouseholdFilterData): boolean {
  return INCOME_FILTERS.some((k) => filter[k] != null);
}

/**
 * Adds the filter's invalid values to `errors` (field names `${prefix}iseeMax` and so on):
 * a negative ISEE, a size outside 1..100, `minSize` over `maxSize`.
 */
export function validateHouseholdFilter(
  filter: HouseholdFilterData,
  errors: FieldErrors,
  prefix = '',
): void {
  if (filter.iseeMax != null && (!Number.isInteger(filter.iseeMax) || filter.iseeMax < 0)) {
    errors.add(`${prefix}iseeMax`, 'Non può essere negativo.', 'Cannot be negative.');
  }
  for (const key of ['minSize', 'maxSize'] as const) {
    const v = filter[key];
    if (v != null && (!Number.isInteger(v) || v < 1 || v > 100))
      errors.add(`${prefix}${key}`, 'Da 1 a 100.', 'From 1 to 100.');
  }
  if (filter.minSize != null && filter.maxSize != null && filter.minSize > filter.maxSize) {
    errors.add(
      `${prefix}maxSize`,
      'Non può essere minore del numero minimo di componenti.',
      'Cannot be less than the smallest size.',
    );
  }
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

/**
 * The registry as staff of a Comune read it. Filters and counts run in SQL; every read of
 * income data (a household's latest declaration, or a search by income) appends an audit event.
 */
export class HouseholdService {
  constructor(
    private readonly pii: PiiCipher,
    private readonly audit: AuditService,
  ) {}

  /** A page of the Comune's households by registry code, with the count of all matches. */
  async search(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    filter: HouseholdFilterData = {},
    first: number = DEFAULT_PAGE_SIZE,
    after?: string | null,
  ): Promise<HouseholdPage> {
    requireComuneStaff(caller, comuneId);
    const errors = new FieldErrors();
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      errors.add('first', `Da 1 a ${MAX_PAGE_SIZE}.`, `From 1 to ${MAX_PAGE_SIZE}.`);
    }
    const cursor = after ? decodeCursor(after) : undefined;
    if (after && !cursor) errors.add('after', 'Cursore non valido.', 'Malformed cursor.');
    validateHouseholdFilter(filter, errors, 'filter.');
    errors.throwIfAny();

    const { whereSql, params } = householdFilterWhere(comuneId, filter);
    const totalCount = await countHouseholds(em, comuneId, filter);
    const pageWhere = cursor ? `${whereSql} and (h."code", h."id") > (?, ?::uuid)` : whereSql;
    const pageParams = cursor ? [...params, cursor.code, cursor.id] : params;
    const rows = await em.execute<{ id: string; code: string }[]>(
      `select h."id", h."code" ${HOUSEHOLDS_FROM} where ${pageWhere} order by h."code", h."id" limit ?`,
      [...pageParams, first + 1],
    );
    if (hasIncomeCriteria(filter)) {
      await this.audit.record(em, actorOf(caller), comuneId, 'SEARCH_INCOME', `comune:${comuneId}`);
    }
    const page = rows.slice(0, first);
    const found = await em.find(Household, { id: { $in: page.map((r) => r.id) } });
    const byId = new Map(found.map((h) => [h.id, h]));
    const last = page[page.length - 1];
    return {
      nodes: page.map((r) => byId.get(r.id)).filter((h): h is Household => h !== undefined),
      totalCount,
      hasNextPage: rows.length > first,
      endCursor: last ? encodeCursor(last.code, last.id) : null,
    };
  }

  /** One household: null when missing, FORBIDDEN when it belongs to a Comune the caller does not staff. */
  async findById(em: EntityManager, caller: Caller, id: string): Promise<Household | null> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(id)) return null;
    const household = await em.findOne(Household, { id });
    if (!household) return null;
    requireComuneStaff(caller, household.comuneId);
    return household;
  }

  /** Members, head first, then by birth date. */
  async members(
    em: EntityManager,
    caller: Caller,
    household: Household,
  ): Promise<HouseholdMember[]> {
    requireComuneStaff(caller, household.comuneId);
    const members = await em.find(
      HouseholdMember,
      { household: household.id },
      { orderBy: { birthDate: 'asc', id: 'asc' } },
    );
    return [
      ...members.filter((m) => m.relation === 'INTESTATARIO'),
      ...members.filter((m) => m.relation !== 'INTESTATARIO'),
    ];
  }

  async size(em: EntityManager, household: Household): Promise<number> {
    return em.count(HouseholdMember, { household: household.id });
  }

  /** The latest income declaration of any member; writes a READ_INCOME audit event. */
  async latestIncome(
    em: EntityManager,
    caller: Caller,
    household: Household,
  ): Promise<IncomeDeclaration | null> {
    requireComuneStaff(caller, household.comuneId);
    const rows = await em.execute<{ id: string }[]>(
      `select i."id" from (select ?::uuid as "id") h join lateral (${latestIncomeSql('h')}) i on true`,
      [household.id],
    );
    await this.audit.record(
      em,
      actorOf(caller),
      household.comuneId,
      'READ_INCOME',
      `household:${household.id}`,
    );
    const id = rows[0]?.id;
    return id ? em.findOne(IncomeDeclaration, { id }) : null;
  }

  /** The codice fiscale in clear (the row was already authorised). */
  fiscalCode(cipher: string): string {
    return this.pii.decrypt(cipher);
  }
}

function encodeCursor(code: string, id: string): string {
  return Buffer.from(JSON.stringify([code, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { code: string; id: string } | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      isUuid(value[1])
    ) {
      return { code: value[0], id: value[1] };
    }
  } catch {
    return undefined;
  }
  return undefined;
}
