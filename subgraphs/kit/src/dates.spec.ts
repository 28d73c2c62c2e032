import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatDay,
  isIsoDate,
  isoWeekday,
  romeDateTime,
  romeDay,
  romeDayStart,
  romeToday,
} from './dates.js';

describe('dates in Rome', () => {
  it('gives the Rome day of an instant on both sides of midnight and of daylight saving', () => {
    expect(romeDay(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01'); // CEST, UTC+2
    expect(romeDay(new Date('2026-06-30T21:30:00Z'))).toBe('2026-06-30');
    expect(romeDay(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01'); // CET, UTC+1
    expect(romeToday(() => new Date('2026-03-29T00:30:00Z'))).toBe('2026-03-29');
  });

  it('gives the instant a Rome day begins, in winter, in summer and on the change days', () => {
    expect(romeDayStart('2026-12-08').toISOString()).toBe('2026-12-07T23:00:00.000Z');
    expect(romeDayStart('2026-07-01').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(romeDayStart('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(romeDayStart('2026-10-25').toISOString()).toBe('2026-10-24T22:00:00.000Z');
  });

  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
    expect(isIsoDate(20260101)).toBe(false);
  });

  it('adds days across months and years, and names weekdays the ISO way', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(isoWeekday('2026-12-07')).toBe(1);
    expect(isoWeekday('2026-12-06')).toBe(7);
  });

  it('writes days and instants the Italian way', () => {
    expect(formatDay('2026-11-24')).toBe('24/11/2026');
    expect(romeDateTime(new Date('2026-07-01T08:05:00Z'))).toBe('01/07/2026, 10:05');
  });
});
