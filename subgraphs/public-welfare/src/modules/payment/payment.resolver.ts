import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { Payment } from './payment.entity.js';
import { ChargeCardInput } from './payment.input.js';
import { CardChargeSplitType, ChargeResultType, PaymentType } from './payment.type.js';

/**
 * Card payments at the till: charging a card, voiding a payment, a shop's payments, and a card
 * payment's fields that are not columns of the payment.
 */
@Resolver(() => PaymentType)
export class PaymentResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => ChargeResultType, {
    description:
      'The POS: a CASHIER or OWNER of the shop charges a card. Refusals carry a reason: INSUFFICIENT_CREDIT, CARD_BLOCKED, WRONG_PIN, PIN_LOCKED (the fifth wrong PIN: it has just blocked the card), SHOP_NOT_ACCREDITED, OUTSIDE_WINDOW, CATEGORY_EXCLUDED, IES_SPLIT_CHANGED, IES_UNAVAILABLE, INSUFFICIENT_IES, IDEMPOTENCY_CONFLICT (CONFLICT), NOT_A_CASHIER (FORBIDDEN), CARD_NOT_FOUND (NOT_FOUND). A refused payment writes nothing.',
  })
  chargeCard(
    @Arg('input', () => ChargeCardInput, { description: 'The payment.' }) input: ChargeCardInput,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.payments.charge(ctx.em, ctx.caller, input);
  }

  @Mutation(() => CardChargeSplitType, {
    description:
      'The POS, before charging: how the payment would be paid (the voucher credit first, then the holder’s IES at a shop that accepts IES), for the cashier to show and the holder to agree. The PIN is checked as for a payment (its attempts count); nothing is spent. The same refusals as `chargeCard` but INSUFFICIENT_CREDIT (answered as `payable: false`).',
  })
  previewCardCharge(
    @Arg('input', () => ChargeCardInput, { description: 'The payment to preview.' })
    input: ChargeCardInput,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.payments.preview(ctx.em, ctx.caller, input);
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

  @FieldResolver(() => String, {
    description:
      'The last 4 digits of the card’s number, as the shop sees it on the card (the full number is never answered).',
  })
  cardLast4(@Root() payment: Payment, @Ctx() ctx: SubgraphContext): Promise<string> {
    return this.services.payments.cardLast4(ctx.em, ctx, payment);
  }
}
