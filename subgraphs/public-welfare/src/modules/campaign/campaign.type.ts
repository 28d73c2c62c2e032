import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { OfferCategory, ShopCategory } from '../shared/categories.js';
import { IseeType, type IseeType as IseeTypeValue } from '../shared/enums.js';
import {
  AmountMode,
  CampaignKind,
  CampaignStatus,
  RankingCriterion,
  type AmountMode as AmountModeValue,
  type CampaignKind as CampaignKindValue,
  type CampaignStatus as CampaignStatusValue,
  type RankingCriterion as RankingCriterionValue,
} from './campaign.enums.js';

@ObjectType('IseeThreshold', { description: 'The largest ISEE accepted for one kind.' })
export class IseeThresholdType {
  @Field(() => IseeType, { description: 'Kind of ISEE attestation.' })
  type!: IseeTypeValue;

  @Field(() => GraphQLSafeInt, { description: 'Largest ISEE, in euro cents (inclusive).' })
  maxCents!: number;
}

@ObjectType('EligibilityRules', { description: 'Who may apply.' })
export class EligibilityRulesType {
  @Field(() => Boolean, { description: 'Only households resident in the Comune.' })
  requireResidency!: boolean;

  @Field(() => [IseeThresholdType], {
    description: 'Accepted ISEE kinds with thresholds; empty: no ISEE needed.',
  })
  iseeThresholds!: IseeThresholdType[];

  @Field(() => Int, { nullable: true, description: 'Smallest household size.' })
  minSize!: number | null;

  @Field(() => Int, { nullable: true, description: 'Largest household size.' })
  maxSize!: number | null;

  @Field(() => Boolean, {
    description: 'Households already receiving public support are excluded.',
  })
  excludePublicSupport!: boolean;
}

@ObjectType('AmountSchedule', { description: 'How the entitlement is computed, in euro cents.' })
export class AmountScheduleType {
  @Field(() => AmountMode, { description: 'BY_SIZE or PER_MEMBER.' })
  mode!: AmountModeValue;

  @Field(() => [GraphQLSafeInt], { description: 'BY_SIZE: amounts for 1, 2, 3… members.' })
  bySizeCents!: number[];

  @Field(() => GraphQLSafeInt, { description: 'PER_MEMBER: per adult.' })
  perAdultCents!: number;

  @Field(() => GraphQLSafeInt, { description: 'PER_MEMBER: per minor.' })
  perMinorCents!: number;

  @Field(() => GraphQLSafeInt, { nullable: true, description: 'PER_MEMBER: cap per household.' })
  capCents!: number | null;
}

@ObjectType('RequiredDocument', { description: 'A document the applicant uploads.' })
export class RequiredDocumentType {
  @Field(() => String, { description: 'Code, unique in the campaign.' })
  code!: string;

  @Field(() => String, { description: 'Label in Italian.' })
  labelIt!: string;

  @Field(() => String, { description: 'Label in English.' })
  labelEn!: string;

  @Field(() => Boolean, { description: 'True: needed to submit.' })
  mandatory!: boolean;
}

@ObjectType('Declaration', { description: 'A self-declaration the applicant accepts.' })
export class DeclarationType {
  @Field(() => String, { description: 'Code, unique in the campaign.' })
  code!: string;

  @Field(() => String, { description: 'Text in Italian.' })
  textIt!: string;

  @Field(() => String, { description: 'Text in English.' })
  textEn!: string;
}

/** A campaign; `rules`, `comune` and the like are field resolvers in CampaignResolver. */
@ObjectType('Campaign', {
  description:
    'A measure (misura) of a Comune: who may apply, what they get, budget, windows, documents and ranking criteria.',
})
export class CampaignType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => CampaignKind, { description: 'Kind of measure.' })
  kind!: CampaignKindValue;

  @Field(() => CampaignStatus, { description: 'DRAFT, PUBLISHED or CLOSED.' })
  status!: CampaignStatusValue;

  @Field(() => String, { description: 'Title.' })
  title!: string;

  @Field(() => String, { description: 'Who it is for and what you get.' })
  description!: string;

  @Field(() => String, { description: 'How to apply and whom to contact.' })
  contacts!: string;

  @Field(() => GraphQLSafeInt, { description: 'Budget in euro cents.' })
  budgetCents!: number;

  @Field(() => [ShopCategory], {
    description:
      'Categories of goods the campaign’s credit cannot pay for (by default alcohol, tobacco, gambling and phone top-ups).',
  })
  excludedCategories!: string[];

  @Field(() => [OfferCategory], {
    description:
      'Third-sector service categories (catalogue offers) the campaign’s credit can pay for at accredited providers; empty: none. The catalogue shows, on each offer of the Comune, the campaigns covering it (`Offer.coveredByCampaigns`).',
  })
  serviceCategories!: string[];

  @Field(() => Date, { description: 'When applications open.' })
  applicationsOpenAt!: Date;

  @Field(() => Date, { description: 'When applications close.' })
  applicationsCloseAt!: Date;

  @Field(() => String, { description: 'First day the benefit can be spent (YYYY-MM-DD).' })
  spendingFrom!: string;

  @Field(() => String, { description: 'Last day the benefit can be spent (YYYY-MM-DD).' })
  spendingUntil!: string;

  @Field(() => AmountScheduleType, { description: 'What a household gets.' })
  amountSchedule!: AmountScheduleType;

  @Field(() => [RequiredDocumentType], { description: 'Documents to upload.' })
  requiredDocuments!: RequiredDocumentType[];

  @Field(() => [DeclarationType], { description: 'Self-declarations to accept.' })
  declarations!: DeclarationType[];

  @Field(() => [RankingCriterion], { description: 'Ranking criteria, in order.' })
  rankingCriteria!: RankingCriterionValue[];

  @Field(() => Int, { description: 'Days the Comune has to decide after a submission.' })
  decisionDays!: number;

  @Field(() => Date, { nullable: true, description: 'When it was published.' })
  publishedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the ranking was last computed.' })
  rankedAt!: Date | null;
}

@ObjectType('SimulationCheckCount', { description: 'How many households one check excludes.' })
export class SimulationCheckCount {
  @Field(() => String, {
    description: 'Check code (RESIDENCY, ISEE, HOUSEHOLD_SIZE, PUBLIC_SUPPORT).',
  })
  code!: string;

  @Field(() => Int, { description: 'Households failing this check (one may fail several).' })
  excluded!: number;
}

@ObjectType('SimulationSizeRow', { description: 'Eligible households of one size.' })
export class SimulationSizeRow {
  @Field(() => Int, { description: 'Household size.' })
  size!: number;

  @Field(() => Int, { description: 'Eligible households of this size.' })
  households!: number;

  @Field(() => GraphQLSafeInt, { description: 'Their entitlements, in euro cents.' })
  costCents!: number;
}

@ObjectType('SimulationResult', {
  description: 'What a campaign would cost over the Comune’s registry today.',
})
export class SimulationResult {
  @Field(() => Int, { description: 'Households in the registry.' })
  households!: number;

  @Field(() => Int, { description: 'Households meeting every rule.' })
  eligible!: number;

  @Field(() => GraphQLSafeInt, { description: 'Sum of their entitlements, in euro cents.' })
  totalCostCents!: number;

  @Field(() => GraphQLSafeInt, { description: 'The budget simulated, in euro cents.' })
  budgetCents!: number;

  @Field(() => Int, { description: 'Eligible households the budget covers, in ranking order.' })
  funded!: number;

  @Field(() => GraphQLSafeInt, { description: 'Cost of the funded households, in euro cents.' })
  fundedCents!: number;

  @Field(() => GraphQLSafeInt, { description: 'Cost beyond the budget (0 when it suffices).' })
  shortfallCents!: number;

  @Field(() => [SimulationCheckCount], { description: 'Households each rule excludes.' })
  exclusions!: SimulationCheckCount[];

  @Field(() => [SimulationSizeRow], { description: 'Eligible households by size.' })
  bySize!: SimulationSizeRow[];

  @Field(() => Int, { description: 'Milliseconds the simulation took.' })
  tookMs!: number;
}
