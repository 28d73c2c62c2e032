import {
  OFFER_CATEGORIES,
  OFFER_CATEGORY_DESCRIPTION,
  enumObject,
  type OfferCategoryValue,
} from '@welfare/kit/vocabulary';
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
 * The third-sector catalogue's fixed taxonomy of services, from the kit's shared vocabulary: the
 * same enum (name, values, description) as third-sector's, which federation merges. A campaign
 * names the categories its credit can pay for.
 */
export { OFFER_CATEGORIES, type OfferCategoryValue };
export const OfferCategory = enumObject(OFFER_CATEGORIES);
registerEnumType(OfferCategory, { name: 'OfferCategory', description: OFFER_CATEGORY_DESCRIPTION });

export function isOfferCategory(value: string): value is OfferCategoryValue {
  return (OFFER_CATEGORIES as readonly string[]).includes(value);
}
