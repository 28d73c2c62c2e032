import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('IesDemurrageRun', {
  description:
    'What a manual run of an IES circuit’s demurrage and expiry did. Each wallet is charged once a month whatever the number of runs: a second run in the month charges nothing.',
})
export class DemurrageRunType {
  @Field(() => ID, { description: 'The circuit.' })
  circuitId!: string;

  @Field({ description: 'The month charged (`YYYY-MM`, Rome time).' })
  month!: string;

  @Field(() => Int, { description: 'Wallets charged demurrage by this run.' })
  demurrageCharged!: number;

  @Field(() => Int, { description: 'IES moved to the fees account by this run, in cents.' })
  demurrageCents!: number;

  @Field(() => Int, { description: 'Idle wallets whose IES expired by this run.' })
  expired!: number;

  @Field(() => Int, { description: 'IES moved back to the rewards account by this run, in cents.' })
  expiredCents!: number;
}
