import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CircuitType } from '../circuit/circuit.type.js';
import { CONVERSION_STATUSES } from './conversion.entity.js';

export const ConversionStatusEnum = Object.fromEntries(CONVERSION_STATUSES.map((s) => [s, s])) as {
  [K in (typeof CONVERSION_STATUSES)[number]]: K;
};

registerEnumType(ConversionStatusEnum, {
  name: 'IesConversionStatus',
  description: 'Where an organisation’s conversion of IES to euro is.',
  valuesConfig: {
    PENDING: { description: 'Requested: the IES are held, waiting for the circuit’s manager.' },
    APPROVED: {
      description: 'Approved: the IES destroyed, the euro paid from the reserve by SEPA transfer.',
    },
    REJECTED: {
      description: 'Rejected with a reason: the IES and the fee are back in the wallet.',
    },
  },
});

@ObjectType('IesConversion', {
  description:
    'A member organisation’s conversion of IES to euro, with the circuit’s conversion fee. Seen by the organisation and by the circuit’s staff.',
})
export class ConversionType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The circuit.' })
  circuitId!: string;

  @Field(() => ID, { description: 'The member converting.' })
  memberId!: string;

  @Field(() => ID, { description: 'The member organisation (an identity Organisation).' })
  organisationId!: string;

  @Field(() => Int, { description: 'The IES converted, in cents (the fee included).' })
  amountCents!: number;

  @Field(() => Int, { description: 'The conversion fee, in cents, to the circuit’s fees.' })
  feeCents!: number;

  @Field(() => Int, { description: 'The euro paid to the organisation, in cents.' })
  netCents!: number;

  @Field({ description: 'The payee of the SEPA transfer.' })
  creditorName!: string;

  @Field({ description: 'The IBAN the euro are paid to.' })
  iban!: string;

  @Field(() => ConversionStatusEnum, { description: 'Where it is.' })
  status!: string;

  @Field(() => String, { nullable: true, description: 'Why it was rejected.' })
  reason?: string | null;

  @Field(() => Date, { description: 'When it was requested.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the manager decided.' })
  decidedAt?: Date | null;
}

@ObjectType('IesConversionAccount', {
  description: 'A circuit an organisation can convert IES in: its wallet’s IES and the fee rule.',
})
export class ConversionAccountType {
  @Field(() => CircuitType, { description: 'The circuit (with its conversion fee rule).' })
  circuit!: CircuitType;

  @Field(() => ID, { description: 'The organisation’s membership.' })
  memberId!: string;

  @Field(() => Int, { description: 'The IES the wallet can convert now, in cents.' })
  availableCents!: number;

  @Field({ description: 'Whether the member gave an IBAN (needed to convert).' })
  hasIban!: boolean;
}

@ObjectType('IesSepaFile', {
  description: 'A SEPA credit transfer file (ISO 20022 pain.001.001.03) of approved conversions.',
})
export class SepaFileType {
  @Field({ description: 'The file’s name.' })
  fileName!: string;

  @Field({ description: 'The XML document (UTF-8).' })
  content!: string;

  @Field(() => Int, { description: 'Transfers in it.' })
  count!: number;

  @Field(() => Int, { description: 'Their sum, in cents.' })
  totalCents!: number;
}

@InputType('IesConversionRequestInput', { description: 'A conversion of IES to euro.' })
export class ConversionRequestInput {
  @Field(() => ID, { description: 'The circuit.' })
  circuitId!: string;

  @Field(() => ID, { description: 'The member organisation converting.' })
  organisationId!: string;

  @Field(() => Int, {
    description: 'The IES to convert, in cents (the fee included; more than the fee).',
  })
  amountCents!: number;

  @Field({ description: 'The client’s idempotency key: the same key requests once.' })
  clientKey!: string;
}
