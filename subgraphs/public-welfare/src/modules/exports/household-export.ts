import type { EntityManager } from '@mikro-orm/postgresql';
import { FieldErrors, type Caller } from '@welfare/kit';
import { csvText } from '@welfare/kit/csv';
import type { AuditService } from '../audit/audit.service.js';
import { HOUSEHOLDS_FROM, householdFilterWhere } from '../household/household.repository.js';
import {
  validateHouseholdFilter,
  type HouseholdFilterData,
} from '../household/household.service.js';
import { actorOf, requireComuneStaff } from '@welfare/kit/access';
import { ISEE_TYPES, type IseeType } from '../shared/enums.js';

const BATCH = 500;

export const EXPORT_HEADER = [
  'codice_famiglia',
  'indirizzo',
  'componenti',
  'residente',
  'isee',
  'tipo_isee',
];

interface ExportRow {
  id: string;
  code: string;
  address: string;
  resident: boolean;
  size: number;
  isee_cents: string | number | null;
  isee_type: IseeType | null;
}

/**
 * The filter of the export's query string, in the API's units: `iseeMax` (cents), `iseeType`,
 * `minSize`, `maxSize`, and `true`/`false` for the yes/no criteria. BAD_USER_INPUT for a value
 * that is not one, or that `households` would refuse.
 */
export function parseExportFilter(params: URLSearchParams): HouseholdFilterData {
  const errors = new FieldErrors();
  const filter: HouseholdFilterData = {};
  for (const key of ['iseeMax', 'minSize', 'maxSize'] as const) {
    const value = params.get(key);
    if (value === null || value === '') continue;
    if (/^-?\d{1,9}$/.test(value)) filter[key] = Number(value);
    else errors.add(key, 'Numero intero atteso.', 'A whole number is expected.');
  }
  const type = params.get('iseeType');
  if (type) {
    if ((ISEE_TYPES as readonly string[]).includes(type)) filter.iseeType = type as IseeType;
    else errors.add('iseeType', 'Tipo di ISEE sconosciuto.', 'Unknown ISEE type.');
  }
  for (const key of [
    'hasMinors',
    'hasElderly',
    'hasDisability',
    'receivesPublicSupport',
  ] as const) {
    const value = params.get(key);
    if (value === null || value === '') continue;
    if (value === 'true' || value === 'false') filter[key] = value === 'true';
    else errors.add(key, 'Atteso true o false.', 'Expected true or false.');
  }
  validateHouseholdFilter(filter, errors);
  errors.throwIfAny();
  return filter;
}

/** Euro cents as Italian Excel reads an amount: `12345,67` (no thousands separator). */
export function euro(cents: number): string {
  const whole = Math.floor(cents / 100);
  const rest = String(cents % 100).padStart(2, '0');
  return `${whole},${rest}`;
}

/**
 * The matching households as Italian Excel CSV lines (header first), read in keyset batches so
 * the export never holds the whole registry. Checks tenancy and the filter first, then writes one
 * EXPORT_HOUSEHOLDS audit row (the file carries income data).
 */
export async function exportHouseholds(
  em: EntityManager,
  audit: AuditService,
  caller: Caller,
  comuneId: string,
  filter: HouseholdFilterData,
): Promise<AsyncGenerator<string>> {
  requireComuneStaff(caller, comuneId);
  const errors = new FieldErrors();
  validateHouseholdFilter(filter, errors);
  errors.throwIfAny();
  await audit.record(em, actorOf(caller), comuneId, 'EXPORT_HOUSEHOLDS', `comune:${comuneId}`);
  const { whereSql, params } = householdFilterWhere(comuneId, filter);
  return (async function* lines() {
    yield csvText([EXPORT_HEADER]);
    let after: { code: string; id: string } | undefined;
    for (;;) {
      const rows: ExportRow[] = await em.execute<ExportRow[]>(
        `select h."id", h."code", h."address", h."resident", coalesce(mm."size", 0) as "size",
           inc."isee_cents", inc."isee_type"
         ${HOUSEHOLDS_FROM}
         where ${whereSql}${after ? ' and (h."code", h."id") > (?, ?::uuid)' : ''}
         order by h."code", h."id" limit ?`,
        [...params, ...(after ? [after.code, after.id] : []), BATCH],
      );
      if (rows.length === 0) return;
      yield csvText(
        rows.map((r) => [
          r.code,
          r.address,
          r.size,
          r.resident ? 'SI' : 'NO',
          r.isee_cents == null ? '' : euro(Number(r.isee_cents)),
          r.isee_type ?? '',
        ]),
      );
      const last = rows[rows.length - 1]!;
      after = { code: last.code, id: last.id };
      if (rows.length < BATCH) return;
    }
  })();
}
