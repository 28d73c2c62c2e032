import { electronicFormatIBAN, isSEPACountry, isValidIBAN } from 'ibantools';
import { z } from 'zod';
import {
  isValidPartitaIva,
  isValidPersonalFiscalCode,
  normaliseFiscalCode,
} from '@welfare/kit/pii';

/**
 * Field validators. Each returns the normalised value, or `undefined` after adding a message
 * (Italian and English) to the collector: a service validates every field, then throws once.
 */
export interface Collector {
  add(field: string, it: string, en: string): unknown;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const emailSchema = z.email();

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/** A person's or organisation's name: trimmed, 1..max characters, no control characters. */
export function checkName(
  errors: Collector,
  field: string,
  value: string,
  max = 100,
): string | undefined {
  const trimmed = value.trim().replace(/\s+/g, ' ');
  if (trimmed.length === 0) {
    errors.add(field, 'Campo obbligatorio.', 'Required.');
    return undefined;
  }
  if (trimmed.length > max) {
    errors.add(field, `Al massimo ${max} caratteri.`, `At most ${max} characters.`);
    return undefined;
  }
  if (CONTROL.test(trimmed)) {
    errors.add(
      field,
      'Contiene caratteri non ammessi.',
      'Contains characters that are not allowed.',
    );
    return undefined;
  }
  return trimmed;
}

/** An email address, lower-cased. */
export function checkEmail(errors: Collector, field: string, value: string): string | undefined {
  const email = value.trim().toLowerCase();
  if (email.length === 0 || email.length > 254 || !emailSchema.safeParse(email).success) {
    errors.add(field, 'Indirizzo email non valido.', 'Invalid email address.');
    return undefined;
  }
  return email;
}

/** A personal codice fiscale (16 characters, check character verified), upper-cased. */
export function checkPersonalFiscalCode(
  errors: Collector,
  field: string,
  value: string,
): string | undefined {
  const code = normaliseFiscalCode(value);
  if (!isValidPersonalFiscalCode(code)) {
    errors.add(field, 'Codice fiscale non valido.', 'Invalid codice fiscale (Italian tax code).');
    return undefined;
  }
  return code;
}

/**
 * An organisation's tax code: a partita IVA or numeric codice fiscale (11 digits, check digit
 * verified), or a personal codice fiscale (16 characters) for sole traders.
 */
export function checkOrganisationTaxCode(
  errors: Collector,
  field: string,
  value: string,
): string | undefined {
  const code = normaliseFiscalCode(value).replace(/^IT(?=[0-9]{11}$)/, '');
  if (/^[0-9]{11}$/.test(code) ? isValidPartitaIva(code) : isValidPersonalFiscalCode(code))
    return code;
  errors.add(
    field,
    'Partita IVA o codice fiscale non valido.',
    'Invalid partita IVA (VAT number) or codice fiscale.',
  );
  return undefined;
}

/** An IBAN of a SEPA country, in electronic format (no spaces, upper case). */
export function checkIban(errors: Collector, field: string, value: string): string | undefined {
  const iban = electronicFormatIBAN(value.trim()) ?? '';
  if (!isValidIBAN(iban) || !isSEPACountry(iban.slice(0, 2))) {
    errors.add(
      field,
      'IBAN non valido (è richiesto un conto SEPA).',
      'Invalid IBAN (a SEPA account is required).',
    );
    return undefined;
  }
  return iban;
}

/**
 * A phone number in E.164 form. Italian numbers may be written without the prefix (landlines
 * start with 0, mobiles with 3); spaces, dots, dashes and brackets are ignored.
 */
export function checkPhone(errors: Collector, field: string, value: string): string | undefined {
  let phone = value.trim().replace(/[\s.\-()/]/g, '');
  if (phone.startsWith('00')) phone = `+${phone.slice(2)}`;
  if (/^[03][0-9]{5,10}$/.test(phone)) phone = `+39${phone}`;
  const italian = /^\+39[03][0-9]{5,10}$/;
  const international = /^\+(?!39)[1-9][0-9]{6,14}$/;
  if (!italian.test(phone) && !international.test(phone)) {
    errors.add(field, 'Numero di telefono non valido.', 'Invalid phone number.');
    return undefined;
  }
  return phone;
}

/** A new password: 12 to 256 characters. */
export function checkNewPassword(
  errors: Collector,
  field: string,
  value: string,
): string | undefined {
  if (value.length < PASSWORD_MIN) {
    errors.add(
      field,
      `La password deve avere almeno ${PASSWORD_MIN} caratteri.`,
      `The password must have at least ${PASSWORD_MIN} characters.`,
    );
    return undefined;
  }
  if (value.length > PASSWORD_MAX) {
    errors.add(
      field,
      `Al massimo ${PASSWORD_MAX} caratteri.`,
      `At most ${PASSWORD_MAX} characters.`,
    );
    return undefined;
  }
  return value;
}

/** An absolute http(s) URL. */
export function checkUrl(errors: Collector, field: string, value: string): URL | undefined {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // fall through
  }
  errors.add(field, 'Indirizzo non valido.', 'Invalid URL.');
  return undefined;
}

/** Optional text (empty means absent). */
export function optional(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value.trim() === '' ? undefined : value;
}
