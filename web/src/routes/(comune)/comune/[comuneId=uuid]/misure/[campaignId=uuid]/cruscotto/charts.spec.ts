import { describe, expect, it } from 'vitest';
import { barLength, dayTicks, niceCeiling, shortLabel } from './charts';

describe('dashboard charts', () => {
  it('rounds the scale up to 1, 2 or 5 times a power of ten', () => {
    expect(niceCeiling(0)).toBe(1);
    expect(niceCeiling(-5)).toBe(1);
    expect(niceCeiling(1)).toBe(1);
    expect(niceCeiling(12_250)).toBe(20_000);
    expect(niceCeiling(50_000)).toBe(50_000);
    expect(niceCeiling(50_001)).toBe(100_000);
    expect(niceCeiling(3)).toBe(5);
  });

  it('cuts long labels with an ellipsis, keeping short ones', () => {
    expect(shortLabel('Farmacia', 10)).toBe('Farmacia');
    expect(shortLabel('Alimentari Da Rosa S.r.l.', 10)).toBe('Alimentar…');
    expect([...shortLabel('Caffè è così buono', 6)]).toHaveLength(6);
  });

  it('scales bars within the span, never negative', () => {
    expect(barLength(50, 100, 400)).toBe(200);
    expect(barLength(150, 100, 400)).toBe(400);
    expect(barLength(-10, 100, 400)).toBe(0);
    expect(barLength(10, 0, 400)).toBe(0);
  });

  it('labels the first, the last and a few days between', () => {
    expect(dayTicks(0)).toEqual([]);
    expect(dayTicks(3)).toEqual([0, 1, 2]);
    expect(dayTicks(366)).toEqual([0, 91, 183, 274, 365]);
  });
});
