import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** A user-facing text, Italian first, English second. */
export interface Localized {
  it: string;
  en: string;
}

/** The error codes a client can see. Everything else becomes INTERNAL_SERVER_ERROR. */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One invalid field of an input, with its message. */
export interface FieldError {
  /** The input field's name, dotted for nested fields (`address.zip`). */
  field: string;
  message: Localized;
}

const DEFAULT_MESSAGES: Record<ErrorCode, Localized> = {
  BAD_USER_INPUT: { it: 'Alcuni dati non sono validi.', en: 'Some data is not valid.' },
  UNAUTHENTICATED: { it: 'Accesso richiesto.', en: 'Login required.' },
  FORBIDDEN: { it: 'Operazione non consentita.', en: 'Operation not allowed.' },
  NOT_FOUND: { it: 'Elemento non trovato.', en: 'Not found.' },
  CONFLICT: { it: 'Conflitto con lo stato attuale.', en: 'Conflicts with the current state.' },
  RATE_LIMITED: {
    it: 'Troppi tentativi: riprova più tardi.',
    en: 'Too many attempts: try again later.',
  },
  SERVICE_UNAVAILABLE: {
    it: 'Servizio temporaneamente non disponibile.',
    en: 'Service temporarily unavailable.',
  },
  INTERNAL_SERVER_ERROR: {
    it: 'Si è verificato un errore interno.',
    en: 'An internal error occurred.',
  },
};

/**
 * The one domain error type. Services throw it; `formatError` maps it to a GraphQL error with
 * `extensions.code`, the bilingual message and the per-field messages. Nothing else reaches a client.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly localized: Localized;
  readonly fields: FieldError[];
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message?: Localized,
    options: { fields?: FieldError[]; retryAfterSeconds?: number } = {},
  ) {
    const localized = message ?? DEFAULT_MESSAGES[code];
    super(localized.en);
    this.name = 'DomainError';
    this.code = code;
    this.localized = localized;
    this.fields = options.fields ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  static badInput(fields: FieldError[]): DomainError {
    return new DomainError('BAD_USER_INPUT', undefined, { fields });
  }
  static notFound(message?: Localized): DomainError {
    return new DomainError('NOT_FOUND', message);
  }
  static forbidden(message?: Localized): DomainError {
    return new DomainError('FORBIDDEN', message);
  }
  static unauthenticated(message?: Localized): DomainError {
    return new DomainError('UNAUTHENTICATED', message);
  }
  static conflict(message: Localized): DomainError {
    return new DomainError('CONFLICT', message);
  }
}

/** Collects field errors so that a service reports every invalid field at once. */
export class FieldErrors {
  private readonly list: FieldError[] = [];
  add(field: string, it: string, en: string): this {
    this.list.push({ field, message: { it, en } });
    return this;
  }
  get any(): boolean {
    return this.list.length > 0;
  }
  /** Throws BAD_USER_INPUT with every collected field, if any. */
  throwIfAny(): void {
    if (this.any) throw DomainError.badInput([...this.list]);
  }
}

function toLocalizedText(message: Localized): string {
  return `${message.it} / ${message.en}`;
}

/** Extensions a client may see on an error; anything else is dropped. */
export interface PublicErrorExtensions {
  code: ErrorCode;
  messages: Localized;
  fields?: FieldError[];
  retryAfterSeconds?: number;
  /** A stable machine-readable refinement of `code` (e.g. INSUFFICIENT_CREDIT), when the error has one. */
  reason?: string;
  requestId?: string;
  [key: string]: unknown;
}

/**
 * The one place errors are mapped for clients. Domain errors keep their code, messages and fields;
 * GraphQL validation errors become BAD_USER_INPUT; anything unexpected becomes
 * INTERNAL_SERVER_ERROR with no message, stack, SQL or host. `log` receives the original.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  options: { requestId?: string; log?: (err: unknown) => void } = {},
): GraphQLFormattedError {
  const original =
    error instanceof GraphQLError && error.originalError ? error.originalError : error;
  const base = { path: formatted.path, locations: formatted.locations };
  const withRequestId = (ext: PublicErrorExtensions): PublicErrorExtensions =>
    options.requestId ? { ...ext, requestId: options.requestId } : ext;

  if (original instanceof DomainError) {
    const ext: PublicErrorExtensions = { code: original.code, messages: original.localized };
    if (original.fields.length) ext.fields = original.fields;
    if (original.retryAfterSeconds !== undefined)
      ext.retryAfterSeconds = original.retryAfterSeconds;
    const reason = (original as { reason?: unknown }).reason;
    if (typeof reason === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(reason)) ext.reason = reason;
    return {
      ...base,
      message: toLocalizedText(original.localized),
      extensions: withRequestId(ext),
    };
  }

  const code = formatted.extensions?.code;
  // Errors raised by GraphQL itself before execution: parse, validation, bad variables.
  if (
    code === 'GRAPHQL_PARSE_FAILED' ||
    code === 'GRAPHQL_VALIDATION_FAILED' ||
    code === 'BAD_USER_INPUT' ||
    code === 'BAD_REQUEST' ||
    code === 'PERSISTED_QUERY_NOT_FOUND' ||
    code === 'OPERATION_RESOLUTION_FAILURE'
  ) {
    const messages = DEFAULT_MESSAGES.BAD_USER_INPUT;
    return {
      ...base,
      message: formatted.message,
      extensions: withRequestId({ code: 'BAD_USER_INPUT', messages }),
    };
  }

  // PostgreSQL ended a statement at the request's deadline (statement_timeout, lock_timeout; see
  // deadline.ts): the transaction rolled back, nothing was done, the caller may try again.
  const sqlState = (original as { code?: unknown } | null)?.code;
  if (sqlState === '57014' || sqlState === '55P03') {
    return {
      ...base,
      message: toLocalizedText(DEFAULT_MESSAGES.SERVICE_UNAVAILABLE),
      extensions: withRequestId({
        code: 'SERVICE_UNAVAILABLE',
        messages: DEFAULT_MESSAGES.SERVICE_UNAVAILABLE,
        retryAfterSeconds: 1,
      }),
    };
  }

  options.log?.(original);
  const messages = DEFAULT_MESSAGES.INTERNAL_SERVER_ERROR;
  return {
    ...base,
    message: toLocalizedText(messages),
    extensions: withRequestId({ code: 'INTERNAL_SERVER_ERROR', messages }),
  };
}

export { DEFAULT_MESSAGES };
