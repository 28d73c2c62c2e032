import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import {
  FUNDING_ALLOCATIONS,
  FUNDING_SOURCE_KINDS,
  type FundingAllocation as Allocation,
  type FundingSourceKind as Kind,
} from './funding.js';

export const FundingSourceKind = Object.fromEntries(FUNDING_SOURCE_KINDS.map((k) => [k, k])) as {
  [K in Kind]: K;
};

registerEnumType(FundingSourceKind, {
  name: 'FundingSourceKind',
  description: 'Who funds (part of) a campaign’s budget.',
  valuesConfig: {
    STATE: { description: 'The State (e.g. a national fund or decree).' },
    REGION: { description: 'The Region.' },
    COMUNE: { description: 'The Comune’s own budget.' },
    EU: { description: 'European Union funds (e.g. ESF+).' },
    DONATION: { description: 'Donations from people, companies or foundations.' },
    OTHER: { description: 'Any other source.' },
  },
});

export const FundingAllocation = Object.fromEntries(FUNDING_ALLOCATIONS.map((a) => [a, a])) as {
  [A in Allocation]: A;
};

registerEnumType(FundingAllocation, {
  name: 'FundingAllocation',
  description:
    'How the money reported on a campaign (committed, credited, spent, returned) is split among its funding sources.',
  valuesConfig: {
    PRO_RATA: {
      description:
        'In proportion to the sources’ amounts, in cents by the largest remainder method (the default).',
    },
    PRIORITY: {
      description:
        'In the sources’ order: spending uses up the first source, then the second, and so on (each source’s spent = min(amount, max(0, total spent − the amounts before it))); the cents returned come from the last sources first.',
    },
  },
});

@InputType('FundingSourceInput', { description: 'One funding source of a campaign.' })
export class FundingSourceInput {
  @Field(() => FundingSourceKind, { description: 'Who funds it.' })
  kind!: Kind;

  @Field(() => String, {
    description: 'Its name or reference, e.g. the decree or the donor (2 to 200 characters).',
  })
  name!: string;

  @Field(() => GraphQLSafeInt, {
    description: 'Cents it funds (from 1 to 100,000,000 euro in cents).',
  })
  amountCents!: number;
}

@ObjectType('FundingSource', { description: 'One funding source of a campaign.' })
export class FundingSourceType {
  @Field(() => FundingSourceKind, { description: 'Who funds it.' })
  kind!: Kind;

  @Field(() => String, { description: 'Its name or reference, e.g. the decree or the donor.' })
  name!: string;

  @Field(() => GraphQLSafeInt, { description: 'Cents it funds, as declared by the Comune.' })
  amountCents!: number;
}

@ObjectType('DashboardFundingSource', {
  description:
    'What is reported against one funding source: each of the campaign’s figures split among the sources as the campaign’s `fundingAllocation` says (pro rata of their amounts by the largest remainder method, ties to the earlier source; or in their priority order), in cents; each column sums exactly to the campaign’s figure.',
})
export class DashboardFundingSourceType extends FundingSourceType {
  @Field(() => GraphQLSafeInt, {
    description:
      'Its share of the campaign’s current budget (its amount, while the sources add up to the budget).',
  })
  budgetCents!: number;

  @Field(() => GraphQLSafeInt, { description: 'Its share of the committed cents.' })
  committedCents!: number;

  @Field(() => GraphQLSafeInt, { description: 'Its share of the cents credited to cards.' })
  creditedCents!: number;

  @Field(() => GraphQLSafeInt, {
    description: 'Its share of the cents spent, at shops and on catalogue services.',
  })
  spentCents!: number;

  @Field(() => GraphQLSafeInt, {
    description:
      'Its amount minus its share of the cents spent: what is left of it to spend (negative if overspent).',
  })
  remainingCents!: number;

  @Field(() => GraphQLSafeInt, { description: 'Its share of the cents returned to the fund.' })
  returnedCents!: number;
}
