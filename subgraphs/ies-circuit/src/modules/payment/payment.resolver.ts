import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { PaymentRequest, PaymentView } from './payment.entity.js';
import type { RequestView } from './payment.service.js';
import {
  CreatePaymentRequestInput,
  PayInput,
  PaymentRequestType,
  PaymentType,
} from './payment.type.js';

/** The portal path that pays a request: what its QR code encodes (after the portal's origin). */
export const payPath = (circuitCode: string, requestId: string) =>
  `/ies/${circuitCode}/paga/${requestId}`;

function requestType(view: RequestView, now: Date): PaymentRequestType {
  const { request, circuit } = view;
  return {
    id: request.id,
    circuitCode: circuit.code,
    circuitName: circuit.name,
    payPath: payPath(circuit.code, request.id),
    payeeName: view.payeeName,
    amountCents: request.amountCents ?? null,
    description: request.description,
    expiresAt: request.expiresAt,
    expired: request.expiresAt.getTime() <= now.getTime(),
    status: request.status,
    fee: view.fee,
    own: view.own,
  };
}

function paymentType(p: PaymentView): PaymentType {
  return {
    ...p,
    debitedCents: p.feePayer === 'PAYER' ? p.amountCents + p.feeCents : p.amountCents,
    receivedCents: p.feePayer === 'PAYEE' ? p.amountCents - p.feeCents : p.amountCents,
  };
}

/** Payments between members: requests shown as QR codes, paid once per idempotency key. */
@Resolver(() => PaymentType)
export class PaymentResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => PaymentRequestType, {
    description:
      'The caller (a citizen member, or for an organisation member they act for) asks to be paid: a request to show as a QR code. BAD_USER_INPUT field by field; FORBIDDEN for a non-member or a suspended one; CONFLICT when the circuit is suspended.',
  })
  async createIesPaymentRequest(
    @Arg('input', () => CreatePaymentRequestInput) input: CreatePaymentRequestInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PaymentRequestType> {
    const request: PaymentRequest = await this.services.payments.createRequest(
      ctx.em,
      ctx.caller,
      input,
    );
    const view = await this.services.payments.request(ctx.em, ctx.caller, request.id);
    return requestType(view, new Date());
  }

  @Query(() => PaymentRequestType, {
    description:
      'A payment request by id (from its QR code), for anyone logged in: the payee’s name, the amount, the description and the fee the payer would pay. NOT_FOUND when there is none.',
  })
  async iesPaymentRequest(
    @Arg('id', () => ID, { description: 'The request’s id.' }) id: string,
    @Arg('amountCents', () => Int, {
      nullable: true,
      description: 'For a request without an amount: the amount to quote the fee for.',
    })
    amountCents: number | null | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PaymentRequestType> {
    const view = await this.services.payments.request(ctx.em, ctx.caller, id, amountCents);
    return requestType(view, new Date());
  }

  @Mutation(() => PaymentType, {
    description:
      'Pays a request: the amount to the payee and the circuit’s fee, in one transaction, once per idempotency key (a retry returns the same payment). BAD_USER_INPUT field by field (paying oneself, a missing or extra amount); FORBIDDEN for a non-member or a suspended one; CONFLICT for an insufficient balance, a request paid or expired, a suspended circuit or payee, a key used for another payment. A refusal writes nothing.',
  })
  async payIesPaymentRequest(
    @Arg('input', () => PayInput) input: PayInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PaymentType> {
    return paymentType(await this.services.payments.pay(ctx.em, ctx.caller, input));
  }

  @Query(() => PaymentType, {
    nullable: true,
    description:
      'The payment made with this idempotency key, for its payer or payee; null when there is none (it did not happen: paying again with the same key is safe). How an unknown outcome is resolved.',
  })
  async iesPayment(
    @Arg('idempotencyKey', () => ID, { description: 'The key the payment was made with.' })
    idempotencyKey: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PaymentType | null> {
    const payment = await this.services.payments.byKey(ctx.em, ctx.caller, idempotencyKey);
    return payment ? paymentType(payment) : null;
  }

  @Query(() => [PaymentType], {
    description:
      'The last 50 payments made or received by the caller in the circuit (as a citizen, or for an organisation they act for), newest first. FORBIDDEN for a non-member.',
  })
  async myIesPayments(
    @Arg('circuitCode', { description: 'The circuit’s public code.' }) circuitCode: string,
    @Arg('organisationId', () => ID, {
      nullable: true,
      description: 'The organisation (identity id) whose payments; omitted: the caller’s own.',
    })
    organisationId: string | null | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PaymentType[]> {
    const list = await this.services.payments.mine(ctx.em, ctx.caller, circuitCode, organisationId);
    return list.map(paymentType);
  }
}
