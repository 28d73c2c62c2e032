import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('TutoringTutor', {
  description: 'A tutor (a TUTOR member of the provider) of a programme.',
})
export class TutoringTutorType {
  @Field(() => ID, { description: 'Stable identifier (UUID) of the assignment.' })
  id!: string;

  @Field(() => ID, { description: 'The programme.' })
  programmeId!: string;

  @Field(() => ID, { description: 'The tutor’s identity Person id.' })
  personId!: string;

  @Field(() => String, { description: 'The name families see.' })
  displayName!: string;
}
