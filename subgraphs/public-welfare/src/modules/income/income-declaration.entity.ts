import { randomUUID } from 'node:crypto';
import {
  BigIntType,
  Entity,
  Enum,
  OptionalProps,
  PrimaryKey,
  Property,
  Unique,
} from '@mikro-orm/core';
import { ISEE_TYPES, type IseeType } from '../shared/enums.js';

/**
 * An ISEE declaration (DSU attestation) of a declarant, one per declarant and Comune: a new
 * import replaces it. The declarant's codice fiscale is a keyed hash (joins the household member
 * with the same hash) and a ciphertext.
 */
@Entity({ tableName: 'income_declaration' })
@Unique({
  name: 'income_declaration_comune_declarant_unique',
  properties: ['comuneId', 'declarantFiscalCodeHash'],
})
export class IncomeDeclaration {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  comuneId!: string;

  @Property({ type: 'text' })
  declarantFiscalCodeHash!: string;

  @Property({ type: 'text' })
  declarantFiscalCodeCipher!: string;

  /** ISEE value in euro cents (0 to 100,000,000). */
  @Property({ type: new BigIntType('number') })
  iseeCents!: number;

  @Enum({ items: [...ISEE_TYPES], type: 'text' })
  iseeType!: IseeType;

  /** Last day the attestation is valid. */
  @Property({ type: 'date' })
  validUntil!: string;

  /** True when the household already receives public income support. */
  @Property({ type: 'boolean' })
  receivesPublicSupport!: boolean;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
