import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { Payment } from '../payment/payment.entity.js';
import { AccreditationStatus } from '../shop/shop.enums.js';
import {
  CampaignBalanceType,
  CardMovementType,
  ChargeCardInput,
  ChargeResultType,
  PaymentType,
  ShopAccreditationInput,
  ShopAccreditationType,
  SweepResultType,
  TopUpResultType,
  TrancheInput,
} from './money.type.js';

const trancheArg = {
  nullable: true,
  description: 'The tranche (default: tranche 1, 100% of the entitlement).',
} as const;

/** Top-ups, shops and card payments. */
@Resolver()
export class MoneyResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => TopUpResultType, {
    description:
      'Staff of the Comune: credits an APPROVED application’s entitlement to the holder’s card (a tranche). NOT_FOUND for another Comune; CONFLICT after the spending window or when the fund lacks the budget.',
  })
  topUpApplication(
    @Arg('applicationId', () => ID, { description: 'The approved application.' })
    applicationId: string,
    @Arg('tranche', () => TrancheInput, trancheArg) tranche: TrancheInput | null,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.topUps.topUpApplication(
      ctx.em,
      ctx.caller,
      applicationId,
      tranche ? { number: tranche.number, percent: tranche.percent ?? 100 } : undefined,
    );
  }

  @Mutation(() => TopUpResultType, {
    description:
      'Staff of the Comune: credits every APPROVED application of the campaign (a tranche), all or nothing.',
  })
  topUpCampaign(
    @Arg('campaignId', () => ID, { description: 'The campaign.' }) campaignId: string,
    @Arg('tranche', () => TrancheInput, trancheArg) tranche: TrancheInput | null,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.topUps.topUpCampaign(
      ctx.em,
      ctx.caller,
      campaignId,
      tranche ? { number: tranche.number, percent: tranche.percent ?? 100 } : undefined,
    );
  }

  @Mutation(() => SweepResultType, {
    description:
      'Staff of the Comune, after the spending window: returns the cards’ unspent credit to the campaign’s fund. Idempotent.',
  })
  sweepCampaignCredit(
    @Arg('campaignId', () => ID, { description: 'The campaign.' }) campaignId: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.topUps.sweepExpired(ctx.em, ctx.caller, campaignId);
  }

  @Mutation(() => ShopAccreditationType, {
    description:
      'The OWNER of a MERCHANT organisation asks to join a published campaign (PENDING until the Comune decides). CONFLICT when it already asked.',
  })
  requestShopAccreditation(
    @Arg('input', () => ShopAccreditationInput, { description: 'The shop’s data.' })
    input: ShopAccreditationInput,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.shops.requestAccreditation(ctx.em, ctx.caller, input);
  }

  @Mutation(() => ShopAccreditationType, {
    description:
      'Staff of the campaign’s Comune accredit or suspend a shop (written to the audit log). NOT_FOUND for anyone else.',
  })
  decideShopAccreditation(
    @Arg('id', () => ID, { description: 'The accreditation.' }) id: string,
    @Arg('status', () => AccreditationStatus, { description: 'ACCREDITED or SUSPENDED.' })
    status: 'ACCREDITED' | 'SUSPENDED',
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.shops.decide(ctx.em, ctx.caller, id, status);
  }

  @Query(() => [ShopAccreditationType], {
    description: 'A merchant’s accreditations (its OWNERs and CASHIERs; empty for anyone else).',
  })
  merchantAccreditations(
    @Arg('merchantId', () => ID, { description: 'The MERCHANT organisation.' }) merchantId: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.shops.forMerchant(ctx.em, ctx.caller, merchantId);
  }

  @Query(() => [ShopAccreditationType], {
    description: 'The shops of a campaign (staff of its Comune; empty for anyone else).',
  })
  campaignShops(
    @Arg('campaignId', () => ID, { description: 'The campaign.' }) campaignId: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.shops.forCampaign(ctx.em, ctx.caller, campaignId);
  }

  @Mutation(() => ChargeResultType, {
    description:
      'The POS: a CASHIER or OWNER of the shop charges a card. Refusals carry a reason: INSUFFICIENT_CREDIT, CARD_BLOCKED, WRONG_PIN, PIN_LOCKED (the fifth wrong PIN: it has just blocked the card), SHOP_NOT_ACCREDITED, OUTSIDE_WINDOW, CATEGORY_EXCLUDED, IDEMPOTENCY_CONFLICT (CONFLICT), NOT_A_CASHIER (FORBIDDEN), CARD_NOT_FOUND (NOT_FOUND). A refused payment writes nothing.',
  })
  chargeCard(
    @Arg('input', () => ChargeCardInput, { description: 'The payment.' }) input: ChargeCardInput,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.payments.charge(ctx.em, ctx.caller, input);
  }

  @Mutation(() => PaymentType, {
    description:
      'The shop voids a payment the same day (the credit returns to the card). Idempotent; CONFLICT (VOID_TOO_LATE) on a later day.',
  })
  voidCardPayment(
    @Arg('id', () => ID, { description: 'The payment.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.payments.voidPayment(ctx.em, ctx.caller, id);
  }

  @Query(() => [PaymentType], {
    description: 'A shop’s payments, newest first (the merchant’s people and the Comune’s staff).',
  })
  shopPayments(
    @Arg('accreditationId', () => ID, { description: 'The shop’s accreditation.' })
    accreditationId: string,
    @Arg('first', () => Int, { defaultValue: 100, description: 'How many, 1 to 500.' })
    first: number,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.payments.forShop(ctx.em, ctx.caller, accreditationId, first);
  }

  @Query(() => PaymentType, {
    nullable: true,
    description:
      'The payment made under a till’s idempotency key (the people of its shop, the staff of its Comune), or null when none was made. After an unknown outcome (a timeout) the till asks this: a call answered after its deadline never commits later, so null is final and the payment can be retried with the same key.',
  })
  cardPaymentByKey(
    @Arg('idempotencyKey', () => ID, { description: 'The key the till sent with the payment.' })
    idempotencyKey: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.payments.byKey(ctx.em, ctx.caller, idempotencyKey);
  }

  @Query(() => [CampaignBalanceType], {
    description: 'The caller’s cards’ credit, per campaign (citizens logged in with SPID/CIE).',
  })
  myCardBalance(@Ctx() ctx: SubgraphContext) {
    return this.services.payments.myBalances(ctx.em, ctx.caller);
  }

  @Query(() => [CardMovementType], {
    description:
      'A card’s movements, newest first (its holder or the staff of its Comune; empty otherwise).',
  })
  cardMovements(
    @Arg('cardId', () => ID, { description: 'The card.' }) cardId: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.payments.movements(ctx.em, ctx.caller, cardId);
  }
}

/** A card payment's fields that are not columns of the payment. */
@Resolver(() => PaymentType)
export class PaymentResolver {
  constructor(private readonly services: Services) {}

  @FieldResolver(() => String, {
    description:
      'The last 4 digits of the card’s number, as the shop sees it on the card (the full number is never answered).',
  })
  cardLast4(@Root() payment: Payment, @Ctx() ctx: SubgraphContext): Promise<string> {
    return this.services.payments.cardLast4(ctx.em, ctx, payment);
  }
}
