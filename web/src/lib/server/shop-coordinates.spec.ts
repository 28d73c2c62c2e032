import { describe, expect, it } from 'vitest';
import { readCoordinates } from './shop-coordinates';

describe("a point of sale's coordinates on the accreditation form", () => {
  it('reads nothing as not given, and decimals with a dot or a comma', () => {
    expect(readCoordinates('', ' ')).toEqual({ ok: true, at: null });
    expect(readCoordinates('38,0507', '13.0021')).toEqual({
      ok: true,
      at: { latitude: 38.0507, longitude: 13.0021 },
    });
    expect(readCoordinates(' -90 ', '+180')).toEqual({
      ok: true,
      at: { latitude: -90, longitude: 180 },
    });
  });

  it('wants the pair: a lone value is an error on the missing one', () => {
    const lone = readCoordinates('38.05', '');
    expect(lone.ok).toBe(false);
    if (lone.ok) return;
    expect(lone.errors.latitude).toBeUndefined();
    expect(lone.errors.longitude?.it).toMatch(/insieme/);
    const other = readCoordinates('', '13');
    expect(!other.ok && other.errors.latitude?.en).toMatch(/together/);
  });

  it('refuses what is not a decimal and what is out of range, on its field', () => {
    for (const [lat, lon, field] of [
      ['90.1', '13', 'latitude'],
      ['-91', '13', 'latitude'],
      ['38', '180,5', 'longitude'],
      ['38', '-181', 'longitude'],
      ['38°03′', '13', 'latitude'],
      ['38.05', '13.0.1', 'longitude'],
      ['1e2', '13', 'latitude'],
    ] as const) {
      const reading = readCoordinates(lat, lon);
      expect(reading.ok, `${lat} ${lon}`).toBe(false);
      if (!reading.ok) expect(Object.keys(reading.errors)).toEqual([field]);
    }
  });
});
