// The one client of the gateway. Server-only: the browser never talks to the API directly.
import type { TadaDocumentNode } from 'gql.tada';
import { type DocumentNode, print } from 'graphql';
import { config } from './config';
import { type ApiError, isUnavailable, normaliseErrors } from './errors';

/** Who is asking: forwarded to the gateway with every call. */
export interface GatewayContext {
  /** The opaque session token, or null when anonymous. */
  token: string | null;
  clientAddress: string | null;
  requestId: string;
}

/**
 * The outcome of one call. `errors` are normalised; `unavailable` is true when the gateway could
 * not be reached or a service behind it failed (SERVICE_UNAVAILABLE / INTERNAL errors): the page
 * then shows a notice and renders what it has. `data` may be partial.
 */
export interface GatewayResult<TData> {
  data: TData | null;
  errors: ApiError[];
  unavailable: boolean;
  /**
   * True when the call may or may not have taken effect: the portal's request to the gateway got
   * no answer (timeout, lost connection, a proxy's 502/504), or the gateway got none from the
   * subgraph (`outcome: UNKNOWN`). A mutation's outcome is then learnt by asking for it by its
   * idempotency key, never by sending a new one.
   */
  outcomeUnknown: boolean;
}

/** `gatewayRequest` bound to one request's context: `event.locals.api(document, variables)`. */
export type GatewayCall = <TData, TVariables>(
  document: TadaDocumentNode<TData, TVariables>,
  variables?: TVariables,
) => Promise<GatewayResult<TData>>;

const printed = new WeakMap<DocumentNode, string>();

function source(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

function unavailableResult<TData>(outcomeUnknown: boolean): GatewayResult<TData> {
  return {
    data: null,
    errors: normaliseErrors([
      {
        extensions: {
          code: 'SERVICE_UNAVAILABLE',
          ...(outcomeUnknown ? { outcome: 'UNKNOWN' } : {}),
        },
      },
    ]),
    unavailable: true,
    outcomeUnknown,
  };
}

/** Sends one operation. Never throws: network failures become an `unavailable` result. */
export async function gatewayRequest<TData, TVariables>(
  context: GatewayContext,
  document: TadaDocumentNode<TData, TVariables>,
  variables?: TVariables,
  options: { fetch?: typeof fetch } = {},
): Promise<GatewayResult<TData>> {
  const { gatewayUrl, gatewayTimeoutMs } = config();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    'x-request-id': context.requestId,
  };
  if (context.token) headers.authorization = `Bearer ${context.token}`;
  if (context.clientAddress) headers['x-forwarded-for'] = context.clientAddress;

  let body: unknown;
  try {
    const response = await (options.fetch ?? fetch)(gatewayUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: source(document), variables: variables ?? {} }),
      signal: AbortSignal.timeout(gatewayTimeoutMs),
    });
    // 502/503/504 come from a proxy or a stopped gateway: nothing to read, and (but for a 503,
    // refused before it was passed on) no way to know what the request did.
    if (response.status > 500) return unavailableResult(response.status !== 503);
    body = await response.json();
  } catch {
    // Connection refused, timeout, or a body that is not JSON (a proxy's error page): the request
    // may have reached the gateway.
    return unavailableResult(true);
  }
  if (typeof body !== 'object' || body === null) return unavailableResult(true);
  const { data, errors } = body as { data?: unknown; errors?: unknown };
  const normalised = normaliseErrors(errors);
  return {
    data: (data ?? null) as TData | null,
    errors: normalised,
    unavailable: normalised.some(isUnavailable),
    outcomeUnknown: normalised.some((e) => e.outcomeUnknown === true),
  };
}
