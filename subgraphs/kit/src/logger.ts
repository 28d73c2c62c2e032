import { pino, type Logger } from 'pino';

/** Fields that must never reach a log line in clear. */
const REDACT = [
  'password',
  '*.password',
  'fiscalCode',
  '*.fiscalCode',
  'iban',
  '*.iban',
  'token',
  '*.token',
  'authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

export function createLogger(name: string, level = 'info'): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' } });
}

export type { Logger };
