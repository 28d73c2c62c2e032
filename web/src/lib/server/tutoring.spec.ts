import { describe, expect, it } from 'vitest';
import { romeInstant } from './tutoring';

describe('romeInstant', () => {
  it('reads a Rome wall-clock time in winter (UTC+1) and summer (UTC+2)', () => {
    expect(romeInstant('2026-12-07', '15:00')).toBe('2026-12-07T14:00:00.000Z');
    expect(romeInstant('2026-07-06', '15:00')).toBe('2026-07-06T13:00:00.000Z');
  });

  it('handles the days the clocks change', () => {
    // 29 March 2026: 02:00 becomes 03:00; 25 October 2026: 03:00 becomes 02:00.
    expect(romeInstant('2026-03-29', '10:00')).toBe('2026-03-29T08:00:00.000Z');
    expect(romeInstant('2026-10-25', '10:00')).toBe('2026-10-25T09:00:00.000Z');
    expect(romeInstant('2026-03-29', '02:30')).toBeNull();
  });

  it('refuses malformed dates and times', () => {
    expect(romeInstant('2026-13-01', '10:00')).toBeNull();
    expect(romeInstant('07/12/2026', '10:00')).toBeNull();
    expect(romeInstant('2026-12-07', '24:00')).toBeNull();
    expect(romeInstant('2026-12-07', '9:00')).toBeNull();
  });
});
