import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:http';
import type { Caller } from '@welfare/kit';
import { errorBody, sendJson } from '@welfare/kit/http';
import type { Signer } from './session.js';

/** Uploads go to `POST /uploads/<subgraph>/<path>`; only these subgraph paths accept them. */
const UPLOAD_PATH = /^\/uploads\/([a-z][a-z0-9-]*)\/((?:[a-z0-9-]+\/)*[a-z0-9-]+)$/;
/** Subgraph paths an upload may go to: CSV imports and application documents. */
const ALLOWED_PREFIXES = ['imports/', 'files/'];

export interface UploadProxyOptions {
  /** Subgraph GraphQL URLs by name; uploads go to the same origin. */
  subgraphUrls: Map<string, string>;
  sign: Signer;
  resolveCaller: (req: IncomingMessage, requestId: string) => Promise<Caller>;
  timeoutMs: number;
}

/**
 * Streams a file upload (a CSV import, say) to the subgraph that owns it, the way GraphQL calls
 * go: the session is resolved here, the subgraph gets a token signed for its audience and
 * nothing else the client sent but the body and its content type. The body is never buffered.
 * Returns false when the request is not an upload.
 */
export function createUploadProxy(options: UploadProxyOptions) {
  return async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = UPLOAD_PATH.exec(url.pathname);
    if (!match) return false;
    const [, subgraph = '', path = ''] = match;
    const target = options.subgraphUrls.get(subgraph);
    if (req.method !== 'POST' || !target || !ALLOWED_PREFIXES.some((p) => path.startsWith(p))) {
      req.resume();
      sendJson(res, 404, errorBody('NOT_FOUND', 'Risorsa non trovata.', 'Not found.', requestId));
      return true;
    }
    const caller = await options.resolveCaller(req, requestId);
    if (caller.kind !== 'person') {
      req.resume();
      sendJson(
        res,
        401,
        errorBody('UNAUTHENTICATED', 'Accesso richiesto.', 'Login required.', requestId),
      );
      return true;
    }
    const upstream = new URL(`/${path}${url.search}`, target);
    const headers: Record<string, string> = {
      authorization: `Bearer ${await options.sign(subgraph, caller, requestId)}`,
      'x-request-id': requestId,
      'content-type': req.headers['content-type'] ?? 'application/octet-stream',
    };
    if (req.headers['content-length']) headers['content-length'] = req.headers['content-length'];
    await new Promise<void>((resolveDone) => {
      const forward = request(
        upstream,
        { method: 'POST', headers, signal: AbortSignal.timeout(options.timeoutMs) },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, {
            'content-type': answer.headers['content-type'] ?? 'application/json',
            'x-request-id': requestId,
          });
          answer.pipe(res);
          answer.once('end', () => resolveDone());
          answer.once('error', () => resolveDone());
        },
      );
      forward.once('error', () => {
        if (!res.headersSent) {
          sendJson(
            res,
            503,
            {
              ...errorBody(
                'SERVICE_UNAVAILABLE',
                'Servizio temporaneamente non disponibile.',
                'Service temporarily unavailable.',
                requestId,
              ),
            },
            { 'x-request-id': requestId },
          );
        } else {
          res.destroy();
        }
        req.resume();
        resolveDone();
      });
      req.pipe(forward);
      // A client gone before the end of its body: the subgraph hears of it now (its import job
      // fails at once) rather than when the upload times out.
      req.once('close', () => {
        if (!req.complete) forward.destroy(new Error('upload aborted by the client'));
      });
    });
    return true;
  };
}
