import { pino, type DestinationStream, type Logger } from 'pino';

/** Fields that must never reach a log line in clear. */
const REDACT = [
  'password',
  '*.password',
  'fiscalCode',
  '*.fiscalCode',
  'iban',
  '*.iban',
  'email',
  '*.email',
  'phone',
  '*.phone',
  'token',
  '*.token',
  'authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

/**
 * Personal data that may hide in a free text (an error message, a string logged as `err`): an
 * e-mail, a codice fiscale, an IBAN, a phone number or any long run of digits. Replaced by its
 * kind, as a last guard: the structured fields of a log line are the rule.
 */
const PERSONAL_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/[^\s@"'`<>(),;:[\]]+@[^\s@"'`<>(),;:[\]]+/g, '[email]'],
  [/\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b/gi, '[cf]'],
  [/\b[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}\b/g, '[iban]'],
  [/\+?[0-9][0-9 ./-]{6,}[0-9]/g, '[number]'],
];

/** A text with anything that looks like personal data replaced by its kind. */
export function scrubText(text: string): string {
  return PERSONAL_PATTERNS.reduce((out, [pattern, kind]) => out.replace(pattern, kind), text);
}

/** A database error's SQLSTATE (`23514`), as pg and MikroORM carry it in `code`. */
const SQL_STATE = /^[0-9A-Z]{5}$/;
/** Names of a database object a driver error points at: safe to log, they hold no values. */
const OBJECT_NAMES = ['schema', 'table', 'column', 'constraint', 'dataType', 'routine'] as const;
/** How deep a chain of causes is followed. */
const MAX_CAUSES = 3;

/**
 * True for an error of the database or of the ORM over it: its message and details (`detail`,
 * `where`, `query`, `params`) quote the failed SQL with its values, so none of them is logged.
 */
function isDatabaseError(err: Error & Record<string, unknown>): boolean {
  const code = err.code ?? err.sqlState;
  return (
    (typeof code === 'string' && SQL_STATE.test(code)) ||
    /Exception$/.test(err.constructor.name) ||
    'query' in err ||
    /^\s*(insert|update|delete|select|with|merge|copy)\b/i.test(err.message)
  );
}

/**
 * What a log line may say about an error: its class, its code (a SQLSTATE, `ECONNREFUSED`), the
 * database objects it names, the stack's frames (not its first line, which repeats the message)
 * and its cause. Never a database error's message, SQL, parameters or detail; other messages with
 * personal data scrubbed. Every `err` (and `error`) logged by any process goes through this.
 */
export function safeError(err: unknown, depth = 0): unknown {
  if (typeof err === 'string') return scrubText(err);
  if (!(err instanceof Error)) return err === undefined || err === null ? err : '[not an error]';
  const record = err as Error & Record<string, unknown>;
  const out: Record<string, unknown> = { type: err.constructor.name || err.name };
  const code = record.code ?? record.sqlState;
  if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/i.test(code)) out.code = code;
  if (isDatabaseError(record)) {
    for (const name of OBJECT_NAMES) {
      const value = record[name];
      if (typeof value === 'string' && /^[A-Za-z0-9_.]{1,128}$/.test(value)) out[name] = value;
    }
  } else {
    out.message = scrubText(err.message);
  }
  const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  if (frames.length) out.stack = frames.slice(0, 12).map((line) => scrubText(line.trim()));
  if (err.cause !== undefined && depth < MAX_CAUSES) out.cause = safeError(err.cause, depth + 1);
  return out;
}

/** A process's logger (JSON lines on stdout, or on `destination`): redacted, errors made safe. */
export function createLogger(
  name: string,
  level = 'info',
  destination?: DestinationStream,
): Logger {
  const options = {
    name,
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: { err: safeError, error: safeError },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
