import { registerEnumType } from 'type-graphql';

/*
 * The category vocabularies several modules share: what a shop sells and a payment is for (shops,
 * payments, a campaign's excluded categories, the monitoring), and the third-sector catalogue's
 * services a campaign can pay for (campaigns, offer coverage).
 */

/** What a shop sells, as declared when it asks to join a campaign (a fixed list). */
export const SHOP_CATEGORIES = [
  'FOOD',
  'PHARMACY',
  'HYGIENE',
  'CLOTHING',
  'SCHOOL',
  'ALCOHOL',
  'TOBACCO',
  'GAMBLING',
  'PHONE_TOPUP',
  'OTHER',
] as const;
export type ShopCategory = (typeof SHOP_CATEGORIES)[number];
export const ShopCategory = Object.fromEntries(SHOP_CATEGORIES.map((s) => [s, s])) as {
  [K in ShopCategory]: K;
};
registerEnumType(ShopCategory, {
  name: 'ShopCategory',
  description: 'A category of goods a shop sells and a payment is for.',
});

/**
 * The third-sector catalogue's fixed taxonomy of services. Third-sector owns `OfferCategory`;
 * this subgraph declares the same enum (same name, values and description: federation merges
 * them) because a campaign names the categories its credit can pay for. No code is shared
 * across subgraphs: keep the two declarations identical.
 */
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
export type OfferCategoryValue = (typeof OFFER_CATEGORIES)[number];
export const OfferCategory = Object.fromEntries(OFFER_CATEGORIES.map((s) => [s, s])) as {
  [K in OfferCategoryValue]: K;
};
registerEnumType(OfferCategory, {
  name: 'OfferCategory',
  description:
    'The category of an offer in the catalogue’s fixed taxonomy: EDUCATION (istruzione, doposcuola, tutoring), CHILDCARE (prima infanzia), ELDERLY_CARE (anziani), DISABILITY (disabilità), HEALTH (salute), SPORT, CULTURE (cultura), EMPLOYMENT (lavoro e formazione), HOME_SERVICES (servizi a domicilio), OTHER (altro).',
});

export function isOfferCategory(value: string): value is OfferCategoryValue {
  return (OFFER_CATEGORIES as readonly string[]).includes(value);
}
