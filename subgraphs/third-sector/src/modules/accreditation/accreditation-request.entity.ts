import { randomUUID } from 'node:crypto';
import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { ACCREDITATION_STATUSES, type AccreditationStatus } from './accreditation.enums.js';

/**
 * A provider's request for accreditation to a Comune, and (once ACCREDITED) the accreditation
 * itself. One pending request and one standing accreditation per provider and Comune at most
 * (partial unique indexes).
 */
@Entity({ tableName: 'accreditation_request' })
export class AccreditationRequest {
  [OptionalProps]?:
    | 'status'
    | 'createdAt'
    | 'updatedAt'
    | 'version'
    | 'renewalOf'
    | 'integrationReason'
    | 'decisionReason'
    | 'validUntil'
    | 'submittedAt'
    | 'decidedAt'
    | 'decidedBy'
    | 'suspensionReason'
    | 'suspendedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The provider (identity Organisation of kind COOPERATIVE or ASSOCIATION). */
  @Property({ type: 'uuid' })
  providerId!: string;

  /** The Comune asked (identity Organisation of kind COMUNE). */
  @Property({ type: 'uuid' })
  comuneId!: string;

  @Enum({ items: [...ACCREDITATION_STATUSES], type: 'text' })
  status: AccreditationStatus = 'DRAFT';

  /** The accreditation this request renews, if it is a renewal. */
  @Property({ type: 'uuid', nullable: true })
  renewalOf: string | null = null;

  /** What the Comune asked to integrate (the last request for integration). */
  @Property({ type: 'text', nullable: true })
  integrationReason: string | null = null;

  /** The reason of the decision (ACCREDITED or REJECTED). */
  @Property({ type: 'text', nullable: true })
  decisionReason: string | null = null;

  /** Last day of validity (Europe/Rome), for an accreditation. */
  @Property({ type: 'date', nullable: true })
  validUntil: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  submittedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  decidedBy: string | null = null;

  /** Why the Comune suspended the accreditation (while SUSPENDED). */
  @Property({ type: 'text', nullable: true })
  suspensionReason: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  suspendedAt: Date | null = null;

  @Property({ type: 'uuid' })
  createdBy!: string;

  /** Bumped by every change of status (optimistic checks in conditional updates). */
  @Property({ type: 'int' })
  version: number = 1;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
