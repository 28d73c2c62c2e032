// Tutoring pages' small formatting helpers. Pure. (A lesson's time: `formatLessonTime` in dates.ts.)
import { type Locale, type Localized, localeTag, pick } from './locale';

/** Minutes as hours, e.g. `1,5` (it) or `1.5` (en). */
export function formatHours(minutes: number, locale: Locale): string {
  return new Intl.NumberFormat(localeTag(locale), { maximumFractionDigits: 2 }).format(
    minutes / 60,
  );
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
