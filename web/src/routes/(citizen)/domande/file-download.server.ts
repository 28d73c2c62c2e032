// A file of an application (its receipt, an uploaded document) streamed from the gateway.
import { error, type RequestEvent } from '@sveltejs/kit';
import type { DownloadTarget } from '$lib/server/downloads';
import { requireViewer } from '$lib/server/guards';
import { streamDownload } from '$lib/server/refusals';

/**
 * Streams the file to the browser. Anonymous visitors log in and come back; a file that is not
 * theirs (or missing) is a 404; a service that is down is the friendly 503 page.
 */
export async function applicationFile(
  event: RequestEvent,
  target: DownloadTarget,
): Promise<Response> {
  requireViewer(event);
  const file = await streamDownload(event, target);
  if (file.ok) return file.response;
  if (file.problem === 'unavailable') error(503, 'Service unavailable');
  error(404, 'Not found');
}
