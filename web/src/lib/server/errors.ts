// How the portal reads the API's errors. Pure functions: unit-tested in errors.spec.ts.
import type { Localized } from '../locale';

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

/** One invalid input field with its message (`extensions.fields`). */
export interface FieldError {
  field: string;
  message: Localized;
}

/** An API error, normalised: always a known code and bilingual messages. */
export interface ApiError {
  code: ErrorCode;
  messages: Localized;
  fields: FieldError[];
  path: readonly (string | number)[];
  retryAfterSeconds?: number;
  /** The API could not learn the operation's outcome in time (`extensions.outcome: UNKNOWN`). */
  outcomeUnknown?: boolean;
  requestId?: string;
  /** A stable refinement of `code` (`extensions.reason`: INSUFFICIENT_CREDIT), when given. */
  reason?: string;
}

export const DEFAULT_MESSAGES: Record<ErrorCode, Localized> = {
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

/** The HTTP status of a page or form that shows an API error with this code. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 503,
};

/** Codes that mean "a service is down", not "you did something wrong". */
const UNAVAILABLE_CODES = new Set<string>([
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
  'INTERNAL',
  'DOWNSTREAM_SERVICE_ERROR',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toLocalized(value: unknown): Localized | undefined {
  if (isRecord(value) && typeof value.it === 'string' && typeof value.en === 'string') {
    return { it: value.it, en: value.en };
  }
  return undefined;
}

function toCode(value: unknown): ErrorCode {
  if (typeof value === 'string') {
    if ((ERROR_CODES as readonly string[]).includes(value)) return value as ErrorCode;
    if (UNAVAILABLE_CODES.has(value)) return 'SERVICE_UNAVAILABLE';
    // GraphQL's own refusals (a stale document against a newer schema) are our bug, not the user's.
    if (value.startsWith('GRAPHQL_')) return 'INTERNAL_SERVER_ERROR';
  }
  return 'INTERNAL_SERVER_ERROR';
}

/** Input field names come as `email` or `input.email`: the form wants `email`. */
export function fieldName(field: string): string {
  return field.startsWith('input.') ? field.slice('input.'.length) : field;
}

/** Normalises a GraphQL response's `errors` (anything) into ApiErrors. Never throws. */
export function normaliseErrors(raw: unknown): ApiError[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((entry): ApiError => {
    const error = isRecord(entry) ? entry : {};
    const ext = isRecord(error.extensions) ? error.extensions : {};
    const code = toCode(ext.code);
    const fields: FieldError[] = Array.isArray(ext.fields)
      ? ext.fields.flatMap((f): FieldError[] => {
          if (!isRecord(f) || typeof f.field !== 'string') return [];
          const message = toLocalized(f.message) ?? DEFAULT_MESSAGES.BAD_USER_INPUT;
          return [{ field: fieldName(f.field), message }];
        })
      : [];
    const path = Array.isArray(error.path)
      ? error.path.filter(
          (p): p is string | number => typeof p === 'string' || typeof p === 'number',
        )
      : [];
    const result: ApiError = {
      code,
      messages: toLocalized(ext.messages) ?? DEFAULT_MESSAGES[code],
      fields,
      path,
    };
    if (typeof ext.retryAfterSeconds === 'number') result.retryAfterSeconds = ext.retryAfterSeconds;
    if (ext.outcome === 'UNKNOWN') result.outcomeUnknown = true;
    if (typeof ext.requestId === 'string') result.requestId = ext.requestId;
    if (typeof ext.reason === 'string') result.reason = ext.reason;
    return result;
  });
}

/** True when an error means a service (the gateway or a subgraph) is down. */
export function isUnavailable(error: ApiError): boolean {
  return error.code === 'SERVICE_UNAVAILABLE' || error.code === 'INTERNAL_SERVER_ERROR';
}

/** The first error with a code, if any. */
export function findError(errors: readonly ApiError[], code: ErrorCode): ApiError | undefined {
  return errors.find((e) => e.code === code);
}

/** What a form action returns on failure: a message for the summary and one per field. */
export interface FormFailure {
  message: Localized;
  fields: Record<string, Localized>;
}

/**
 * Maps API errors to a form failure. `known` lists the form's field names: messages for other
 * fields (or without a field) go to the summary. `overrides` replaces the message for some codes.
 */
export function formFailure(
  errors: readonly ApiError[],
  known: readonly string[],
  overrides: Partial<Record<ErrorCode, Localized>> = {},
): FormFailure {
  const first = errors[0];
  const code = first?.code ?? 'INTERNAL_SERVER_ERROR';
  const fields: Record<string, Localized> = {};
  const extra: Localized[] = [];
  for (const error of errors) {
    for (const f of error.fields) {
      if (known.includes(f.field)) fields[f.field] ??= f.message;
      else extra.push(f.message);
    }
  }
  let message = overrides[code] ?? first?.messages ?? DEFAULT_MESSAGES.INTERNAL_SERVER_ERROR;
  if (extra.length > 0) {
    message = {
      it: [message.it, ...extra.map((m) => m.it)].join(' '),
      en: [message.en, ...extra.map((m) => m.en)].join(' '),
    };
  }
  return { message, fields };
}

/**
 * The HTTP status of a failed call's form failure: 503 when a service is down or the API said
 * nothing, else its first error's (`ERROR_STATUS`).
 */
export function statusOf(result: { unavailable: boolean; errors: readonly ApiError[] }): number {
  if (result.unavailable) return 503;
  const code = result.errors[0]?.code;
  return code ? ERROR_STATUS[code] : 503;
}
