import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import {
  ACCREDITATION_EVENT_KINDS,
  ACCREDITATION_STATUSES,
  type AccreditationEventKind,
  type AccreditationStatus,
} from './accreditation.enums.js';

/**
 * One entry of a request's history: who, in which role, when, from which status to which, why.
 * Append-only: the database refuses UPDATE, DELETE and TRUNCATE.
 */
@Entity({ tableName: 'accreditation_event' })
export class AccreditationEvent {
  [OptionalProps]?: 'at' | 'id' | 'fromStatus' | 'toStatus' | 'reason';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid', index: true })
  requestId!: string;

  @Property({ type: 'uuid' })
  providerId!: string;

  @Property({ type: 'uuid' })
  comuneId!: string;

  @Enum({ items: [...ACCREDITATION_EVENT_KINDS], type: 'text' })
  kind!: AccreditationEventKind;

  /** `person:<uuid>` or `system`. */
  @Property({ type: 'text' })
  actor!: string;

  /** PROVIDER_ADMIN, OPERATOR, MANAGER, PLATFORM_ADMIN or SYSTEM. */
  @Property({ type: 'text' })
  actorRole!: string;

  @Enum({ items: [...ACCREDITATION_STATUSES], type: 'text', nullable: true })
  fromStatus: AccreditationStatus | null = null;

  @Enum({ items: [...ACCREDITATION_STATUSES], type: 'text', nullable: true })
  toStatus: AccreditationStatus | null = null;

  /** The reason or note shown with the entry. */
  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  at: Date = new Date();
}
