import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Fixed-window counters (rate-window.ts): failed logins per client address (password spraying),
 * recovery requests per address and per account. Changed only by one atomic statement.
 */
@Entity({ tableName: 'rate_window' })
export class RateWindow {
  /** `<purpose>:<key>`, the key a keyed hash. */
  @PrimaryKey({ type: 'text' })
  bucket!: string;

  @Property({ type: 'timestamptz' })
  windowStart!: Date;

  @Property({ type: 'integer' })
  hits!: number;

  /** Whether the last hit was refused (read back by the statement that made it). */
  @Property({ type: 'boolean' })
  refused!: boolean;
}
