import type { SubgraphContext } from '@welfare/kit';
import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { OfferIesRef } from './offer.type.js';

/** The IES circuit's contribution to third-sector's `Offer`: whether IES can pay for it. */
@Resolver(() => OfferIesRef)
export class OfferIesResolver {
  constructor(private readonly services: Services) {}

  @Directive('@requires(fields: "providerId")')
  @FieldResolver(() => Boolean, {
    nullable: true,
    description:
      'Whether the offer can be paid with IES: its provider is an ACTIVE member of an IES circuit that accepts IES (a member of that circuit pays with their wallet at checkout, the circuit’s movement fee included). Public. Null only when the IES circuit could not answer (the rest of the offer is unaffected).',
  })
  acceptsIes(@Root() offer: OfferIesRef, @Ctx() ctx: SubgraphContext): Promise<boolean> {
    return this.services.offerIes.acceptsIes(ctx.em, ctx, offer.providerId);
  }
}
