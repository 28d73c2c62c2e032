import { error } from '@sveltejs/kit';
import { receiptTarget } from '$lib/server/corporate-claims';
import { requireViewer } from '$lib/server/guards';
import { streamDownload, throwIfForbidden } from '$lib/server/refusals';
import type { RequestHandler } from './$types';

/** `GET /welfare-aziendale/rimborsi/<id>/ricevute/<receiptId>`: a receipt of the employee's claim. */
export const GET: RequestHandler = async (event) => {
  requireViewer(event);
  const file = await streamDownload(event, receiptTarget(event.params.receiptId));
  if (file.ok) return file.response;
  throwIfForbidden(file);
  if (file.problem === 'unavailable') error(503, 'Service unavailable');
  error(404, 'Not found');
};
