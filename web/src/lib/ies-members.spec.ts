import { describe, expect, it } from 'vitest';
import { formatIes, iesMemberListPlace, iesMemberListQuery } from './ies-members';

describe('formatIes', () => {
  it('shows cents of IES with two decimals in the page’s language', () => {
    expect(formatIes(4_000, 'it')).toBe('40,00 IES');
    expect(formatIes(123_456, 'en')).toBe('1,234.56 IES');
    expect(formatIes(5, 'it')).toBe('0,05 IES');
  });

  it('signs a movement when asked (never zero)', () => {
    expect(formatIes(4_000, 'it', true)).toBe('+40,00 IES');
    expect(formatIes(-1_250, 'it', true)).toBe('-12,50 IES');
    expect(formatIes(0, 'it', true)).toBe('0,00 IES');
  });
});

describe('the members list’s place', () => {
  it('reads the filters and page, and writes them back', () => {
    const place = iesMemberListPlace(
      new URLSearchParams('stato=PENDING&tipo=BUSINESS&cerca=+caffè+&pagina=3&esito=decided'),
    );
    expect(place).toEqual({ status: 'PENDING', kind: 'BUSINESS', search: 'caffè', page: 3 });
    expect(iesMemberListQuery(place)).toBe(
      '?stato=PENDING&tipo=BUSINESS&cerca=caff%C3%A8&pagina=3',
    );
    expect(iesMemberListQuery(place, 1)).toBe('?stato=PENDING&tipo=BUSINESS&cerca=caff%C3%A8');
  });

  it('falls back to no filter and page 1 on bad values', () => {
    const place = iesMemberListPlace(
      new URLSearchParams({ stato: 'GONE', tipo: 'x', cerca: 'y'.repeat(150), pagina: '-1' }),
    );
    expect(place).toEqual({ status: null, kind: null, search: 'y'.repeat(100), page: 1 });
    expect(iesMemberListQuery(iesMemberListPlace(new URLSearchParams('pagina=due')))).toBe('');
  });
});
