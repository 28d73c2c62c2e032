import { redirect } from '@sveltejs/kit';
import { auditSearch, parseAuditFilter } from '$lib/audit';
import { AUDIT_EXPORT_ROWS, auditCsvResponse, readAuditLogs } from '$lib/server/audit';
import { requireAdmin } from '$lib/server/guards';
import type { RequestHandler } from './$types';

/**
 * `GET /admin/registro/esporta?<the page's filter>`: every log's filtered events as CSV
 * (platform admins; 403 for anyone else). A bad filter or a log that fails: back to the page.
 */
export const GET: RequestHandler = async (event) => {
  requireAdmin(event);
  const parsed = parseAuditFilter(event.url.searchParams);
  const back = `/admin/registro${auditSearch(parsed.values)}`;
  if (Object.keys(parsed.problems).length > 0) redirect(303, back);
  const view = await readAuditLogs(event.locals.api, null, parsed.filter, AUDIT_EXPORT_ROWS);
  if (view.forbidden || view.unavailable.length > 0) redirect(303, back);
  return auditCsvResponse(view.rows);
};
