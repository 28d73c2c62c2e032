import type { IncomingMessage } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import { DomainError, type SubgraphRoute } from '@welfare/kit';
import { sendJson, sendDomainError } from '@welfare/kit/http';
import type { AccreditationService } from './accreditation.service.js';

export interface AccreditationRouteOptions {
  orm: MikroORM;
  accreditations: AccreditationService;
  /** Largest document, in bytes (413 beyond). */
  maxDocumentBytes: number;
}

/** Reads the whole body up to `max` bytes; undefined when it is larger (the rest is drained). */
async function readLimited(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (over) continue;
    size += chunk.length;
    if (size > max) {
      over = true;
      chunks.length = 0;
      continue;
    }
    chunks.push(chunk);
  }
  return over ? undefined : Buffer.concat(chunks);
}

function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function tooLargeBody(maxBytes: number) {
  const mb = Math.floor(maxBytes / 1_048_576);
  const message = { it: `Il file supera ${mb} MB.`, en: `The file is over ${mb} MB.` };
  return {
    errors: [
      {
        message: `${message.it} / ${message.en}`,
        extensions: {
          code: 'BAD_USER_INPUT',
          messages: message,
          fields: [{ field: 'file', message }],
        },
      },
    ],
  };
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
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (declared > options.maxDocumentBytes) {
      // Read the body to its end: a proxy still sending it would see a reset, not the 413.
      req.resume();
      return sendJson(res, 413, tooLargeBody(options.maxDocumentBytes));
    }
    const content = await readLimited(req, options.maxDocumentBytes);
    if (!content) return sendJson(res, 413, tooLargeBody(options.maxDocumentBytes));
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
      res.writeHead(200, {
        'content-type': doc.contentType,
        'content-length': String(doc.content.length),
        'content-disposition': contentDisposition(doc.fileName),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(doc.content);
    } catch (err) {
      sendDomainError(res, err);
    }
  };

  return { 'POST /files/documents': upload, 'GET /files/document': document };
}
