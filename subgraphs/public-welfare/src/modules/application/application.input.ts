import { Field, ID, InputType } from 'type-graphql';

@InputType({
  description:
    'A draft application as the applicant (or an operator on their behalf) fills it in. Saving again updates the same draft.',
})
export class ApplicationDraftInput {
  @Field(() => ID, { description: 'The campaign applied to.' })
  campaignId!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Operators only: the codice fiscale of the citizen applied for (recorded as on behalf). Citizens leave it empty: they apply for themselves.',
  })
  onBehalfOf?: string | null;

  @Field(() => Boolean, {
    description:
      'The applicant (or the operator, for the citizen applied for) has read the privacy notice for citizens (GDPR art. 13) in its current version. Required; not a consent: the Comune processes the data for a task in the public interest (GDPR art. 6(1)(e)). The application records who acknowledged which version, and when.',
  })
  privacyNoticeAcknowledged!: boolean;

  @Field(() => String, { nullable: true, description: 'Email for notifications.' })
  email?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Mobile number for SMS notifications (+39…, 8 to 15 digits).',
  })
  phone?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Notes for the Comune (up to 2,000 characters).',
  })
  notes?: string | null;

  @Field(() => [String], {
    defaultValue: [],
    description: 'Codes of the campaign’s self-declarations the applicant accepts.',
  })
  acceptedDeclarations!: string[];
}

@InputType({ description: 'Filters of the case queue; every given criterion must hold.' })
export class ApplicationQueueFilter {
  @Field(() => ID, { nullable: true, description: 'Only this campaign’s applications.' })
  campaignId?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Only these statuses (ApplicationStatus values); default: every status but DRAFT.',
  })
  statuses?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Only those assigned to the caller.' })
  mine?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'True: only with a failed automatic check; false: only with every check passed.',
  })
  checksFailed?: boolean | null;

  @Field(() => String, { nullable: true, description: 'A protocol number, or its beginning.' })
  protocol?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'True: only those past their due-by date (waiting for a decision: SUBMITTED, IN_REVIEW, APPEALED), as the worklist’s `overdue` counts them; false or absent: no filter.',
  })
  overdue?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'True: only those whose applicant answered an integration request and that no one has acted on since (IN_REVIEW, last case event INTEGRATION_SUBMITTED), as the worklist’s `integrationsAnswered` counts them; false or absent: no filter.',
  })
  integrationAnswered?: boolean | null;
}
