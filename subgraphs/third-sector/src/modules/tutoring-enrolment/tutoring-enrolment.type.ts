import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('TutoringPupil', { description: 'A pupil enrolled in a programme by a family.' })
export class TutoringEnrolmentType {
  @Field(() => ID, { description: 'Stable identifier (UUID) of the enrolment.' })
  id!: string;

  @Field(() => ID, { description: 'The programme.' })
  programmeId!: string;

  @Field(() => String, { description: 'First name.' })
  firstName!: string;

  @Field(() => String, { description: 'Last name.' })
  lastName!: string;

  @Field(() => String, { description: 'School class, e.g. “2ª media”.' })
  schoolClass!: string;
}
