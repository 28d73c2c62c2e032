import { accreditationFile } from '$lib/server/accreditation-files';
import { requireProviderAdmin } from '../../../../access';
import type { RequestHandler } from './$types';

/** `GET /ente/<providerId>/accreditamento/<requestId>/documenti/<documentId>`: a document. */
export const GET: RequestHandler = (event) => {
  requireProviderAdmin(event);
  return accreditationFile(event, event.params.documentId);
};
