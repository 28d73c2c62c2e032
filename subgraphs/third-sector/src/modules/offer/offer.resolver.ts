import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { OrganisationRef } from '../shared/references.type.js';
import { OfferStatus, type OfferStatusValue } from './offer.enums.js';
import type { OfferRecord } from './offer.service.js';
import { OfferInput } from './offer.input.js';
import { OfferType } from './offer.type.js';

const offerArg = { description: 'The offer.' } as const;

/** Offers: the provider's side and one offer's page. */
@Resolver(() => OfferType)
export class OfferResolver {
  constructor(private readonly services: Services) {}

  @Query(() => OfferType, {
    nullable: true,
    description:
      'One offer: public while in the catalogue; its provider’s ADMIN and the Comune’s staff see it in any status. Null for anyone else, as when missing.',
  })
  offer(
    @Arg('id', () => ID, offerArg) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<OfferRecord | null> {
    return this.services.offers.get(ctx.em, ctx.caller, id);
  }

  @Query(() => [OfferType], {
    description:
      'The provider’s offers in any status, newest first. Its ADMIN only: FORBIDDEN otherwise.',
  })
  providerOffers(
    @Arg('providerId', () => ID, { description: 'The provider organisation.' }) providerId: string,
    @Arg('statuses', () => [OfferStatus], {
      nullable: true,
      description: 'Only these statuses (default: all).',
    })
    statuses: OfferStatusValue[] | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<OfferRecord[]> {
    return this.services.offers.forProvider(ctx.em, ctx.caller, providerId, statuses);
  }

  @Mutation(() => OfferType, {
    description:
      'The provider’s ADMIN creates a DRAFT offer for a Comune’s catalogue. BAD_USER_INPUT lists every invalid field (nothing written); FORBIDDEN for anyone else.',
  })
  createOffer(
    @Arg('providerId', () => ID, { description: 'The provider organisation.' }) providerId: string,
    @Arg('comuneId', () => ID, {
      description: 'The Comune whose catalogue it is for (the provider publishes once accredited).',
    })
    comuneId: string,
    @Arg('input', () => OfferInput, { description: 'The offer.' }) input: OfferInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<OfferRecord> {
    return this.services.offers.create(ctx.em, ctx.caller, providerId, comuneId, input);
  }

  @Mutation(() => OfferType, {
    description:
      'The provider’s ADMIN replaces every field of an offer (a published one must stay complete). BAD_USER_INPUT lists every invalid field (nothing written); NOT_FOUND for anyone else.',
  })
  updateOffer(
    @Arg('id', () => ID, offerArg) id: string,
    @Arg('input', () => OfferInput, { description: 'The offer.' }) input: OfferInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<OfferRecord> {
    return this.services.offers.update(ctx.em, ctx.caller, id, input);
  }

  @Mutation(() => OfferType, {
    description:
      'The provider’s ADMIN publishes a DRAFT or WITHDRAWN offer: the provider must be accredited by the offer’s Comune now and the offer complete (a target, a place, a schedule slot or notes, a contact e-mail); BAD_USER_INPUT lists what is missing. CONFLICT when already published; NOT_FOUND for anyone else.',
  })
  publishOffer(
    @Arg('id', () => ID, offerArg) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<OfferRecord> {
    return this.services.offers.publish(ctx.em, ctx.caller, id);
  }

  @Mutation(() => OfferType, {
    description:
      'The provider’s ADMIN withdraws a PUBLISHED offer from the catalogue. CONFLICT otherwise; NOT_FOUND for anyone else.',
  })
  withdrawOffer(
    @Arg('id', () => ID, offerArg) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<OfferRecord> {
    return this.services.offers.withdraw(ctx.em, ctx.caller, id);
  }

  @Query(() => [OfferType], {
    description:
      'The offers addressed to the Comune’s catalogue (default: PUBLISHED and WITHDRAWN), newest first. The Comune’s staff only: FORBIDDEN otherwise.',
  })
  comuneOffers(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Arg('statuses', () => [OfferStatus], {
      nullable: true,
      description: 'Only these statuses (default: PUBLISHED and WITHDRAWN).',
    })
    statuses: OfferStatusValue[] | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<OfferRecord[]> {
    return this.services.offers.forComune(ctx.em, ctx.caller, comuneId, statuses);
  }

  @Mutation(() => OfferType, {
    description:
      'The Comune’s staff withdraw a PUBLISHED offer of its catalogue with a reason (5 to 1000 characters, shown to the provider): it leaves the catalogue at once. BAD_USER_INPUT on `reason`; CONFLICT unless PUBLISHED; NOT_FOUND for anyone else.',
  })
  withdrawOfferByComune(
    @Arg('id', () => ID, offerArg) id: string,
    @Arg('reason', () => String, { description: 'Why, 5 to 1000 characters.' }) reason: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<OfferRecord> {
    return this.services.offers.withdrawByComune(ctx.em, ctx.caller, id, reason);
  }

  @Mutation(() => OfferType, {
    description:
      'The provider’s ADMIN asks the Comune to publish again an offer the Comune withdrew, once fixed (it must be publishable: BAD_USER_INPUT lists what is not). CONFLICT unless withdrawn by the Comune; NOT_FOUND for anyone else.',
  })
  requestOfferRepublication(
    @Arg('id', () => ID, offerArg) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<OfferRecord> {
    return this.services.offers.requestRepublication(ctx.em, ctx.caller, id);
  }

  @Mutation(() => OfferType, {
    description:
      'The Comune’s staff publish again an offer they withdrew, once its provider asked (it must be publishable: BAD_USER_INPUT lists what is not). CONFLICT otherwise; NOT_FOUND for anyone else.',
  })
  reinstateOffer(
    @Arg('id', () => ID, offerArg) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<OfferRecord> {
    return this.services.offers.reinstate(ctx.em, ctx.caller, id);
  }

  @FieldResolver(() => OrganisationRef, { description: 'The provider organisation.' })
  provider(@Root() row: OfferRecord): OrganisationRef {
    return { id: row.providerId };
  }

  @FieldResolver(() => OrganisationRef, { description: 'The Comune of the catalogue.' })
  comune(@Root() row: OfferRecord): OrganisationRef {
    return { id: row.comuneId };
  }

  @FieldResolver(() => Boolean, {
    description:
      'True while the offer is in the public catalogue (PUBLISHED and its provider accredited by the Comune now; for a tutoring programme’s offer, also the programme not ended: its page stays readable after the end, saying so).',
  })
  inCatalogue(@Root() row: OfferRecord, @Ctx() ctx: SubgraphContext): Promise<boolean> {
    return this.services.offers.inCatalogue(ctx.em, row);
  }
}
