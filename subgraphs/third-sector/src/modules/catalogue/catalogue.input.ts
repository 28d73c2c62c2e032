import { Field, ID, InputType, Int } from 'type-graphql';
import {
  OfferCategory,
  OfferTarget,
  type OfferCategoryValue,
  type OfferTargetValue,
} from '../offer/offer.enums.js';
import { CataloguePricing, type CataloguePricingValue } from './catalogue.enums.js';

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
