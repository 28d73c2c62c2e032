import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * An employee enrolled by an employer: a citizen (found by codice fiscale when they log in with
 * SPID/CIE), in one category of the employer's plans, from a start date to an end date (a leaver).
 */
@Entity({ tableName: 'employee' })
export class Employee {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'dependentChildren';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The employer (identity Organisation id): the employee's tenant. */
  @Property({ type: 'uuid' })
  employerId!: string;

  /** The codice fiscale (16 characters, upper case): unique per employer. */
  @Property({ type: 'text' })
  fiscalCode!: string;

  @Property({ type: 'text' })
  givenName!: string;

  @Property({ type: 'text' })
  familyName!: string;

  /** Where the invitation goes. */
  @Property({ type: 'text', nullable: true })
  email?: string | null;

  /** The category (a plan category's code) the employee belongs to. */
  @Property({ type: 'text' })
  categoryCode!: string;

  @Property({ type: 'date' })
  startDate!: string;

  /** The last day of employment (a leaver), if any. */
  @Property({ type: 'date', nullable: true })
  endDate?: string | null;

  /** Fiscally dependent children, as declared (they raise the fringe-benefit cap). */
  @Property({ type: 'smallint' })
  dependentChildren = 0;

  /** The identity Person, once the employee logged in with the same codice fiscale. */
  @Property({ type: 'uuid', nullable: true })
  personId?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  invitedAt?: Date | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
