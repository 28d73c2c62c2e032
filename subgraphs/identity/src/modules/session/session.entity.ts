import { randomUUID } from 'node:crypto';
import {
  Entity,
  Enum,
  Index,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
} from '@mikro-orm/core';
import { Person } from '../person/person.entity.js';

export const SESSION_METHODS = ['PASSWORD', 'OIDC', 'INVITATION'] as const;
export type SessionMethod = (typeof SESSION_METHODS)[number];

/** A login session. The token is shown once; only its SHA-256 is kept. */
@Entity({ tableName: 'session' })
@Index({ name: 'session_person_index', properties: ['person'] })
export class Session {
  [OptionalProps]?: 'createdAt' | 'revokedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text', unique: 'session_token_hash_unique' })
  tokenHash!: string;

  @ManyToOne(() => Person, { deleteRule: 'cascade' })
  person!: Person;

  @Enum({ items: [...SESSION_METHODS], type: 'text' })
  method!: SessionMethod;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}
