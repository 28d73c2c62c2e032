import { accreditationFile } from '$lib/server/accreditation-files';
import { requireComuneStaff } from '$lib/server/guards';
import type { RequestHandler } from './$types';

/** `GET /comune/<comuneId>/enti/<requestId>/documenti/<documentId>`: a document of a request. */
export const GET: RequestHandler = (event) => {
  requireComuneStaff(event, event.params.comuneId);
  return accreditationFile(event, event.params.documentId);
};
