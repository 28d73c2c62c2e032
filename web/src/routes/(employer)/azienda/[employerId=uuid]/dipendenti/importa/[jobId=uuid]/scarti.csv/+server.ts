import { error, redirect } from '@sveltejs/kit';
import { requireEmployerHr } from '$lib/server/corporate-hr';
import { streamDownload, throwIfForbidden } from '$lib/server/refusals';
import type { RequestHandler } from './$types';

/** `GET …/dipendenti/importa/<job>/scarti.csv`: every stored rejection of the job, as CSV. */
export const GET: RequestHandler = async (event) => {
  const { employerId, jobId } = event.params;
  requireEmployerHr(event);
  const file = await streamDownload(event, {
    subgraph: 'corporate-welfare',
    path: 'files/enrolment/rejections.csv',
    params: new URLSearchParams({ employerId, jobId }),
  });
  if (file.ok) return file.response;
  throwIfForbidden(file);
  if (file.problem === 'notFound') error(404, 'Not found');
  redirect(303, `/azienda/${employerId}/dipendenti/importa/${jobId}?aggiorna=no`);
};
