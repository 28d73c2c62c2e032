/** `HH:MM` (24 h). */
export function isClock(value: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}

/** A trimmed text (empty for null). */
export function cleanText(value: string | null | undefined): string {
  return (value ?? '').trim();
}

/** Whole minutes from `start` to `end`. */
export function minutesBetween(start: Date, end: Date): number {
  return Math.round((end.getTime() - start.getTime()) / 60_000);
}

/** The object type-graphql registers as an enum: each value named by itself. */
export const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
