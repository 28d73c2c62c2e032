import { describe, expect, it } from 'vitest';
import {
  centsOrNull,
  centsOrZero,
  formatEuro,
  formatEuroInput,
  formatEuroInputCents,
  parseEuroAmount,
  parseEuroCents,
} from './money';

describe('parseEuroCents', () => {
  it('reads Italian amounts exactly into cents', () => {
    expect(parseEuroCents('10.000')).toBe(1_000_000);
    expect(parseEuroCents('7.500,50')).toBe(750_050);
    expect(parseEuroCents('8000')).toBe(800_000);
    expect(parseEuroCents('€ 12,5')).toBe(1_250);
    expect(parseEuroCents('12 €')).toBe(1_200);
    expect(parseEuroCents('1.234.567,89')).toBe(123_456_789);
    expect(parseEuroCents('0')).toBe(0);
    // A float would give 1.1 * 100 = 110.00000000000001.
    expect(parseEuroCents('1,10')).toBe(110);
  });

  it('reads a dot followed by one or two digits as decimals', () => {
    expect(parseEuroCents('10.50')).toBe(1_050);
    expect(parseEuroCents('10.5')).toBe(1_050);
  });

  it('refuses what is not an amount, or not exact', () => {
    for (const bad of [
      '',
      'abc',
      '-5',
      '12,34,5',
      '1,234',
      '12,345',
      '10.0000',
      '12.34.5',
      '1e5',
    ]) {
      expect(parseEuroCents(bad), bad).toBeNull();
    }
    expect(parseEuroCents('90071992547409,92')).toBeNull();
  });
});

describe('parseEuroAmount', () => {
  const MAX = 10_000_000_000;

  it('gives the cents of a readable amount', () => {
    expect(parseEuroAmount('30.000', MAX)).toEqual({ cents: 3_000_000 });
    expect(parseEuroAmount('0,07', MAX)).toEqual({ cents: 7 });
    expect(parseEuroAmount('€ 1.234.567,89', MAX)).toEqual({ cents: 123_456_789 });
  });

  it('says why an amount is refused', () => {
    expect(parseEuroAmount('-10', MAX)).toEqual({ problem: 'negative' });
    expect(parseEuroAmount('−5,00', MAX)).toEqual({ problem: 'negative' });
    expect(parseEuroAmount('– 5', MAX)).toEqual({ problem: 'negative' });
    expect(parseEuroAmount('-abc', MAX)).toEqual({ problem: 'amount' });
    expect(parseEuroAmount('12,345', MAX)).toEqual({ problem: 'amount' });
    expect(parseEuroAmount('', MAX)).toEqual({ problem: 'amount' });
    expect(parseEuroAmount('100.000.001', MAX)).toEqual({ problem: 'tooLarge' });
    expect(parseEuroAmount('1.000.000,01', 100_000_000)).toEqual({ problem: 'tooLarge' });
    expect(parseEuroAmount('1.000.000', 100_000_000)).toEqual({ cents: 100_000_000 });
  });
});

describe('formatEuroInput', () => {
  it('writes cents the way the forms read them back', () => {
    expect(formatEuroInput(3_000_000)).toBe('30.000');
    expect(formatEuroInput(750_050)).toBe('7.500,50');
    expect(formatEuroInput(25_050)).toBe('250,50');
    expect(formatEuroInput(5)).toBe('0,05');
    expect(formatEuroInput(0)).toBe('0');
    expect(formatEuroInput(-1_250)).toBe('-12,50');
    for (const cents of [0, 7, 110, 123_456_789]) {
      expect(parseEuroCents(formatEuroInput(cents))).toBe(cents);
    }
  });
});

describe('formatEuroInputCents', () => {
  it('writes a price with its cents, without grouping', () => {
    expect(formatEuroInputCents(1_250)).toBe('12,50');
    expect(formatEuroInputCents(123_400)).toBe('1234,00');
    expect(formatEuroInputCents(5)).toBe('0,05');
    expect(parseEuroCents(formatEuroInputCents(123_405))).toBe(123_405);
  });
});

describe('formatEuro', () => {
  it('writes an amount in the page language', () => {
    expect(formatEuro(1_000_000, 'it')).toBe('10.000,00\u00a0€');
    expect(formatEuro(1_250, 'en')).toBe('€12.50');
  });
});

describe('cents from the API', () => {
  it('centsOrNull: a safe integer, or null', () => {
    expect(centsOrNull(15_000)).toBe(15_000);
    expect(centsOrNull(0)).toBe(0);
    expect(centsOrNull(null)).toBeNull();
    expect(centsOrNull(undefined)).toBeNull();
    expect(centsOrNull('15000')).toBeNull();
    expect(centsOrNull(1.5)).toBeNull();
  });

  it('centsOrZero: the number, or 0 when absent', () => {
    expect(centsOrZero(15_000)).toBe(15_000);
    expect(centsOrZero(null)).toBe(0);
    expect(centsOrZero(undefined)).toBe(0);
    expect(centsOrZero('15000')).toBe(15_000);
  });
});
