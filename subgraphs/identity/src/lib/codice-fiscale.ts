import * as codiceFiscaleModule from 'codice-fiscale-js';

interface CodiceFiscaleStatic {
  check(codiceFiscale: string): boolean;
}

// The package is CommonJS exporting `{ CodiceFiscale }` while its typings declare a default
// export only; read the named export at run time and give it the one method used here.
const { CodiceFiscale } = codiceFiscaleModule as unknown as { CodiceFiscale: CodiceFiscaleStatic };

const PERSONAL_SHAPE =
  /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

/** Upper case, no spaces. */
export function normaliseFiscalCode(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/** True for a well-formed 16-character personal codice fiscale whose check character is right. */
export function isValidPersonalFiscalCode(value: string): boolean {
  if (!PERSONAL_SHAPE.test(value)) return false;
  try {
    return CodiceFiscale.check(value);
  } catch {
    return false;
  }
}

/**
 * True for an 11-digit partita IVA or numeric codice fiscale of an organisation: the last digit
 * is the check digit of the Italian (Luhn-like) algorithm.
 */
export function isValidPartitaIva(value: string): boolean {
  if (!/^[0-9]{11}$/.test(value)) return false;
  if (value === '00000000000') return false;
  return partitaIvaCheckDigit(value.slice(0, 10)) === Number(value[10]);
}

/** The check digit for the first ten digits of a partita IVA. */
export function partitaIvaCheckDigit(first10: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const digit = Number(first10[i]);
    if (i % 2 === 0) {
      sum += digit;
    } else {
      const doubled = digit * 2;
      sum += doubled > 9 ? doubled - 9 : doubled;
    }
  }
  return (10 - (sum % 10)) % 10;
}
