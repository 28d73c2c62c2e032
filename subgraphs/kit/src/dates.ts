/**
 * Civil dates of the platform. Days (validity, expiry, deadlines, bookings) are calendar days in
 * Rome, written `yyyy-mm-dd`; instants are `Date`s. One module, so "today" means the same day
 * everywhere, daylight saving included.
 */

/** The platform's civil time zone. */
export const TIME_ZONE = 'Europe/Rome';

const ROME_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The day of an instant in Europe/Rome, as `yyyy-mm-dd`. */
export function romeDay(at: Date): string {
  return ROME_DAY.format(at);
}

/** Today in Europe/Rome, as `yyyy-mm-dd` (`now` for a fixed clock). */
export function romeToday(now: () => Date = () => new Date()): string {
  return romeDay(now());
}

/** True for a real calendar date written `yyyy-mm-dd`. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** `2026-11-24` → `24/11/2026`: a day as Italians write it. */
export function formatDay(day: string): string {
  const [year, month, date] = day.split('-');
  return `${date}/${month}/${year}`;
}

/** `yyyy-mm-dd` plus a number of days (negative: minus). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The day of the week of `yyyy-mm-dd`: 1 Monday … 7 Sunday (ISO 8601). */
export function isoWeekday(day: string): number {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

const ROME_DATE_TIME = new Intl.DateTimeFormat('it-IT', {
  timeZone: TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** An instant as an Italian date and time in Rome, `dd/mm/yyyy, hh:mm` (documents, exports). */
export function romeDateTime(at: Date): string {
  return ROME_DATE_TIME.format(at);
}

/** The instant a Rome day (`yyyy-mm-dd`) begins: its midnight, daylight saving included. */
export function romeDayStart(day: string): Date {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  // Rome is UTC+1 or UTC+2: its midnight is one of these two instants.
  for (const hours of [2, 1]) {
    const at = new Date(midnightUtc - hours * 3_600_000);
    if (romeDay(at) === day && romeDay(new Date(at.getTime() - 1)) !== day) return at;
  }
  throw new Error(`romeDayStart: ${day}`);
}
