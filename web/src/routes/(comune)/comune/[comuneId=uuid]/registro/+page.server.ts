import { error } from '@sveltejs/kit';
import { auditSearch, parseAuditFilter } from '$lib/audit';
import { canReadAuditLog } from '$lib/roles';
import { AUDIT_PAGE_ROWS, readAuditLogs } from '$lib/server/audit';
import { requireViewer } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

/**
 * The Comune's audit log (its MANAGERs and platform admins): the events of every subgraph's log
 * about the Comune, newest first, filtered by a GET form (days, action, actor), with the CSV.
 */
export const load: PageServerLoad = async (event) => {
  const { comuneId } = event.params;
  const viewer = requireViewer(event);
  if (!canReadAuditLog(viewer, comuneId)) error(403, 'Forbidden');
  const parsed = parseAuditFilter(event.url.searchParams);
  const invalid = Object.keys(parsed.problems).length > 0;
  const view = invalid
    ? { rows: [], unavailable: [], forbidden: false, truncated: false }
    : await readAuditLogs(event.locals.api, comuneId, parsed.filter, AUDIT_PAGE_ROWS);
  if (view.forbidden) error(403, 'Forbidden');
  return {
    values: parsed.values,
    problems: parsed.problems,
    rows: view.rows,
    unavailable: view.unavailable,
    truncated: view.truncated,
    comuneId,
    search: invalid ? null : auditSearch(parsed.values),
  };
};
