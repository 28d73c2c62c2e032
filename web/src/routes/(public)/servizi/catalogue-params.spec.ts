import { describe, expect, it } from 'vitest';
import { activeFilterCount, formQuery, pageQuery, parseCatalogueParams } from './catalogue-params';

describe('parseCatalogueParams', () => {
  it('reads repeated filters and drops unknown values', () => {
    const url = new URL(
      'http://x/servizi?q=+doposcuola+&categoria=SPORT&categoria=NOPE&categoria=SPORT&per=CHILDREN&costo=FREE&luogo=Balestrate&luogo=&giorno=3&giorno=9&ora=16:30&pagina=2&pagabile=abc',
    );
    expect(parseCatalogueParams(url)).toEqual({
      q: 'doposcuola',
      categories: ['SPORT'],
      targets: ['CHILDREN'],
      pricing: ['FREE'],
      municipalities: ['Balestrate'],
      weekdays: [3],
      time: '16:30',
      comuneId: '',
      paidBy: 'abc',
      page: 2,
    });
  });

  it('falls back to the first page', () => {
    for (const page of ['0', '-1', 'x', '1.5', '100000']) {
      expect(parseCatalogueParams(new URL(`http://x/servizi?pagina=${page}`)).page).toBe(1);
    }
  });

  it('links another page of the same search', () => {
    const url = new URL('http://x/servizi?q=nuoto&giorno=6&pagina=3');
    expect(pageQuery(url, 4)).toBe('q=nuoto&giorno=6&pagina=4');
    expect(pageQuery(url, 1)).toBe('q=nuoto&giorno=6');
  });

  it('counts the chosen filters, not the search words', () => {
    const url = new URL(
      'http://x/servizi?q=nuoto&categoria=SPORT&categoria=EDUCATION&per=CHILDREN&giorno=6&ora=16:30&pagabile=abc',
    );
    expect(activeFilterCount(parseCatalogueParams(url))).toBe(6);
    expect(activeFilterCount(parseCatalogueParams(new URL('http://x/servizi?q=nuoto')))).toBe(0);
  });
});

describe('formQuery', () => {
  it('keeps the fields as a GET form sends them, without the empty ones', () => {
    expect(
      formQuery([
        ['q', ' '],
        ['categoria', 'SPORT'],
        ['categoria', 'EDUCATION'],
        ['luogo', 'Santa Flavia'],
        ['pagabile', ''],
        ['ora', ''],
      ]),
    ).toBe('categoria=SPORT&categoria=EDUCATION&luogo=Santa+Flavia');
    expect(formQuery([['q', '']])).toBe('');
  });
});
