import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * Third-sector's `Offer` (the catalogue entity; its description copied from there so that the
 * supergraph keeps third-sector's), extended here with `acceptsIes`. The provider's id comes from
 * third-sector through the gateway (`@requires`); this subgraph stores nothing about offers.
 */
@Directive('@key(fields: "id")')
@ObjectType('Offer', {
  description:
    'A service offered by a third-sector provider (cooperative, association) in a Comune’s catalogue. Public while PUBLISHED and its provider is accredited by the Comune; the provider’s ADMIN and the Comune’s staff see it in any status.',
})
export class OfferIesRef {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Directive('@external')
  @Field(() => ID, { description: 'The provider organisation (identity Organisation id).' })
  providerId!: string;
}
