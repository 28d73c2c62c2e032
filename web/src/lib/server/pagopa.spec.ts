import { describe, expect, it } from 'vitest';
import { readDay } from './pagopa';

describe('the notice form’s due date', () => {
  it('reads Italian and ISO dates', () => {
    expect(readDay('31/01/2027')).toBe('2027-01-31');
    expect(readDay(' 1-2-2027 ')).toBe('2027-02-01');
    expect(readDay('2027-01-31')).toBe('2027-01-31');
  });

  it('refuses what is not a real day', () => {
    for (const bad of ['', '30/02/2027', '2027-13-01', '31/01/27', 'domani']) {
      expect(readDay(bad)).toBeNull();
    }
  });
});
