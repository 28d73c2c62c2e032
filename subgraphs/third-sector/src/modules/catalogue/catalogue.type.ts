import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import {
  OfferCategory,
  OfferTarget,
  type OfferCategoryValue,
  type OfferTargetValue,
} from '../offer/offer.enums.js';
import { OfferType } from '../offer/offer.type.js';
import { CATALOGUE_PRICINGS, type CataloguePricingValue } from './catalogue.service.js';

export const CataloguePricing = Object.fromEntries(CATALOGUE_PRICINGS.map((s) => [s, s])) as {
  [K in CataloguePricingValue]: K;
};
registerEnumType(CataloguePricing, {
  name: 'CataloguePricing',
  description: 'FREE (offers with no price) or PAID (priced per hour, session or package).',
});

@InputType('CatalogueSearchInput', {
  description:
    'A catalogue search. Every filter is optional; values within one filter are alternatives (OR), filters combine with AND.',
})
export class CatalogueSearchInput {
  @Field(() => String, {
    nullable: true,
    description:
      'Words to look for in title and description (Italian: "lezioni" finds "lezione"; tolerant of typos), up to 200 characters. Every word must match.',
  })
  text?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only the catalogue of this Comune.' })
  comuneId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only the offers of this provider.' })
  providerId?: string | null;

  @Field(() => [OfferCategory], { nullable: true, description: 'Any of these categories.' })
  categories?: OfferCategoryValue[] | null;

  @Field(() => [OfferTarget], { nullable: true, description: 'For any of these people.' })
  targets?: OfferTargetValue[] | null;

  @Field(() => [CataloguePricing], { nullable: true, description: 'Free, paid, or both.' })
  pricing?: CataloguePricingValue[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Delivered in any of these municipalities (a place’s municipality), up to 20.',
  })
  municipalities?: string[] | null;

  @Field(() => [Int], {
    nullable: true,
    description: 'With a weekly slot on any of these ISO weekdays (1 Monday … 7 Sunday).',
  })
  weekdays?: number[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'With a slot covering this time of day, `HH:MM` (on one of `weekdays`, when given).',
  })
  time?: string | null;

  @Field(() => Int, { nullable: true, description: 'Page, from 1 (default 1).' })
  page?: number | null;

  @Field(() => Int, { nullable: true, description: 'Results per page, 1 to 50 (default 20).' })
  pageSize?: number | null;
}

@ObjectType('CatalogueCategoryFacet', { description: 'Offers per category.' })
export class CatalogueCategoryFacet {
  @Field(() => OfferCategory, { description: 'The category.' })
  value!: OfferCategoryValue;
  @Field(() => Int, { description: 'Matching offers, with every other filter applied.' })
  count!: number;
}

@ObjectType('CatalogueTargetFacet', { description: 'Offers per target group.' })
export class CatalogueTargetFacet {
  @Field(() => OfferTarget, { description: 'The target group.' })
  value!: OfferTargetValue;
  @Field(() => Int, { description: 'Matching offers, with every other filter applied.' })
  count!: number;
}

@ObjectType('CataloguePricingFacet', { description: 'Free and paid offers.' })
export class CataloguePricingFacet {
  @Field(() => CataloguePricing, { description: 'Free or paid.' })
  value!: CataloguePricingValue;
  @Field(() => Int, { description: 'Matching offers, with every other filter applied.' })
  count!: number;
}

@ObjectType('CatalogueMunicipalityFacet', { description: 'Offers per place municipality.' })
export class CatalogueMunicipalityFacet {
  @Field(() => String, { description: 'The municipality.' })
  value!: string;
  @Field(() => Int, { description: 'Matching offers, with every other filter applied.' })
  count!: number;
}

@ObjectType('CatalogueWeekdayFacet', { description: 'Offers per weekday of their schedule.' })
export class CatalogueWeekdayFacet {
  @Field(() => Int, { description: 'ISO weekday, 1 Monday … 7 Sunday.' })
  value!: number;
  @Field(() => Int, { description: 'Matching offers, with every other filter applied.' })
  count!: number;
}

@ObjectType('CatalogueFacets', {
  description:
    'Counts per filter value (disjunctive: each facet counted with every other filter applied, not its own).',
})
export class CatalogueFacetsType {
  @Field(() => [CatalogueCategoryFacet], { description: 'Every category, in taxonomy order.' })
  categories!: CatalogueCategoryFacet[];
  @Field(() => [CatalogueTargetFacet], { description: 'Every target group.' })
  targets!: CatalogueTargetFacet[];
  @Field(() => [CataloguePricingFacet], { description: 'Free, then paid.' })
  pricing!: CataloguePricingFacet[];
  @Field(() => [CatalogueMunicipalityFacet], {
    description: 'The municipalities with matching offers (and any selected), alphabetically.',
  })
  municipalities!: CatalogueMunicipalityFacet[];
  @Field(() => [CatalogueWeekdayFacet], { description: 'Every weekday, Monday first.' })
  weekdays!: CatalogueWeekdayFacet[];
}

@ObjectType('CataloguePage', { description: 'A page of catalogue results with facet counts.' })
export class CataloguePageType {
  @Field(() => [OfferType], {
    description: 'The offers of the page: by relevance when searching text, then by title; stable.',
  })
  items!: OfferType[];
  @Field(() => Int, { description: 'Matching offers in all.' })
  total!: number;
  @Field(() => Int, { description: 'This page, from 1.' })
  page!: number;
  @Field(() => Int, { description: 'Results per page.' })
  pageSize!: number;
  @Field(() => Int, { description: 'Pages in all.' })
  pageCount!: number;
  @Field(() => CatalogueFacetsType, { description: 'Facet counts.' })
  facets!: CatalogueFacetsType;
}
