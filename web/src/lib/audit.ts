// The audit page's filter and the combination of the subgraphs' logs (pure: the page, the CSV
// export and their tests share it).
import { addDays, isDay, romeInstant } from './dates';
import { both } from './i18n';
import type { Localized } from './locale';
import { m } from './paraglide/messages';

/** The logs the portal combines, one per subgraph that keeps one. */
export const AUDIT_LOGS = ['identity', 'publicWelfare', 'thirdSector'] as const;
export type AuditLogId = (typeof AUDIT_LOGS)[number];

/** The filter as the GET form sends it (Italian parameter names). */
export interface AuditFilterValues {
  dal: string;
  al: string;
  azione: string;
  autore: string;
}

/** The filter as the API takes it. */
export interface AuditApiFilter {
  from: string | null;
  to: string | null;
  action: string | null;
  actor: string | null;
}

export interface ParsedAuditFilter {
  values: AuditFilterValues;
  filter: AuditApiFilter;
  /** Field-level problems (the form shows them; the API is not asked). */
  problems: Partial<Record<keyof AuditFilterValues, Localized>>;
}

const TEXT_MAX = 200;

/** Reads the form's parameters: days are Rome's (`dal` from its start, `al` to its end). */
export function parseAuditFilter(params: URLSearchParams): ParsedAuditFilter {
  const get = (name: keyof AuditFilterValues) => params.get(name)?.trim() ?? '';
  const values: AuditFilterValues = {
    dal: get('dal'),
    al: get('al'),
    azione: get('azione'),
    autore: get('autore'),
  };
  const problems: ParsedAuditFilter['problems'] = {};
  for (const day of ['dal', 'al'] as const) {
    if (values[day] && !isDay(values[day])) problems[day] = both(m.audit_bad_day);
  }
  for (const text of ['azione', 'autore'] as const) {
    if (values[text].length > TEXT_MAX) problems[text] = both(m.audit_too_long);
  }
  if (!problems.dal && !problems.al && values.dal && values.al && values.dal > values.al) {
    problems.al = both(m.audit_bad_range);
  }
  const end = values.al && !problems.al ? romeInstant(addDays(values.al, 1), '00:00') : null;
  return {
    values,
    problems,
    filter: {
      from: values.dal && !problems.dal ? romeInstant(values.dal, '00:00') : null,
      to: end ? new Date(new Date(end).getTime() - 1).toISOString() : null,
      action: values.azione ? values.azione.toUpperCase() : null,
      actor: values.autore || null,
    },
  };
}

/** The form's values as a query string (`?dal=…`), empty parameters left out. */
export function auditSearch(values: AuditFilterValues): string {
  const params = new URLSearchParams();
  for (const name of ['dal', 'al', 'azione', 'autore'] as const) {
    if (values[name]) params.set(name, values[name]);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** One event as the page and the CSV show it. */
export interface AuditRow {
  log: AuditLogId;
  seq: string;
  at: string;
  organisationId: string | null;
  actor: string;
  action: string;
  subject: string;
}

interface ApiEvent {
  seq: string;
  at: string;
  organisationId: string | null;
  actor: string;
  action: string;
  subject: string;
}

/** The logs' events in one list, newest first (ties: by log, then newest in the chain). */
export function mergeAuditEvents(
  pages: Partial<Record<AuditLogId, readonly ApiEvent[]>>,
  limit: number,
): AuditRow[] {
  const rows: AuditRow[] = [];
  for (const log of AUDIT_LOGS) for (const e of pages[log] ?? []) rows.push({ log, ...e });
  rows.sort(
    (a, b) =>
      b.at.localeCompare(a.at) ||
      AUDIT_LOGS.indexOf(a.log) - AUDIT_LOGS.indexOf(b.log) ||
      Number(b.seq) - Number(a.seq),
  );
  return rows.slice(0, limit);
}
