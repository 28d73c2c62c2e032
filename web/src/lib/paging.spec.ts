import { describe, expect, it } from 'vitest';
import { pageNumber, pageQuery, pageRange, pageWithItems } from './paging';

describe('paging', () => {
  it('reads the page asked, 1 for anything else', () => {
    expect(pageNumber(new URLSearchParams('pagina=3'))).toBe(3);
    expect(pageNumber(new URLSearchParams(''))).toBe(1);
    for (const bad of ['0', '-2', '1.5', 'due', '10001'])
      expect(pageNumber(new URLSearchParams({ pagina: bad }))).toBe(1);
    expect(pageNumber(new URLSearchParams('p=2&pagina=5'), 'p')).toBe(2);
  });

  it('keeps the filters in the link, leaves out empty ones and page 1', () => {
    expect(pageQuery({ stato: 'ACTIVE', tipo: '', cerca: 'caffè & co' }, 2)).toBe(
      '?stato=ACTIVE&cerca=caff%C3%A8%20%26%20co&pagina=2',
    );
    expect(pageQuery({ cerca: 'rosa' }, 1)).toBe('?cerca=rosa');
    expect(pageQuery({ cerca: '' }, 1)).toBe('');
    expect(pageQuery({}, 4)).toBe('?pagina=4');
  });

  it('numbers the items shown on a page', () => {
    expect(pageRange(1, 50, 50)).toEqual({ first: 1, last: 50 });
    expect(pageRange(3, 50, 7)).toEqual({ first: 101, last: 107 });
  });

  it('falls back to the last page with items when a page was emptied', () => {
    expect(pageWithItems(3, 50, 101)).toBe(3);
    expect(pageWithItems(3, 50, 100)).toBe(2);
    expect(pageWithItems(3, 50, 49)).toBe(1);
    expect(pageWithItems(2, 50, 0)).toBe(1);
    expect(pageWithItems(1, 50, 0)).toBe(1);
  });
});
