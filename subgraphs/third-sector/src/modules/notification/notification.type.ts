import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('ServiceMessage', {
  description:
    'A message of the third-sector services to a person (a booking confirmed or declined, a seat freed, a lesson cancelled…) or to a provider (an accreditation decided, an offer withdrawn, a booking requested…), in the language its reader chose (Italian unless they chose English).',
})
export class ServiceMessageType {
  @Field(() => ID, { description: 'The message.' })
  id!: string;

  @Field(() => String, { description: 'The language it is written in: `it` or `en`.' })
  language!: string;

  @Field(() => String, { description: 'The subject.' })
  subject!: string;

  @Field(() => String, { description: 'The text.' })
  body!: string;

  @Field(() => Date, { description: 'When it was written (with the event it tells of).' })
  createdAt!: Date;
}
