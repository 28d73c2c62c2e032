import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FeePayerEnum } from '../circuit/circuit.type.js';
import { PAYMENT_REQUEST_STATUSES } from './payment.entity.js';

export const PaymentRequestStatusEnum = Object.fromEntries(
  PAYMENT_REQUEST_STATUSES.map((s) => [s, s]),
) as { [K in (typeof PAYMENT_REQUEST_STATUSES)[number]]: K };

registerEnumType(PaymentRequestStatusEnum, {
  name: 'IesPaymentRequestStatus',
  description: 'Whether an IES payment request can still be paid.',
  valuesConfig: {
    OPEN: { description: 'Payable (until it expires; without an amount, any number of times).' },
    PAID: { description: 'A request with an amount, paid once: it cannot be paid again.' },
  },
});

@ObjectType('IesFeeQuote', {
  description: 'The circuit’s fee on a movement and who pays it, in cents of IES.',
})
export class FeeQuoteType {
  @Field(() => Int, { description: 'The fee.' })
  feeCents!: number;

  @Field(() => FeePayerEnum, { description: 'Who bears it.' })
  payer!: string;

  @Field(() => Int, {
    description: 'What leaves the payer’s wallet (amount, plus the fee if the payer pays it).',
  })
  debitedCents!: number;

  @Field(() => Int, {
    description: 'What reaches the payee (amount, less the fee if the payee pays it).',
  })
  receivedCents!: number;
}

@ObjectType('IesPaymentRequest', {
  description:
    'A request to be paid in IES, shown by its payee as a QR code. Anyone logged in with its id reads it; it reveals only the payee’s name, the amount and the description.',
})
export class PaymentRequestType {
  @Field(() => ID, { description: 'The request’s id: the code in the QR and the link.' })
  id!: string;

  @Field({ description: 'The circuit’s public code.' })
  circuitCode!: string;

  @Field({ description: 'The circuit’s name.' })
  circuitName!: string;

  @Field({
    description: 'The portal path that pays it (`/ies/<code>/paga/<id>`), encoded in the QR.',
  })
  payPath!: string;

  @Field({ description: 'The payee’s name as shown to payers.' })
  payeeName!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'The amount, in cents; null: the payer enters it.',
  })
  amountCents?: number | null;

  @Field({ description: 'What it is for.' })
  description!: string;

  @Field({ description: 'When it stops being payable.' })
  expiresAt!: Date;

  @Field({ description: 'True once past its expiry.' })
  expired!: boolean;

  @Field(() => PaymentRequestStatusEnum, { description: 'Whether it can still be paid.' })
  status!: string;

  @Field(() => FeeQuoteType, {
    nullable: true,
    description:
      'The fee under the circuit’s rules for the amount (the request’s, or the one asked about); null without an amount.',
  })
  fee?: FeeQuoteType | null;

  @Field({ description: 'True when the caller is the payee (they cannot pay it).' })
  own!: boolean;
}

@ObjectType('IesPayment', {
  description:
    'A payment between two members of an IES circuit, with the circuit’s fee. Seen by its payer and its payee only.',
})
export class PaymentType {
  @Field(() => ID, { description: 'Stable identifier (derived from the idempotency key).' })
  id!: string;

  @Field(() => ID, {
    description: 'The payer’s idempotency key: asking for it by this key tells the outcome.',
  })
  idempotencyKey!: string;

  @Field({ description: 'The circuit’s public code.' })
  circuitCode!: string;

  @Field(() => ID, { nullable: true, description: 'The request paid.' })
  requestId?: string | null;

  @Field({ description: 'The payer’s name.' })
  payerName!: string;

  @Field({ description: 'The payee’s name.' })
  payeeName!: string;

  @Field(() => Int, { description: 'The amount paid, in cents.' })
  amountCents!: number;

  @Field(() => Int, { description: 'The circuit’s fee on it, in cents.' })
  feeCents!: number;

  @Field(() => FeePayerEnum, { description: 'Who bore the fee.' })
  feePayer!: string;

  @Field(() => Int, { description: 'What left the payer’s wallet, in cents.' })
  debitedCents!: number;

  @Field(() => Int, { description: 'What reached the payee’s wallet, in cents.' })
  receivedCents!: number;

  @Field(() => String, { nullable: true, description: 'The request’s description.' })
  description?: string | null;

  @Field({ description: 'When it was made.' })
  createdAt!: Date;
}

@InputType('IesPaymentRequestInput', {
  description: 'A request to be paid, by the caller or an organisation they act for.',
})
export class CreatePaymentRequestInput {
  @Field({ description: 'The circuit’s public code.' })
  circuitCode!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'The amount in cents (1..100,000,000); omitted: the payer enters it.',
  })
  amountCents?: number | null;

  @Field({ description: 'What it is for (1 to 140 characters), shown to the payer.' })
  description!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Minutes it stays payable (1..525,600); default a day.',
  })
  expiresInMinutes?: number | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'The organisation (identity id) the caller asks for; omitted: the caller as a citizen.',
  })
  organisationId?: string | null;
}

@InputType('IesPayInput', { description: 'Paying a request, once per idempotency key.' })
export class PayInput {
  @Field(() => ID, { description: 'The request (the code in the QR).' })
  requestId!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'The amount in cents, only when the request has none.',
  })
  amountCents?: number | null;

  @Field(() => ID, {
    description:
      'A uuid the client draws once per payment (the form’s): a retry with it pays once and returns the same payment.',
  })
  idempotencyKey!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The organisation (identity id) that pays; omitted: the caller as a citizen.',
  })
  organisationId?: string | null;
}
