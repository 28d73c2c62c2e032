import { Field, ID, InputType, Int } from 'type-graphql';
import { FeePayerEnum } from './circuit.type.js';

@InputType('IesCircuitRulesInput', {
  description: 'An IES circuit’s rules as its manager writes them (the whole set).',
})
export class CircuitRulesInput {
  @Field(() => Int, {
    description: 'The fixed part of the fee per movement, in cents (0 to 1000).',
  })
  feeFixedCents!: number;

  @Field(() => Int, {
    description: 'The proportional part of the fee, in basis points (0 to 1000: at most 10%).',
  })
  feeBasisPoints!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'The most one fee can be, in cents (the fixed part to 100000); null: no cap.',
  })
  feeMaxCents?: number | null;

  @Field(() => FeePayerEnum, { description: 'Who pays the fee.' })
  feePayer!: string;

  @Field({ description: 'Movements funded by welfare pay no fee.' })
  welfareExempt!: boolean;

  @Field(() => Int, {
    description: 'The conversion fee, in basis points (0 to 2000: at most 20%).',
  })
  conversionFeeBasisPoints!: number;

  @Field(() => Int, { description: 'The least a conversion fee can be, in cents (0 to 10000).' })
  conversionFeeMinCents!: number;

  @Field(() => Int, {
    description: 'Demurrage per month, in basis points of the balance (0 to 500; 0: none).',
  })
  demurrageBasisPoints!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'IES unspent for this many months expires (1 to 120); null: never.',
  })
  expiryMonths?: number | null;
}

@InputType('IesCircuitCreateInput', {
  description: 'A new IES circuit: its manager Comune, public code, name, territory and rules.',
})
export class CreateCircuitInput extends CircuitRulesInput {
  @Field(() => ID, {
    description:
      'The manager: an identity Organisation of kind COMUNE (the caller’s own Comune, as its MANAGER; any Comune for a platform admin).',
  })
  managerId!: string;

  @Field({
    description:
      'The public code in the portal’s addresses: 1 to 40 lower-case letters or digits, words joined by a hyphen (e.g. `partinico-trappeto`); unique.',
  })
  code!: string;

  @Field({ description: 'The circuit’s name (3 to 120 characters).' })
  name!: string;

  @Field({
    description: 'The Comune or group of Comuni of its territory, in words (2 to 200 characters).',
  })
  territory!: string;
}
