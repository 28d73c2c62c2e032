// The catalogue's search parameters (a GET form, so it works without JavaScript). Pure.
import {
  CATALOGUE_PRICINGS,
  OFFER_CATEGORIES,
  OFFER_TARGETS,
  type CataloguePricing,
  type OfferCategory,
  type OfferTarget,
} from '$lib/api-enums';

export const PAGE_SIZE = 20;

export interface CatalogueParams {
  q: string;
  categories: OfferCategory[];
  targets: OfferTarget[];
  pricing: CataloguePricing[];
  municipalities: string[];
  weekdays: number[];
  time: string;
  comuneId: string;
  /** A campaign (measure) whose credit must be able to pay for the offers. */
  paidBy: string;
  page: number;
}

const pickAll = <T extends string>(values: string[], allowed: readonly T[]): T[] =>
  [...new Set(values)].filter((v): v is T => (allowed as readonly string[]).includes(v));

/** Reads the URL (unknown values are dropped; the API checks the rest). */
export function parseCatalogueParams(url: URL): CatalogueParams {
  const p = url.searchParams;
  const page = Number(p.get('pagina') ?? '1');
  return {
    q: (p.get('q') ?? '').trim().slice(0, 200),
    categories: pickAll(p.getAll('categoria'), OFFER_CATEGORIES),
    targets: pickAll(p.getAll('per'), OFFER_TARGETS),
    pricing: pickAll(p.getAll('costo'), CATALOGUE_PRICINGS),
    municipalities: [...new Set(p.getAll('luogo').map((v) => v.trim()))]
      .filter((v) => v !== '')
      .slice(0, 20),
    weekdays: [...new Set(p.getAll('giorno'))].filter((v) => /^[1-7]$/.test(v)).map(Number),
    time: (p.get('ora') ?? '').trim(),
    comuneId: (p.get('comune') ?? '').trim(),
    paidBy: (p.get('pagabile') ?? '').trim(),
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}

/** The query string (without `?`) of another page of the same search. */
export function pageQuery(url: URL, page: number): string {
  const params = new URLSearchParams(url.searchParams);
  if (page <= 1) params.delete('pagina');
  else params.set('pagina', String(page));
  return params.toString();
}

/** How many filters are chosen (the search words are not a filter). */
export function activeFilterCount(params: CatalogueParams): number {
  return (
    params.categories.length +
    params.targets.length +
    params.pricing.length +
    params.municipalities.length +
    params.weekdays.length +
    (params.time ? 1 : 0) +
    (params.paidBy ? 1 : 0)
  );
}

/**
 * The query string (without `?`) of the catalogue form's fields as the browser would send them
 * on submit, without the empty ones (an empty search or time, "any measure"): the URL the page
 * navigates to when a filter changes. Always the first page of results.
 */
export function formQuery(fields: Iterable<[string, FormDataEntryValue]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of fields) {
    if (typeof value === 'string' && value.trim() !== '') params.append(name, value);
  }
  return params.toString();
}
