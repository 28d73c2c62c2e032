/** The platform's civil time zone: dates (expiry, validity) are days in Rome. */
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

/** True for a real calendar date written `yyyy-mm-dd`. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** `yyyy-mm-dd` plus a number of days. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
