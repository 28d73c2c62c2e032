import { DEFAULT_MESSAGES, ERROR_CODES, type ErrorCode } from '@welfare/kit/errors';
import type { GraphQLFormattedError } from 'graphql';

/** Codes GraphQL itself raises for a malformed or refused operation: the message is kept. */
const REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);
const DOMAIN_CODES = new Set<string>(ERROR_CODES);

/** True for the codes of an operation refused before execution. */
export function isRequestError(code: unknown): boolean {
  return typeof code === 'string' && REQUEST_CODES.has(code);
}

function localizedText(code: ErrorCode): string {
  return `${DEFAULT_MESSAGES[code].it} / ${DEFAULT_MESSAGES[code].en}`;
}

/**
 * Masks every error the gateway sends to a client. Domain errors from subgraphs keep their
 * code, bilingual messages and field messages; request errors keep their message; an unreachable
 * subgraph becomes SERVICE_UNAVAILABLE naming the service; anything else becomes
 * INTERNAL_SERVER_ERROR with no message, stack, SQL or host. The request id is added later.
 */
export function maskError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const ext = formatted.extensions ?? {};
  const code = typeof ext.code === 'string' ? ext.code : undefined;
  const base = { path: formatted.path, locations: formatted.locations };
  const service = typeof ext.serviceName === 'string' ? ext.serviceName : ext.service;

  if (code && REQUEST_CODES.has(code)) {
    return { ...base, message: formatted.message, extensions: { code } };
  }
  if (code === 'SERVICE_UNAVAILABLE') {
    return {
      ...base,
      message: localizedText('SERVICE_UNAVAILABLE'),
      extensions: {
        code,
        messages: DEFAULT_MESSAGES.SERVICE_UNAVAILABLE,
        ...(typeof service === 'string' ? { service } : {}),
        // Come back in that many seconds (the subgraph shed the request: nothing was done).
        ...(typeof ext.retryAfterSeconds === 'number'
          ? { retryAfterSeconds: ext.retryAfterSeconds }
          : {}),
        // The subgraph did not answer in time: the operation may or may not have taken effect.
        ...(ext.outcome === 'UNKNOWN' ? { outcome: 'UNKNOWN' } : {}),
      },
    };
  }
  if (code && DOMAIN_CODES.has(code) && code !== 'INTERNAL_SERVER_ERROR') {
    const extensions: Record<string, unknown> = { code };
    const messages = ext.messages as { it?: unknown; en?: unknown } | undefined;
    const hasMessages = typeof messages?.it === 'string' && typeof messages.en === 'string';
    extensions.messages = hasMessages ? messages : DEFAULT_MESSAGES[code as ErrorCode];
    if (Array.isArray(ext.fields)) extensions.fields = ext.fields;
    if (typeof ext.retryAfterSeconds === 'number')
      extensions.retryAfterSeconds = ext.retryAfterSeconds;
    if (typeof ext.reason === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(ext.reason))
      extensions.reason = ext.reason;
    return {
      ...base,
      message: hasMessages ? formatted.message : localizedText(code as ErrorCode),
      extensions,
    };
  }
  return {
    ...base,
    message: localizedText('INTERNAL_SERVER_ERROR'),
    extensions: { code: 'INTERNAL_SERVER_ERROR', messages: DEFAULT_MESSAGES.INTERNAL_SERVER_ERROR },
  };
}
