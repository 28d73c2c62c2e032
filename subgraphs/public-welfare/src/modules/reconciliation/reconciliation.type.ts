import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { ReconciliationCheck, ReconciliationTrigger } from './reconciliation.enums.js';

@ObjectType('ReconciliationProblem', {
  description: 'One thing in the money that does not add up.',
})
export class ReconciliationProblemType {
  @Field(() => ReconciliationCheck, { description: 'The rule that failed.' })
  check!: string;

  @Field({
    description:
      'What it is about: `campaign:<id>`, `application:<id>`, `card:<id>`, `payment:<id>` or `batch:<id>`.',
  })
  subject!: string;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'The figure the rule expects, in cents.',
  })
  expectedCents!: number | null;

  @Field(() => GraphQLSafeInt, { nullable: true, description: 'The figure found, in cents.' })
  actualCents!: number | null;

  @Field({ description: 'The problem in Italian.' })
  messageIt!: string;

  @Field({ description: 'The problem in English.' })
  messageEn!: string;
}

@ObjectType('MoneyReconciliation', {
  description:
    'A run of the money reconciliation for one Comune: the checks above the book, on one snapshot. A run that is not ok is an alert.',
})
export class ReconciliationReportType {
  @Field(() => ID, { description: 'The run.' })
  id!: string;

  @Field(() => ID, { description: 'The Comune (identity Organisation of kind COMUNE).' })
  comuneId!: string;

  @Field({ description: 'When it ran.' })
  ranAt!: Date;

  @Field(() => ReconciliationTrigger, { description: 'Who ran it.' })
  trigger!: string;

  @Field({ description: 'True when every check passed.' })
  ok!: boolean;

  @Field(() => [ReconciliationProblemType], {
    description: 'What does not add up (the first 200; empty when ok).',
  })
  problems!: ReconciliationProblemType[];
}
