import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** A provider's answer to one requirement of the checklist, in one request. */
@Entity({ tableName: 'accreditation_answer' })
export class AccreditationAnswer {
  [OptionalProps]?: 'updatedAt' | 'note';

  @PrimaryKey({ type: 'uuid' })
  requestId!: string;

  @PrimaryKey({ type: 'uuid' })
  requirementId!: string;

  /** The provider declares it meets the requirement. */
  @Property({ type: 'boolean' })
  declared!: boolean;

  /** The provider's note (e.g. a registration number). */
  @Property({ type: 'text', nullable: true })
  note: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
