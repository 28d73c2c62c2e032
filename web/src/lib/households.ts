// The households list's filter: read from the page's GET parameters. Pure: unit-tested.
import {
  IMPORT_KINDS,
  ISEE_TYPES,
  type ImportKind,
  type ImportStatus,
  type IseeType,
  isOneOf,
} from './api-enums';
import { formatEuroInput, parseEuroCents } from './money';

/** True while a job may still change (its page refreshes itself). */
export function isImportActive(status: ImportStatus): boolean {
  return status === 'QUEUED' || status === 'RUNNING';
}

export function isImportKind(value: unknown): value is ImportKind {
  return isOneOf(IMPORT_KINDS, value);
}

/** The filter form's fields, in form order (also the GET parameter names). */
export const FILTER_FIELDS = [
  'iseeMax',
  'iseeType',
  'minSize',
  'maxSize',
  'hasMinors',
  'hasElderly',
  'hasDisability',
  'receivesPublicSupport',
] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

export const BOOLEAN_FILTERS = [
  'hasMinors',
  'hasElderly',
  'hasDisability',
  'receivesPublicSupport',
] as const;

/** The API's HouseholdFilter. */
export interface HouseholdFilterInput {
  iseeMax?: number;
  iseeType?: IseeType;
  minSize?: number;
  maxSize?: number;
  hasMinors?: boolean;
  hasElderly?: boolean;
  hasDisability?: boolean;
  receivesPublicSupport?: boolean;
}

/** Why a filter value was refused (the page turns it into a message). */
export type FilterProblem = 'amount' | 'size' | 'sizeRange' | 'choice';

export interface ParsedFilter {
  /** What the person typed, to show again in the form. */
  values: Record<FilterField, string>;
  filter: HouseholdFilterInput;
  problems: Partial<Record<FilterField, FilterProblem>>;
  /** The `after` cursor ('' on the first page). */
  after: string;
}

/** Largest ISEE the API accepts: 1,000,000.00 euro. */
const MAX_ISEE_CENTS = 100_000_000;
const MAX_SIZE = 99;

function parseSize(input: string): number | null {
  if (!/^\d{1,2}$/.test(input)) return null;
  const size = Number(input);
  return size >= 1 && size <= MAX_SIZE ? size : null;
}

/** Reads the filter and the cursor from the page's search parameters. */
export function parseHouseholdFilter(params: URLSearchParams): ParsedFilter {
  const values = Object.fromEntries(
    FILTER_FIELDS.map((f) => [f, (params.get(f) ?? '').trim()]),
  ) as Record<FilterField, string>;
  const filter: HouseholdFilterInput = {};
  const problems: ParsedFilter['problems'] = {};

  if (values.iseeMax) {
    const cents = parseEuroCents(values.iseeMax);
    if (cents === null || cents > MAX_ISEE_CENTS) problems.iseeMax = 'amount';
    else filter.iseeMax = cents;
  }
  if (values.iseeType) {
    const type = values.iseeType.toUpperCase();
    if (isOneOf(ISEE_TYPES, type)) filter.iseeType = type;
    else problems.iseeType = 'choice';
  }
  for (const field of ['minSize', 'maxSize'] as const) {
    if (!values[field]) continue;
    const size = parseSize(values[field]);
    if (size === null) problems[field] = 'size';
    else filter[field] = size;
  }
  if (
    filter.minSize !== undefined &&
    filter.maxSize !== undefined &&
    filter.minSize > filter.maxSize
  ) {
    problems.maxSize = 'sizeRange';
    delete filter.maxSize;
  }
  for (const field of BOOLEAN_FILTERS) {
    if (values[field] === 'true') filter[field] = true;
    else if (values[field] === 'false') filter[field] = false;
    else if (values[field]) problems[field] = 'choice';
  }
  return { values, filter, problems, after: (params.get('after') ?? '').trim() };
}

/** The query string of a page of the list: the filter as typed, and the cursor if any. */
export function householdsSearch(values: Record<FilterField, string>, after?: string): string {
  const params = new URLSearchParams();
  for (const field of FILTER_FIELDS) if (values[field]) params.set(field, values[field]);
  if (after) params.set('after', after);
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** A saved filter as the API gives it (null for a criterion not set). */
export type SavedFilter = { [K in keyof HouseholdFilterInput]?: HouseholdFilterInput[K] | null };

/** The filter form's values of a saved filter (to link to the list with it applied). */
export function filterValues(filter: SavedFilter): Record<FilterField, string> {
  const values = Object.fromEntries(FILTER_FIELDS.map((f) => [f, ''])) as Record<
    FilterField,
    string
  >;
  if (filter.iseeMax != null) values.iseeMax = formatEuroInput(filter.iseeMax);
  if (filter.iseeType != null) values.iseeType = filter.iseeType;
  if (filter.minSize != null) values.minSize = String(filter.minSize);
  if (filter.maxSize != null) values.maxSize = String(filter.maxSize);
  for (const field of BOOLEAN_FILTERS) {
    const value = filter[field];
    if (value != null) values[field] = value ? 'true' : 'false';
  }
  return values;
}
