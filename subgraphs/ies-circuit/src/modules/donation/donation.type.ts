import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PROJECT_STATUSES } from './project.entity.js';

const ProjectStatusEnum = Object.fromEntries(PROJECT_STATUSES.map((v) => [v, v])) as {
  [K in (typeof PROJECT_STATUSES)[number]]: K;
};

registerEnumType(ProjectStatusEnum, {
  name: 'IesProjectStatus',
  description: 'Whether a fundraising project takes donations.',
  valuesConfig: {
    OPEN: { description: 'Taking donations until its end date.' },
    CLOSED: {
      description: 'Closed by its organisation: the IES raised went to the organisation’s wallet.',
    },
  },
});

@ObjectType('IesProject', {
  description:
    'A fundraising project of an association or cooperative of an IES circuit: members donate IES to it; when the organisation closes it, the IES raised move to the organisation’s wallet. Public (with its totals) unless the circuit’s staff hid it; donors’ names only when they agreed.',
})
export class ProjectType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The circuit (IesCircuit id).' })
  circuitId!: string;

  @Field({ description: 'The circuit’s public code (for the portal’s addresses).' })
  circuitCode!: string;

  @Field(() => ID, {
    description: 'The organisation raising the funds (identity Organisation id).',
  })
  organisationId!: string;

  @Field({ description: 'The organisation’s name as a member of the circuit.' })
  organisationName!: string;

  @Field({ description: 'Title, 3 to 120 characters.' })
  title!: string;

  @Field({ description: 'What the IES raised will pay for, 10 to 4000 characters.' })
  description!: string;

  @Field(() => Int, { description: 'The goal, in cents of IES (1 IES = 100).' })
  targetCents!: number;

  @Field({ description: 'The last day (Italian, YYYY-MM-DD) donations are taken.' })
  endsOn!: string;

  @Field(() => ProjectStatusEnum, { description: 'Whether it takes donations.' })
  status!: string;

  @Field({
    description: 'Whether it takes a donation now: OPEN, not hidden and its end date not passed.',
  })
  acceptingDonations!: boolean;

  @Field(() => Int, { description: 'The IES donated so far, in cents.' })
  raisedCents!: number;

  @Field(() => Int, { description: 'How many members donated (each counted once).' })
  donorCount!: number;

  @Field(() => [String], {
    description: 'The names of the donors who agreed to show them, alphabetical. Nobody else’s.',
  })
  publicDonors!: string[];

  @Field({ description: 'Hidden by the circuit’s staff: off the public pages, no donations.' })
  hidden!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the circuit’s staff hid it (only the organisation and the staff ever see a hidden project).',
  })
  hiddenReason!: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The IES (cents) moved to the organisation’s wallet when it closed it.',
  })
  paidOutCents!: number | null;

  @Field(() => Date, { description: 'When it was created.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When its organisation closed it.' })
  closedAt!: Date | null;
}

@ObjectType('IesDonation', {
  description: 'A donation of IES to a project, as its donor sees it.',
})
export class DonationType {
  @Field(() => ID, { description: 'Stable identifier (UUID): the book transfer’s.' })
  id!: string;

  @Field(() => Int, { description: 'The IES given, in cents (no fee is taken on a donation).' })
  amountCents!: number;

  @Field({ description: 'The donor agreed to show their name on the project’s public page.' })
  showName!: boolean;

  @Field(() => Date, { description: 'When it was made.' })
  createdAt!: Date;

  @Field(() => ProjectType, { description: 'The project, with its totals after the donation.' })
  project!: ProjectType;
}

@InputType('CreateIesProjectInput', { description: 'A new fundraising project.' })
export class CreateProjectInputType {
  @Field({ description: 'The circuit’s public code.' })
  circuitCode!: string;

  @Field(() => ID, {
    description: 'The association or cooperative (the caller is its ADMIN, OWNER or MANAGER).',
  })
  organisationId!: string;

  @Field({ description: 'Title, 3 to 120 characters.' })
  title!: string;

  @Field({ description: 'What the IES raised will pay for, 10 to 4000 characters.' })
  description!: string;

  @Field(() => Int, { description: 'The goal, in cents of IES: 100 (1 IES) to 100,000,000.' })
  targetCents!: number;

  @Field({ description: 'The last day donations are taken (YYYY-MM-DD), today to three years on.' })
  endsOn!: string;
}

@InputType('DonateIesInput', { description: 'A donation of IES to a project.' })
export class DonateInputType {
  @Field(() => ID, { description: 'The project.' })
  projectId!: string;

  @Field(() => Int, { description: 'The IES to give, in cents (1 to 10,000,000).' })
  amountCents!: number;

  @Field({
    description:
      'The client’s key of this donation (8 to 100 letters, digits, - or _): the same key again answers the same donation, never a second one.',
  })
  idempotencyKey!: string;

  @Field({
    defaultValue: false,
    description: 'Show the donor’s name on the project’s public page (default: no).',
  })
  showName!: boolean;

  @Field(() => ID, {
    nullable: true,
    description:
      'Donate from this organisation’s wallet (the caller acts for it); the caller’s own wallet otherwise.',
  })
  organisationId?: string | null;
}
