import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Failed staff logins per account and client address (login-throttle.ts). Changed only by one
 * atomic `insert ... on conflict do update ... returning` statement; a successful login deletes
 * the pair's row. The account is a keyed hash of the e-mail, the address a keyed hash of the IP.
 */
@Entity({ tableName: 'login_attempt' })
export class LoginAttempt {
  @PrimaryKey({ type: 'text' })
  accountKey!: string;

  @PrimaryKey({ type: 'text' })
  address!: string;

  /** Failures (and reservations under way) since the pair was last forgotten. */
  @Property({ type: 'integer' })
  failures!: number;

  /** No attempt of the pair is checked before this instant (the exponential wait). */
  @Property({ type: 'timestamptz', nullable: true })
  blockedUntil!: Date | null;

  @Property({ type: 'timestamptz' })
  lastFailureAt!: Date;

  /** Whether the last attempt was refused (read back by the statement that made it). */
  @Property({ type: 'boolean' })
  refused!: boolean;
}
