// A file of an application (its receipt, an uploaded document) streamed from the gateway.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { type DownloadTarget, downloadResponse, fetchDownload } from '$lib/server/downloads';
import { requireViewer } from '$lib/server/guards';

/**
 * Streams the file to the browser. Anonymous visitors log in and come back; a file that is not
 * theirs (or missing) is a 404; a service that is down is the friendly 503 page.
 */
export async function applicationFile(
  event: RequestEvent,
  target: DownloadTarget,
): Promise<Response> {
  requireViewer(event);
  const result = await fetchDownload(
    {
      token: event.locals.sessionToken,
      clientAddress: event.locals.clientAddress,
      requestId: event.locals.requestId,
    },
    target,
  );
  if (result.ok) return downloadResponse(result.response);
  if (result.problem === 'unauthenticated') {
    const back = `${event.url.pathname}${event.url.search}`;
    redirect(303, `/accedi?redirectTo=${encodeURIComponent(back)}`);
  }
  if (result.problem === 'unavailable') error(503, 'Service unavailable');
  error(404, 'Not found');
}
