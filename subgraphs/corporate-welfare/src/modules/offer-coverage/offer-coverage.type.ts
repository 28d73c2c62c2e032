import {
  OFFER_CATEGORIES,
  OFFER_CATEGORY_DESCRIPTION,
  enumObject,
  type OfferCategoryValue,
} from '@welfare/kit/vocabulary';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

/**
 * The third-sector catalogue's fixed taxonomy of services, from the kit's shared vocabulary: the
 * same enum (name, values, description) as third-sector's, which federation merges.
 */
export const OfferCategory = enumObject(OFFER_CATEGORIES);
registerEnumType(OfferCategory, { name: 'OfferCategory', description: OFFER_CATEGORY_DESCRIPTION });

/**
 * Third-sector's `Offer` (the catalogue entity; descriptions copied from there so that the
 * supergraph keeps third-sector's), extended here with the caller's welfare plans that cover it.
 * The category comes from third-sector through the gateway (`@requires`); this subgraph stores
 * nothing about offers.
 */
@Directive('@key(fields: "id")')
@ObjectType('Offer', {
  description:
    'A service offered by a third-sector provider (cooperative, association) in a Comune’s catalogue. Public while PUBLISHED and its provider is accredited by the Comune; the provider’s ADMIN and the Comune’s staff see it in any status.',
})
export class OfferRef {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Directive('@external')
  @Field(() => OfferCategory, { description: 'Category in the catalogue’s fixed taxonomy.' })
  category!: OfferCategoryValue;
}

/** One of the caller's welfare plans whose credit can pay for an offer. */
@ObjectType('WelfarePlanCoverage', {
  description:
    'One of the logged-in employee’s welfare plans whose credit can pay for an offer (services in kind, the offer’s category covered, the plan active and valid today, credit held in it).',
})
export class WelfarePlanCoverageType {
  @Field(() => ID, { description: 'The plan (corporate-welfare WelfarePlan id).' })
  planId!: string;

  @Field(() => String, { description: 'The plan’s name, as the employer called it.' })
  planName!: string;

  @Field(() => String, {
    description: 'The last day (Italian, YYYY-MM-DD) the credit can be spent.',
  })
  validUntil!: string;

  @Field(() => Int, {
    description: 'What the employee can spend of the plan’s credit now, in cents (holds excluded).',
  })
  availableCents!: number;
}
