import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CIRCUIT_STATUSES, FEE_PAYERS } from './circuit.entity.js';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const FeePayerEnum = enumOf(FEE_PAYERS);
export const CircuitStatusEnum = enumOf(CIRCUIT_STATUSES);

registerEnumType(FeePayerEnum, {
  name: 'IesFeePayer',
  description: 'Who pays the fee of a movement in an IES circuit.',
  valuesConfig: {
    PAYER: { description: 'The payer, on top of the amount paid.' },
    PAYEE: { description: 'The payee, out of the amount received.' },
  },
});

registerEnumType(CircuitStatusEnum, {
  name: 'IesCircuitStatus',
  description: 'Whether an IES circuit is running.',
  valuesConfig: {
    ACTIVE: { description: 'Running: its members pay, earn and convert.' },
    SUSPENDED: { description: 'Suspended by its manager: no movement is accepted.' },
  },
});

@ObjectType('IesCircuit', {
  description:
    'An IES circuit: the local unit of account of a territory (1 IES = 1 euro, backed one to one by euro held in reserve), run by its manager (the Comune or its delegate) with its own rules. Public.',
})
export class CircuitType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field({ description: 'The public code used in the portal’s addresses (e.g. `balestrate`).' })
  code!: string;

  @Field({ description: 'The circuit’s name (e.g. “Circuito IES Balestrate”).' })
  name!: string;

  @Field({ description: 'The Comuni of its territory, in words.' })
  territory!: string;

  @Field(() => ID, {
    description: 'The manager: an identity Organisation (the Comune or its delegate).',
  })
  managerId!: string;

  @Field(() => Int, { description: 'The fixed part of the fee per movement, in cents of IES.' })
  feeFixedCents!: number;

  @Field(() => Int, {
    description: 'The proportional part of the fee per movement, in basis points (100 = 1%).',
  })
  feeBasisPoints!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'The most one movement’s fee can be, in cents; null: no cap.',
  })
  feeMaxCents?: number | null;

  @Field(() => FeePayerEnum, { description: 'Who pays the fee of a movement.' })
  feePayer!: string;

  @Field({ description: 'Movements funded by welfare (rewards, a card’s fallback) pay no fee.' })
  welfareExempt!: boolean;

  @Field(() => Int, {
    description: 'The service fee on a conversion to euro, in basis points of the amount.',
  })
  conversionFeeBasisPoints!: number;

  @Field(() => Int, { description: 'The least a conversion’s fee can be, in cents.' })
  conversionFeeMinCents!: number;

  @Field(() => Int, { description: 'Demurrage per month on balances, in basis points (0: none).' })
  demurrageBasisPoints!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'IES unspent for this many months expires; null: never.',
  })
  expiryMonths?: number | null;

  @Field(() => CircuitStatusEnum, { description: 'Whether the circuit is running.' })
  status!: string;
}
