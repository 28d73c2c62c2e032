import type { MikroORM } from '@mikro-orm/postgresql';
import { DomainError } from '@welfare/kit';
import type { SubgraphRoute } from '@welfare/kit/subgraph';
import { readUpload, sendDomainError, sendFile, sendJson } from '@welfare/kit/http';
import type { AccreditationService } from './accreditation.service.js';

export interface AccreditationRouteOptions {
  orm: MikroORM;
  accreditations: AccreditationService;
  /** Largest document, in bytes (413 beyond). */
  maxDocumentBytes: number;
}

/**
 * The accreditation's file routes (behind the gateway's token, reached through
 * `POST /uploads/third-sector/files/…` and `GET /downloads/third-sector/files/…`):
 * - `POST /files/documents?requestId=&requirementId=&name=`: the raw file as body (PDF, JPEG or
 *   PNG, recognised by content). 201 `{"documentId"}`; 400 with field messages, 404, 409, 413.
 * - `GET /files/document?id=`: a document, for the provider's ADMIN or the Comune's staff.
 */
export function accreditationRoutes(
  options: AccreditationRouteOptions,
): Record<string, SubgraphRoute> {
  const upload: SubgraphRoute = async (req, res, verified) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const content = await readUpload(req, res, options.maxDocumentBytes);
    if (!content) return;
    try {
      const document = await options.accreditations.addDocument(
        options.orm.em.fork(),
        verified.caller,
        url.searchParams.get('requestId') ?? '',
        {
          requirementId: url.searchParams.get('requirementId') ?? '',
          fileName: url.searchParams.get('name') ?? '',
          content,
        },
      );
      sendJson(res, 201, { documentId: document.id }, { 'cache-control': 'no-store' });
    } catch (err) {
      sendDomainError(res, err);
    }
  };

  const document: SubgraphRoute = async (req, res, verified) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (verified.caller.kind !== 'person') throw DomainError.unauthenticated();
      const doc = await options.accreditations.document(
        options.orm.em.fork(),
        verified.caller,
        url.searchParams.get('id') ?? '',
      );
      if (!doc) throw DomainError.notFound();
      sendFile(res, { contentType: doc.contentType, fileName: doc.fileName, content: doc.content });
    } catch (err) {
      sendDomainError(res, err);
    }
  };

  return { 'POST /files/documents': upload, 'GET /files/document': document };
}
