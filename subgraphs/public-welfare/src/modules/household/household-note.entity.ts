import { randomUUID } from 'node:crypto';
import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A social worker's note on a household (cartella sociale): text only, written by staff of the
 * household's Comune, read only by them (every read audited). Never edited nor deleted.
 */
@Entity({ tableName: 'household_note' })
@Index({ name: 'household_note_household_index', properties: ['householdId', 'createdAt'] })
export class HouseholdNote {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  comuneId!: string;

  @Property({ type: 'uuid' })
  householdId!: string;

  /** The staff member (identity Person) who wrote it. */
  @Property({ type: 'uuid' })
  authorId!: string;

  /** 1 to 4,000 characters (trimmed). */
  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
