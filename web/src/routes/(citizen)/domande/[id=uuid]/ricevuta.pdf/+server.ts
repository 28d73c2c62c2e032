import { applicationFile } from '../../file-download.server';
import type { RequestHandler } from './$types';

/** `GET /domande/<id>/ricevuta.pdf`: the receipt of a submitted application (PDF). */
export const GET: RequestHandler = (event) => {
  return applicationFile(event, {
    subgraph: 'public-welfare',
    path: 'files/receipt.pdf',
    params: new URLSearchParams({ applicationId: event.params.id }),
  });
};
