import { randomUUID } from 'node:crypto';
import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { PROGRAMME_STATUSES, type ProgrammeStatus } from './tutoring-programme.enums.js';

/**
 * A tutoring programme: funded by a Comune with a budget of hours (in minutes), run by an
 * accredited provider. `plannedMinutes` is the budget reserved by planned lessons (a CHECK keeps
 * it within the budget).
 */
@Entity({ tableName: 'tutoring_programme' })
export class TutoringProgramme {
  [OptionalProps]?:
    | 'plannedMinutes'
    | 'hourlyTariffCents'
    | 'groupSizeLimit'
    | 'cancellationNoticeHours'
    | 'status'
    | 'version'
    | 'createdAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The funding Comune. */
  @Property({ type: 'uuid' })
  comuneId!: string;

  /** The provider running it (COOPERATIVE or ASSOCIATION). */
  @Property({ type: 'uuid' })
  providerId!: string;

  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'text' })
  description!: string;

  @Property({ type: 'date' })
  startsOn!: string;

  @Property({ type: 'date' })
  endsOn!: string;

  @Property({ type: 'int' })
  budgetMinutes!: number;

  @Property({ type: 'int' })
  plannedMinutes: number = 0;

  /**
   * What the Comune pays the provider per hour of tutor time delivered (a lesson held: at least one
   * pupil PRESENT), in euro cents; null until the Comune sets it (its delivered hours wait, unpaid).
   */
  @Property({ type: 'int', nullable: true })
  hourlyTariffCents: number | null = null;

  @Property({ type: 'int' })
  groupSizeLimit: number = 3;

  @Property({ type: 'int' })
  cancellationNoticeHours: number = 24;

  @Enum({ items: [...PROGRAMME_STATUSES], type: 'text' })
  status: ProgrammeStatus = 'OPEN';

  @Property({ type: 'uuid' })
  createdBy!: string;

  @Property({ type: 'int' })
  version: number = 1;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
