import { randomUUID } from 'node:crypto';
import {
  Entity,
  Enum,
  Index,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  Unique,
} from '@mikro-orm/core';
import { RELATIONS, SEXES, type Relation, type Sex } from '../shared/enums.js';
import { Household } from './household.entity.js';

/**
 * A member of a household. The codice fiscale is never stored in clear: a keyed hash (unique per
 * Comune, for lookups and joins with income data) and a ciphertext.
 */
@Entity({ tableName: 'household_member' })
@Unique({
  name: 'household_member_comune_fiscal_code_unique',
  properties: ['comuneId', 'fiscalCodeHash'],
})
@Index({ name: 'household_member_household_index', properties: ['household'] })
export class HouseholdMember {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'familyNameFolded';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  comuneId!: string;

  @ManyToOne(() => Household, { deleteRule: 'cascade' })
  household!: Household;

  /** HMAC-SHA256 of the codice fiscale (kit `PiiCipher.lookupHash`), hex. */
  @Property({ type: 'text' })
  fiscalCodeHash!: string;

  /** AES-256-GCM ciphertext of the codice fiscale. */
  @Property({ type: 'text' })
  fiscalCodeCipher!: string;

  @Property({ type: 'text' })
  givenName!: string;

  @Property({ type: 'text' })
  familyName!: string;

  /**
   * The family name folded for searching (`public_welfare.fold_name`: lower case, no accents nor
   * apostrophes), computed by the database; indexed per Comune for prefix searches.
   */
  @Property({ type: 'text', generated: '(public_welfare.fold_name(family_name)) stored' })
  familyNameFolded!: string;

  @Property({ type: 'date' })
  birthDate!: string;

  @Enum({ items: [...SEXES], type: 'text' })
  sex!: Sex;

  @Enum({ items: [...RELATIONS], type: 'text' })
  relation!: Relation;

  @Property({ type: 'boolean' })
  disability!: boolean;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
