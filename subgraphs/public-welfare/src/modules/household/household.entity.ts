import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** A household (famiglia anagrafica) of a Comune's registry, found by its registry code. */
@Entity({ tableName: 'household' })
@Unique({ name: 'household_comune_code_unique', properties: ['comuneId', 'code'] })
export class Household {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The Comune (identity Organisation of kind COMUNE) the row belongs to. */
  @Property({ type: 'uuid' })
  comuneId!: string;

  /** Registry code (codice famiglia), unique per Comune. */
  @Property({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  address!: string;

  /** True when the household is resident in the Comune. */
  @Property({ type: 'boolean' })
  resident!: boolean;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
