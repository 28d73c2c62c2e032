// Geometry of the dashboard's inline SVG charts. Pure: unit-tested in charts.spec.ts.

/** The smallest "nice" number (1, 2 or 5 times a power of ten) at or above `value`; 1 for 0. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

/** `text` cut to `max` characters with an ellipsis (the table beside the chart has it whole). */
export function shortLabel(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** A bar's length for `value` on a scale from 0 to `ceiling` over `span` units (never negative). */
export function barLength(value: number, ceiling: number, span: number): number {
  if (!(ceiling > 0) || !(value > 0)) return 0;
  return Math.min(span, (value / ceiling) * span);
}

/** Which of `count` day labels to print under a day chart: the first, the last and a few between. */
export function dayTicks(count: number, most = 5): number[] {
  if (count <= 0) return [];
  if (count <= most) return Array.from({ length: count }, (_, i) => i);
  const ticks = new Set<number>();
  for (let i = 0; i < most; i += 1) ticks.add(Math.round((i * (count - 1)) / (most - 1)));
  return [...ticks];
}
