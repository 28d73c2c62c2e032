import {
  DEFAULT_MESSAGES,
  ERROR_CODES,
  joinFieldPath,
  typeErrorFields,
  typeProblemMessage,
  type ErrorCode,
  type FieldError,
} from '@welfare/kit/errors';
import {
  Kind,
  parse,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type GraphQLFormattedError,
  type ObjectFieldNode,
  type SourceLocation,
} from 'graphql';

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

/**
 * True for an operation refused before execution (a malformed or invalid document, bad
 * variables): GraphQL's own codes, which the client sees as BAD_USER_INPUT with the code as `reason`.
 */
export function isRequestError(extensions: Record<string, unknown> | undefined): boolean {
  const code = extensions?.reason ?? extensions?.code;
  return typeof code === 'string' && REQUEST_CODES.has(code);
}

/** The character offset of a line and column (both from 1) in a text. */
function offsetOf(text: string, { line, column }: SourceLocation): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return -1;
    offset = next + 1;
  }
  return offset + column - 1;
}

/**
 * The path of the argument (and input fields) at a location of an operation: `input.amountCents`
 * for the `1.5` of `chargeCard(input: { amountCents: 1.5 })`. Undefined outside any argument, or
 * when the text does not parse.
 */
export function argumentPathAt(query: string, location: SourceLocation): string | undefined {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return undefined;
  }
  const offset = offsetOf(query, location);
  const path: string[] = [];
  let found: string | undefined;
  const enter = (node: ArgumentNode | ObjectFieldNode) => {
    path.push(node.name.value);
    if (node.loc && node.loc.start <= offset && offset < node.loc.end) found = path.join('.');
  };
  const leave = () => {
    path.pop();
  };
  visit(document, {
    [Kind.ARGUMENT]: { enter, leave },
    [Kind.OBJECT_FIELD]: { enter, leave },
  });
  return found;
}

/**
 * The fields of GraphQL's refusal of a client's values: from its message (a variable's path, a
 * missing argument) or, for a literal, the argument at its location in `query`, with the
 * sub-field a message names (`Field "email" of required type …`).
 */
export function requestErrorFields(
  error: GraphQLFormattedError,
  query: string | undefined,
): FieldError[] {
  const fromMessage = typeErrorFields(error.message);
  if (fromMessage.length) return fromMessage;
  const location = error.locations?.[0];
  const path = query && location ? argumentPathAt(query, location) : undefined;
  const sub = (/^Field "[A-Za-z_]\w*" argument "([A-Za-z_]\w*)" of type/.exec(error.message) ??
    /^(?:Field "(?:[A-Za-z_]\w*\.)?|Unknown argument ")([A-Za-z_]\w*)"/.exec(error.message))?.[1];
  const field = joinFieldPath(path, sub);
  return field ? [{ field, message: typeProblemMessage(error.message) }] : [];
}

/**
 * A subgraph's refusal of the values it was sent (HTTP 400 or 413 with BAD_USER_INPUT: GraphQL
 * there refused a variable or literal the supergraph cannot check, such as `SafeInt: 1.5`) as one
 * BAD_USER_INPUT error with every field; undefined for any other answer. `query` is the
 * subgraph's operation, for the fields of literals.
 */
export function refusedInput(
  response: unknown,
  query: string | undefined,
): { message: string; fields: FieldError[]; reason?: string } | undefined {
  const answer = response as { status?: unknown; body?: { errors?: unknown } } | undefined;
  if (answer?.status !== 400 && answer?.status !== 413) return undefined;
  const errors = answer.body?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const refusals = errors as GraphQLFormattedError[];
  const codes = refusals.map((e) => e.extensions?.code);
  if (
    !codes.every((c) => c === 'BAD_USER_INPUT' || (typeof c === 'string' && REQUEST_CODES.has(c)))
  ) {
    return undefined;
  }
  const fields = refusals.flatMap((e) =>
    Array.isArray(e.extensions?.fields)
      ? (e.extensions.fields as FieldError[])
      : requestErrorFields(e, query),
  );
  const reason = refusals[0]?.extensions?.reason ?? codes.find((c) => c !== 'BAD_USER_INPUT');
  return {
    message: `${DEFAULT_MESSAGES.BAD_USER_INPUT.it} / ${DEFAULT_MESSAGES.BAD_USER_INPUT.en}`,
    fields,
    ...(typeof reason === 'string' && REQUEST_CODES.has(reason) ? { reason } : {}),
  };
}

function localizedText(code: ErrorCode): string {
  return `${DEFAULT_MESSAGES[code].it} / ${DEFAULT_MESSAGES[code].en}`;
}

/**
 * Masks every error the gateway sends to a client. Domain errors from subgraphs keep their
 * code, bilingual messages and field messages; GraphQL's refusals of an operation (parse,
 * validation, variables) become BAD_USER_INPUT with their fields, their code as `reason` and
 * GraphQL's message for a refused document; an unreachable
 * subgraph becomes SERVICE_UNAVAILABLE naming the service; anything else becomes
 * INTERNAL_SERVER_ERROR with no message, stack, SQL or host. The request id is added later.
 */
export function maskError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const ext = formatted.extensions ?? {};
  const code = typeof ext.code === 'string' ? ext.code : undefined;
  const base = { path: formatted.path, locations: formatted.locations };
  const service = typeof ext.serviceName === 'string' ? ext.serviceName : ext.service;

  // GraphQL's refusal of the operation (parse, validation, variables): the client's input.
  if (code && (REQUEST_CODES.has(code) || (code === 'BAD_USER_INPUT' && !ext.messages))) {
    const fields = Array.isArray(ext.fields) ? ext.fields : typeErrorFields(formatted.message);
    const reason = code === 'BAD_USER_INPUT' ? ext.reason : code;
    return {
      ...base,
      // GraphQL's own words for a document it refused; the bilingual text for refused values.
      message: REQUEST_CODES.has(code) ? formatted.message : localizedText('BAD_USER_INPUT'),
      extensions: {
        code: 'BAD_USER_INPUT',
        messages: DEFAULT_MESSAGES.BAD_USER_INPUT,
        ...(fields.length ? { fields } : {}),
        ...(typeof reason === 'string' && REQUEST_CODES.has(reason) ? { reason } : {}),
      },
    };
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
