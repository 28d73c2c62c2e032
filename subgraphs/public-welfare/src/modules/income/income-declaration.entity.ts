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
 * An ISEE declaration (DSU attestation) of a declarant, one per declarant, Comune and validity
 * year: an import of a new year adds one (the past years stay, the household's ISEE history), an
 * import of the same year replaces it. The declarant's codice fiscale is a keyed hash (joins the household member
 * with the same hash) and a ciphertext.
 */
@Entity({ tableName: 'income_declaration' })
@Unique({
  name: 'income_declaration_comune_declarant_year_unique',
  properties: ['comuneId', 'declarantFiscalCodeHash', 'validityYear'],
})
export class IncomeDeclaration {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'validityYear';

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

  /** The year of `validUntil` (computed by the database): with the declarant, the natural key. */
  @Property({ type: 'integer', generated: '(extract(year from valid_until)::integer) stored' })
  validityYear!: number;

  /** True when the household already receives public income support. */
  @Property({ type: 'boolean' })
  receivesPublicSupport!: boolean;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
