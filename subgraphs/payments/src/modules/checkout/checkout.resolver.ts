import type { SubgraphContext } from '@welfare/kit';
import { badId, isUuid } from '@welfare/kit/access';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { OrganisationRef } from '../shared/references.type.js';
import type { CheckoutRow, LegRow } from './checkout.repository.js';
import { RefundCheckoutInput, StartCheckoutInput } from './checkout.input.js';
import { CheckoutLegType, CheckoutOptionsType, CheckoutType } from './checkout.type.js';

/** One request's legs of the checkouts it shows, loaded with one query. */
const legLoaders = new WeakMap<object, Map<string, Promise<LegRow[]>>>();

@Resolver(() => CheckoutType)
export class CheckoutResolver {
  constructor(private readonly services: Services) {}

  @Query(() => CheckoutOptionsType, {
    description:
      'What the logged-in person can pay a payable with (each fund and how much, whether a card can pay the rest) and the default split. NOT_FOUND unless the payable is theirs.',
  })
  async checkoutOptions(
    @Arg('payableRef', () => String, { description: 'What to pay: `offer-booking:<id>`.' })
    payableRef: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CheckoutOptionsType> {
    const o = await this.services.checkouts.options(ctx.em, ctx.caller, payableRef);
    return {
      payableRef: o.payable.ref,
      state: o.payable.state,
      amountCents: o.payable.amountCents,
      descriptionIt: o.payable.description.it,
      descriptionEn: o.payable.description.en,
      payee: { id: o.payable.payee.organisationId },
      funds: o.funds.map((f) => ({
        owner: f.owner,
        fundId: f.fundId,
        kind: f.kind,
        labelIt: f.label.it,
        labelEn: f.label.en,
        balanceCents: f.balanceCents,
        spendableCents: f.spendableCents,
        endsOn: f.endsOn,
      })),
      unavailableOwners: o.unavailableOwners,
      cardAvailable: o.cardAvailable,
      cardMinimumCents: o.cardMinimumCents,
      proposed: o.proposed.map((p) => ({
        kind: p.kind,
        owner: p.kind === 'FUND' ? p.owner : null,
        fundId: p.kind === 'FUND' ? p.fundId : null,
        amountCents: p.amountCents,
      })),
    };
  }

  @Query(() => CheckoutType, {
    description:
      'A checkout: the person who pays, the payee’s admins and platform admins; NOT_FOUND otherwise.',
  })
  checkout(
    @Arg('id', () => ID, { description: 'The checkout’s id.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CheckoutRow> {
    if (!isUuid(id)) throw badId('id');
    return this.services.checkouts.view(ctx.em, ctx.caller, id);
  }

  @Query(() => [CheckoutType], {
    description: 'The logged-in person’s payments, newest first (at most 100).',
  })
  myCheckouts(@Ctx() ctx: SubgraphContext): Promise<CheckoutRow[]> {
    return this.services.checkouts.mine(ctx.em, ctx.caller);
  }

  @Query(() => [CheckoutType], {
    description:
      'The payments a provider received, newest first (at most 100): its ADMINs and platform admins only (FORBIDDEN otherwise).',
  })
  payeeCheckouts(
    @Arg('organisationId', () => ID, { description: 'The provider (identity Organisation id).' })
    organisationId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CheckoutRow[]> {
    if (!isUuid(organisationId)) throw badId('organisationId');
    return this.services.checkouts.ofPayee(ctx.em, ctx.caller, organisationId);
  }

  @Mutation(() => CheckoutType, {
    description:
      'Starts paying a payable with the person’s funds and a card (the default split when no parts are given), and takes it as far as it goes: AWAITING_CARD with the card page’s URL, PAID, or FAILED with the reason. Idempotent by `checkoutId`. BAD_USER_INPUT lists every invalid part; CONFLICT when the payable is paid or being paid.',
  })
  startCheckout(
    @Arg('input', () => StartCheckoutInput) input: StartCheckoutInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CheckoutRow> {
    if (!isUuid(input.checkoutId)) throw badId('checkoutId');
    return this.services.checkouts.start(ctx.em, ctx.caller, input);
  }

  @Mutation(() => CheckoutType, {
    description:
      'Takes a checkout on as far as it goes now (after the card page, without waiting for Stripe’s notice). Its person only; NOT_FOUND otherwise.',
  })
  async refreshCheckout(
    @Arg('id', () => ID, { description: 'The checkout’s id.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CheckoutRow> {
    if (!isUuid(id)) throw badId('id');
    const row = await this.services.checkouts.view(ctx.em, ctx.caller, id);
    return this.services.checkouts.advance(ctx.em, row.id);
  }

  @Mutation(() => CheckoutType, {
    description:
      'The person gives up paying: a checkout not yet authorised is undone (holds released, the card page closed, the booking due again) and ends FAILED with reason CANCELLED. CONFLICT once the card is authorised; FORBIDDEN for anyone but the payer.',
  })
  cancelCheckout(
    @Arg('id', () => ID, { description: 'The checkout’s id.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CheckoutRow> {
    if (!isUuid(id)) throw badId('id');
    return this.services.checkouts.cancel(ctx.em, ctx.caller, id);
  }

  @Mutation(() => CheckoutType, {
    description:
      'Gives money of a PAID checkout back, split over its parts in proportion (each to where it came from: voucher credit to the card account, card money by a Stripe refund). The payee’s admins may refund any amount; the person may only cancel with a full refund, within the payee’s policy (an offer booking: before the day of the service; CONFLICT after). Idempotent by `refundId`.',
  })
  refundCheckout(
    @Arg('input', () => RefundCheckoutInput) input: RefundCheckoutInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CheckoutRow> {
    if (!isUuid(input.checkoutId)) throw badId('checkoutId');
    if (!isUuid(input.refundId)) throw badId('refundId');
    return this.services.checkouts.refund(ctx.em, ctx.caller, input);
  }

  @FieldResolver(() => OrganisationRef, {
    description: 'Who is paid: the provider (resolved by identity).',
  })
  payee(@Root() checkout: CheckoutRow): OrganisationRef {
    return { id: checkout.payeeOrganisationId };
  }

  @FieldResolver(() => [CheckoutLegType], { description: 'The parts, in the order they pay.' })
  legs(@Root() checkout: CheckoutRow, @Ctx() ctx: SubgraphContext): Promise<LegRow[]> {
    let loader = legLoaders.get(ctx);
    if (!loader) {
      loader = new Map();
      legLoaders.set(ctx, loader);
    }
    let legs = loader.get(checkout.id);
    if (!legs) {
      legs = this.services.checkouts.legs(ctx.em, [checkout.id]);
      loader.set(checkout.id, legs);
    }
    return legs;
  }
}
