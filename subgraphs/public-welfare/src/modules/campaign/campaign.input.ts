import { GraphQLSafeInt } from 'graphql-scalars';
import { OfferCategory, ShopCategory } from '../shared/categories.js';
import { Field, ID, InputType, Int } from 'type-graphql';
import { IseeType, type IseeType as IseeTypeValue } from '../shared/enums.js';
import {
  AmountMode,
  CampaignKind,
  DEFAULT_EXCLUDED_CATEGORIES,
  RankingCriterion,
  type AmountMode as AmountModeValue,
  type CampaignKind as CampaignKindValue,
  type RankingCriterion as RankingCriterionValue,
} from './campaign.enums.js';

@InputType({ description: 'The largest ISEE accepted for one kind of attestation.' })
export class IseeThresholdInput {
  @Field(() => IseeType, { description: 'Kind of ISEE attestation.' })
  type!: IseeTypeValue;

  @Field(() => GraphQLSafeInt, { description: 'Largest ISEE, in euro cents (inclusive).' })
  maxCents!: number;
}

@InputType({ description: 'Who may apply.' })
export class EligibilityRulesInput {
  @Field(() => Boolean, { description: 'Only households resident in the Comune.' })
  requireResidency!: boolean;

  @Field(() => [IseeThresholdInput], {
    description:
      'Accepted ISEE kinds with their thresholds; empty: no ISEE needed. A kind not listed is not accepted.',
  })
  iseeThresholds!: IseeThresholdInput[];

  @Field(() => Int, { nullable: true, description: 'Smallest household size (1 to 30).' })
  minSize?: number | null;

  @Field(() => Int, { nullable: true, description: 'Largest household size (1 to 30).' })
  maxSize?: number | null;

  @Field(() => Boolean, {
    description:
      'Exclude households whose latest ISEE declaration says they receive public support.',
  })
  excludePublicSupport!: boolean;
}

@InputType({ description: 'How the entitlement is computed, in euro cents.' })
export class AmountScheduleInput {
  @Field(() => AmountMode, { description: 'BY_SIZE or PER_MEMBER.' })
  mode!: AmountModeValue;

  @Field(() => [GraphQLSafeInt], {
    defaultValue: [],
    description:
      'BY_SIZE: the amount for 1, 2, 3… members (1 to 30 amounts above zero); the last applies to larger households.',
  })
  bySizeCents!: number[];

  @Field(() => GraphQLSafeInt, { defaultValue: 0, description: 'PER_MEMBER: per adult.' })
  perAdultCents!: number;

  @Field(() => GraphQLSafeInt, { defaultValue: 0, description: 'PER_MEMBER: per minor.' })
  perMinorCents!: number;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'PER_MEMBER: the most a household gets; null: no cap.',
  })
  capCents?: number | null;
}

@InputType({ description: 'A document the applicant uploads.' })
export class RequiredDocumentInput {
  @Field(() => String, {
    description: 'Code: capital letters, digits and _, unique in the campaign.',
  })
  code!: string;

  @Field(() => String, { description: 'Label in Italian.' })
  labelIt!: string;

  @Field(() => String, { description: 'Label in English.' })
  labelEn!: string;

  @Field(() => Boolean, { description: 'True: the application cannot be submitted without it.' })
  mandatory!: boolean;
}

@InputType({ description: 'A self-declaration the applicant must accept (DPR 445/2000).' })
export class DeclarationInput {
  @Field(() => String, {
    description: 'Code: capital letters, digits and _, unique in the campaign.',
  })
  code!: string;

  @Field(() => String, { description: 'Text in Italian.' })
  textIt!: string;

  @Field(() => String, { description: 'Text in English.' })
  textEn!: string;
}

@InputType({ description: 'A campaign (measure) as the Comune edits it.' })
export class CampaignInput {
  @Field(() => ID, { description: 'The Comune (identity Organisation id).' })
  comuneId!: string;

  @Field(() => CampaignKind, { description: 'Kind of measure.' })
  kind!: CampaignKindValue;

  @Field(() => String, { description: 'Title, 3 to 200 characters.' })
  title!: string;

  @Field(() => String, {
    description: 'Who it is for and what you get (up to 10,000 characters).',
  })
  description!: string;

  @Field(() => String, {
    description: 'How to apply and whom to contact (up to 2,000 characters).',
  })
  contacts!: string;

  @Field(() => GraphQLSafeInt, { description: 'Budget in euro cents (0 to 100,000,000 euro).' })
  budgetCents!: number;

  @Field(() => Date, { description: 'When applications open.' })
  applicationsOpenAt!: Date;

  @Field(() => Date, { description: 'When applications close (after they open).' })
  applicationsCloseAt!: Date;

  @Field(() => String, { description: 'First day the benefit can be spent (YYYY-MM-DD).' })
  spendingFrom!: string;

  @Field(() => String, {
    description: 'Last day the benefit can be spent (YYYY-MM-DD, not before spendingFrom).',
  })
  spendingUntil!: string;

  @Field(() => EligibilityRulesInput, { description: 'Who may apply.' })
  rules!: EligibilityRulesInput;

  @Field(() => AmountScheduleInput, { description: 'What a household gets.' })
  amountSchedule!: AmountScheduleInput;

  @Field(() => [RequiredDocumentInput], { defaultValue: [], description: 'Documents to upload.' })
  requiredDocuments!: RequiredDocumentInput[];

  @Field(() => [DeclarationInput], {
    defaultValue: [],
    description: 'Self-declarations to accept.',
  })
  declarations!: DeclarationInput[];

  @Field(() => [RankingCriterion], {
    defaultValue: ['ISEE_ASC', 'MINORS_DESC'],
    description: 'Ranking criteria in order; SUBMITTED_ASC is always added last.',
  })
  rankingCriteria!: RankingCriterionValue[];

  @Field(() => Int, {
    defaultValue: 30,
    description: 'Days the Comune has to decide after a submission (1 to 365).',
  })
  decisionDays!: number;

  @Field(() => [ShopCategory], {
    defaultValue: [...DEFAULT_EXCLUDED_CATEGORIES],
    description:
      'Categories of goods the credit cannot pay for (default: alcohol, tobacco, gambling and phone top-ups; an empty list excludes nothing).',
  })
  excludedCategories!: string[];

  @Field(() => [OfferCategory], {
    defaultValue: [],
    description:
      'Third-sector service categories the credit can pay for at accredited providers (default: none). Duplicates are ignored.',
  })
  serviceCategories?: string[];
}

@InputType({ description: 'What to simulate over the Comune’s registry.' })
export class SimulationInput {
  @Field(() => ID, { description: 'The Comune (identity Organisation id).' })
  comuneId!: string;

  @Field(() => EligibilityRulesInput, { description: 'Who may apply.' })
  rules!: EligibilityRulesInput;

  @Field(() => AmountScheduleInput, { description: 'What a household gets.' })
  amountSchedule!: AmountScheduleInput;

  @Field(() => GraphQLSafeInt, { description: 'Budget in euro cents.' })
  budgetCents!: number;

  @Field(() => [RankingCriterion], {
    defaultValue: ['ISEE_ASC', 'MINORS_DESC'],
    description: 'Ranking criteria, to tell which households the budget covers.',
  })
  rankingCriteria!: RankingCriterionValue[];
}
