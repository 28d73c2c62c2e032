import { describe, expect, it } from 'vitest';
import { formatHours, formatLessonTime, summaryFields } from './tutoring-format';

describe('tutoring formats', () => {
  it('writes a lesson’s time in Rome', () => {
    expect(formatLessonTime('2026-12-07T14:00:00Z', '2026-12-07T15:30:00Z', 'it')).toBe(
      'lun 07/12/2026, 15:00–16:30',
    );
  });

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
