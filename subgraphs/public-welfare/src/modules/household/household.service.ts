import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { normaliseFiscalCode, type PiiCipher } from '@welfare/kit/pii';
import type { AuditService } from '../audit/audit.service.js';
import { FISCAL_CODE_PURPOSE } from '../imports/csv-columns.js';
import { IncomeDeclaration } from '../income/income-declaration.entity.js';
import { actorOf, isUuid, requireComuneStaff } from '@welfare/kit/access';
import { HouseholdMember } from './household-member.entity.js';
import { Household } from './household.entity.js';
import {
  countHouseholds,
  householdMatesOf,
  householdPageRows,
  latestIncomeId,
  type HouseholdFilterData,
} from './household.repository.js';

export type { HouseholdFilterData } from './household.repository.js';

export interface HouseholdPage {
  nodes: Household[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

/** A member of the caller's own household, as the caller reads it (no income, no registry facts). */
export interface MyHouseholdMember {
  givenName: string;
  familyName: string;
  birthDate: string;
  fiscalCode: string;
  isCaller: boolean;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

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

    const totalCount = await countHouseholds(em, comuneId, filter);
    const rows = await householdPageRows(em, comuneId, filter, cursor, first + 1);
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
    const id = await latestIncomeId(em, household.id);
    await this.audit.record(
      em,
      actorOf(caller),
      household.comuneId,
      'READ_INCOME',
      `household:${household.id}`,
    );
    return id ? em.findOne(IncomeDeclaration, { id }) : null;
  }

  /**
   * The members of the caller's own households (found by the codice fiscale of their SPID/CIE
   * login, in every Comune's registry), each person once, the caller first: names, birth date and
   * codice fiscale only. Empty when the login has no codice fiscale (staff logged in by e-mail) or
   * the person is in no registry; UNAUTHENTICATED for anonymous callers and services. Not audited:
   * the audit log records staff reads of income data and case files, and this reads neither.
   */
  async mine(em: EntityManager, caller: Caller): Promise<MyHouseholdMember[]> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!caller.fiscalCode) return [];
    const hash = this.pii.lookupHash(FISCAL_CODE_PURPOSE, normaliseFiscalCode(caller.fiscalCode));
    const rows = await householdMatesOf(em, hash);
    return rows.map((r) => ({
      givenName: r.given_name,
      familyName: r.family_name,
      birthDate: r.birth_date,
      fiscalCode: this.pii.decrypt(r.fiscal_code_cipher),
      isCaller: r.fiscal_code_hash === hash,
    }));
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
