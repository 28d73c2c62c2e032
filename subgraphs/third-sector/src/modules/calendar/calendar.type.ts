import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType('ComunePatronDay', {
  description:
    'A Comune’s patron saint day: no offer of its catalogue can be booked on it. Set by the Comune’s MANAGER.',
})
export class ComunePatronDayType {
  @Field(() => ID, { description: 'The Comune (identity Organisation id).' })
  comuneId!: string;

  @Field(() => Int, { description: 'Month, 1 to 12.' })
  month!: number;

  @Field(() => Int, { description: 'Day of the month.' })
  day!: number;

  @Field(() => String, { description: 'The patron saint (e.g. "San Gaetano").' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Where the day comes from, if given.' })
  source!: string | null;
}

@InputType({ description: 'A Comune’s patron saint day.' })
export class ComunePatronDayInput {
  @Field(() => Int, { description: 'Month, 1 to 12.' })
  month!: number;

  @Field(() => Int, { description: 'Day of the month (29 February is refused).' })
  day!: number;

  @Field(() => String, { description: 'The patron saint, 3 to 120 characters.' })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Where the day comes from (the statute, a page), up to 500 characters.',
  })
  source?: string | null;
}

@ObjectType('ProviderClosure', {
  description:
    'Days a provider is closed (inclusive), with a reason: none of its offers can be booked on them.',
})
export class ProviderClosureType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The provider (identity Organisation id).' })
  providerId!: string;

  @Field(() => String, { description: 'First closed day, yyyy-mm-dd.' })
  startsOn!: string;

  @Field(() => String, { description: 'Last closed day, yyyy-mm-dd.' })
  endsOn!: string;

  @Field(() => String, { description: 'Why (shown to citizens).' })
  reason!: string;
}

@InputType({ description: 'Days a provider is closed.' })
export class ProviderClosureInput {
  @Field(() => String, { description: 'First closed day, yyyy-mm-dd (today or later).' })
  startsOn!: string;

  @Field(() => String, {
    description: 'Last closed day, yyyy-mm-dd (the first for one day; a year at most).',
  })
  endsOn!: string;

  @Field(() => String, { description: 'Why, 3 to 500 characters (shown to citizens).' })
  reason!: string;
}
