import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { NOTICE_STATUSES } from './pagopa.repository.js';
import { LINE_OUTCOMES } from './pagopa.service.js';

export const PagopaNoticeStatus = Object.fromEntries(NOTICE_STATUSES.map((s) => [s, s])) as {
  [K in (typeof NOTICE_STATUSES)[number]]: K;
};
registerEnumType(PagopaNoticeStatus, {
  name: 'PagopaNoticeStatus',
  description: 'Where a pagoPA notice is.',
  valuesConfig: {
    UNPAID: { description: 'Issued and not paid yet: payable at any pagoPA channel.' },
    PAID: { description: 'Paid: a reporting flow from a PSP named its IUV with the amount.' },
    CANCELLED: { description: 'Cancelled by the Comune before it was paid.' },
  },
});

export const PagopaLineOutcome = Object.fromEntries(LINE_OUTCOMES.map((s) => [s, s])) as {
  [K in (typeof LINE_OUTCOMES)[number]]: K;
};
registerEnumType(PagopaLineOutcome, {
  name: 'PagopaLineOutcome',
  description: 'What the reconciliation did with one payment of a reporting flow.',
  valuesConfig: {
    PAID: { description: 'The notice is now PAID.' },
    ALREADY_PAID: { description: 'The notice was already PAID: nothing changed.' },
    UNMATCHED: { description: 'No notice of this Comune has this IUV.' },
    AMOUNT_MISMATCH: { description: 'The amount paid differs from the notice’s: not applied.' },
    NOT_PAYABLE: { description: 'The notice was cancelled: not applied.' },
    REVOKED: { description: 'A revoked payment (esito 3): not applied.' },
    BAD_LINE: { description: 'The line breaks the flow’s schema: not applied.' },
  },
});

@ObjectType('PagopaNotice', {
  description:
    'A pagoPA payment notice (avviso di pagamento) a Comune issued to a debtor: its IUV, its 18-digit notice number and the QR code’s payload, as pagoPA’s specifications define them. Seen by the Comune’s staff and by the debtor.',
})
export class PagopaNoticeType {
  @Field(() => ID, { description: 'The notice’s id.' })
  id!: string;

  @Field(() => ID, { description: 'The issuing Comune (identity Organisation id).' })
  comuneId!: string;

  @Field(() => String, { description: 'The creditor’s name as printed (the Comune).' })
  creditorName!: string;

  @Field(() => String, {
    description: 'The creditor’s codice fiscale (11 digits): codiceIdentificativoEnte.',
  })
  creditorFiscalCode!: string;

  @Field(() => String, { description: 'The debtor’s codice fiscale (or partita IVA).' })
  debtorFiscalCode!: string;

  @Field(() => String, { description: 'The debtor’s name.' })
  debtorName!: string;

  @Field(() => String, { description: 'What is paid for (causale, at most 140 characters).' })
  reason!: string;

  @Field(() => Int, { description: 'The amount owed, in integer euro cents.' })
  amountCents!: number;

  @Field(() => String, { description: 'Due date, YYYY-MM-DD.' })
  dueDate!: string;

  @Field(() => String, {
    description:
      'The IUV (identificativo univoco di versamento, 17 digits): codice segregazione, IUV base, check digits.',
  })
  iuv!: string;

  @Field(() => String, {
    description: 'The notice number (codice avviso, 18 digits): aux digit 3 and the IUV.',
  })
  noticeNumber!: string;

  @Field(() => PagopaNoticeStatus, { description: 'UNPAID, PAID or CANCELLED.' })
  status!: string;

  @Field(() => String, {
    nullable: true,
    description: 'When it was paid (dataEsitoSingoloPagamento, YYYY-MM-DD).',
  })
  paidAt!: string | null;

  @Field(() => Int, { nullable: true, description: 'The amount paid, in cents.' })
  paidAmountCents!: number | null;

  @Field(() => String, { nullable: true, description: 'The PSP that collected the payment.' })
  psp!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The PSP’s reference of the payment (IUR, identificativoUnivocoRiscossione).',
  })
  iur!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The reporting flow that reported the payment (identificativoFlusso).',
  })
  flowId!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was cancelled.' })
  cancelledAt!: Date | null;

  @Field(() => Date, { description: 'When it was issued.' })
  createdAt!: Date;
}

@ObjectType('PagopaReconciliationLine', {
  description: 'One payment of a reporting flow and what was done with it.',
})
export class PagopaReconciliationLineType {
  @Field(() => Int, { description: 'Its position in the file (from 1).' })
  index!: number;

  @Field(() => String, { description: 'identificativoUnivocoVersamento (the IUV).' })
  iuv!: string;

  @Field(() => String, { description: 'identificativoUnivocoRiscossione (the IUR).' })
  iur!: string;

  @Field(() => Int, { nullable: true, description: 'singoloImportoPagato in cents, if it reads.' })
  amountCents!: number | null;

  @Field(() => PagopaLineOutcome, { description: 'What was done.' })
  outcome!: string;

  @Field(() => ID, { nullable: true, description: 'The matching notice, if any.' })
  noticeId!: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The notice’s amount in cents, for AMOUNT_MISMATCH.',
  })
  expectedCents!: number | null;

  @Field(() => String, { nullable: true, description: 'What is wrong with a BAD_LINE, Italian.' })
  messageIt!: string | null;

  @Field(() => String, { nullable: true, description: 'What is wrong with a BAD_LINE, English.' })
  messageEn!: string | null;
}

@ObjectType('PagopaReconciliationReport', {
  description: 'The result of applying one reporting flow (Flusso di Rendicontazione).',
})
export class PagopaReconciliationReportType {
  @Field(() => String, { description: 'identificativoFlusso.' })
  flowId!: string;

  @Field(() => String, { description: 'The PSP that sent the flow.' })
  pspName!: string;

  @Field(() => String, { description: 'dataRegolamento (YYYY-MM-DD).' })
  settlementDate!: string;

  @Field(() => Int, { description: 'Notices marked PAID by this upload.' })
  paidCount!: number;

  @Field(() => [PagopaReconciliationLineType], { description: 'Every payment line, in order.' })
  lines!: PagopaReconciliationLineType[];
}
