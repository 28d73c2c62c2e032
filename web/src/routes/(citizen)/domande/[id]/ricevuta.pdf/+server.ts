import { error } from '@sveltejs/kit';
import { isUuid } from '$lib/server/guards';
import { applicationFile } from '../../file-download.server';
import type { RequestHandler } from './$types';

/** `GET /domande/<id>/ricevuta.pdf`: the receipt of a submitted application (PDF). */
export const GET: RequestHandler = (event) => {
  if (!isUuid(event.params.id)) error(404, 'Not found');
  return applicationFile(event, {
    subgraph: 'public-welfare',
    path: 'files/receipt.pdf',
    params: new URLSearchParams({ applicationId: event.params.id }),
  });
};
