import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { PersonRef } from '../shared/references.type.js';

@ObjectType('DecisionPolicy', {
  description:
    'A Comune’s decision policy: whether its OPERATORs’ rejections, and approvals above a limit, wait for a MANAGER’s second approval. Off when never set.',
})
export class DecisionPolicyType {
  @Field(() => ID, { description: 'The Comune.' })
  comuneId!: string;

  @Field(() => Boolean, {
    description:
      'True: an OPERATOR’s rejection, or approval above `amountLimitCents`, becomes a proposal (PENDING_APPROVAL) a MANAGER confirms or sends back.',
  })
  secondApproval!: boolean;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description:
      'Approvals of an amount above this (euro cents) wait for a MANAGER too; null: approvals never wait.',
  })
  amountLimitCents!: number | null;

  @Field(() => PersonRef, { nullable: true, description: 'Who set it last; null when never set.' })
  updatedBy!: PersonRef | null;

  @Field(() => Date, { nullable: true, description: 'When it was set last; null when never set.' })
  updatedAt!: Date | null;
}

@ObjectType('PendingDecision', {
  description: 'A decision an operator proposed, waiting for a MANAGER’s second approval.',
})
export class PendingDecisionType {
  @Field(() => Boolean, { description: 'True: approve; false: reject.' })
  approve!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'The reason given (always for a rejection).',
  })
  reason!: string | null;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'The application’s amount when proposed, in euro cents.',
  })
  amountCents!: number | null;

  @Field(() => PersonRef, { description: 'Who proposed it.' })
  proposedBy!: PersonRef;

  @Field(() => Boolean, {
    description: 'True when the caller proposed it (they cannot confirm it).',
  })
  proposedByCaller!: boolean;

  @Field(() => Date, { description: 'When it was proposed.' })
  proposedAt!: Date;
}
