import { redirect } from '@sveltejs/kit';
import { householdsSearch, parseHouseholdFilter } from '$lib/households';
import { canUseRegistry } from '$lib/roles';
import { type DownloadProblem, householdsExportTarget } from '$lib/server/downloads';
import { requireViewer } from '$lib/server/guards';
import { streamDownload } from '$lib/server/refusals';
import type { RequestHandler } from './$types';

/** The registry page's parameter that says why an export failed (its page shows a notice). */
const NOTICE_PARAM = 'esportazione';
const NOTICES: Record<Exclude<DownloadProblem, 'unauthenticated'>, string> = {
  forbidden: 'non-consentita',
  notFound: 'non-consentita',
  badRequest: 'non-valida',
  unavailable: 'non-disponibile',
};

/**
 * `GET /comune/<id>/anagrafe/esporta?<the registry page's filter>`: the matching households as
 * a CSV file (Italian Excel), streamed from the gateway as it is written. Anonymous visitors go
 * to the login page and come back; anyone else but the Comune's staff (and platform admins)
 * gets the registry page's own 403. A filter the page would refuse, or an export that fails,
 * leads back to the registry page with the filter and a notice.
 */
export const GET: RequestHandler = async (event) => {
  const { comuneId } = event.params;
  const viewer = requireViewer(event);
  const registry = `/comune/${encodeURIComponent(comuneId)}/anagrafe`;
  // The layout's guard does not run for an endpoint: the registry page answers with its 403/404.
  if (!canUseRegistry(viewer, comuneId)) redirect(303, registry);

  const parsed = parseHouseholdFilter(event.url.searchParams);
  const search = householdsSearch(parsed.values);
  if (Object.keys(parsed.problems).length > 0) redirect(303, `${registry}${search}`);

  const file = await streamDownload(event, householdsExportTarget(comuneId, parsed.filter));
  if (file.ok) return file.response;
  const params = new URLSearchParams(search.slice(1));
  params.set(NOTICE_PARAM, NOTICES[file.problem]);
  redirect(303, `${registry}?${params.toString()}`);
};
