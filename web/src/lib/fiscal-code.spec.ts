import { describe, expect, it } from 'vitest';
import { fiscalCodeCheckCharacter, isFiscalCode, normaliseFiscalCode } from './fiscal-code';

describe('the codice fiscale', () => {
  it('is typed in any case, with spaces', () => {
    expect(normaliseFiscalCode(' rssmra80a01 h501u ')).toBe('RSSMRA80A01H501U');
  });

  it('accepts personal codes with the right check character', () => {
    for (const code of ['RSSMRA80A01H501U', 'LCSGPP72S03A592D', 'BNCGLI85E52G273A']) {
      expect(isFiscalCode(code), code).toBe(true);
      expect(fiscalCodeCheckCharacter(code.slice(0, 15))).toBe(code[15]);
    }
  });

  it('accepts omocodia: digits replaced by L M N P Q R S T U V', () => {
    // RSSMRA80A01H501U with its last digit (1 → M) replaced: the check character changes too.
    const first15 = 'RSSMRA80A01H50M';
    const code = `${first15}${fiscalCodeCheckCharacter(first15)}`;
    expect(isFiscalCode(code)).toBe(true);
    const every = 'RSSMRAULALMHRLM';
    expect(isFiscalCode(`${every}${fiscalCodeCheckCharacter(every)}`)).toBe(true);
  });

  it('refuses a wrong check character, a month letter that is not one, and other shapes', () => {
    expect(isFiscalCode('RSSMRA80A01H501V')).toBe(false);
    // F, G, I, N, O, Q, U, V, Z are not months.
    const badMonth = 'RSSMRA80F01H501';
    expect(isFiscalCode(`${badMonth}${fiscalCodeCheckCharacter(badMonth)}`)).toBe(false);
    // A letter outside L…V where a digit goes.
    const badDigit = 'RSSMRA8AA01H501';
    expect(isFiscalCode(`${badDigit}${fiscalCodeCheckCharacter(badDigit)}`)).toBe(false);
    for (const bad of [
      '',
      'RSSMRA80A01H501',
      'rssmra80a01h501u',
      '12345678901',
      'RSSMRA80A01H501UX',
    ]) {
      expect(isFiscalCode(bad), bad).toBe(false);
    }
  });
});
