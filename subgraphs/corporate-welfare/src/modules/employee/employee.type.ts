import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType('EnrolledEmployee', {
  description:
    'An employee an employer enrolled in its welfare plans (a citizen, found by codice fiscale when they log in with SPID/CIE). Seen by the employer’s HR.',
})
export class EmployeeType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The employer (identity Organisation id).' })
  employerId!: string;

  @Field(() => String, { description: 'The codice fiscale (16 characters, upper case).' })
  fiscalCode!: string;

  @Field(() => String, { description: 'Given name.' })
  givenName!: string;

  @Field(() => String, { description: 'Family name.' })
  familyName!: string;

  @Field(() => String, { nullable: true, description: 'Where the invitation goes.' })
  email?: string | null;

  @Field(() => String, { description: 'The category (a plan category’s code).' })
  categoryCode!: string;

  @Field(() => String, { description: 'First day of employment (YYYY-MM-DD).' })
  startDate!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Last day of employment (YYYY-MM-DD): set for a leaver.',
  })
  endDate?: string | null;

  @Field(() => Int, {
    description: 'Fiscally dependent children, as declared (they raise the fringe-benefit cap).',
  })
  dependentChildren!: number;

  @Field(() => Date, {
    nullable: true,
    description: 'When the invitation by e-mail was written (sent once only).',
  })
  invitedAt?: Date | null;
}

@ObjectType('EnrolledEmployeePage', {
  description: 'A page of an employer’s employees, by family and given name.',
})
export class EmployeePageType {
  @Field(() => [EmployeeType], { description: 'The employees of the page.' })
  items!: EmployeeType[];

  @Field(() => Int, { description: 'How many employees match, over every page.' })
  totalCount!: number;

  @Field(() => Int, { description: 'How many matching employees come before the page.' })
  offset!: number;
}

@InputType('EnrolledEmployeeChangeInput', {
  description: 'What HR changes of an employee (the other data come from the enrolment file).',
})
export class EmployeeChangeInput {
  @Field(() => String, { description: 'A category code one of the employer’s plans defines.' })
  categoryCode!: string;

  @Field(() => String, { nullable: true, description: 'The e-mail; null or empty: none.' })
  email?: string | null;

  @Field(() => Int, { description: 'Fiscally dependent children (0 to 20).' })
  dependentChildren!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Last day of employment (YYYY-MM-DD) for a leaver; null or empty: employed.',
  })
  endDate?: string | null;
}
