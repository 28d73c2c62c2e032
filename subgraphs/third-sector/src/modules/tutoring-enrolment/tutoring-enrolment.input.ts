import { Field, ID, InputType } from 'type-graphql';

@InputType('TutoringEnrolmentInput', { description: 'A pupil a family enrols in a programme.' })
export class TutoringEnrolmentInput {
  @Field(() => ID, { description: 'The programme.' })
  programmeId!: string;

  @Field(() => String, { description: 'First name, 1 to 80 characters.' })
  firstName!: string;

  @Field(() => String, { description: 'Last name, 1 to 80 characters.' })
  lastName!: string;

  @Field(() => String, { description: 'School class, 1 to 40 characters.' })
  schoolClass!: string;
}
