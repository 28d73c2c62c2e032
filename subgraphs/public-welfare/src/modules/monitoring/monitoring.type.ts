import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ShopCategory } from '../shared/categories.js';
import type { FundingAllocation as Allocation } from '../funding/funding.js';
import { DashboardFundingSourceType, FundingAllocation } from '../funding/funding.type.js';

@InputType('DashboardPeriodInput', {
  description:
    'The days of the by-day series (Europe/Rome calendar days, both included, at most 366). Without it: from the first to the last day with a movement (the last 366 days of them at most).',
})
export class DashboardPeriodInput {
  @Field(() => String, { nullable: true, description: 'First day, YYYY-MM-DD.' })
  from?: string | null;

  @Field(() => String, { nullable: true, description: 'Last day, YYYY-MM-DD (not before `from`).' })
  to?: string | null;
}

@ObjectType('DashboardShop', { description: 'What the campaign’s credit paid at one shop.' })
export class DashboardShopType {
  @Field(() => ID, { description: 'The shop’s accreditation for the campaign.' })
  accreditationId!: string;

  @Field(() => ID, { description: 'The MERCHANT organisation (identity).' })
  merchantId!: string;

  @Field(() => String, { description: 'Business name (ragione sociale).' })
  businessName!: string;

  @Field(() => String, { description: 'ACCREDITED, SUSPENDED or PENDING.' })
  status!: string;

  @Field(() => Int, { description: 'Authorised payments (voided ones excluded).' })
  payments!: number;

  @Field(() => GraphQLSafeInt, { description: 'Cents spent, net of voids.' })
  amountCents!: number;
}

@ObjectType('DashboardCategory', {
  description: 'What the campaign’s credit paid for one category.',
})
export class DashboardCategoryType {
  @Field(() => ShopCategory, { description: 'The category of the payments.' })
  category!: string;

  @Field(() => Int, { description: 'Authorised payments (voided ones excluded).' })
  payments!: number;

  @Field(() => GraphQLSafeInt, { description: 'Cents spent, net of voids.' })
  amountCents!: number;
}

@ObjectType('DashboardDay', { description: 'One calendar day (Europe/Rome) of the campaign.' })
export class DashboardDayType {
  @Field(() => String, { description: 'The day, YYYY-MM-DD.' })
  date!: string;

  @Field(() => Int, { description: 'Authorised payments made that day (voided ones excluded).' })
  payments!: number;

  @Field(() => GraphQLSafeInt, { description: 'Cents spent that day, net of voids.' })
  amountCents!: number;

  @Field(() => GraphQLSafeInt, { description: 'Cents credited to cards that day (top-ups).' })
  creditedCents!: number;

  @Field(() => GraphQLSafeInt, {
    description: 'Cents returned to the fund that day (unspent credit swept after the window).',
  })
  returnedCents!: number;
}

@ObjectType('CampaignDashboard', {
  description:
    'The live monitoring figures of a campaign, read from the book in one consistent snapshot: creditedCents − spentCents − servicesCents − returnedCents = unspentCents, and the sums of byShop and byCategory equal the totals.',
})
export class CampaignDashboardType {
  @Field(() => ID, { description: 'The campaign.' })
  campaignId!: string;

  @Field(() => ID, { description: 'The Comune running the campaign.' })
  comuneId!: string;

  @Field(() => String, { description: 'The campaign’s title.' })
  campaignTitle!: string;

  @Field(() => String, { description: 'First day of the spending window (YYYY-MM-DD).' })
  spendingFrom!: string;

  @Field(() => String, { description: 'Last day of the spending window (YYYY-MM-DD).' })
  spendingUntil!: string;

  @Field(() => Date, { description: 'When the figures were read (the snapshot).' })
  generatedAt!: Date;

  @Field(() => GraphQLSafeInt, { description: 'The campaign’s budget, in cents.' })
  budgetCents!: number;

  @Field(() => GraphQLSafeInt, {
    description:
      'Cents committed: the entitlements of the APPROVED applications, plus what REVOKED ones had spent when revoked (their unspent credit went back to the fund).',
  })
  committedCents!: number;

  @Field(() => Int, { description: 'APPROVED applications.' })
  approvedApplications!: number;

  @Field(() => GraphQLSafeInt, { description: 'Cents credited to cards, net (top-ups).' })
  creditedCents!: number;

  @Field(() => GraphQLSafeInt, {
    description: 'Cents spent at shops: authorised payments net of voids.',
  })
  spentCents!: number;

  @Field(() => GraphQLSafeInt, {
    description:
      'Cents spent on catalogue services (third-sector offers) through checkouts: captured payments net of refunds.',
  })
  servicesCents!: number;

  @Field(() => GraphQLSafeInt, {
    description: 'Cents returned to the fund by the sweep after the spending window.',
  })
  returnedCents!: number;

  @Field(() => GraphQLSafeInt, { description: 'Cents of credit still on the cards.' })
  unspentCents!: number;

  @Field(() => Int, { description: 'Beneficiaries (card holders) who received credit.' })
  beneficiariesCredited!: number;

  @Field(() => Int, { description: 'Cards with credit left.' })
  cardsWithCredit!: number;

  @Field(() => Int, { description: 'Beneficiaries (card holders) with credit left.' })
  beneficiariesWithCredit!: number;

  @Field(() => Int, { description: 'Authorised payments (voided ones excluded).' })
  payments!: number;

  @Field(() => Int, { description: 'Payments voided by the shop.' })
  voidedPayments!: number;

  @Field(() => [DashboardShopType], {
    description:
      'By shop: every accredited shop and any other with payments, highest amount first.',
  })
  byShop!: DashboardShopType[];

  @Field(() => [DashboardCategoryType], {
    description: 'By category: the categories with payments, highest amount first.',
  })
  byCategory!: DashboardCategoryType[];

  @Field(() => String, { nullable: true, description: 'First day of `byDay` (null when empty).' })
  periodFrom!: string | null;

  @Field(() => String, { nullable: true, description: 'Last day of `byDay` (null when empty).' })
  periodTo!: string | null;

  @Field(() => [DashboardDayType], {
    description: 'By day: every day of the period, oldest first (days without movements too).',
  })
  byDay!: DashboardDayType[];

  @Field(() => [DashboardFundingSourceType], {
    description:
      'By funding source, in the Comune’s order: budget, committed, credited, spent (shops and services) and returned, each split as `sourceAllocation` says (pro rata of the sources’ amounts by the largest remainder method, or in the sources’ priority order), so each column sums exactly to the campaign’s figure. Empty when the campaign declares no sources.',
  })
  bySource!: DashboardFundingSourceType[];

  @Field(() => FundingAllocation, {
    description: 'How `bySource` splits the figures: the campaign’s `fundingAllocation`.',
  })
  sourceAllocation!: Allocation;
}
