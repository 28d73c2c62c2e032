import { describe, expect, it } from 'vitest';
import { buildCalendar, escapeText, foldLine, icsDateTime } from './ical.js';

describe('iCalendar writer', () => {
  it('writes UTC date-times in the basic format', () => {
    expect(icsDateTime(new Date('2026-12-07T15:30:00.000Z'))).toBe('20261207T153000Z');
  });

  it('escapes backslash, semicolon, comma and newlines', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds at 75 octets without splitting a UTF-8 character', () => {
    const line = `SUMMARY:${'è'.repeat(60)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    expect(parts.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
    expect(foldLine('SHORT:x')).toBe('SHORT:x');
  });

  it('builds a calendar with CRLF lines and every required property', () => {
    const text = buildCalendar({
      name: 'Lezioni',
      stamp: new Date('2026-12-01T08:00:00Z'),
      events: [
        {
          uid: 'b1@welfare',
          start: new Date('2026-12-07T15:00:00Z'),
          end: new Date('2026-12-07T16:00:00Z'),
          summary: 'Doposcuola, matematica',
          location: 'Biblioteca; Sala studio',
          status: 'CONFIRMED',
        },
      ],
    });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n').filter((l) => l === '')).toHaveLength(1);
    expect(text).toContain('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:');
    expect(text).toContain('UID:b1@welfare\r\n');
    expect(text).toContain('DTSTAMP:20261201T080000Z\r\n');
    expect(text).toContain('DTSTART:20261207T150000Z\r\nDTEND:20261207T160000Z\r\n');
    expect(text).toContain('SUMMARY:Doposcuola\\, matematica\r\n');
    expect(text).toContain('LOCATION:Biblioteca\\; Sala studio\r\n');
    expect(text).toContain('STATUS:CONFIRMED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n');
  });
});
