import { randomUUID } from 'node:crypto';
import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { ORGANISATION_KINDS, type OrganisationKind } from '@welfare/kit';

/** A Comune, cooperative, association, employer or merchant. */
@Entity({ tableName: 'organisation' })
export class Organisation {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Enum({ items: [...ORGANISATION_KINDS], type: 'text' })
  kind!: OrganisationKind;

  @Property({ type: 'text' })
  name!: string;

  /** Partita IVA or codice fiscale; unique. */
  @Property({ type: 'text', unique: 'organisation_tax_code_unique' })
  taxCode!: string;

  /** Electronic format. */
  @Property({ type: 'text', nullable: true })
  iban: string | null = null;

  @Property({ type: 'text', nullable: true })
  email: string | null = null;

  @Property({ type: 'text', nullable: true })
  city: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
