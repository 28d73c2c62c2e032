// Valid personal codici fiscali for tests and benchmarks: the check character computed by the
// official algorithm (DM 12/03/1974), over made-up names.

const ODD = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

function value(char: string): number {
  const code = char.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 65;
}

/** The 16-character code: the first 15 characters and their check character. */
export function withCheck(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const v = value(first15[i]!);
    sum += i % 2 === 0 ? ODD[v]! : v;
  }
  return first15 + String.fromCharCode(65 + (sum % 26));
}

/** The `n`-th made-up codice fiscale (distinct for n < 26^6), born 01/01/1980 in Rome. */
export function fiscalCode(n: number): string {
  let letters = '';
  let rest = n;
  for (let i = 0; i < 6; i++) {
    letters = String.fromCharCode(65 + (rest % 26)) + letters;
    rest = Math.floor(rest / 26);
  }
  return withCheck(`${letters}80A01H501`);
}
