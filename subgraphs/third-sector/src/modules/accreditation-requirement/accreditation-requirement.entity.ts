import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One item of a Comune's accreditation checklist. Editable while no request has answered it;
 * afterwards it is frozen (what a provider declared stays what it read) and can only be retired
 * (then replaced by a new item with a new code).
 */
@Entity({ tableName: 'accreditation_requirement' })
export class AccreditationRequirement {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'retiredAt' | 'position';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The Comune (identity Organisation of kind COMUNE). */
  @Property({ type: 'uuid' })
  comuneId!: string;

  /** Short code, unique in the Comune's checklist (e.g. `ISCRIZIONE_RUNTS`). */
  @Property({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  textIt!: string;

  @Property({ type: 'text' })
  textEn!: string;

  /** A document must be uploaded with the answer. */
  @Property({ type: 'boolean' })
  documentRequired!: boolean;

  /** Order in the checklist (ascending). */
  @Property({ type: 'int' })
  position: number = 0;

  /** When it was withdrawn from the checklist (new requests no longer answer it). */
  @Property({ type: 'timestamptz', nullable: true })
  retiredAt: Date | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
