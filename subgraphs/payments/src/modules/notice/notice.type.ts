import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('PaymentsNotice', {
  description:
    'A notice an organisation posts for its members (the sample module of the payments subgraph). Seen by the organisation’s members only.',
})
export class NoticeType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The organisation (identity Organisation id) it belongs to.' })
  organisationId!: string;

  @Field(() => String, { description: 'The title, 3 to 120 characters.' })
  title!: string;

  @Field(() => String, { description: 'The text.' })
  body!: string;

  @Field(() => Date, { description: 'When it was posted.' })
  createdAt!: Date;
}
