import { applicationFile } from '../../../file-download.server';
import type { RequestHandler } from './$types';

/** `GET /domande/<id>/documenti/<documentId>`: a document uploaded with the application. */
export const GET: RequestHandler = (event) => {
  const { documentId } = event.params;
  return applicationFile(event, {
    subgraph: 'public-welfare',
    path: 'files/document',
    params: new URLSearchParams({ id: documentId }),
  });
};
