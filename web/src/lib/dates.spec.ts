import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayParam,
  formatDateTime,
  formatDay,
  formatLessonTime,
  formatLongDateTime,
  formatMessageDateTime,
  formatWeekday,
  isDay,
  isoToRomeLocal,
  romeDayOf,
  romeInstant,
  romeLocalToIso,
  romeToday,
} from './dates';

describe("Rome's calendar", () => {
  it('knows the day in Rome, not in UTC', () => {
    expect(romeToday(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(romeToday(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
    expect(romeToday(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
    expect(romeDayOf('2026-03-28T23:30:00.000Z')).toBe('2026-03-29');
  });

  it('checks and moves calendar days', () => {
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2027-02-29')).toBe(false);
    expect(isDay('2027-13-01')).toBe(false);
    expect(isDay('01/02/2027')).toBe(false);
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('reads a day from the query string by its shape', () => {
    const url = new URL('https://portale.test/x?fino=2027-01-31&da=31/01/2027');
    expect(dayParam(url, 'fino')).toBe('2027-01-31');
    expect(dayParam(url, 'da')).toBeNull();
    expect(dayParam(url, 'assente')).toBeNull();
  });
});

describe("Rome's wall clock", () => {
  it('converts in winter and in summer', () => {
    expect(romeLocalToIso('2027-01-10T09:00')).toBe('2027-01-10T08:00:00.000Z');
    expect(romeLocalToIso('2027-07-10T09:00')).toBe('2027-07-10T07:00:00.000Z');
    expect(isoToRomeLocal('2027-07-10T07:00:00.000Z')).toBe('2027-07-10T09:00');
    expect(isoToRomeLocal('not a date')).toBe('');
  });

  it('refuses times that do not exist', () => {
    expect(romeLocalToIso('2027-02-30T09:00')).toBeNull();
    expect(romeLocalToIso('2027-01-10T25:00')).toBeNull();
    expect(romeLocalToIso('2027-03-28T02:30')).toBeNull(); // skipped by summer time
    expect(romeLocalToIso('10/01/2027')).toBeNull();
  });

  it('reads a day and a time (winter UTC+1, summer UTC+2, the days the clocks change)', () => {
    expect(romeInstant('2026-12-07', '15:00')).toBe('2026-12-07T14:00:00.000Z');
    expect(romeInstant('2026-07-06', '15:00')).toBe('2026-07-06T13:00:00.000Z');
    expect(romeInstant('2026-03-29', '10:00')).toBe('2026-03-29T08:00:00.000Z');
    expect(romeInstant('2026-10-25', '10:00')).toBe('2026-10-25T09:00:00.000Z');
    // 02:30 on 25 October 2026 happens twice: the second one (winter time).
    expect(romeInstant('2026-10-25', '02:30')).toBe('2026-10-25T01:30:00.000Z');
    expect(romeInstant('2026-03-29', '02:30')).toBeNull();
  });

  it('refuses malformed days and times', () => {
    expect(romeInstant('2026-13-01', '10:00')).toBeNull();
    expect(romeInstant('07/12/2026', '10:00')).toBeNull();
    expect(romeInstant('2026-12-07', '24:00')).toBeNull();
    expect(romeInstant('2026-12-07', '9:00')).toBeNull();
    expect(romeInstant('2026-12-07', '09:00:30')).toBeNull();
  });
});

describe('dates as people read them', () => {
  it('writes instants in Rome, in the page language', () => {
    expect(formatDateTime('2026-12-07T14:00:00Z', 'it')).toBe('07/12/2026, 15:00:00');
    expect(formatDateTime('2026-07-06T13:00:00Z', 'en')).toBe('06/07/2026, 15:00:00');
    // Midnight is 00, not 24; the year has four digits in Italian too (issue 19).
    expect(formatDateTime('2026-07-05T22:00:05Z', 'it')).toBe('06/07/2026, 00:00:05');
    expect(formatLongDateTime('2026-12-07T14:00:00Z', 'it')).toContain('7 dicembre 2026');
    expect(formatLongDateTime('2026-12-07T14:00:00Z', 'en')).toContain('7 December 2026');
  });

  it('writes a message’s date as dd/mm/yyyy HH:mm in Rome, without seconds', () => {
    expect(formatMessageDateTime('2026-12-07T14:00:59Z', 'it')).toBe('07/12/2026 15:00');
    expect(formatMessageDateTime('2026-12-07T14:00:59Z', 'en')).toBe('07/12/2026 15:00');
    expect(formatMessageDateTime('2026-07-01T22:30:00Z', 'it')).toBe('02/07/2026 00:30');
  });

  it('writes calendar days whatever the time zone', () => {
    expect(formatDay('2027-01-01', 'it')).toBe('01/01/2027');
    expect(formatDay('2027-01-01', 'en')).toBe('01/01/2027');
  });

  it('names the days of the week from Monday', () => {
    expect(formatWeekday(1, 'it')).toBe('lunedì');
    expect(formatWeekday(7, 'en')).toBe('Sunday');
  });

  it('writes a lesson’s time in Rome', () => {
    expect(formatLessonTime('2026-12-07T14:00:00Z', '2026-12-07T15:30:00Z', 'it')).toBe(
      'lun 07/12/2026, 15:00–16:30',
    );
  });
});
