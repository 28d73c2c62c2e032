import { error, redirect } from '@sveltejs/kit';
import { requireComuneStaff } from '$lib/server/guards';
import { streamDownload, throwIfForbidden } from '$lib/server/refusals';
import type { RequestHandler } from './$types';

/** `GET …/importazioni/<job>/scarti.csv`: every stored rejection of the job, as CSV. */
export const GET: RequestHandler = async (event) => {
  const { comuneId, jobId } = event.params;
  // The layout's guard does not run for an endpoint.
  requireComuneStaff(event, comuneId);
  const file = await streamDownload(event, {
    subgraph: 'public-welfare',
    path: 'files/imports/rejections.csv',
    params: new URLSearchParams({ jobId }),
  });
  if (file.ok) return file.response;
  throwIfForbidden(file);
  if (file.problem === 'notFound') error(404, 'Not found');
  redirect(303, `/comune/${comuneId}/importazioni/${jobId}?aggiorna=no&esito=non-disponibile`);
};
