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

/** What is wrong with a value GraphQL refused, by the words of graphql-js's message. */
const TYPE_PROBLEMS: ReadonlyArray<[RegExp, Localized]> = [
  [
    /was not provided|must not be null|not to be null/,
    { it: 'Campo obbligatorio.', en: 'Required.' },
  ],
  [/is not defined by type|^Unknown argument/, { it: 'Campo non previsto.', en: 'Unknown field.' }],
  [/enum|Enum/, { it: 'Valore non ammesso.', en: 'Value not allowed.' }],
  [
    /^(Int|SafeInt)\b|"(Int|SafeInt)!?"|unsafe integer|non-integer/,
    { it: 'Deve essere un numero intero.', en: 'Must be a whole number.' },
  ],
  [/^Float\b|"Float!?"/, { it: 'Deve essere un numero.', en: 'Must be a number.' }],
  [/^(String|ID)\b|"(String|ID)!?"/, { it: 'Deve essere un testo.', en: 'Must be text.' }],
  [/^Boolean\b|"Boolean!?"/, { it: 'Deve essere vero o falso.', en: 'Must be true or false.' }],
  [/DateTime/, { it: 'Data e ora non valide.', en: 'Invalid date and time.' }],
];
const INVALID_VALUE: Localized = { it: 'Valore non valido.', en: 'Invalid value.' };

/** The message of a field GraphQL refused, from graphql-js's text of the problem. */
export function typeProblemMessage(problem: string): Localized {
  return TYPE_PROBLEMS.find(([pattern]) => pattern.test(problem))?.[1] ?? INVALID_VALUE;
}

/** The sub-field a problem names (`Field "T.f" of required type`, `Field "f" is not defined`). */
function namedSubField(problem: string): string | undefined {
  return /^Field "(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)" (?:of required type|is not defined by)/.exec(
    problem,
  )?.[1];
}

/** A dotted path and a further name: `input` + `amountCents`. */
export function joinFieldPath(path: string | undefined, name: string | undefined): string {
  return [path, name].filter((p) => p !== undefined && p !== '').join('.');
}

/**
 * The field errors in a message of graphql-js refusing a client's values: a variable that does
 * not coerce (`Variable "$input" got invalid value 1.5 at "input.amountCents"; …`), a missing or
 * null variable, a missing argument (`Argument "id" of required type …`). The field is the
 * variable's path (`input.amountCents`: by convention a variable is named after its argument);
 * the message says what is wrong, in Italian and English. Empty when the message names no field.
 */
export function typeErrorFields(message: string): FieldError[] {
  // The value is printed with its strings quoted and escaped: ` at "` never occurs inside it.
  const at =
    /^Variable "\$[A-Za-z_]\w*" got invalid value [\s\S]*? at "([A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\d+\])*)"; ([\s\S]*)$/.exec(
      message,
    );
  const whole = /^Variable "\$([A-Za-z_]\w*)" got invalid value [\s\S]*?; ([\s\S]*)$/.exec(message);
  const invalid = at ?? whole;
  if (invalid) {
    const [, path = '', problem = ''] = invalid;
    return [
      { field: joinFieldPath(path, namedSubField(problem)), message: typeProblemMessage(problem) },
    ];
  }
  const missing =
    /^Variable "\$([A-Za-z_]\w*)" of (?:required|non-null) type/.exec(message) ??
    /^Argument "([A-Za-z_]\w*)" of (?:required|non-null) type/.exec(message);
  if (missing) return [{ field: missing[1] ?? '', message: typeProblemMessage(message) }];
  return [];
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

/** Codes Apollo gives GraphQL's own refusals of an operation: parse, validation, bad variables. */
const REQUEST_ERROR_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** PostgreSQL ended a statement at the request's deadline (statement_timeout, lock_timeout). */
function isDeadlineError(original: unknown): boolean {
  const sqlState = (original as { code?: unknown } | null)?.code;
  return sqlState === '57014' || sqlState === '55P03';
}

/**
 * True for an error nobody meant (a bug, a failed query): not a domain error, not GraphQL's
 * refusal of the operation, not the deadline. The one kind worth a log line (see logger.ts for
 * what that line may hold).
 */
export function isUnexpectedError(error: unknown): boolean {
  const original =
    error instanceof GraphQLError && error.originalError ? error.originalError : error;
  if (original instanceof DomainError || isDeadlineError(original)) return false;
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  return !(typeof code === 'string' && REQUEST_ERROR_CODES.has(code));
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
  if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
    const messages = DEFAULT_MESSAGES.BAD_USER_INPUT;
    const ext: PublicErrorExtensions = { code: 'BAD_USER_INPUT', messages };
    const fields = typeErrorFields(formatted.message);
    if (fields.length) ext.fields = fields;
    if (code !== 'BAD_USER_INPUT') ext.reason = code;
    return { ...base, message: formatted.message, extensions: withRequestId(ext) };
  }

  // PostgreSQL ended a statement at the request's deadline (statement_timeout, lock_timeout; see
  // deadline.ts): the transaction rolled back, nothing was done, the caller may try again.
  if (isDeadlineError(original)) {
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
