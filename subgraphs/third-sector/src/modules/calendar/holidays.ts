import type { Localized } from '@welfare/kit';

/**
 * The Italian national holidays on which no offer is booked (configuration: edit here, with the
 * source beside each entry).
 *
 * Sources:
 * - L. 27 maggio 1949, n. 260, artt. 1–2 (the national feast and the "giorni festivi"),
 *   https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:1949-05-27;260
 * - L. 5 marzo 1977, n. 54 (Epiphany, St Joseph, Ascension, Corpus Domini, Sts Peter and Paul
 *   no longer holidays; 2 June and 4 November moved to Sundays);
 * - D.P.R. 28 dicembre 1985, n. 792 (the Epiphany a holiday again);
 * - L. 20 novembre 2000, n. 336 (2 June, Festa della Repubblica, on its day again from 2001);
 * - L. 8 ottobre 2025, n. 151 (4 October, San Francesco d'Assisi, a national holiday again from
 *   1 January 2026), https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2025-10-08;151
 *
 * Sundays are "giorni festivi" too, but an offer's weekly schedule says whether it runs on
 * Sundays (its provider chose so), so they are not refused here. 4 November is celebrated but is
 * not a day off (L. 54/1977), so it is not listed.
 */
export interface FixedHoliday {
  /** `mm-dd`. */
  day: string;
  name: Localized;
  /** The first year it applies (inclusive). */
  since: number;
  source: string;
}

export const FIXED_HOLIDAYS: readonly FixedHoliday[] = [
  {
    day: '01-01',
    name: { it: 'Capodanno', en: 'New Year’s Day' },
    since: 1949,
    source: 'L. 260/1949 art. 2',
  },
  {
    day: '01-06',
    name: { it: 'Epifania', en: 'Epiphany' },
    since: 1986,
    source: 'D.P.R. 792/1985',
  },
  {
    day: '04-25',
    name: { it: 'Anniversario della Liberazione', en: 'Liberation Day' },
    since: 1949,
    source: 'L. 260/1949 art. 2',
  },
  {
    day: '05-01',
    name: { it: 'Festa del Lavoro', en: 'Labour Day' },
    since: 1949,
    source: 'L. 260/1949 art. 2',
  },
  {
    day: '06-02',
    name: { it: 'Festa della Repubblica', en: 'Republic Day' },
    since: 2001,
    source: 'L. 260/1949 art. 1; L. 336/2000',
  },
  {
    day: '08-15',
    name: { it: 'Assunzione di Maria', en: 'Assumption Day' },
    since: 1949,
    source: 'L. 260/1949 art. 2',
  },
  {
    day: '10-04',
    name: {
      it: 'San Francesco d’Assisi, patrono d’Italia',
      en: 'St Francis of Assisi, patron saint of Italy',
    },
    since: 2026,
    source: 'L. 151/2025',
  },
  {
    day: '11-01',
    name: { it: 'Ognissanti', en: 'All Saints’ Day' },
    since: 1949,
    source: 'L. 260/1949 art. 2',
  },
  {
    day: '12-08',
    name: { it: 'Immacolata Concezione', en: 'Immaculate Conception' },
    since: 1949,
    source: 'L. 260/1949 art. 2',
  },
  {
    day: '12-25',
    name: { it: 'Natale', en: 'Christmas Day' },
    since: 1949,
    source: 'L. 260/1949 art. 2',
  },
  {
    day: '12-26',
    name: { it: 'Santo Stefano', en: 'St Stephen’s Day' },
    since: 1949,
    source: 'L. 260/1949 art. 2',
  },
];

/** Easter Monday ("lunedì dopo Pasqua", L. 260/1949 art. 2) is computed from Easter. */
export const EASTER_MONDAY: Localized = { it: 'Lunedì dell’Angelo', en: 'Easter Monday' };

/** Easter Sunday of a year (Gregorian calendar; the anonymous "Meeus/Jones/Butcher" algorithm), `yyyy-mm-dd`. */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The national holiday on `yyyy-mm-dd`, or null. */
export function nationalHoliday(day: string): Localized | null {
  const year = Number(day.slice(0, 4));
  const fixed = FIXED_HOLIDAYS.find((h) => h.day === day.slice(5) && year >= h.since);
  if (fixed) return fixed.name;
  const easter = new Date(`${easterSunday(year)}T00:00:00Z`);
  easter.setUTCDate(easter.getUTCDate() + 1);
  return easter.toISOString().slice(0, 10) === day ? EASTER_MONDAY : null;
}
