// A document of an accreditation request streamed from the gateway (third-sector subgraph).
import { error, type RequestEvent } from '@sveltejs/kit';
import { requireViewer } from './guards';
import { streamDownload } from './refusals';

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
  const file = await streamDownload(event, {
    subgraph: 'third-sector',
    path: 'files/document',
    params: new URLSearchParams({ id: documentId }),
  });
  if (file.ok) return file.response;
  if (file.problem === 'unavailable') error(503, 'Service unavailable');
  error(404, 'Not found');
}
