import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { IseeType, type IseeType as IseeTypeValue } from '../shared/enums.js';
import {
  ApplicationOrigin,
  ApplicationStatus,
  CaseEventKind,
  type ApplicationOrigin as ApplicationOriginValue,
  type ApplicationStatus as ApplicationStatusValue,
  type CaseEventKind as CaseEventKindValue,
} from './application.enums.js';

@ObjectType('CheckResult', { description: 'The outcome of one automatic check at submission.' })
export class CheckResultType {
  @Field(() => String, {
    description:
      'WINDOW, RESIDENCY, ISEE, HOUSEHOLD_SIZE, PUBLIC_SUPPORT, ONE_PER_HOUSEHOLD, DOCUMENTS or DECLARATIONS.',
  })
  code!: string;

  @Field(() => Boolean, { description: 'True when the check passed.' })
  passed!: boolean;

  @Field(() => String, { description: 'What was found, in Italian.' })
  messageIt!: string;

  @Field(() => String, { description: 'What was found, in English.' })
  messageEn!: string;
}

@ObjectType('HouseholdFacts', {
  description: 'The household’s facts the checks, the amount and the ranking used.',
})
export class HouseholdFactsType {
  @Field(() => Boolean, { description: 'Resident in the Comune.' })
  resident!: boolean;

  @Field(() => Int, { description: 'Members.' })
  size!: number;

  @Field(() => Int, { description: 'Members under 18.' })
  minors!: number;

  @Field(() => Boolean, { description: 'A member has a disability.' })
  hasDisability!: boolean;

  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Valid ISEE, in euro cents.' })
  iseeCents!: number | null;

  @Field(() => IseeType, { nullable: true, description: 'Kind of that ISEE.' })
  iseeType!: IseeTypeValue | null;

  @Field(() => Boolean, { description: 'Already receives public support.' })
  receivesPublicSupport!: boolean;
}

@ObjectType('ApplicationDocument', { description: 'A file uploaded with an application.' })
export class ApplicationDocumentType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => String, { description: 'The campaign’s required-document code it answers.' })
  code!: string;

  @Field(() => String, { description: 'The file’s name as uploaded.' })
  fileName!: string;

  @Field(() => String, { description: 'application/pdf, image/jpeg or image/png.' })
  contentType!: string;

  @Field(() => Int, { description: 'Size in bytes.' })
  sizeBytes!: number;

  @Field(() => String, { description: 'SHA-256 of the content, hex (shown on the receipt).' })
  sha256!: string;

  @Field(() => Date, { description: 'When it was uploaded.' })
  uploadedAt!: Date;
}

@ObjectType('CaseEvent', {
  description: 'One entry of a case’s timeline: who, when, what changed.',
})
export class CaseEventType {
  @Field(() => ID, { description: 'Sequence number.' })
  id!: string;

  @Field(() => CaseEventKind, { description: 'What happened.' })
  kind!: CaseEventKindValue;

  @Field(() => String, { description: 'CITIZEN, OPERATOR or SYSTEM.' })
  actorRole!: string;

  @Field(() => ApplicationStatus, { nullable: true, description: 'Status before.' })
  fromStatus!: ApplicationStatusValue | null;

  @Field(() => ApplicationStatus, { nullable: true, description: 'Status after.' })
  toStatus!: ApplicationStatusValue | null;

  @Field(() => String, { nullable: true, description: 'Reason or note.' })
  note!: string | null;

  @Field(() => Date, { description: 'When.' })
  at!: Date;
}

/** An application; relations and derived fields are field resolvers in ApplicationResolver. */
@ObjectType('Application', {
  description: 'An application (domanda) of a household to a campaign, with its case.',
})
export class ApplicationType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ApplicationStatus, { description: 'Where it is.' })
  status!: ApplicationStatusValue;

  @Field(() => String, { nullable: true, description: 'Protocol number, set at submission.' })
  protocolNumber!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was submitted.' })
  submittedAt!: Date | null;

  @Field(() => Boolean, { description: 'True when an operator applied on the citizen’s behalf.' })
  onBehalf!: boolean;

  @Field(() => ApplicationOrigin, {
    description:
      'Where it came from: the portal, or a list of beneficiaries the Comune decided outside the platform (then its reason is `decisionReason`).',
  })
  origin!: ApplicationOriginValue;

  @Field(() => [CheckResultType], { description: 'The automatic checks of the last submission.' })
  checks!: CheckResultType[];

  @Field(() => HouseholdFactsType, {
    nullable: true,
    description:
      'The household’s facts at submission (null for a draft or when not in the registry).',
  })
  facts!: HouseholdFactsType | null;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description:
      'Entitlement in euro cents (set at submission; what cards will carry once approved).',
  })
  amountCents!: number | null;

  @Field(() => Int, { nullable: true, description: 'Place in the last ranking.' })
  rank!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Date by which the Comune should decide (YYYY-MM-DD).',
  })
  dueBy!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Reason of the last decision or integration request.',
  })
  decisionReason!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was decided.' })
  decidedAt!: Date | null;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description:
      'REVOKED only (else null): euro cents of unspent credit the revocation took back from the holder’s card to the campaign.',
  })
  revokedReturnedCents!: number | null;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description:
      'REVOKED only (else null): euro cents of the benefit already spent when it was revoked (a checkout in progress on it was released). They stay spent on the platform: recovering them from the beneficiary happens outside it (the Comune’s own recovery procedure).',
  })
  revokedSpentCents!: number | null;

  @Field(() => Date, { description: 'When it was created.' })
  createdAt!: Date;
}

@ObjectType('ApplicationPage', { description: 'A page of the case queue.' })
export class ApplicationPage {
  @Field(() => [ApplicationType], { description: 'The applications of this page.' })
  nodes!: ApplicationType[];

  @Field(() => Int, { description: 'How many match the filter in all.' })
  totalCount!: number;

  @Field(() => Boolean, { description: 'True when another page follows.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' })
  endCursor!: string | null;
}

@ObjectType('BulkSkip', { description: 'An application bulk approval left alone, and why.' })
export class BulkSkip {
  @Field(() => ID, { description: 'The application’s id.' })
  id!: string;

  @Field(() => String, { description: 'Why, in Italian.' })
  reasonIt!: string;

  @Field(() => String, { description: 'Why, in English.' })
  reasonEn!: string;
}

@ObjectType('BulkApprovalResult', { description: 'What a bulk approval did.' })
export class BulkApprovalResult {
  @Field(() => [ApplicationType], { description: 'Approved and funded.' })
  approved!: ApplicationType[];

  @Field(() => [ApplicationType], {
    description: 'Eligible, but the budget left did not cover them.',
  })
  notFunded!: ApplicationType[];

  @Field(() => [ApplicationType], {
    description:
      'Above the Comune’s amount limit: proposed, waiting for a MANAGER’s second approval (PENDING_APPROVAL; see `decisionPolicy`).',
  })
  pendingApproval!: ApplicationType[];

  @Field(() => [BulkSkip], { description: 'Left alone (wrong status or a failed check).' })
  skipped!: BulkSkip[];
}

@ObjectType('RankingEntry', {
  description: 'One place of a ranking, published by protocol number (no names).',
})
export class RankingEntryType {
  @Field(() => Int, { description: 'Place (1 = first).' })
  rank!: number;

  @Field(() => String, { description: 'Protocol number of the application.' })
  protocolNumber!: string;

  @Field(() => GraphQLSafeInt, { nullable: true, description: 'ISEE used, in euro cents.' })
  iseeCents!: number | null;

  @Field(() => Int, { description: 'Household size.' })
  size!: number;

  @Field(() => Int, { description: 'Minors in the household.' })
  minors!: number;

  @Field(() => GraphQLSafeInt, { description: 'Entitlement, in euro cents.' })
  amountCents!: number;

  @Field(() => Boolean, {
    description: 'True when funded (APPROVED); false: eligible, not funded.',
  })
  funded!: boolean;
}

@ObjectType('HouseholdMemberSummary', {
  description: 'A member of the applicant’s household as the registry has it.',
})
export class HouseholdMemberSummary {
  @Field(() => String, { description: 'Given name.' })
  givenName!: string;

  @Field(() => String, { description: 'Family name.' })
  familyName!: string;

  @Field(() => String, { description: 'Birth date (YYYY-MM-DD).' })
  birthDate!: string;

  @Field(() => String, { description: 'Relation to the head (HouseholdRelation value).' })
  relation!: string;
}

@ObjectType('ApplicationPrefill', {
  description:
    'What the application form shows from the registry, and what the automatic checks will say.',
})
export class ApplicationPrefillType {
  @Field(() => String, {
    nullable: true,
    description: 'Registry code of the household; null when not found.',
  })
  householdCode!: string | null;

  @Field(() => String, { nullable: true, description: 'Address of the household.' })
  address!: string | null;

  @Field(() => [HouseholdMemberSummary], { description: 'Members of the household.' })
  members!: HouseholdMemberSummary[];

  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Valid ISEE, in euro cents.' })
  iseeCents!: number | null;

  @Field(() => IseeType, { nullable: true, description: 'Kind of that ISEE.' })
  iseeType!: IseeTypeValue | null;

  @Field(() => [CheckResultType], { description: 'The campaign’s rules on these data.' })
  checks!: CheckResultType[];

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'The expected amount, in euro cents.',
  })
  amountCents!: number | null;

  @Field(() => ApplicationType, {
    nullable: true,
    description: 'The applicant’s application to this campaign, if any (a draft to resume too).',
  })
  existing!: ApplicationType | null;
}
