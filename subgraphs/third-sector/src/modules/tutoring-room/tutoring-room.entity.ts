import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** A place where lessons happen (e.g. a library room), owned by a provider. */
@Entity({ tableName: 'tutoring_room' })
export class TutoringRoom {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  providerId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  address!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** A weekly availability window of a room, in Rome's local time, optionally between two dates. */
@Entity({ tableName: 'tutoring_room_window' })
export class TutoringRoomWindow {
  [OptionalProps]?: 'validFrom' | 'validUntil';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  roomId!: string;

  /** ISO weekday: 1 Monday … 7 Sunday. */
  @Property({ type: 'smallint' })
  weekday!: number;

  /** `HH:MM` (or `HH:MM:SS` as PostgreSQL returns it). */
  @Property({ type: 'time' })
  startsAt!: string;

  @Property({ type: 'time' })
  endsAt!: string;

  @Property({ type: 'date', nullable: true })
  validFrom: string | null = null;

  @Property({ type: 'date', nullable: true })
  validUntil: string | null = null;
}
