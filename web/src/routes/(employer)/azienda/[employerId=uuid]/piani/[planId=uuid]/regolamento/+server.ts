import { error } from '@sveltejs/kit';
import { streamDownload, throwIfForbidden } from '$lib/server/refusals';
import { requireEmployerHr } from '$lib/server/corporate-hr';
import type { RequestHandler } from './$types';

/** The plan's regulation, streamed from the corporate-welfare subgraph (the employer's HR only). */
export const GET: RequestHandler = async (event) => {
  requireEmployerHr(event);
  const file = await streamDownload(event, {
    subgraph: 'corporate-welfare',
    path: 'files/plan-regulation',
    params: new URLSearchParams({ planId: event.params.planId }),
  });
  if (file.ok) return file.response;
  throwIfForbidden(file);
  if (file.problem === 'unavailable') error(503, 'Service unavailable');
  error(404, 'Not found');
};
