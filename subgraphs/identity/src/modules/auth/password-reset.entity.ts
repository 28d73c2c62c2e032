import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Person } from '../person/person.entity.js';

/**
 * A one-time password recovery link; only the token's SHA-256 is kept. Spent once (`usedAt`),
 * expired after PASSWORD_RESET_TTL_MINUTES, retired (`usedAt`) when a newer one is issued or the
 * password changes.
 */
@Entity({ tableName: 'password_reset' })
@Index({ name: 'password_reset_person_index', properties: ['person'] })
export class PasswordReset {
  [OptionalProps]?: 'createdAt' | 'usedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text', unique: 'password_reset_token_hash_unique' })
  tokenHash!: string;

  @ManyToOne(() => Person, { deleteRule: 'cascade' })
  person!: Person;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
