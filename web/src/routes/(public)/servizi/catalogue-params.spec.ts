import { describe, expect, it } from 'vitest';
import { pageQuery, parseCatalogueParams } from './catalogue-params';

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
});
