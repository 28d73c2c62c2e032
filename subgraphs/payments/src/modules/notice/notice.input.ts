import { Field, ID, InputType } from 'type-graphql';

@InputType('PaymentsNoticeInput', { description: 'A new notice of an organisation.' })
export class NoticeInput {
  @Field(() => ID, { description: 'The organisation (identity Organisation id) posting it.' })
  organisationId!: string;

  @Field(() => String, { description: 'The title, 3 to 120 characters.' })
  title!: string;

  @Field(() => String, { description: 'The text, up to the configured length.' })
  body!: string;
}
