import { type Locale, type Localized, pick } from './locale';

interface Failure {
  message: Localized;
  fields: Record<string, Localized>;
}

/** The failure's per-field messages in the page's language. */
export function fieldErrors(
  failure: Failure | undefined,
  locale: Locale,
): Partial<Record<string, string>> {
  if (!failure) return {};
  return Object.fromEntries(Object.entries(failure.fields).map(([k, v]) => [k, pick(v, locale)]));
}

/** The error summary's list, in the form's field order: `fields` maps a name to its input. */
export function summaryFields(
  errors: Partial<Record<string, string>>,
  fields: Record<string, { id: string; label: string }>,
): { id: string; label: string; text: string }[] {
  return Object.entries(fields).flatMap(([name, { id, label }]) => {
    const text = errors[name];
    return text ? [{ id, label, text }] : [];
  });
}
