// The one way the portal streams a file to the gateway's upload proxy (`/uploads/<subgraph>/…`):
// the body goes as it is read, with the session, the client address and the request id, as
// GraphQL calls go. Server-only.
import type { GatewayContext } from './gateway';

/** One upload: where, what, and for how long the portal waits for the answer. */
export interface GatewayUpload {
  /** The upload route; built inside the call, so a failure to build it is "unavailable" too. */
  url: () => URL;
  body: ReadableStream<Uint8Array>;
  contentType: string;
  /** The declared length, when known: the subgraph refuses an oversized body before reading it. */
  length?: number;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/**
 * Sends the upload and reads the answer's status and JSON body (null when the body is not JSON,
 * e.g. a proxy's error page: the status alone decides). Never throws: `undefined` when the
 * gateway could not be reached or did not answer in time.
 */
export async function postUpload(
  context: GatewayContext,
  upload: GatewayUpload,
): Promise<{ status: number; body: unknown } | undefined> {
  const headers: Record<string, string> = {
    'content-type': upload.contentType,
    accept: 'application/json',
    'x-request-id': context.requestId,
  };
  if (context.token) headers.authorization = `Bearer ${context.token}`;
  if (context.clientAddress) headers['x-forwarded-for'] = context.clientAddress;
  if (upload.length !== undefined) headers['content-length'] = String(upload.length);
  const init: RequestInit & { duplex: 'half' } = {
    method: 'POST',
    headers,
    body: upload.body,
    // A streamed request body needs half duplex (fetch sends it while waiting for the answer).
    duplex: 'half',
    signal: AbortSignal.timeout(upload.timeoutMs),
  };
  try {
    const response = await (upload.fetch ?? fetch)(upload.url(), init);
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      // Not JSON: the status alone decides.
    }
    return { status: response.status, body };
  } catch {
    return undefined;
  }
}
