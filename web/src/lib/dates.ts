// Days and times in the portal: the platform's calendar is Rome's (Europe/Rome), whatever the
// server's or the browser's time zone. Calendar days are `yyyy-mm-dd` strings (they compare as
// strings); instants are ISO strings. Pure: unit-tested in dates.spec.ts.
import { type Locale, localeTag } from './locale';

export const ROME_TIME_ZONE = 'Europe/Rome';

const DAY_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** `yyyy-mm-dd` of an instant on Rome's calendar (en-CA writes dates that way). */
const ROME_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: ROME_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The wall-clock time of an instant in Rome, in parts. */
const ROME_WALL_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: ROME_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** The day (`yyyy-mm-dd`) an instant falls on in Rome. */
export function romeDayOf(instant: Date | string): string {
  return ROME_DAY.format(typeof instant === 'string' ? new Date(instant) : instant);
}

/** Today in Rome, `yyyy-mm-dd` (`now` for tests). */
export function romeToday(now: Date = new Date()): string {
  return romeDayOf(now);
}

/** True for a real calendar day written `yyyy-mm-dd` (not `2027-02-30`). */
export function isDay(text: string): boolean {
  if (!DAY_SHAPE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** The calendar day `days` after (or before, when negative) a `yyyy-mm-dd` day. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** A `yyyy-mm-dd` query parameter, or null (its shape only: the API checks it is a real day). */
export function dayParam(url: URL, name: string): string | null {
  const value = url.searchParams.get(name)?.trim() ?? '';
  return DAY_SHAPE.test(value) ? value : null;
}

// ---- Rome's wall clock ------------------------------------------------------------------------

/** The wall-clock time in Rome of an instant, as `yyyy-mm-ddThh:mm` (a datetime-local value). */
export function isoToRomeLocal(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const parts = Object.fromEntries(
    ROME_WALL_CLOCK.formatToParts(date).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** Minutes Rome is ahead of UTC at an instant. */
function romeOffsetMinutes(utcMs: number): number {
  const local = isoToRomeLocal(new Date(utcMs).toISOString());
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return 0;
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  return Math.round((asUtc - Math.floor(utcMs / 60_000) * 60_000) / 60_000);
}

/**
 * A datetime-local value (`yyyy-mm-ddThh:mm`, Rome's wall clock) as an ISO instant; null when it
 * is not a real time (also an hour skipped by the change to summer time). An hour that happens
 * twice (the change back) is the second one.
 */
export function romeLocalToIso(local: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2})?$/.exec(local);
  if (!m) return null;
  const naive = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  let utc = naive - romeOffsetMinutes(naive) * 60_000;
  utc = naive - romeOffsetMinutes(utc) * 60_000;
  const iso = new Date(utc).toISOString();
  return isoToRomeLocal(iso) === local.slice(0, 16) ? iso : null;
}

/** A Rome wall-clock time on a day (`yyyy-mm-dd`, `HH:MM`) as an ISO instant, or null. */
export function romeInstant(day: string, time: string): string | null {
  if (!DAY_SHAPE.test(day) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return null;
  return romeLocalToIso(`${day}T${time}`);
}

// ---- Dates as people read them ----------------------------------------------------------------

/**
 * Days as dd/mm/yyyy in both languages (issue 19: a four-digit year; Italian's `dateStyle: 'short'`
 * writes two digits).
 */
const NUMERIC_DAY = { day: '2-digit', month: '2-digit', year: 'numeric' } as const;

/** An ISO instant as a date and a time with seconds, in Rome: `07/12/2026, 15:00:00`. */
export function formatDateTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(localeTag(locale), {
    ...NUMERIC_DAY,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone: ROME_TIME_ZONE,
  }).format(new Date(iso));
}

/**
 * An ISO instant as people read a message's date, in Rome: `07/12/2026 15:00` (four-digit year,
 * no seconds; the same shape in both languages).
 */
export function formatMessageDateTime(iso: string, locale: Locale): string {
  const parts = new Intl.DateTimeFormat(localeTag(locale), {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: ROME_TIME_ZONE,
  }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')}/${part('month')}/${part('year')} ${part('hour')}:${part('minute')}`;
}

/** An ISO instant as a long date and a short time, in Rome: `7 dicembre 2026 alle ore 15:00`. */
export function formatLongDateTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(localeTag(locale), {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: ROME_TIME_ZONE,
  }).format(new Date(iso));
}

/** A calendar day (`yyyy-mm-dd`) as `dd/mm/yyyy`: `07/12/2026`. */
export function formatDay(day: string, locale: Locale): string {
  return new Intl.DateTimeFormat(localeTag(locale), { ...NUMERIC_DAY, timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** The name of a day of the week, 1 (Monday) to 7 (Sunday): `lunedì`, `Monday`. */
export function formatWeekday(isoWeekday: number, locale: Locale): string {
  // 1 January 2024 was a Monday.
  return new Intl.DateTimeFormat(localeTag(locale), { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2024, 0, isoWeekday)),
  );
}

/** A lesson's time in Rome: `lun 07/12/2026, 15:00–16:00`. */
export function formatLessonTime(startsAt: string, endsAt: string, locale: Locale): string {
  const day = new Intl.DateTimeFormat(localeTag(locale), {
    weekday: 'short',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: ROME_TIME_ZONE,
  }).format(new Date(startsAt));
  const time = new Intl.DateTimeFormat(localeTag(locale), {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: ROME_TIME_ZONE,
  });
  return `${day}, ${time.format(new Date(startsAt))}–${time.format(new Date(endsAt))}`;
}
