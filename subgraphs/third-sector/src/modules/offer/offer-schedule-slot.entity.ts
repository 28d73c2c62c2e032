import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A weekly slot of an offer's schedule: a weekday (1 Monday … 7 Sunday) and a time range. */
@Entity({ tableName: 'offer_schedule_slot' })
export class OfferScheduleSlot {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  offerId!: string;

  /** ISO weekday: 1 Monday … 7 Sunday. */
  @Property({ type: 'smallint' })
  weekday!: number;

  /** Start time `HH:MM` (local time, Europe/Rome). */
  @Property({ type: 'text' })
  startTime!: string;

  /** End time `HH:MM`, after the start. */
  @Property({ type: 'text' })
  endTime!: string;
}
