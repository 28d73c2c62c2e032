// A person's codice fiscale, checked the way the API checks it (`isValidPersonalFiscalCode` in
// @welfare/kit): 16 characters in the personal shape, with omocodia, and the right check
// character. Pure: unit-tested in fiscal-code.spec.ts.

/**
 * Surname and name (6 letters), year (2), month letter (A B C D E H L M P R S T), day (2; +40
 * for women), place (a letter and 3), check letter. Omocodia replaces digits, from the right,
 * with L M N P Q R S T U V (0 to 9): every digit position takes either.
 */
const PERSONAL_SHAPE =
  /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

/** Values of a character in an odd position (1st, 3rd…: index 0, 2…), digits as A to J. */
const ODD = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

/** A character's rank: 0-9 for digits and A-Z alike (A = 0). */
function rank(char: string): number {
  const code = char.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 65;
}

/** The check character of the first 15 characters (upper case, in the personal shape). */
export function fiscalCodeCheckCharacter(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i += 1) {
    const r = rank(first15[i] ?? 'A');
    // Positions count from 1: odd positions (index 0, 2…) use the table, even ones the rank.
    sum += i % 2 === 0 ? (ODD[r] ?? 0) : r;
  }
  return String.fromCharCode(65 + (sum % 26));
}

/** A codice fiscale as people type it: upper case, without spaces. */
export function normaliseFiscalCode(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/** True for a personal codice fiscale the API accepts (already normalised). */
export function isFiscalCode(value: string): boolean {
  return PERSONAL_SHAPE.test(value) && fiscalCodeCheckCharacter(value) === value[15];
}
