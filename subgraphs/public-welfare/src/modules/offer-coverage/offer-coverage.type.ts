import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { OfferCategory, type OfferCategoryValue } from '../shared/categories.js';

/**
 * Third-sector's `Offer` (the catalogue entity; descriptions copied from there so that the
 * supergraph keeps third-sector's), extended here with the campaigns whose credit
 * can pay for it. The three external fields come from third-sector through the gateway
 * (`@requires` on `coveredByCampaigns`); this subgraph stores nothing about offers.
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
  @Field(() => ID, {
    description: 'The Comune whose catalogue the offer appears in (identity Organisation id).',
  })
  comuneId!: string;

  @Directive('@external')
  @Field(() => ID, { description: 'The provider organisation (identity Organisation id).' })
  providerId!: string;

  @Directive('@external')
  @Field(() => OfferCategory, { description: 'Category in the catalogue’s fixed taxonomy.' })
  category!: OfferCategoryValue;
}
