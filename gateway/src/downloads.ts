import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:http';
import type { Caller } from '@welfare/kit';
import { DEFAULT_MESSAGES, type ErrorCode } from '@welfare/kit/errors';
import { errorBody, sendJson } from '@welfare/kit/http';
import type { GraphQLFormattedError } from 'graphql';
import { maskError } from './errors.js';
import type { Signer } from './session.js';

/** Downloads are `GET /downloads/<subgraph>/<path>`: lower-case names, no dot segments. */
const SEGMENT = '[A-Za-z0-9][A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]+)*';
const DOWNLOAD_PATH = new RegExp(`^/downloads/([a-z][a-z0-9-]*)/((?:${SEGMENT}/)*${SEGMENT})$`);
/** The only subgraph paths a download may reach. */
const ALLOWED_PREFIXES = ['exports/', 'files/'];
/** The upstream headers a client gets back; nothing else the subgraph sends is passed on. */
const PASSED_HEADERS = ['content-type', 'content-disposition', 'content-length'] as const;
/** How much of an upstream error body is read to map it. */
const MAX_ERROR_BYTES = 64 * 1024;

export interface DownloadProxyOptions {
  /** Subgraph GraphQL URLs by name (the registry); downloads go to the same origin. */
  subgraphUrls: Map<string, string>;
  sign: Signer;
  resolveCaller: (req: IncomingMessage, requestId: string) => Promise<Caller>;
  timeoutMs: number;
}

/** An error answer: a status and the gateway's error body. */
interface ErrorAnswer {
  status: number;
  body: { errors: { message: string; extensions: Record<string, unknown> }[] };
}

function answer(code: ErrorCode, status: number, requestId: string): ErrorAnswer {
  const { it, en } = DEFAULT_MESSAGES[code];
  return { status, body: errorBody(code, it, en, requestId) };
}

/** The code of an upstream refusal that carries no GraphQL-shaped error. */
function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 503) return 'SERVICE_UNAVAILABLE';
  if (status >= 400 && status < 500) return 'BAD_USER_INPUT';
  return 'INTERNAL_SERVER_ERROR';
}

/**
 * Maps a subgraph's refusal to the gateway's error shape, through the same masking as GraphQL
 * errors: a domain code keeps its bilingual messages and field messages; anything else (a stack,
 * SQL, an HTML page) becomes INTERNAL_SERVER_ERROR with no details, answered 502.
 */
export function upstreamError(status: number, text: string, requestId: string): ErrorAnswer {
  let first: GraphQLFormattedError | undefined;
  try {
    const parsed = JSON.parse(text) as { errors?: unknown };
    const candidate = Array.isArray(parsed.errors) ? (parsed.errors[0] as unknown) : undefined;
    if (
      typeof candidate === 'object' &&
      candidate !== null &&
      typeof (candidate as { message?: unknown }).message === 'string'
    ) {
      first = candidate as GraphQLFormattedError;
    }
  } catch {
    // Not JSON: the status alone decides.
  }
  if (!first) {
    const code = codeForStatus(status);
    return answer(code, code === 'INTERNAL_SERVER_ERROR' ? 502 : status, requestId);
  }
  const masked = maskError({ message: first.message, extensions: first.extensions });
  const code = masked.extensions?.code;
  const finalStatus =
    code === 'INTERNAL_SERVER_ERROR'
      ? 502
      : code === 'SERVICE_UNAVAILABLE'
        ? 503
        : status >= 400 && status < 500
          ? status
          : 502;
  return {
    status: finalStatus,
    body: {
      errors: [
        {
          message: masked.message,
          extensions: { ...masked.extensions, requestId },
        },
      ],
    },
  };
}

function readLimited(stream: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolveText) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      if (size < limit) chunks.push(chunk);
      size += chunk.length;
    });
    const done = () => resolveText(Buffer.concat(chunks).subarray(0, limit).toString('utf8'));
    stream.once('end', done);
    stream.once('error', done);
    stream.once('close', done);
  });
}

/**
 * Streams a file a subgraph produces (a CSV export, say) to the client, the way GraphQL calls
 * go: the session is resolved here, the subgraph gets a token signed for its audience, the
 * request id and the query string, and nothing else the client sent. Only `exports/` and
 * `files/` of a subgraph in the registry can be reached (404 otherwise). Anonymous callers go
 * through as anonymous: the subgraph decides (a published ranking is public; everything else
 * answers 401 there). The answer's status, content type, disposition and length are passed back with
 * `cache-control: no-store`; a refusal is mapped to the gateway's JSON error shape. The body is
 * never buffered. Returns false when the request is not a download.
 */
export function createDownloadProxy(options: DownloadProxyOptions) {
  return async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/downloads' && !url.pathname.startsWith('/downloads/')) return false;
    const headers = { 'x-request-id': requestId, 'cache-control': 'no-store' };
    const fail = ({ status, body }: ErrorAnswer) => {
      if (!res.headersSent) sendJson(res, status, body, headers);
    };
    req.resume();

    const match = DOWNLOAD_PATH.exec(url.pathname);
    const [, subgraph = '', path = ''] = match ?? [];
    const target = options.subgraphUrls.get(subgraph);
    if (
      !match ||
      req.method !== 'GET' ||
      !target ||
      !ALLOWED_PREFIXES.some((prefix) => path.startsWith(prefix))
    ) {
      fail(answer('NOT_FOUND', 404, requestId));
      return true;
    }
    const caller = await options.resolveCaller(req, requestId);
    const upstream = new URL(`/${path}${url.search}`, target);
    const token = await options.sign(subgraph, caller, requestId);

    await new Promise<void>((resolveDone) => {
      const forward = request(
        upstream,
        {
          method: 'GET',
          headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId },
          signal: AbortSignal.timeout(options.timeoutMs),
        },
        (reply) => {
          const status = reply.statusCode ?? 502;
          if (status < 200 || status >= 300) {
            void readLimited(reply, MAX_ERROR_BYTES).then((text) => {
              fail(upstreamError(status, text, requestId));
              resolveDone();
            });
            return;
          }
          const passed: Record<string, string> = { ...headers };
          for (const name of PASSED_HEADERS) {
            const value = reply.headers[name];
            if (typeof value === 'string') passed[name] = value;
          }
          passed['x-content-type-options'] = 'nosniff';
          res.writeHead(status, passed);
          reply.pipe(res);
          // A timeout or a subgraph dying half way: the client sees a cut transfer, not a file
          // that looks complete.
          reply.once('error', () => undefined);
          reply.once('close', () => {
            if (!reply.complete) res.destroy();
            resolveDone();
          });
        },
      );
      forward.once('error', () => {
        if (res.headersSent) res.destroy();
        else fail(answer('SERVICE_UNAVAILABLE', 503, requestId));
        resolveDone();
      });
      // The client went away: stop reading from the subgraph.
      res.once('close', () => {
        if (!res.writableFinished) forward.destroy();
      });
      forward.end();
    });
    return true;
  };
}
