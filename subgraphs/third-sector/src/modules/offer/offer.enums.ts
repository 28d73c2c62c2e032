import {
  OFFER_CATEGORIES,
  OFFER_CATEGORY_DESCRIPTION,
  enumObject,
  type OfferCategoryValue,
} from '@welfare/kit/vocabulary';
import { registerEnumType } from 'type-graphql';

/** The catalogue's fixed taxonomy: the kit's shared vocabulary, the same enum in every subgraph. */
export { OFFER_CATEGORIES, type OfferCategoryValue };
export const OfferCategory = enumObject(OFFER_CATEGORIES);
registerEnumType(OfferCategory, {
  name: 'OfferCategory',
  description: OFFER_CATEGORY_DESCRIPTION,
});

/** How an offer is priced. FREE has no price; the others carry a price in cents. */
export const OFFER_PRICE_KINDS = ['FREE', 'PER_HOUR', 'PER_SESSION', 'PER_PACKAGE'] as const;
export type OfferPriceKindValue = (typeof OFFER_PRICE_KINDS)[number];
export const OfferPriceKind = Object.fromEntries(OFFER_PRICE_KINDS.map((s) => [s, s])) as {
  [K in OfferPriceKindValue]: K;
};
registerEnumType(OfferPriceKind, {
  name: 'OfferPriceKind',
  description:
    'How an offer is priced: FREE (no price), PER_HOUR, PER_SESSION or PER_PACKAGE (a price in integer cents; a package is described in `packageDescription`).',
});

/** Individual (one person at a time) or group (up to `capacity` people). */
export const OFFER_FORMATS = ['INDIVIDUAL', 'GROUP'] as const;
export type OfferFormatValue = (typeof OFFER_FORMATS)[number];
export const OfferFormat = Object.fromEntries(OFFER_FORMATS.map((s) => [s, s])) as {
  [K in OfferFormatValue]: K;
};
registerEnumType(OfferFormat, {
  name: 'OfferFormat',
  description:
    'INDIVIDUAL (one person at a time: capacity 1) or GROUP (2 to 200 people at a time).',
});

/** An offer's life: DRAFT → PUBLISHED ⇄ WITHDRAWN (a withdrawn offer may be edited and published again). */
export const OFFER_STATUSES = ['DRAFT', 'PUBLISHED', 'WITHDRAWN'] as const;
export type OfferStatusValue = (typeof OFFER_STATUSES)[number];
export const OfferStatus = Object.fromEntries(OFFER_STATUSES.map((s) => [s, s])) as {
  [K in OfferStatusValue]: K;
};
registerEnumType(OfferStatus, {
  name: 'OfferStatus',
  description:
    'Where an offer is: DRAFT (being written, editable), PUBLISHED (in the catalogue while its provider is accredited by the offer’s Comune), WITHDRAWN (taken off the catalogue by the provider, editable and publishable again; or by the Comune with a reason, then the Comune publishes it again once the provider asks).',
});

/**
 * Who an offer is for: a fixed list so that the catalogue can filter and count. An offer names
 * one or more; EVERYONE means no restriction.
 */
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
export type OfferTargetValue = (typeof OFFER_TARGETS)[number];
export const OfferTarget = Object.fromEntries(OFFER_TARGETS.map((s) => [s, s])) as {
  [K in OfferTargetValue]: K;
};
registerEnumType(OfferTarget, {
  name: 'OfferTarget',
  description:
    'Who an offer is for: CHILDREN (0–10 years), TEENAGERS (11–17), YOUNG_ADULTS (18–29), FAMILIES, ADULTS, ELDERLY (65 and over), PEOPLE_WITH_DISABILITIES, EVERYONE (no restriction).',
});

/** Limits shared by the service, the migration's CHECKs and the portal. */
export const OFFER_LIMITS = {
  titleMin: 3,
  titleMax: 160,
  descriptionMin: 10,
  descriptionMax: 5000,
  packageDescriptionMax: 500,
  scheduleNotesMax: 1000,
  groupCapacityMin: 2,
  groupCapacityMax: 200,
  /** 100,000.00 euros: a price above this is a typing mistake. */
  priceCentsMax: 10_000_000,
  placesMax: 20,
  slotsMax: 50,
  nameMax: 160,
  addressMax: 300,
  municipalityMax: 100,
  emailMax: 254,
  phoneMax: 30,
  websiteMax: 500,
} as const;
