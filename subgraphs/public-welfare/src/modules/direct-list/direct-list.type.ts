import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ImportRejectionType } from '../imports/import-job.type.js';

@ObjectType('BeneficiaryListImport', {
  description:
    'What importing a list of beneficiaries decided outside the platform did: with any rejection, nothing was written (all or nothing).',
})
export class BeneficiaryListImportType {
  @Field({ description: 'True when the list was written (no rejection).' })
  accepted!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'The detected encoding (UTF-8, UTF-8-BOM, UTF-16LE, UTF-16BE, WINDOWS-1252); null when unreadable.',
  })
  encoding!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The detected separator (`;`, `,` or a tab); null when unreadable.',
  })
  separator!: string | null;

  @Field(() => Int, { description: 'Valid lines read.' })
  rows!: number;

  @Field(() => Int, { description: 'Beneficiaries added (0 when refused).' })
  created!: number;

  @Field(() => Int, {
    description: 'Beneficiaries already in the list with the same amount, left as they were.',
  })
  unchanged!: number;

  @Field(() => GraphQLSafeInt, {
    description: 'Euro cents of the beneficiaries this import adds (or would have added).',
  })
  newCents!: number;

  @Field(() => GraphQLSafeInt, {
    description:
      'Euro cents of the budget not committed to APPROVED applications before this import.',
  })
  budgetLeftCents!: number;

  @Field(() => [ImportRejectionType], {
    description:
      'Why the list was refused: a line and a column (`riga` for the whole line, `file` for the file; line 0 and `importo` for a total over the budget).',
  })
  rejections!: ImportRejectionType[];
}

@ObjectType('DirectListBeneficiary', {
  description:
    'A beneficiary of a campaign’s list decided outside the platform, as the Comune’s staff read it.',
})
export class DirectListBeneficiaryType {
  @Field(() => ID, { description: 'The beneficiary’s application (origin DIRECT_LIST).' })
  applicationId!: string;

  @Field({ description: 'The beneficiary’s codice fiscale.' })
  fiscalCode!: string;

  @Field(() => GraphQLSafeInt, { description: 'The entitlement, in euro cents.' })
  amountCents!: number;

  @Field({ description: 'The reason given in the list (the decision’s reason).' })
  reason!: string;

  @Field({ description: 'The protocol number given at the import.' })
  protocolNumber!: string;

  @Field({
    description: 'True when the beneficiary holds a card of the Comune (not replaced).',
  })
  cardIssued!: boolean;

  @Field(() => GraphQLSafeInt, {
    description: 'Euro cents credited to the entitlement so far (0 before the first top-up).',
  })
  creditedCents!: number;
}

@ObjectType('DirectListBeneficiaryPage', {
  description: 'A page of a campaign’s list beneficiaries, by protocol number.',
})
export class DirectListBeneficiaryPage {
  @Field(() => [DirectListBeneficiaryType], { description: 'The beneficiaries of this page.' })
  nodes!: DirectListBeneficiaryType[];

  @Field(() => Int, { description: 'How many beneficiaries the list has in all.' })
  totalCount!: number;

  @Field(() => Boolean, { description: 'True when another page follows.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' })
  endCursor!: string | null;
}

@ObjectType('DirectListCorrection', {
  description: 'What correcting an entry of a list decided outside the platform left.',
})
export class DirectListCorrectionType {
  @Field(() => ID, { description: 'The entry’s application.' })
  applicationId!: string;

  @Field({
    description:
      'False when the entry already was so (the same correction again): nothing was written.',
  })
  changed!: boolean;

  @Field({ description: 'True when the entry is withdrawn.' })
  withdrawn!: boolean;

  @Field(() => GraphQLSafeInt, {
    description: 'The entitlement, in euro cents (for a withdrawn entry, the amount it had).',
  })
  amountCents!: number;

  @Field(() => GraphQLSafeInt, {
    description: 'The entitlement before this correction, in euro cents.',
  })
  previousAmountCents!: number;

  @Field(() => GraphQLSafeInt, {
    description:
      'Euro cents of the budget not committed to APPROVED applications after the correction.',
  })
  budgetLeftCents!: number;
}
