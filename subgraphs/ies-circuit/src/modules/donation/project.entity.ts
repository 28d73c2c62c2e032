import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** A project collects donations while OPEN; CLOSED, its IES went to the organisation's wallet. */
export const PROJECT_STATUSES = ['OPEN', 'CLOSED'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/**
 * A fundraising project of a third-sector member (an association or a cooperative) of a circuit:
 * members donate IES to it (its book account `circuit:<c>:project:<p>`) until its end date or
 * until the organisation closes it; closing moves the IES raised to the organisation's wallet.
 * The circuit's staff may hide it (with a reason): then it is off the public pages and takes no
 * donations.
 */
@Entity({ tableName: 'project' })
export class Project {
  [OptionalProps]?:
    | 'status'
    | 'hiddenReason'
    | 'hiddenBy'
    | 'hiddenAt'
    | 'closedBy'
    | 'closedAt'
    | 'paidOutCents'
    | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  circuitId!: string;

  /** The organisation's membership of the circuit (its wallet receives the IES at closing). */
  @Property({ type: 'uuid' })
  memberId!: string;

  /** The identity Organisation: the project's tenant. */
  @Property({ type: 'uuid' })
  organisationId!: string;

  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'text' })
  description!: string;

  /** The goal, in cents of IES. */
  @Property({ type: 'integer' })
  targetCents!: number;

  /** The last day (Italian) donations are taken. */
  @Property({ type: 'date' })
  endsOn!: string;

  @Property({ type: 'text' })
  status: ProjectStatus = 'OPEN';

  @Property({ type: 'text', nullable: true })
  hiddenReason?: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  hiddenBy?: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  hiddenAt?: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  closedBy?: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  closedAt?: Date | null = null;

  /** What moved to the organisation's wallet at closing (cents). */
  @Property({ type: 'integer', nullable: true })
  paidOutCents?: number | null = null;

  @Property({ type: 'uuid' })
  createdBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
