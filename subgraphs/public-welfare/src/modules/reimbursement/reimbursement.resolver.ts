import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { ShopDashboard } from './reimbursement.service.js';
import {
  CreateReimbursementBatchInput,
  MarkReimbursementPaidInput,
  PaymentFlagEventType,
  ProviderReimbursementType,
  ReimbursablePaymentType,
  ReimbursementBatchDetailType,
  ReimbursementBatchType,
  ShopDashboardType,
  ShopTransactionType,
} from './reimbursement.type.js';

const flat = (d: ShopDashboard) => ({ ...d, from: d.period.from, to: d.period.to });

const dateArg = (what: string) =>
  ({ nullable: true, description: `${what} (YYYY-MM-DD, Italian days, included).` }) as const;

/** Reimbursements of shops: misuse flags, the shop's dashboard and statement, batches. */
@Resolver()
export class ReimbursementResolver {
  constructor(private readonly services: Services) {}

  @Query(() => ShopDashboardType, {
    description:
      'A shop’s reimbursement dashboard: totals of the period and a page of its payments, newest first. The merchant’s OWNERs and CASHIERs and the staff of its Comune; NOT_FOUND for anyone else.',
  })
  async shopReimbursementDashboard(
    @Arg('accreditationId', () => ID, { description: 'The shop’s accreditation.' })
    accreditationId: string,
    @Arg('from', () => String, dateArg('First day')) from: string | null,
    @Arg('to', () => String, dateArg('Last day')) to: string | null,
    @Arg('offset', () => Int, { defaultValue: 0, description: 'Payments to skip.' })
    offset: number,
    @Arg('limit', () => Int, { defaultValue: 50, description: 'Page size, 1 to 500.' })
    limit: number,
    @Ctx() ctx: SubgraphContext,
  ) {
    return flat(
      await this.services.reimbursements.dashboard(ctx.em, ctx.caller, accreditationId, {
        from,
        to,
        offset,
        limit,
      }),
    );
  }

  @Query(() => ShopDashboardType, {
    description:
      'A shop’s statement for a period: every payment (oldest first) and the totals. Same access as the dashboard; also as CSV at `files/reimbursements/statement.csv`.',
  })
  async shopStatement(
    @Arg('accreditationId', () => ID, { description: 'The shop’s accreditation.' })
    accreditationId: string,
    @Arg('from', () => String, dateArg('First day')) from: string | null,
    @Arg('to', () => String, dateArg('Last day')) to: string | null,
    @Ctx() ctx: SubgraphContext,
  ) {
    return flat(
      await this.services.reimbursements.statement(ctx.em, ctx.caller, accreditationId, from, to),
    );
  }

  @Query(() => [ReimbursablePaymentType], {
    description:
      'Staff of the campaign’s Comune: the payments not yet in a batch up to the cut-off (flagged ones included, with their state), to review before creating a batch.',
  })
  reimbursementPreview(
    @Arg('campaignId', () => ID, { description: 'The campaign.' }) campaignId: string,
    @Arg('cutOff', () => String, { description: 'The cut-off day (YYYY-MM-DD).' })
    cutOff: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.reimbursements.preview(ctx.em, ctx.caller, campaignId, cutOff);
  }

  @Query(() => [ReimbursementBatchType], {
    description: 'A Comune’s reimbursement batches, newest first (its staff; FORBIDDEN otherwise).',
  })
  reimbursementBatches(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.reimbursements.list(ctx.em, ctx.caller, comuneId);
  }

  @Query(() => ReimbursementBatchDetailType, {
    description:
      'A batch with its lines and the flagged payments left out (staff of its Comune; NOT_FOUND otherwise).',
  })
  reimbursementBatch(
    @Arg('id', () => ID, { description: 'The batch.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.reimbursements.detail(ctx.em, ctx.caller, id);
  }

  @Query(() => [ProviderReimbursementType], {
    description:
      'What the Comunes’ reimbursement batches pay the provider (voucher-funded services, tutoring statements), newest first; PAID lines were paid by the bank. The provider’s ADMINs; NOT_FOUND for anyone else.',
  })
  async providerReimbursements(
    @Arg('providerId', () => ID, { description: 'The provider (an organisation).' })
    providerId: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    const lines = await this.services.reimbursements.providerReimbursements(
      ctx.em,
      ctx.caller,
      providerId,
    );
    return lines.map((l) => ({
      ...l,
      batchId: l.batch.id,
      comuneId: l.batch.comuneId,
      campaignTitle: l.batch.campaignTitle,
      status: l.batch.status,
      bankDate: l.batch.bankDate,
    }));
  }

  @Query(() => [PaymentFlagEventType], {
    description: 'A payment’s misuse flags and clearances, oldest first (staff of its Comune).',
  })
  paymentFlagHistory(
    @Arg('paymentId', () => ID, { description: 'The payment.' }) paymentId: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.reimbursements.flagHistory(ctx.em, ctx.caller, paymentId);
  }

  @Mutation(() => ShopTransactionType, {
    description:
      'Staff of the Comune flag a payment as misuse (never reimbursed while flagged). CONFLICT when it is voided, already flagged or already in a batch; NOT_FOUND for another Comune.',
  })
  flagPaymentMisuse(
    @Arg('paymentId', () => ID, { description: 'The payment.' }) paymentId: string,
    @Arg('reason', () => String, { description: 'Why (3 to 500 characters).' }) reason: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.reimbursements.flag(ctx.em, ctx.caller, paymentId, reason);
  }

  @Mutation(() => ShopTransactionType, {
    description:
      'Staff of the Comune clear a misuse flag (the history keeps it). CONFLICT when it is not flagged.',
  })
  clearPaymentMisuse(
    @Arg('paymentId', () => ID, { description: 'The payment.' }) paymentId: string,
    @Arg('reason', () => String, { description: 'Why (3 to 500 characters).' }) reason: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.reimbursements.clearFlag(ctx.em, ctx.caller, paymentId, reason);
  }

  @Mutation(() => ReimbursementBatchDetailType, {
    description:
      'Staff of the campaign’s Comune create a DRAFT batch: every authorised, unflagged payment not yet in a batch up to the cut-off, one line per shop. BAD_USER_INPUT (with fields) for a bad IBAN, a cut-off not in the past, or nothing to reimburse; nothing is written then.',
  })
  createReimbursementBatch(
    @Arg('input', () => CreateReimbursementBatchInput, { description: 'The batch.' })
    input: CreateReimbursementBatchInput,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.reimbursements.create(ctx.em, ctx.caller, input);
  }

  @Mutation(() => ReimbursementBatchType, {
    description:
      'A MANAGER of the Comune approves a DRAFT batch (idempotent; CONFLICT once PAID or DISCARDED).',
  })
  approveReimbursementBatch(
    @Arg('id', () => ID, { description: 'The batch.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.reimbursements.approve(ctx.em, ctx.caller, id);
  }

  @Mutation(() => ReimbursementBatchType, {
    description:
      'Staff of the batch’s Comune discard a DRAFT batch with a reason, so that misuse found after drafting can be excluded: its payments leave it (free again for a flag and for a new batch), its lines stay as the record of what was proposed; no money moves. Idempotent once DISCARDED; CONFLICT once APPROVED or PAID (its SEPA file may already be at the bank); BAD_USER_INPUT (field `reason`) without a reason; NOT_FOUND for another Comune. Nothing is written on errors.',
  })
  discardReimbursementBatch(
    @Arg('id', () => ID, { description: 'The batch.' }) id: string,
    @Arg('reason', () => String, { description: 'Why (3 to 500 characters).' }) reason: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.reimbursements.discard(ctx.em, ctx.caller, id, reason);
  }

  @Mutation(() => ReimbursementBatchType, {
    description:
      'A MANAGER marks an APPROVED batch paid (the bank’s date and reference): the shops’ money leaves the book for the Comune’s settlement account. Idempotent; CONFLICT for a DRAFT or DISCARDED one.',
  })
  markReimbursementBatchPaid(
    @Arg('id', () => ID, { description: 'The batch.' }) id: string,
    @Arg('input', () => MarkReimbursementPaidInput, { description: 'The bank’s confirmation.' })
    input: MarkReimbursementPaidInput,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.reimbursements.markPaid(ctx.em, ctx.caller, id, input);
  }
}
