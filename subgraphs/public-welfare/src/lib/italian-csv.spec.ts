import { describe, expect, it } from 'vitest';
import {
  parseChoice,
  parseEuroCents,
  parseItalianDate,
  parseText,
  parseYesNo,
} from './italian-csv.js';

const value = <T>(p: { ok: true; value: T } | { ok: false }) => (p.ok ? p.value : 'REFUSED');

describe('parseEuroCents', () => {
  it('reads the Italian format: decimal comma, dots between thousands', () => {
    expect(value(parseEuroCents('12.345,67'))).toBe(1234567);
    expect(value(parseEuroCents('12345,67'))).toBe(1234567);
    expect(value(parseEuroCents('4.500,5'))).toBe(450050);
    expect(value(parseEuroCents('0'))).toBe(0);
    expect(value(parseEuroCents(' 1.000.000,00 '))).toBe(100_000_000);
    expect(value(parseEuroCents('€ 250,00'))).toBe(25000);
  });

  it('refuses negative, malformed and absurd amounts, with Italian and English reasons', () => {
    for (const text of [
      '-5,00',
      '12,34,5',
      '12.34',
      '1.2345,00',
      '12,345',
      'abc',
      '',
      '1e5',
      '1.000.000,01',
      '99999999999',
    ]) {
      const parsed = parseEuroCents(text);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) {
        expect(parsed.reason.it.length).toBeGreaterThan(0);
        expect(parsed.reason.en.length).toBeGreaterThan(0);
      }
    }
    const negative = parseEuroCents('-5,00');
    expect(!negative.ok && negative.reason.en).toBe('Negative amount.');
  });
});

describe('parseItalianDate', () => {
  it('reads dd/mm/yyyy into ISO and refuses what is not a date', () => {
    expect(value(parseItalianDate('05/03/1980'))).toBe('1980-03-05');
    expect(value(parseItalianDate('5/3/1980'))).toBe('1980-03-05');
    expect(value(parseItalianDate('29/02/2000'))).toBe('2000-02-29');
    for (const text of [
      '31/02/1990',
      '29/02/1900',
      '1980-03-05',
      '00/01/1980',
      '01/13/1980',
      '01/01/1850',
      '',
    ]) {
      expect(parseItalianDate(text).ok, text).toBe(false);
    }
  });
});

describe('parseYesNo, parseChoice, parseText', () => {
  it('reads yes/no words and refuses others; an empty cell only with a default', () => {
    expect(['SI', 'sì', 'S', '1', 'vero', 'TRUE'].map((t) => value(parseYesNo(t)))).toEqual(
      Array(6).fill(true),
    );
    expect(['NO', 'n', '0', 'falso'].map((t) => value(parseYesNo(t)))).toEqual(
      Array(4).fill(false),
    );
    expect(parseYesNo('').ok).toBe(false);
    expect(value(parseYesNo('', false))).toBe(false);
    expect(parseYesNo('forse').ok).toBe(false);
  });

  it('accepts enum values case-insensitively and trims texts', () => {
    expect(value(parseChoice('figlio', ['FIGLIO', 'ALTRO'] as const))).toBe('FIGLIO');
    expect(parseChoice('ZIO', ['FIGLIO', 'ALTRO'] as const).ok).toBe(false);
    expect(value(parseText('  Via   Roma  1 ', 50))).toBe('Via Roma 1');
    expect(parseText('   ', 50).ok).toBe(false);
    expect(parseText('x'.repeat(51), 50).ok).toBe(false);
  });
});
