import { error } from '@sveltejs/kit';
import { receiptTarget } from '$lib/server/corporate-claims';
import { requireEmployerHr } from '$lib/server/corporate-hr';
import { streamDownload, throwIfForbidden } from '$lib/server/refusals';
import type { RequestHandler } from './$types';

/** `GET /azienda/<employerId>/rimborsi/<id>/ricevute/<receiptId>`: a receipt, for HR. */
export const GET: RequestHandler = async (event) => {
  requireEmployerHr(event);
  const file = await streamDownload(event, receiptTarget(event.params.receiptId));
  if (file.ok) return file.response;
  throwIfForbidden(file);
  if (file.problem === 'unavailable') error(503, 'Service unavailable');
  error(404, 'Not found');
};
