import { registerEnumType } from 'type-graphql';

/** Free or paid, as the catalogue filters and counts offers. */
export const CATALOGUE_PRICINGS = ['FREE', 'PAID'] as const;
export type CataloguePricingValue = (typeof CATALOGUE_PRICINGS)[number];
export const CataloguePricing = Object.fromEntries(CATALOGUE_PRICINGS.map((s) => [s, s])) as {
  [K in CataloguePricingValue]: K;
};
registerEnumType(CataloguePricing, {
  name: 'CataloguePricing',
  description: 'FREE (offers with no price) or PAID (priced per hour, session or package).',
});
