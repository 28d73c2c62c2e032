import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  HeaderMap,
  type ApolloServer,
  type ApolloServerPlugin,
  type BaseContext,
  type HTTPGraphQLResponse,
} from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { DomainError, formatError } from './errors.js';
import { listenOn } from './listening.js';
import type { Logger } from './logger.js';

/** Largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 1_000_000;

class BodyTooLarge extends Error {}

/**
 * Reads a request body as text. A body over `limit` bytes is drained (not kept) and rejected with
 * BodyTooLarge once it has been read, so the connection stays usable for the answer.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.once('end', () => {
      if (size > limit) reject(new BodyTooLarge());
      else resolveBody(Buffer.concat(chunks).toString('utf8'));
    });
    req.once('error', reject);
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * A `content-disposition: attachment` header for `name`: an ASCII fallback (other characters,
 * quotes and backslashes become `_`) and the UTF-8 name (RFC 6266 `filename*`).
 */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** A file to download. */
export interface DownloadFile {
  contentType: string;
  fileName: string;
  content: Buffer;
  /** Extra headers (e.g. a count the portal shows). */
  headers?: Record<string, string>;
}

/** Answers 200 with a file as an attachment, never cached, never sniffed. */
export function sendFile(res: ServerResponse, file: DownloadFile): void {
  res.writeHead(200, {
    'content-type': file.contentType,
    'content-length': String(file.content.length),
    'content-disposition': contentDisposition(file.fileName),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...file.headers,
  });
  res.end(file.content);
}

/** The 413 body of an upload over `maxBytes`, with the `file` field's message. */
export function fileTooLargeBody(maxBytes: number) {
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
 * Reads an uploaded file's raw body up to `maxBytes`. Over it (declared or actual), answers 413
 * with `fileTooLargeBody` and returns undefined. The body is always read to its end (not the
 * connection closed): a proxy still sending it (the gateway) would see a reset, not the 413.
 */
export async function readUpload(
  req: IncomingMessage,
  res: ServerResponse,
  maxBytes: number,
): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) {
    // Answer at once, and let the rest of the body drain rather than close the connection.
    req.resume();
    sendJson(res, 413, fileTooLargeBody(maxBytes));
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (over) continue;
    size += chunk.length;
    if (size > maxBytes) {
      over = true;
      chunks.length = 0;
      continue;
    }
    chunks.push(chunk);
  }
  if (!over) return Buffer.concat(chunks);
  sendJson(res, 413, fileTooLargeBody(maxBytes));
  return undefined;
}

/** A GraphQL-shaped error body for failures outside execution (401, 413...). */
export function errorBody(code: string, it: string, en: string, requestId?: string) {
  return {
    errors: [
      {
        message: `${it} / ${en}`,
        extensions: { code, messages: { it, en }, ...(requestId ? { requestId } : {}) },
      },
    ],
  };
}

/** HTTP statuses of the domain errors a file route answers (others are rethrown). */
export const DOMAIN_ERROR_STATUS: Readonly<Record<string, number>> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

/**
 * A `DomainError` as the platform's JSON error body on a plain HTTP route (the same shape as a
 * GraphQL error: code, Italian and English messages, a message per field); rethrows anything else,
 * for the route's own 500 handling.
 */
export function sendDomainError(
  res: ServerResponse,
  err: unknown,
  headers: Record<string, string> = {},
): void {
  const status = err instanceof DomainError ? DOMAIN_ERROR_STATUS[err.code] : undefined;
  if (!(err instanceof DomainError) || status === undefined) throw err;
  const { it, en } = err.localized;
  sendJson(
    res,
    status,
    {
      errors: [
        {
          message: `${it} / ${en}`,
          extensions: {
            code: err.code,
            messages: err.localized,
            ...(err.fields.length ? { fields: err.fields } : {}),
          },
        },
      ],
    },
    headers,
  );
}

/** The 401 answer to a request without a valid gateway token. */
export function sendUnauthorized(res: ServerResponse): void {
  sendJson(
    res,
    401,
    errorBody('UNAUTHENTICATED', 'Richiesta non autorizzata.', 'Unauthorized request.'),
  );
}

/** What a route handler gets: the raw request and response. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface GraphQLHttpOptions<Ctx extends BaseContext> {
  /** The Apollo server, already started. */
  apollo: ApolloServer<Ctx>;
  /**
   * Builds the per-request context, or throws `Unauthorized` to answer 401 before execution.
   * Gets the request's headers.
   */
  context: (req: IncomingMessage) => Promise<Ctx>;
  /** Extra routes by `METHOD /path` (for instance `GET /healthz`). */
  routes?: Record<string, RouteHandler>;
  /** Path of the GraphQL endpoint. */
  path?: string;
  logger: Logger;
  /** Headers added to every GraphQL response. */
  responseHeaders?: (req: IncomingMessage) => Record<string, string>;
  /**
   * Runs around the execution of each GraphQL request, once its context is built: it calls
   * `execute` (or answers by itself, e.g. 503 when the subgraph sheds load).
   */
  around?: (
    context: Ctx,
    req: IncomingMessage,
    res: ServerResponse,
    execute: () => Promise<void>,
  ) => Promise<void>;
}

/** Raised by a context builder to answer 401 without running the operation. */
export class Unauthorized extends Error {}

/**
 * Reads a GraphQL request's body: JSON for a POST, nothing otherwise. A body over 1 MB is answered
 * with 413 and bad JSON with 400; then it returns `undefined`.
 */
async function readGraphQLBody(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<{ body: unknown } | undefined> {
  if (req.method !== 'POST') return { body: undefined };
  let text: string;
  try {
    text = await readBody(req);
  } catch (err) {
    if (err instanceof BodyTooLarge) {
      sendJson(
        res,
        413,
        errorBody('BAD_USER_INPUT', 'Richiesta troppo grande.', 'Request too large.'),
      );
      return undefined;
    }
    throw err;
  }
  try {
    return { body: text ? JSON.parse(text) : {} };
  } catch {
    sendJson(res, 400, errorBody('BAD_USER_INPUT', 'JSON non valido.', 'Invalid JSON.'));
    return undefined;
  }
}

/** The request's headers as Apollo reads them (repeated headers joined). */
function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** Writes Apollo's answer (whole or streamed), with the extra headers. */
async function writeGraphQLResponse(
  res: ServerResponse,
  result: HTTPGraphQLResponse,
  extra: Record<string, string>,
): Promise<void> {
  for (const [key, value] of result.headers) res.setHeader(key, value);
  for (const [key, value] of Object.entries(extra)) res.setHeader(key, value);
  res.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    res.end(result.body.string);
  } else {
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  }
}

/** Runs one GraphQL request, its context already built, and writes the answer. */
async function executeGraphQL<Ctx extends BaseContext>(
  options: GraphQLHttpOptions<Ctx>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  context: Ctx,
): Promise<void> {
  const read = await readGraphQLBody(req, res);
  if (!read) return;
  const result = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: (req.method ?? 'GET').toUpperCase(),
      headers: headerMapOf(req),
      search: url.search,
      body: read.body,
    },
    context: () => Promise.resolve(context),
  });
  await writeGraphQLResponse(res, result, options.responseHeaders?.(req) ?? {});
}

/**
 * A node:http request handler serving Apollo Server (no Express): GraphQL on `path`, the extra
 * routes, 404 elsewhere. Bodies over 1 MB get 413; bad JSON gets 400.
 */
export function graphqlHandler<Ctx extends BaseContext>(
  options: GraphQLHttpOptions<Ctx>,
): (req: IncomingMessage, res: ServerResponse) => void {
  const path = options.path ?? '/graphql';
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = options.routes?.[`${req.method ?? 'GET'} ${url.pathname}`];
    if (route) return route(req, res);
    if (url.pathname !== path) return sendJson(res, 404, { error: 'not found' });

    let context: Ctx;
    try {
      context = await options.context(req);
    } catch (err) {
      if (err instanceof Unauthorized) return sendUnauthorized(res);
      throw err;
    }

    const execute = () => executeGraphQL(options, req, res, url, context);
    return options.around ? options.around(context, req, res, execute) : execute();
  };
  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      options.logger.error({ err }, 'request failed');
      if (!res.headersSent) {
        sendJson(
          res,
          500,
          errorBody('INTERNAL_SERVER_ERROR', 'Errore interno.', 'Internal error.'),
        );
      } else {
        res.end();
      }
    });
  };
}

/** A listening HTTP server with a graceful close. */
export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  /** Stops accepting connections and waits for in-flight requests. */
  close(): Promise<void>;
}

export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  host: string,
  port: number,
): Promise<RunningServer> {
  const server = createServer({ keepAliveTimeout: 65_000 }, handler);
  await listenOn(server, host, port);
  const actual = (server.address() as AddressInfo).port;
  return {
    server,
    port: actual,
    url: `http://${host}:${actual}`,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeIdleConnections();
      }),
  };
}

/** Apollo plugins every server of the platform uses: no landing page, no traces to Apollo. */
export function basePlugins<Ctx extends BaseContext>(): ApolloServerPlugin<Ctx>[] {
  return [ApolloServerPluginLandingPageDisabled()];
}

/** A request id: the caller's when it looks like one, otherwise a new UUID. */
export function requestIdFrom(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(given) ? given : randomUUID();
}

export { formatError };
