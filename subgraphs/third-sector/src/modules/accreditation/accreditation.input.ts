import { Field, ID, InputType, Int } from 'type-graphql';
import {
  ProviderAccreditationOutcome,
  ProviderAccreditationStatus,
  type AccreditationStatus,
  type DecisionOutcome,
} from './accreditation.enums.js';

@InputType('ProviderAccreditationAnswerInput', {
  description: 'The provider’s answer to one checklist item.',
})
export class AccreditationAnswerInput {
  @Field(() => ID, { description: 'The checklist item (AccreditationRequirement.id).' })
  requirementId!: string;

  @Field(() => Boolean, {
    description: 'True when the provider declares it meets the requirement.',
  })
  declared!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'A note (e.g. a registration number), up to 2000 characters.',
  })
  note?: string | null;
}

@InputType('ProviderAccreditationDecisionInput', {
  description: 'The MANAGER’s decision on a request.',
})
export class AccreditationDecisionInput {
  @Field(() => ProviderAccreditationOutcome, { description: 'ACCREDITED or REJECTED.' })
  outcome!: DecisionOutcome;

  @Field(() => String, { description: 'The reason, 5 to 2000 characters.' })
  reason!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Last day of validity (yyyy-mm-dd, Europe/Rome), after today and within five years: required to accredit, ignored when rejecting.',
  })
  validUntil?: string | null;
}

@InputType('ProviderAccreditationQueueFilter', {
  description: 'Which requests of the Comune’s queue to list.',
})
export class AccreditationQueueFilter {
  @Field(() => [ProviderAccreditationStatus], {
    nullable: true,
    description: 'Only these statuses (default: every status; drafts are never listed).',
  })
  statuses?: AccreditationStatus[] | null;

  @Field(() => ID, { nullable: true, description: 'Only this provider’s requests.' })
  providerId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 200 (default 50).' })
  first?: number | null;

  @Field(() => Int, { nullable: true, description: 'Rows to skip (default 0).' })
  offset?: number | null;
}
