/** One formatter for every call (building an Intl formatter costs more than formatting). */
const ROME_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Rome',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in Italy (YYYY-MM-DD), which spending windows are in. */
export function italianDate(at: Date): string {
  return ROME_DAY.format(at);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** `2026-11-24` → `24/11/2026`. */
export function italianText(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}
