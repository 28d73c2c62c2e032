import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import {
  APPLICATION_STATUSES,
  CASE_EVENT_KINDS,
  type ApplicationStatus,
  type CaseEventKind,
} from './application.enums.js';

/**
 * One entry of a case's timeline: who, when, what changed. Append-only (a trigger refuses
 * UPDATE and DELETE).
 */
@Entity({ tableName: 'case_event' })
export class CaseEvent {
  [OptionalProps]?: 'at' | 'id';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid', index: true })
  applicationId!: string;

  @Property({ type: 'uuid' })
  comuneId!: string;

  @Enum({ items: [...CASE_EVENT_KINDS], type: 'text' })
  kind!: CaseEventKind;

  /** `person:<uuid>` or `system`. */
  @Property({ type: 'text' })
  actor!: string;

  /** CITIZEN, OPERATOR or SYSTEM. */
  @Property({ type: 'text' })
  actorRole!: string;

  @Enum({ items: [...APPLICATION_STATUSES], type: 'text', nullable: true })
  fromStatus: ApplicationStatus | null = null;

  @Enum({ items: [...APPLICATION_STATUSES], type: 'text', nullable: true })
  toStatus: ApplicationStatus | null = null;

  /** A reason or note shown with the entry. */
  @Property({ type: 'text', nullable: true })
  note: string | null = null;

  /** Fields that changed, `{field: [before, after]}`. */
  @Property({ type: 'jsonb', nullable: true })
  changes: Record<string, [unknown, unknown]> | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  at: Date = new Date();
}
