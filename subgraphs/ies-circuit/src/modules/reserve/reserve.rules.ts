import { isUuid } from '@welfare/kit/access';
import type { FieldErrors } from '@welfare/kit/errors';

/*
 * The checks of the inputs of the money modules of the reserve (euro received, fee uses,
 * conversions): each adds its field's message, Italian and English, to a FieldErrors.
 */

/** The most one recorded movement may be, in cents (1,000,000 €). */
export const MAX_RESERVE_CENTS = 100_000_000;

/** A client's idempotency key: 8..100 characters of letters, digits, `-`, `_`, `:`. */
export function checkClientKey(errors: FieldErrors, key: string): string {
  const value = key.trim();
  if (!/^[A-Za-z0-9_:-]{8,100}$/.test(value))
    errors.add(
      'clientKey',
      'Chiave non valida: da 8 a 100 lettere, cifre, -, _ o :.',
      'Invalid key: 8 to 100 letters, digits, -, _ or :.',
    );
  return value;
}

/** An amount in whole cents, 1..MAX_RESERVE_CENTS. */
export function checkCents(errors: FieldErrors, field: string, cents: number): number {
  if (!Number.isSafeInteger(cents) || cents < 1 || cents > MAX_RESERVE_CENTS)
    errors.add(
      field,
      'Importo in centesimi interi, da 1 centesimo a 1.000.000 €.',
      'An amount in whole cents, from 1 cent to €1,000,000.',
    );
  return cents;
}

/** A text of `min..max` characters (trimmed, spaces collapsed). */
export function checkText(
  errors: FieldErrors,
  field: string,
  text: string,
  min: number,
  max: number,
): string {
  const value = text.replace(/\s+/g, ' ').trim();
  if (value.length < min || value.length > max)
    errors.add(field, `Da ${min} a ${max} caratteri.`, `From ${min} to ${max} characters.`);
  return value;
}

/** An optional uuid: required when `required`, a malformed one always refused. */
export function checkOptionalId(
  errors: FieldErrors,
  field: string,
  id: string | null | undefined,
  required: boolean,
): string | null {
  if (id === null || id === undefined || id === '') {
    if (required) errors.add(field, 'Campo obbligatorio.', 'Required.');
    return null;
  }
  if (!isUuid(id)) {
    errors.add(field, 'Identificativo non valido.', 'Invalid id.');
    return null;
  }
  return id;
}
