import { randomUUID } from 'node:crypto';
import {
  Entity,
  Enum,
  Index,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  Unique,
} from '@mikro-orm/core';
import { ROLES, type Role } from '@welfare/kit';
import { Organisation } from '../organisation/organisation.entity.js';
import { Person } from '../person/person.entity.js';
import { MEMBERSHIP_STATUSES, type MembershipStatus } from '../shared/enums.js';

/** A person's role in an organisation: INVITED until accepted, then ACTIVE. */
@Entity({ tableName: 'membership' })
@Unique({
  name: 'membership_person_organisation_role_unique',
  properties: ['person', 'organisation', 'role'],
})
@Index({ name: 'membership_organisation_index', properties: ['organisation'] })
export class Membership {
  [OptionalProps]?: 'createdAt' | 'activatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Person, { deleteRule: 'cascade' })
  person!: Person;

  @ManyToOne(() => Organisation, { deleteRule: 'cascade' })
  organisation!: Organisation;

  @Enum({ items: [...ROLES], type: 'text' })
  role!: Role;

  @Enum({ items: [...MEMBERSHIP_STATUSES], type: 'text' })
  status!: MembershipStatus;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  activatedAt: Date | null = null;
}
