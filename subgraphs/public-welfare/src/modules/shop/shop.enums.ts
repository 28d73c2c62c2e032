import { registerEnumType } from 'type-graphql';

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

/** Categories a campaign excludes unless it says otherwise. */
export const DEFAULT_EXCLUDED_CATEGORIES: ShopCategory[] = [
  'ALCOHOL',
  'TOBACCO',
  'GAMBLING',
  'PHONE_TOPUP',
];

export const ACCREDITATION_STATUSES = ['PENDING', 'ACCREDITED', 'SUSPENDED'] as const;
export type AccreditationStatus = (typeof ACCREDITATION_STATUSES)[number];
export const AccreditationStatus = Object.fromEntries(
  ACCREDITATION_STATUSES.map((s) => [s, s]),
) as { [K in AccreditationStatus]: K };
registerEnumType(AccreditationStatus, {
  name: 'AccreditationStatus',
  description:
    "A shop's accreditation for a campaign: PENDING (asked), ACCREDITED (may take payments), SUSPENDED.",
});
