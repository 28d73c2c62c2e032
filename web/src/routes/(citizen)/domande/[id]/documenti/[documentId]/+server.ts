import { error } from '@sveltejs/kit';
import { isUuid } from '$lib/server/guards';
import { applicationFile } from '../../../file-download.server';
import type { RequestHandler } from './$types';

/** `GET /domande/<id>/documenti/<documentId>`: a document uploaded with the application. */
export const GET: RequestHandler = (event) => {
  const { id, documentId } = event.params;
  if (!isUuid(id) || !isUuid(documentId)) error(404, 'Not found');
  return applicationFile(event, {
    subgraph: 'public-welfare',
    path: 'files/document',
    params: new URLSearchParams({ id: documentId }),
  });
};
