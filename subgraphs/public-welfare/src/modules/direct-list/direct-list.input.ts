import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';

@InputType('CorrectDirectListEntryInput', {
  description:
    'A correction of one entry of a list decided outside the platform: a new amount, or the entry withdrawn (exactly one of the two), and why.',
})
export class CorrectDirectListEntryInput {
  @Field(() => ID, { description: 'The entry’s application (origin DIRECT_LIST).' })
  applicationId!: string;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description:
      'The new amount, in euro cents (at least 1); not with `withdraw`. Within the campaign’s budget.',
  })
  amountCents?: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'True to withdraw the entry (status WITHDRAWN, its amount no longer committed); not with `amountCents`.',
  })
  withdraw?: boolean | null;

  @Field({
    description:
      'Why the entry is corrected (at most 500 characters): written on the case’s timeline.',
  })
  reason!: string;
}
