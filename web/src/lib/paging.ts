// Paging of a list by previous/next links (`?pagina=`, from 1), kept filters in the links. Pure.

/** The page asked by `?pagina=` (or `name`): an integer from 1 to 10 000, else 1. */
export function pageNumber(params: URLSearchParams, name = 'pagina'): number {
  const page = Number(params.get(name) ?? '1');
  return Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
}

/**
 * The query string of page `page` keeping the filters (empty ones left out, page 1 unsaid):
 * `?cerca=rosa&pagina=2`, or '' for the first page unfiltered.
 */
export function pageQuery(kept: Record<string, string>, page: number, name = 'pagina'): string {
  const parts = Object.entries(kept)
    .filter(([, value]) => value !== '')
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`);
  if (page > 1) parts.push(`${name}=${page}`);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** The positions (from 1) of the first and last of `shown` items on page `page`. */
export function pageRange(
  page: number,
  pageSize: number,
  shown: number,
): { first: number; last: number } {
  const first = (page - 1) * pageSize + 1;
  return { first, last: first + shown - 1 };
}

/**
 * The page to show after the list lost items (a decision moved one out of the filter): `page`
 * while it still has some, else the last page that has any (1 for an empty list).
 */
export function pageWithItems(page: number, pageSize: number, total: number): number {
  if ((page - 1) * pageSize < total) return page;
  return Math.max(1, Math.ceil(total / pageSize));
}
