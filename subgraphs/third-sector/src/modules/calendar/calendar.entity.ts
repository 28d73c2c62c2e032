import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A Comune's patron saint day (one per Comune, set by its MANAGER): no offer of that Comune's
 * catalogue is booked on it.
 */
@Entity({ tableName: 'comune_patron_day' })
export class ComunePatronDay {
  [OptionalProps]?: 'updatedAt' | 'source';

  @PrimaryKey({ type: 'uuid' })
  comuneId!: string;

  /** 1 … 12. */
  @Property({ type: 'smallint' })
  month!: number;

  /** 1 … 31 (a valid day of that month; 29 February is refused). */
  @Property({ type: 'smallint' })
  day!: number;

  /** The saint (e.g. "San Gaetano"). */
  @Property({ type: 'text' })
  name!: string;

  /** Where the day comes from (the Comune's statute, a page), if given. */
  @Property({ type: 'text', nullable: true })
  source: string | null = null;

  @Property({ type: 'uuid' })
  setBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** Days a provider is closed (a range of days, inclusive, with a reason), set by its ADMIN. */
@Entity({ tableName: 'provider_closure' })
export class ProviderClosure {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  providerId!: string;

  /** First closed day, yyyy-mm-dd. */
  @Property({ type: 'date' })
  startsOn!: string;

  /** Last closed day, yyyy-mm-dd (the same as the first for one day). */
  @Property({ type: 'date' })
  endsOn!: string;

  /** Why (shown to citizens). */
  @Property({ type: 'text' })
  reason!: string;

  @Property({ type: 'uuid' })
  createdBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
