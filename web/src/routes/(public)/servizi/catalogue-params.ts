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
