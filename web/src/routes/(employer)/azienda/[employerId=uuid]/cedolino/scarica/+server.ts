import { error } from '@sveltejs/kit';
import { monthParam } from '$lib/corporate-claims';
import { payrollTarget } from '$lib/server/corporate-claims';
import { requireEmployerHr } from '$lib/server/corporate-hr';
import { streamDownload, throwIfForbidden } from '$lib/server/refusals';
import type { RequestHandler } from './$types';

/** `GET /azienda/<employerId>/cedolino/scarica?mese=YYYY-MM&formato=csv|xlsx`: the export. */
export const GET: RequestHandler = async (event) => {
  requireEmployerHr(event);
  const month = monthParam(event.url.searchParams.get('mese'));
  const format = event.url.searchParams.get('formato') === 'xlsx' ? 'xlsx' : 'csv';
  if (!month) error(400, 'Bad month');
  const file = await streamDownload(event, payrollTarget(event.params.employerId, month, format));
  if (file.ok) return file.response;
  throwIfForbidden(file);
  if (file.problem === 'unavailable') error(503, 'Service unavailable');
  error(404, 'Not found');
};
