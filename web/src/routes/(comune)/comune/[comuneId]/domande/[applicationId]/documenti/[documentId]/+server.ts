import { error, redirect } from '@sveltejs/kit';
import { downloadResponse, fetchDownload } from '$lib/server/downloads';
import { isUuid, requireComuneStaff } from '$lib/server/guards';
import type { RequestHandler } from './$types';

/**
 * `GET /comune/<id>/domande/<applicationId>/documenti/<documentId>`: a document of a case,
 * streamed from the gateway (the subgraph gives it to the Comune's staff only, and logs the read).
 */
export const GET: RequestHandler = async (event) => {
  const { comuneId, applicationId, documentId } = event.params;
  // The layout's guard does not run for an endpoint.
  requireComuneStaff(event, comuneId);
  if (!isUuid(applicationId) || !isUuid(documentId)) error(404, 'Not found');
  const result = await fetchDownload(
    {
      token: event.locals.sessionToken,
      clientAddress: event.locals.clientAddress,
      requestId: event.locals.requestId,
    },
    {
      subgraph: 'public-welfare',
      path: 'files/document',
      params: new URLSearchParams({ id: documentId }),
    },
  );
  if (result.ok) return downloadResponse(result.response);
  if (result.problem === 'unauthenticated') {
    const back = `${event.url.pathname}${event.url.search}`;
    redirect(303, `/accedi?redirectTo=${encodeURIComponent(back)}`);
  }
  if (result.problem === 'forbidden') error(403, 'Forbidden');
  if (result.problem === 'unavailable') error(503, 'Unavailable');
  error(404, 'Not found');
};
