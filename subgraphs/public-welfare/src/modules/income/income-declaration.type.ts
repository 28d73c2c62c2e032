import { Field, ID, Int, ObjectType } from 'type-graphql';
import { IseeType, type IseeType as IseeTypeValue } from '../shared/enums.js';

/** An ISEE declaration. `declarantFiscalCode` is a field resolver (decrypted on read). */
@ObjectType('IncomeDeclaration', { description: 'An ISEE declaration of a household member.' })
export class IncomeDeclarationType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => Int, { description: 'ISEE value in euro cents (integer; at most 100,000,000).' })
  iseeCents!: number;

  @Field(() => IseeType, { description: 'Kind of ISEE attestation.' })
  iseeType!: IseeTypeValue;

  @Field({ description: 'Last day the attestation is valid, ISO 8601 (yyyy-mm-dd).' })
  validUntil!: string;

  @Field({ description: 'True when the household already receives public income support.' })
  receivesPublicSupport!: boolean;

  @Field({ description: 'When an import last changed the declaration.' })
  updatedAt!: Date;
}
