import { error } from '@sveltejs/kit';
import { requireComuneStaff } from '$lib/server/guards';
import { streamDownload, throwIfForbidden } from '$lib/server/refusals';
import type { RequestHandler } from './$types';

/**
 * `GET /comune/<id>/anagrafe/<householdId>/allegati/<attachmentId>`: a social worker's file,
 * streamed from the gateway (the subgraph gives it to the Comune's staff only, and logs the read).
 */
export const GET: RequestHandler = async (event) => {
  const { comuneId, attachmentId } = event.params;
  // The layout's guard does not run for an endpoint.
  requireComuneStaff(event, comuneId);
  const file = await streamDownload(event, {
    subgraph: 'public-welfare',
    path: 'files/household-attachment',
    params: new URLSearchParams({ id: attachmentId }),
  });
  if (file.ok) return file.response;
  throwIfForbidden(file);
  if (file.problem === 'unavailable') error(503, 'Service unavailable');
  error(404, 'Not found');
};
