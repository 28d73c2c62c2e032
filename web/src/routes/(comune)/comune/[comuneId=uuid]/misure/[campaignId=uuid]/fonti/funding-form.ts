// The funding sources form: its rows as typed, read from the POST and checked before the API is
// called. Pure (no SvelteKit): unit-tested in funding-form.spec.ts.
import type { Localized } from '$lib/locale';
import { formatEuroInput, parseEuroAmount } from '$lib/money';

export const FUNDING_KINDS = ['STATE', 'REGION', 'COMUNE', 'EU', 'DONATION', 'OTHER'] as const;
export type FundingKind = (typeof FUNDING_KINDS)[number];

/** How the reports split the money among the sources (the API's FundingAllocation). */
export const FUNDING_ALLOCATIONS = ['PRO_RATA', 'PRIORITY'] as const;
type FundingAllocation = (typeof FUNDING_ALLOCATIONS)[number];

/** The mode posted (`allocation`): PRIORITY when asked, PRO_RATA otherwise. */
export function readAllocation(data: FormData): FundingAllocation {
  return data.get('allocation') === 'PRIORITY' ? 'PRIORITY' : 'PRO_RATA';
}

/**
 * The rows after a move button (`<row>:up` or `<row>:down`): that row swapped with its neighbour;
 * `to` is its new index (null, rows unchanged, for a bad or impossible move).
 */
export function movedRows(
  rows: readonly SourceRow[],
  move: string,
): { rows: SourceRow[]; to: number | null } {
  const match = /^(\d+):(up|down)$/.exec(move);
  const from = match ? Number(match[1]) : -1;
  const to = match?.[2] === 'up' ? from - 1 : from + 1;
  if (!match || from >= rows.length || to < 0 || to >= rows.length)
    return { rows: [...rows], to: null };
  const out = [...rows];
  [out[from], out[to]] = [out[to]!, out[from]!];
  return { rows: out, to };
}

/** The rows the form shows at least (empty ones to fill), and at most (the API's limit). */
export const MIN_ROWS = 3;
export const MAX_ROWS = 20;
/** The API's largest amount: 100 million euro in cents. */
const MAX_CENTS = 10_000_000_000;

/** One row as typed: `kind` a FundingKind or '', `amount` euro text. */
export interface SourceRow {
  kind: string;
  name: string;
  amount: string;
}

export interface Source {
  kind: FundingKind;
  name: string;
  amountCents: number;
}

const isKind = (k: string): k is FundingKind => (FUNDING_KINDS as readonly string[]).includes(k);

/** The stored sources as rows, padded with empty rows up to MIN_ROWS. */
export function rowsOf(sources: readonly Source[]): SourceRow[] {
  const rows = sources.map((s) => ({
    kind: s.kind,
    name: s.name,
    amount: formatEuroInput(s.amountCents),
  }));
  return padded(rows);
}

/** `rows` with empty rows up to MIN_ROWS (never above MAX_ROWS). */
export function padded(rows: SourceRow[], extra = 0): SourceRow[] {
  const wanted = Math.min(MAX_ROWS, Math.max(MIN_ROWS, rows.length + extra));
  const out = rows.slice(0, MAX_ROWS);
  while (out.length < wanted) out.push({ kind: '', name: '', amount: '' });
  return out;
}

/** The rows of a POST: `rows` says how many (1..MAX_ROWS), then `kind.<i>`, `name.<i>`, `amount.<i>`. */
export function readRows(data: FormData): SourceRow[] {
  const field = (name: string) => {
    const v = data.get(name);
    return typeof v === 'string' ? v.trim() : '';
  };
  const count = Number(field('rows'));
  const n = Number.isInteger(count) ? Math.min(MAX_ROWS, Math.max(1, count)) : MIN_ROWS;
  return Array.from({ length: n }, (_, i) => ({
    kind: field(`kind.${i}`),
    name: field(`name.${i}`),
    amount: field(`amount.${i}`),
  }));
}

/** The messages the checks use (paraglide's, in both languages, given by the caller). */
export interface SourceMessages {
  kind: Localized;
  name: Localized;
  amount: Localized;
}

/**
 * The sources to send: rows with neither name nor amount are left out (that is how a row is
 * removed); `rowOf[j]` is the form row of the j-th source sent, to put the API's
 * `sources.<j>.<field>` errors back on their row. `fields` has the problems found here, by the
 * row's keys (`sources.<row>.kind|name|amountCents`).
 */
export function parseRows(
  rows: readonly SourceRow[],
  messages: SourceMessages,
): { sources: Source[]; rowOf: number[]; fields: Record<string, Localized> } {
  const sources: Source[] = [];
  const rowOf: number[] = [];
  const fields: Record<string, Localized> = {};
  rows.forEach((row, i) => {
    if (!row.name && !row.amount) return;
    const amount = parseEuroAmount(row.amount, MAX_CENTS);
    const cents = 'cents' in amount && amount.cents > 0 ? amount.cents : null;
    if (!isKind(row.kind)) fields[`sources.${i}.kind`] = messages.kind;
    if (!row.name) fields[`sources.${i}.name`] = messages.name;
    if (cents === null) fields[`sources.${i}.amountCents`] = messages.amount;
    if (isKind(row.kind) && cents !== null) {
      sources.push({ kind: row.kind, name: row.name, amountCents: cents });
      rowOf.push(i);
    }
  });
  return { sources, rowOf, fields };
}

/** An API field (`sources.<j>.x` or `sources`) as the form's key (`sources.<row>.x`). */
export function formField(apiField: string, rowOf: readonly number[]): string {
  const match = /^sources\.(\d+)\.(kind|name|amountCents)$/.exec(apiField);
  if (!match) return apiField;
  const row = rowOf[Number(match[1])];
  return row === undefined ? 'sources' : `sources.${row}.${match[2]}`;
}
