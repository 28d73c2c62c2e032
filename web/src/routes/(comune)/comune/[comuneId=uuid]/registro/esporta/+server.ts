import { redirect } from '@sveltejs/kit';
import { auditSearch, parseAuditFilter } from '$lib/audit';
import { canReadAuditLog } from '$lib/roles';
import { AUDIT_EXPORT_ROWS, auditCsvResponse, readAuditLogs } from '$lib/server/audit';
import { requireViewer } from '$lib/server/guards';
import type { RequestHandler } from './$types';

/**
 * `GET /comune/<id>/registro/esporta?<the page's filter>`: the filtered events as CSV (Italian
 * Excel). Anyone the page would refuse, a bad filter or a log that fails: back to the page.
 */
export const GET: RequestHandler = async (event) => {
  const { comuneId } = event.params;
  const viewer = requireViewer(event);
  const page = `/comune/${comuneId}/registro`;
  if (!canReadAuditLog(viewer, comuneId)) redirect(303, page);
  const parsed = parseAuditFilter(event.url.searchParams);
  const back = `${page}${auditSearch(parsed.values)}`;
  if (Object.keys(parsed.problems).length > 0) redirect(303, back);
  const view = await readAuditLogs(event.locals.api, comuneId, parsed.filter, AUDIT_EXPORT_ROWS);
  if (view.forbidden || view.unavailable.length > 0) redirect(303, back);
  return auditCsvResponse(view.rows);
};
