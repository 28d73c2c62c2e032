import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('ComuneWorklist', {
  description:
    'What a Comune’s staff has to do today: counts of its applications and reimbursement batches (no personal data).',
})
export class ComuneWorklistType {
  @Field(() => ID, { description: 'The Comune.' })
  comuneId!: string;

  @Field(() => String, { description: 'The day the counts are of (YYYY-MM-DD, Europe/Rome).' })
  today!: string;

  @Field(() => Int, {
    description: 'Applications waiting for a decision: SUBMITTED, IN_REVIEW and APPEALED.',
  })
  toDecide!: number;

  @Field(() => Int, {
    description:
      'Of those, the ones past their due-by date (the campaign’s decision days from submission, moved by the days an integration request suspended them).',
  })
  overdue!: number;

  @Field(() => String, {
    nullable: true,
    description:
      'The first due-by date from today on (YYYY-MM-DD) of an application waiting for a decision; null when none.',
  })
  nextDueBy!: string | null;

  @Field(() => Int, {
    description:
      'Applications whose applicant answered an integration request and that no one has decided since (IN_REVIEW, last case event INTEGRATION_SUBMITTED).',
  })
  integrationsAnswered!: number;

  @Field(() => Int, {
    description:
      'Applications waiting for the applicant (NEEDS_INTEGRATION: the term is suspended).',
  })
  awaitingIntegration!: number;

  @Field(() => Int, {
    description: 'Reimbursement batches in DRAFT, waiting for a MANAGER’s approval.',
  })
  batchesToApprove!: number;

  @Field(() => Int, {
    description:
      'Shops’ accreditation requests for the Comune’s campaigns not yet decided (PENDING).',
  })
  shopsToReview!: number;

  @Field(() => Int, {
    description:
      'Decisions an operator proposed that wait for a MANAGER’s second approval (PENDING_APPROVAL; see `decisionPolicy`).',
  })
  decisionsToConfirm!: number;
}
