import { describe, expect, it } from 'vitest';
import { formatHours, summaryFields } from './tutoring-format';

describe('tutoring formats', () => {
  it('writes minutes as hours', () => {
    expect(formatHours(90, 'it')).toBe('1,5');
    expect(formatHours(90, 'en')).toBe('1.5');
    expect(formatHours(12000, 'it')).toBe('200');
  });

  it('lists only the known invalid fields for the summary', () => {
    const fields = { capacity: { it: 'Posti', en: 'Seats' }, other: { it: 'x', en: 'y' } };
    expect(
      summaryFields(fields, { capacity: { id: 'tl-capacity', label: 'Posti' } }, 'en'),
    ).toEqual([{ id: 'tl-capacity', label: 'Posti', text: 'Seats' }]);
  });
});
