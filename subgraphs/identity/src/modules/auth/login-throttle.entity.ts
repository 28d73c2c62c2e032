import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Failed staff logins per email, in a fixed 15-minute window that starts at the first failure.
 * Updated only with one atomic `insert ... on conflict do update ... returning` statement.
 * The email is kept as a keyed hash.
 */
@Entity({ tableName: 'login_throttle' })
export class LoginThrottle {
  @PrimaryKey({ type: 'text' })
  emailHash!: string;

  @Property({ type: 'timestamptz' })
  windowStart!: Date;

  @Property({ type: 'integer' })
  failures!: number;
}
