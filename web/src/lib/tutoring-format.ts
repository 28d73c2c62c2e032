// Tutoring pages' small formatting helpers. Pure.
import type { Localized, Locale } from './locale';
import { pick } from './locale';

const tag = (locale: Locale) => (locale === 'en' ? 'en-GB' : 'it-IT');

/** A lesson's time in Rome: `lun 07/12/2026, 15:00–16:00`. */
export function formatLessonTime(startsAt: string, endsAt: string, locale: Locale): string {
  const day = new Intl.DateTimeFormat(tag(locale), {
    weekday: 'short',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'Europe/Rome',
  }).format(new Date(startsAt));
  const time = new Intl.DateTimeFormat(tag(locale), {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'Europe/Rome',
  });
  return `${day}, ${time.format(new Date(startsAt))}–${time.format(new Date(endsAt))}`;
}

/** Minutes as hours, e.g. `1,5` (it) or `1.5` (en). */
export function formatHours(minutes: number, locale: Locale): string {
  return new Intl.NumberFormat(tag(locale), { maximumFractionDigits: 2 }).format(minutes / 60);
}

/** The invalid fields of a failure as the ErrorSummary lists them (known fields only). */
export function summaryFields(
  fields: Record<string, Localized> | undefined,
  labels: Record<string, { id: string; label: string }>,
  locale: Locale,
): { id: string; label: string; text: string }[] {
  return Object.entries(fields ?? {})
    .filter(([name]) => labels[name])
    .map(([name, text]) => ({ ...labels[name]!, text: pick(text, locale) }));
}
