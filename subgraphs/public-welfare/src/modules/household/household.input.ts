import { Field, InputType, Int } from 'type-graphql';
import { IseeType, type IseeType as IseeTypeValue } from '../shared/enums.js';

@InputType({
  description:
    'Filters on households; every given criterion must hold. Income criteria apply to the latest declaration of any member (households without one do not match them).',
})
export class HouseholdFilter {
  @Field(() => Int, {
    nullable: true,
    description: 'Largest ISEE, in euro cents (inclusive).',
  })
  iseeMax?: number | null;

  @Field(() => IseeType, { nullable: true, description: 'Kind of the latest ISEE.' })
  iseeType?: IseeTypeValue | null;

  @Field(() => Int, { nullable: true, description: 'At least this many members.' })
  minSize?: number | null;

  @Field(() => Int, { nullable: true, description: 'At most this many members.' })
  maxSize?: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'True: with a member under 18; false: with none.',
  })
  hasMinors?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'True: with a member aged 65 or more; false: with none.',
  })
  hasElderly?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'True: with a member with a disability; false: with none.',
  })
  hasDisability?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether the latest declaration says the household receives public support.',
  })
  receivesPublicSupport?: boolean | null;
}
