import { error } from '@sveltejs/kit';
import { auditSearch, parseAuditFilter } from '$lib/audit';
import { AUDIT_PAGE_ROWS, readAuditChains, readAuditLogs } from '$lib/server/audit';
import { requireAdmin } from '$lib/server/guards';
import { OrganisationsQuery } from '$lib/server/operations';
import type { PageServerLoad } from './$types';

/**
 * Every subgraph's audit log (platform admins), combined newest first, filtered by a GET form,
 * with the CSV; above it, the scheduled verification of each chain (an alert when one broke).
 */
export const load: PageServerLoad = async (event) => {
  requireAdmin(event);
  const parsed = parseAuditFilter(event.url.searchParams);
  const invalid = Object.keys(parsed.problems).length > 0;
  const [view, chains, organisations] = await Promise.all([
    invalid
      ? { rows: [], unavailable: [], forbidden: false, truncated: false }
      : readAuditLogs(event.locals.api, null, parsed.filter, AUDIT_PAGE_ROWS),
    readAuditChains(event.locals.api),
    event.locals.api(OrganisationsQuery),
  ]);
  if (view.forbidden) error(403, 'Forbidden');
  return {
    values: parsed.values,
    problems: parsed.problems,
    rows: view.rows,
    unavailable: view.unavailable,
    truncated: view.truncated,
    comuneId: null,
    search: invalid ? null : auditSearch(parsed.values),
    chains: chains.chains,
    chainsUnavailable: chains.unavailable,
    names: Object.fromEntries((organisations.data?.organisations ?? []).map((o) => [o.id, o.name])),
  };
};
