import { describe, expect, it } from 'vitest';
import { formatIes } from './ies-members';

describe('formatIes', () => {
  it('shows cents of IES with two decimals in the page’s language', () => {
    expect(formatIes(4_000, 'it')).toBe('40,00 IES');
    expect(formatIes(123_456, 'en')).toBe('1,234.56 IES');
    expect(formatIes(5, 'it')).toBe('0,05 IES');
  });

  it('signs a movement when asked (never zero)', () => {
    expect(formatIes(4_000, 'it', true)).toBe('+40,00 IES');
    expect(formatIes(-1_250, 'it', true)).toBe('-12,50 IES');
    expect(formatIes(0, 'it', true)).toBe('0,00 IES');
  });
});
