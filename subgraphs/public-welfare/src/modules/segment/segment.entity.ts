import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { HouseholdFilterData } from '../household/household.service.js';

/** A saved household filter of a Comune (segmento), found by its name. */
@Entity({ tableName: 'segment' })
@Unique({ name: 'segment_comune_name_unique', properties: ['comuneId', 'name'] })
export class Segment {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The Comune (identity Organisation of kind COMUNE) the segment belongs to. */
  @Property({ type: 'uuid' })
  comuneId!: string;

  /** 1 to 120 characters, unique per Comune. */
  @Property({ type: 'text' })
  name!: string;

  /** The HouseholdFilter's fields (only those given). */
  @Property({ type: 'jsonb' })
  filter!: HouseholdFilterData;

  /** The identity Person who saved it. */
  @Property({ type: 'uuid' })
  createdBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
