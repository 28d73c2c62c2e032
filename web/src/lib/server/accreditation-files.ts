// A document of an accreditation request streamed from the gateway (third-sector subgraph).
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { downloadResponse, fetchDownload } from './downloads';
import { isUuid, requireViewer } from './guards';

/**
 * Streams the document to the browser. Anonymous visitors log in and come back; a document that
 * is not theirs (or missing) is a 404; a service that is down is the friendly 503 page. The
 * subgraph decides who may read it (the provider's ADMIN, the Comune's staff).
 */
export async function accreditationFile(
  event: RequestEvent,
  documentId: string,
): Promise<Response> {
  requireViewer(event);
  if (!isUuid(documentId)) error(404, 'Not found');
  const result = await fetchDownload(
    {
      token: event.locals.sessionToken,
      clientAddress: event.locals.clientAddress,
      requestId: event.locals.requestId,
    },
    {
      subgraph: 'third-sector',
      path: 'files/document',
      params: new URLSearchParams({ id: documentId }),
    },
  );
  if (result.ok) return downloadResponse(result.response);
  if (result.problem === 'unauthenticated') {
    const back = `${event.url.pathname}${event.url.search}`;
    redirect(303, `/accedi?redirectTo=${encodeURIComponent(back)}`);
  }
  if (result.problem === 'unavailable') error(503, 'Service unavailable');
  error(404, 'Not found');
}
