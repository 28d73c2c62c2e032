// Labels and formats of offers and the catalogue (categories, targets, prices, schedule). Pure.
import { formatEuro } from './money';
import type { Locale } from './locale';
import { m } from './paraglide/messages';

export const OFFER_CATEGORIES = [
  'EDUCATION',
  'CHILDCARE',
  'ELDERLY_CARE',
  'DISABILITY',
  'HEALTH',
  'SPORT',
  'CULTURE',
  'EMPLOYMENT',
  'HOME_SERVICES',
  'OTHER',
] as const;
export type OfferCategory = (typeof OFFER_CATEGORIES)[number];

export const OFFER_TARGETS = [
  'CHILDREN',
  'TEENAGERS',
  'YOUNG_ADULTS',
  'FAMILIES',
  'ADULTS',
  'ELDERLY',
  'PEOPLE_WITH_DISABILITIES',
  'EVERYONE',
] as const;
export type OfferTarget = (typeof OFFER_TARGETS)[number];

export const OFFER_PRICE_KINDS = ['FREE', 'PER_HOUR', 'PER_SESSION', 'PER_PACKAGE'] as const;
export type OfferPriceKind = (typeof OFFER_PRICE_KINDS)[number];

export const OFFER_FORMATS = ['INDIVIDUAL', 'GROUP'] as const;
export type OfferFormat = (typeof OFFER_FORMATS)[number];

export const CATALOGUE_PRICINGS = ['FREE', 'PAID'] as const;
export type CataloguePricing = (typeof CATALOGUE_PRICINGS)[number];

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

const CATEGORY: Record<OfferCategory, () => string> = {
  EDUCATION: m.offer_category_education,
  CHILDCARE: m.offer_category_childcare,
  ELDERLY_CARE: m.offer_category_elderly_care,
  DISABILITY: m.offer_category_disability,
  HEALTH: m.offer_category_health,
  SPORT: m.offer_category_sport,
  CULTURE: m.offer_category_culture,
  EMPLOYMENT: m.offer_category_employment,
  HOME_SERVICES: m.offer_category_home_services,
  OTHER: m.offer_category_other,
};

const TARGET: Record<OfferTarget, () => string> = {
  CHILDREN: m.offer_target_children,
  TEENAGERS: m.offer_target_teenagers,
  YOUNG_ADULTS: m.offer_target_young_adults,
  FAMILIES: m.offer_target_families,
  ADULTS: m.offer_target_adults,
  ELDERLY: m.offer_target_elderly,
  PEOPLE_WITH_DISABILITIES: m.offer_target_people_with_disabilities,
  EVERYONE: m.offer_target_everyone,
};

const PRICE_KIND: Record<OfferPriceKind, () => string> = {
  FREE: m.offer_price_kind_free,
  PER_HOUR: m.offer_price_kind_per_hour,
  PER_SESSION: m.offer_price_kind_per_session,
  PER_PACKAGE: m.offer_price_kind_per_package,
};

const STATUS: Record<string, () => string> = {
  DRAFT: m.offer_status_draft,
  PUBLISHED: m.offer_status_published,
  WITHDRAWN: m.offer_status_withdrawn,
};

const WEEKDAY: Record<number, () => string> = {
  1: m.offer_weekday_1,
  2: m.offer_weekday_2,
  3: m.offer_weekday_3,
  4: m.offer_weekday_4,
  5: m.offer_weekday_5,
  6: m.offer_weekday_6,
  7: m.offer_weekday_7,
};

export const categoryLabel = (value: string): string =>
  CATEGORY[value as OfferCategory]?.() ?? value;
export const targetLabel = (value: string): string => TARGET[value as OfferTarget]?.() ?? value;
export const priceKindLabel = (value: string): string =>
  PRICE_KIND[value as OfferPriceKind]?.() ?? value;
export const offerStatusLabel = (value: string): string => STATUS[value]?.() ?? value;
export const weekdayLabel = (value: number): string => WEEKDAY[value]?.() ?? String(value);
export const pricingLabel = (value: string): string =>
  value === 'FREE' ? m.catalogue_pricing_free() : m.catalogue_pricing_paid();

/** The price as a citizen reads it: "Gratuito" or "12,50 € all'ora". */
export function priceLabel(
  offer: { priceKind: string; priceCents: number | null },
  locale: Locale,
): string {
  if (offer.priceKind === 'FREE' || offer.priceCents === null) return m.offer_price_free();
  const amount = formatEuro(offer.priceCents, locale);
  if (offer.priceKind === 'PER_HOUR') return m.offer_price_per_hour({ amount });
  if (offer.priceKind === 'PER_SESSION') return m.offer_price_per_session({ amount });
  return m.offer_price_per_package({ amount });
}

/** "Individuale" or "In gruppo, fino a 12 persone". */
export function formatLabel(offer: { format: string; capacity: number }): string {
  return offer.format === 'GROUP'
    ? m.offer_format_group_capacity({ capacity: String(offer.capacity) })
    : m.offer_format_individual();
}

/** "Martedì dalle 15:00 alle 17:00". */
export function slotLabel(slot: { weekday: number; startTime: string; endTime: string }): string {
  return m.offer_slot({
    day: weekdayLabel(slot.weekday),
    start: slot.startTime,
    end: slot.endTime,
  });
}
