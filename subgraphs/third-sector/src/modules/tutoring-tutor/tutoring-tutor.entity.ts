import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** A member of the provider (identity role TUTOR) assigned to a programme. */
@Entity({ tableName: 'tutoring_tutor' })
export class TutoringTutor {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  programmeId!: string;

  @Property({ type: 'uuid' })
  providerId!: string;

  /** The tutor's identity Person id. */
  @Property({ type: 'uuid' })
  personId!: string;

  @Property({ type: 'text' })
  displayName!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
