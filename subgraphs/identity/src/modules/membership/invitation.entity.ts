import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Person } from '../person/person.entity.js';
import { Membership } from './membership.entity.js';

/** A one-time invitation to accept a membership; only the token's SHA-256 is kept. */
@Entity({ tableName: 'invitation' })
export class Invitation {
  [OptionalProps]?: 'createdAt' | 'usedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text', unique: 'invitation_token_hash_unique' })
  tokenHash!: string;

  @ManyToOne(() => Membership, { deleteRule: 'cascade' })
  membership!: Membership;

  @ManyToOne(() => Person, { nullable: true, deleteRule: 'set null' })
  invitedBy: Person | null = null;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
