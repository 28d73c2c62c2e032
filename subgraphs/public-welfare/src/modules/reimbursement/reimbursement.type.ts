import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ShopAccreditationType } from '../shop/shop.type.js';
import { ShopCategory } from '../shared/categories.js';
import {
  ReimbursementBatchStatus,
  ReimbursementHeldBackReason,
  ReimbursementPayeeKind,
  ReimbursementState,
  type HeldBackReason,
  type PayeeKind,
} from './reimbursement.enums.js';

@ObjectType('ShopReimbursementTotals', {
  description:
    'Totals of a shop’s card payments in a period, in euro cents: authorised = flagged + inBatch + reimbursed + toBeReimbursed.',
})
export class ShopTotalsType {
  @Field(() => GraphQLSafeInt, { description: 'Authorised payments (voided ones excluded).' })
  authorisedCents!: number;

  @Field(() => Int, { description: 'How many authorised payments.' })
  authorisedCount!: number;

  @Field(() => GraphQLSafeInt, { description: 'Payments voided by the shop.' })
  voidedCents!: number;

  @Field(() => Int, { description: 'How many voided payments.' })
  voidedCount!: number;

  @Field(() => GraphQLSafeInt, {
    description: 'Authorised payments flagged as misuse by the Comune (not reimbursed).',
  })
  flaggedCents!: number;

  @Field(() => Int, { description: 'How many flagged payments.' })
  flaggedCount!: number;

  @Field(() => GraphQLSafeInt, { description: 'In a reimbursement batch not yet paid.' })
  inBatchCents!: number;

  @Field(() => GraphQLSafeInt, { description: 'Reimbursed (their batch is PAID).' })
  reimbursedCents!: number;

  @Field(() => GraphQLSafeInt, { description: 'Authorised, not flagged, in no batch yet.' })
  toBeReimbursedCents!: number;
}

@ObjectType('ShopTransaction', {
  description:
    'A card payment’s leg at one of a shop’s accreditations (a payment that spends the credit of two campaigns has a leg under each campaign’s accreditation), with where it is for reimbursement.',
})
export class ShopTransactionType {
  @Field(() => ID, { description: 'The payment (the POS’s idempotency key).' })
  id!: string;

  @Field(() => ID, {
    description:
      'The shop’s accreditation whose account received this leg (the campaign whose credit it spent).',
  })
  accreditationId!: string;

  @Field(() => Date, { description: 'When it was authorised.' })
  createdAt!: Date;

  @Field(() => GraphQLSafeInt, {
    description: 'The leg’s amount (what this accreditation received), in euro cents.',
  })
  amountCents!: number;

  @Field(() => ShopCategory, { description: 'What was bought.' })
  category!: string;

  @Field(() => String, { description: 'AUTHORISED or VOIDED.' })
  status!: string;

  @Field(() => ReimbursementState, { description: 'Where it is for reimbursement.' })
  state!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The Comune’s reason when it is flagged as misuse.',
  })
  flagReason!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was flagged.' })
  flaggedAt!: Date | null;

  @Field(() => ID, { nullable: true, description: 'The reimbursement batch that pays it.' })
  batchId!: string | null;
}

@ObjectType('ReimbursablePayment', {
  description: 'A payment a new batch of the campaign would consider, with its shop’s name.',
})
export class ReimbursablePaymentType extends ShopTransactionType {
  @Field(() => String, { description: 'The shop’s business name.' })
  businessName!: string;
}

@ObjectType('ShopDashboard', {
  description:
    'A shop’s reimbursement dashboard (or statement) for a period: totals and transactions.',
})
export class ShopDashboardType {
  @Field(() => ShopAccreditationType, { description: 'The shop’s accreditation.' })
  accreditation!: ShopAccreditationType;

  @Field(() => String, {
    nullable: true,
    description: 'First day of the period (YYYY-MM-DD, Italian days); null: from the start.',
  })
  from!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Last day of the period (YYYY-MM-DD, included); null: up to now.',
  })
  to!: string | null;

  @Field(() => ShopTotalsType, { description: 'Totals of the period.' })
  totals!: ShopTotalsType;

  @Field(() => [ShopTransactionType], {
    description:
      'The period’s payments: a page, newest first (dashboard) or all, oldest first (statement).',
  })
  transactions!: ShopTransactionType[];

  @Field(() => Int, { description: 'How many payments the period has (for paging).' })
  total!: number;
}

@ObjectType('ReimbursementLine', { description: 'One shop’s credit transfer in a batch.' })
export class ReimbursementLineType {
  @Field(() => ID, { description: 'The line (its EndToEndId in the SEPA file, without dashes).' })
  id!: string;

  @Field(() => ID, { description: 'The shop’s accreditation.' })
  accreditationId!: string;

  @Field(() => String, { description: 'The shop’s business name when the batch was made.' })
  businessName!: string;

  @Field(() => String, { description: 'The IBAN credited.' })
  iban!: string;

  @Field(() => GraphQLSafeInt, { description: 'The amount, in euro cents.' })
  amountCents!: number;

  @Field(() => Int, { description: 'How many payments it reimburses.' })
  paymentCount!: number;

  @Field(() => String, { description: 'Day of its first payment (YYYY-MM-DD).' })
  periodFrom!: string;

  @Field(() => String, { description: 'Day of its last payment (YYYY-MM-DD).' })
  periodTo!: string;
}

@ObjectType('ReimbursementBatch', {
  description:
    'A batch reimbursing a campaign’s shops up to a cut-off day, one line per shop. Seen by the staff of its Comune.',
})
export class ReimbursementBatchType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The Comune.' })
  comuneId!: string;

  @Field(() => ID, { description: 'The campaign.' })
  campaignId!: string;

  @Field(() => String, { description: 'The campaign’s title.' })
  campaignTitle!: string;

  @Field(() => String, { description: 'Payments up to this day are in it (YYYY-MM-DD).' })
  cutOff!: string;

  @Field(() => ReimbursementBatchStatus, { description: 'Where the batch is.' })
  status!: string;

  @Field(() => String, {
    description: 'Holder of the Comune’s treasury account (the SEPA debtor).',
  })
  debtorName!: string;

  @Field(() => String, { description: 'IBAN of the Comune’s treasury account.' })
  debtorIban!: string;

  @Field(() => String, { nullable: true, description: 'BIC of the treasury bank, if given.' })
  debtorBic!: string | null;

  @Field(() => GraphQLSafeInt, { description: 'Total, in euro cents (the SEPA CtrlSum).' })
  totalCents!: number;

  @Field(() => Int, { description: 'How many payments it reimburses.' })
  paymentCount!: number;

  @Field(() => Int, {
    description: 'How many lines, shops’ and providers’ (the SEPA NbOfTxs).',
  })
  lineCount!: number;

  @Field(() => Date, { description: 'When it was created.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When a MANAGER approved it.' })
  approvedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was marked paid.' })
  paidAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'The bank’s value date (YYYY-MM-DD).' })
  bankDate!: string | null;

  @Field(() => String, { nullable: true, description: 'The bank’s reference of the payment.' })
  bankReference!: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the Comune’s staff discarded it (DISCARDED only).',
  })
  discardedAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why it was discarded (DISCARDED only; 3 to 500 characters).',
  })
  discardReason!: string | null;
}

@ObjectType('ReimbursementPayeeLine', {
  description:
    'One credit transfer of a batch to a third-sector provider: what its voucher-funded services earned (PROVIDER_SERVICES) or a tutoring programme’s statement of delivered hours (TUTORING).',
})
export class ReimbursementPayeeLineType {
  @Field(() => ID, { description: 'The line (its EndToEndId in the SEPA file, without dashes).' })
  id!: string;

  @Field(() => ReimbursementPayeeKind, { description: 'What it pays.' })
  kind!: PayeeKind;

  @Field(() => ID, { description: 'The provider (an organisation in identity).' })
  providerId!: string;

  @Field(() => String, { description: 'The provider’s name when the batch was made (identity).' })
  providerName!: string;

  @Field(() => String, { description: 'The IBAN credited (identity’s, when the batch was made).' })
  iban!: string;

  @Field(() => GraphQLSafeInt, { description: 'The amount, in euro cents.' })
  amountCents!: number;

  @Field(() => ID, { nullable: true, description: 'The tutoring programme (TUTORING only).' })
  programmeId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The programme’s title (TUTORING only).',
  })
  programmeTitle!: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Tutor minutes delivered in the lessons it pays (TUTORING only).',
  })
  minutes!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The programme’s hourly tariff applied, in euro cents (TUTORING only).',
  })
  hourlyTariffCents!: number | null;

  @Field(() => Int, { nullable: true, description: 'Lessons it pays (TUTORING only).' })
  lessonCount!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Day of its first lesson (YYYY-MM-DD; TUTORING only).',
  })
  periodFrom!: string | null;

  @Field(() => String, {
    description:
      'Day of its last lesson (TUTORING), or the day the batch was made (PROVIDER_SERVICES: what the provider’s account held then; captured services are final, so the cut-off does not apply) (YYYY-MM-DD).',
  })
  periodTo!: string;
}

@ObjectType('ReimbursementHeldBack', {
  description:
    'What a batch could not pay a provider, and why: the money stays in the provider’s account (or the hours unpaid) for a later batch.',
})
export class ReimbursementHeldBackType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ReimbursementPayeeKind, { description: 'What it would have paid.' })
  kind!: PayeeKind;

  @Field(() => ID, { description: 'The provider (an organisation in identity).' })
  providerId!: string;

  @Field(() => String, { nullable: true, description: 'Its name, when identity knows it.' })
  providerName!: string | null;

  @Field(() => ID, { nullable: true, description: 'The tutoring programme (TUTORING only).' })
  programmeId!: string | null;

  @Field(() => String, { nullable: true, description: 'The programme’s title (TUTORING only).' })
  programmeTitle!: string | null;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'The amount held back, in euro cents (null: a programme without a tariff).',
  })
  amountCents!: number | null;

  @Field(() => Int, { nullable: true, description: 'Tutor minutes held back (TUTORING only).' })
  minutes!: number | null;

  @Field(() => ReimbursementHeldBackReason, { description: 'Why.' })
  reason!: HeldBackReason;
}

@ObjectType('ProviderReimbursement', {
  description: 'A line of a Comune’s reimbursement batch paying the provider, with its batch.',
})
export class ProviderReimbursementType extends ReimbursementPayeeLineType {
  @Field(() => ID, { description: 'The batch.' })
  batchId!: string;

  @Field(() => ID, { description: 'The paying Comune.' })
  comuneId!: string;

  @Field(() => String, { description: 'The campaign of the batch.' })
  campaignTitle!: string;

  @Field(() => ReimbursementBatchStatus, {
    description: 'The batch’s status: PAID once the bank paid it.',
  })
  status!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The bank’s value date (YYYY-MM-DD), once PAID.',
  })
  bankDate!: string | null;
}

@ObjectType('ReimbursementBatchDetail', {
  description: 'A batch, its lines, and the flagged payments it left out.',
})
export class ReimbursementBatchDetailType {
  @Field(() => ReimbursementBatchType, { description: 'The batch.' })
  batch!: ReimbursementBatchType;

  @Field(() => [ReimbursementLineType], {
    description:
      'One line per shop (kept when the batch is DISCARDED, as the record of what was proposed).',
  })
  lines!: ReimbursementLineType[];

  @Field(() => [ShopTransactionType], {
    description:
      'Payments of the campaign up to the cut-off flagged as misuse: excluded from every batch (empty for a DISCARDED batch).',
  })
  excluded!: ShopTransactionType[];

  @Field(() => [ReimbursementPayeeLineType], {
    description:
      'Its lines paying third-sector providers: voucher-funded services and tutoring statements (in the SEPA file beside the shops’ lines).',
  })
  payeeLines!: ReimbursementPayeeLineType[];

  @Field(() => [ReimbursementHeldBackType], {
    description:
      'What it could not pay providers (no IBAN, no tariff, unknown provider), left for a later batch.',
  })
  heldBack!: ReimbursementHeldBackType[];
}

@ObjectType('PaymentFlagEvent', { description: 'A flag or a clearance of a payment (history).' })
export class PaymentFlagEventType {
  @Field(() => ID, { description: 'The event.' })
  id!: string;

  @Field(() => String, { description: 'FLAG or CLEAR.' })
  action!: string;

  @Field(() => String, { description: 'The reason given.' })
  reason!: string;

  @Field(() => ID, { description: 'Who (a person in identity).' })
  actorId!: string;

  @Field(() => Date, { description: 'When.' })
  at!: Date;
}

@InputType('CreateReimbursementBatchInput', {
  description: 'A new reimbursement batch of a campaign.',
})
export class CreateReimbursementBatchInput {
  @Field(() => ID, { description: 'The campaign.' })
  campaignId!: string;

  @Field(() => String, {
    description: 'Cut-off day (YYYY-MM-DD), a past day: payments up to it (included) are taken.',
  })
  cutOff!: string;

  @Field(() => String, {
    description:
      'Holder of the Comune’s treasury account, the SEPA debtor (2 to 70 characters; written in the SEPA character set).',
  })
  debtorName!: string;

  @Field(() => String, {
    description:
      'IBAN of the Comune’s treasury account (SEPA area; the check digits are verified). Given here because this subgraph does not own the Comune’s data.',
  })
  debtorIban!: string;

  @Field(() => String, { nullable: true, description: 'BIC of the treasury bank (optional).' })
  debtorBic?: string | null;
}

@InputType('MarkReimbursementPaidInput', { description: 'The bank’s confirmation of a batch.' })
export class MarkReimbursementPaidInput {
  @Field(() => String, { description: 'The value date (YYYY-MM-DD), not in the future.' })
  bankDate!: string;

  @Field(() => String, { description: 'The bank’s reference (1 to 100 characters).' })
  bankReference!: string;
}
