import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PlanPurposeEnum } from '../plan/plan.type.js';
import { CLAIM_RELATIONSHIPS, CLAIM_STATUSES } from './claim.entity.js';
import type { ClaimOption, ClaimView } from './claim.service.js';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const ClaimStatusEnum = enumOf(CLAIM_STATUSES);
export const ClaimRelationshipEnum = enumOf(CLAIM_RELATIONSHIPS);

registerEnumType(ClaimStatusEnum, {
  name: 'WelfareClaimStatus',
  description: 'Where a reimbursement claim is.',
  valuesConfig: {
    SUBMITTED: { description: 'Filed by the employee, waiting for HR’s decision.' },
    APPROVED: { description: 'Approved: the amount left the credit and is paid through payroll.' },
    REJECTED: { description: 'Rejected by HR, with a reason.' },
  },
});

registerEnumType(ClaimRelationshipEnum, {
  name: 'WelfareClaimRelationship',
  description:
    'Who used the reimbursed service, as a family member of the employee (art. 12 TUIR).',
  valuesConfig: {
    SELF: { description: 'The employee.' },
    SPOUSE: { description: 'The spouse or civil partner.' },
    CHILD: { description: 'A child.' },
    PARENT: { description: 'A parent.' },
    SIBLING: { description: 'A brother or sister.' },
    OTHER_RELATIVE: { description: 'Another relative (art. 433 of the civil code).' },
  },
});

@ObjectType('WelfareClaimReceipt', {
  description: 'A receipt of a claim (PDF, JPEG or PNG); its content is downloaded by its id.',
})
export class ClaimReceiptType {
  @Field(() => ID, {
    description: 'Stable identifier (UUID): `files/claim-receipt?id=` downloads it.',
  })
  id!: string;

  @Field(() => String, { description: 'The file’s name as uploaded.' })
  fileName!: string;

  @Field(() => String, { description: 'application/pdf, image/jpeg or image/png (by content).' })
  contentType!: string;

  @Field(() => Int, { description: 'Size in bytes.' })
  sizeBytes!: number;
}

@ObjectType('WelfareClaim', {
  description:
    'An employee’s reimbursement claim of a documented expense (art. 51 c.2 d-bis, f-bis, f-ter TUIR), with its receipts. Seen by the employer’s HR and the employee.',
})
export class ClaimType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The employer (identity Organisation id).' })
  employerId!: string;

  @Field(() => ID, { description: 'The plan whose credit pays it.' })
  planId!: string;

  @Field(() => String, { description: 'The plan’s name.' })
  planName!: string;

  @Field(() => ID, { description: 'The employee who filed it.' })
  employeeId!: string;

  @Field(() => String, { description: 'The employee’s name.' })
  employeeName!: string;

  @Field(() => String, { description: 'The employee’s codice fiscale.' })
  employeeFiscalCode!: string;

  @Field(() => PlanPurposeEnum, {
    description: 'What the expense was for (a reimbursable purpose).',
  })
  purpose!: string;

  @Field(() => ClaimRelationshipEnum, { description: 'Who used the service.' })
  relationship!: string;

  @Field(() => String, { description: 'The name of who used the service.' })
  beneficiaryName!: string;

  @Field(() => String, { description: 'The codice fiscale of who used the service.' })
  beneficiaryFiscalCode!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Their birth date (YYYY-MM-DD), given for the care of an elderly relative.',
  })
  beneficiaryBirthDate?: string | null;

  @Field(() => Boolean, { description: 'Declared not self-sufficient (care of a relative).' })
  beneficiaryDependent!: boolean;

  @Field(() => String, { description: 'The day of the expense (YYYY-MM-DD).' })
  expenseDate!: string;

  @Field(() => String, { description: 'What the expense was.' })
  description!: string;

  @Field(() => Int, { description: 'The amount claimed, in cents.' })
  amountCents!: number;

  @Field(() => ClaimStatusEnum, { description: 'Where the claim is.' })
  status!: string;

  @Field(() => String, { nullable: true, description: 'Why HR rejected it.' })
  rejectionReason?: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When HR decided (approved: the payroll month).',
  })
  decidedAt?: Date | null;

  @Field(() => Date, { description: 'When it was filed.' })
  createdAt!: Date;

  @Field(() => [ClaimReceiptType], { description: 'Its receipts, in upload order.' })
  receipts!: ClaimReceiptType[];
}

@ObjectType('WelfareClaimPage', { description: 'A page of an employer’s claims.' })
export class ClaimPageType {
  @Field(() => [ClaimType], { description: 'The claims of the page, oldest first.' })
  items!: ClaimType[];

  @Field(() => Int, { description: 'How many claims match, over every page.' })
  totalCount!: number;
}

@ObjectType('WelfareClaimOption', {
  description: 'An active plan of the employee’s on which a reimbursement can be claimed.',
})
export class ClaimOptionType {
  @Field(() => ID, { description: 'The plan.' })
  planId!: string;

  @Field(() => String, { description: 'The plan’s name.' })
  planName!: string;

  @Field(() => ID, { description: 'The employer.' })
  employerId!: string;

  @Field(() => Int, {
    description: 'The plan’s tax year (expenses from 1 January of the year before).',
  })
  year!: number;

  @Field(() => [PlanPurposeEnum], { description: 'The reimbursable purposes the plan allows.' })
  purposes!: string[];

  @Field(() => Int, { description: 'The employee’s credit available to claim, in cents.' })
  availableCents!: number;
}

/** A claim view as the API shows it. */
export function toClaimType(view: ClaimView): ClaimType {
  const c = view.claim;
  return {
    id: c.id,
    employerId: c.employerId,
    planId: c.planId,
    planName: view.planName,
    employeeId: c.employeeId,
    employeeName: view.employeeName,
    employeeFiscalCode: view.employeeFiscalCode,
    purpose: c.purpose,
    relationship: c.relationship,
    beneficiaryName: c.beneficiaryName,
    beneficiaryFiscalCode: c.beneficiaryFiscalCode,
    beneficiaryBirthDate: c.beneficiaryBirthDate ?? null,
    beneficiaryDependent: c.beneficiaryDependent,
    expenseDate: c.expenseDate,
    description: c.description,
    amountCents: c.amountCents,
    status: c.status,
    rejectionReason: c.rejectionReason ?? null,
    decidedAt: c.decidedAt ?? null,
    createdAt: c.createdAt,
    receipts: view.receipts.map((r) => ({
      id: r.id,
      fileName: r.fileName,
      contentType: r.contentType,
      sizeBytes: r.sizeBytes,
    })),
  };
}

/** A claim option as the API shows it. */
export function toClaimOptionType(option: ClaimOption): ClaimOptionType {
  return {
    planId: option.plan.id,
    planName: option.plan.name,
    employerId: option.plan.employerId,
    year: option.plan.year,
    purposes: option.purposes,
    availableCents: option.availableCents,
  };
}
