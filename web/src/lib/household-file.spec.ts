import { describe, expect, it } from 'vitest';
import { formatFullDate, formatFullDay } from './household-file';

describe('household file dates', () => {
  it('writes days as dd/mm/yyyy in both languages', () => {
    expect(formatFullDay('2026-03-07', 'it')).toBe('07/03/2026');
    expect(formatFullDay('2026-03-07', 'en')).toBe('07/03/2026');
  });

  it('writes an instant as its day in Rome', () => {
    // 23:30 UTC on 31 December is already 1 January in Rome.
    expect(formatFullDate('2026-12-31T23:30:00Z', 'it')).toBe('01/01/2027');
  });
});
