import { describe, expect, it } from 'vitest';
import { DomainError } from '@welfare/kit/errors';
import { DEFAULT_LEGAL_FIGURES } from '../../legal.js';
import { compareBonus } from './bonus-comparison.js';

const fieldsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.fields.map((f) => f.field);
    throw error;
  }
  throw new Error('no error');
};

describe('compareBonus', () => {
  it('computes net cash and credit from the year’s rates (2026: 1% substitute tax)', () => {
    const result = compareBonus(DEFAULT_LEGAL_FIGURES, {
      year: 2026,
      bonusCents: 200_000,
      convertedCents: 50_000,
      priorYearIncomeCents: 3_500_000,
    });
    // All cash: 2,000.00 less 9.19% contribution (183.80) = 1,816.20; 1% of it = 18.16.
    expect(result.allCash).toEqual({
      grossCents: 200_000,
      contributionCents: 18_380,
      taxCents: 1_816,
      netCents: 179_804,
    });
    // Cash part 1,500.00: contribution 137.85, tax 13.62 (1% of 1,362.15 rounded).
    expect(result.cashPart).toEqual({
      grossCents: 150_000,
      contributionCents: 13_785,
      taxCents: 1_362,
      netCents: 134_853,
    });
    expect(result.creditCents).toBe(50_000);
    expect(result.gainCents).toBe(134_853 + 50_000 - 179_804);
    expect(result.taxBasisPoints).toBe(100);
    expect(result.source).toContain('L. 30 dicembre 2025 n. 199');
  });

  it('uses the rates of the plan’s year (2025: 5%)', () => {
    const result = compareBonus(DEFAULT_LEGAL_FIGURES, {
      year: 2025,
      bonusCents: 100_000,
      convertedCents: 100_000,
      priorYearIncomeCents: 0,
    });
    expect(result.taxBasisPoints).toBe(500);
    expect(result.cashPart.netCents).toBe(0);
    expect(result.allCash.taxCents).toBe(Math.round((100_000 - 9_190) * 0.05));
  });

  it('refuses, field by field, what the law does not relieve', () => {
    expect(
      fieldsOf(() =>
        compareBonus(DEFAULT_LEGAL_FIGURES, {
          year: 2026,
          bonusCents: 500_001,
          convertedCents: 600_000,
          priorYearIncomeCents: 8_000_001,
        }),
      ),
    ).toEqual(['bonusCents', 'convertedCents', 'priorYearIncomeCents']);
    expect(
      fieldsOf(() =>
        compareBonus(DEFAULT_LEGAL_FIGURES, {
          year: 2030,
          bonusCents: 1_000,
          convertedCents: 1_000,
          priorYearIncomeCents: 0,
        }),
      ),
    ).toEqual(['planId']);
  });
});
