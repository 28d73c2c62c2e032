import { Field, ID, Int, ObjectType } from 'type-graphql';
import {
  OfferCategory,
  OfferTarget,
  type OfferCategoryValue,
  type OfferTargetValue,
} from '../offer/offer.enums.js';
import { OfferType } from '../offer/offer.type.js';
import { CataloguePricing, type CataloguePricingValue } from './catalogue.enums.js';

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

@ObjectType('CatalogueSynonymGroup', {
  description:
    'Words or short phrases the catalogue search takes as alternatives of each other ("nuoto", "piscina"): the built-in Italian list, or a Comune’s own additions.',
})
export class CatalogueSynonymGroupType {
  @Field(() => ID, { nullable: true, description: 'The Comune’s group; null for a built-in one.' })
  id!: string | null;
  @Field(() => ID, { nullable: true, description: 'The Comune that added it; null if built in.' })
  comuneId!: string | null;
  @Field(() => [String], { description: 'The words or phrases (up to three words each).' })
  words!: string[];
}
