import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** The kinds of member of a circuit. */
export const MEMBER_KINDS = [
  'CITIZEN',
  'BUSINESS',
  'ASSOCIATION',
  'COOPERATIVE',
  'COMUNE',
] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];

/** A citizen joins at once; an organisation waits for the manager's decision. */
export const MEMBER_STATUSES = ['PENDING', 'ACTIVE', 'REJECTED', 'SUSPENDED'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/**
 * A member of one circuit: a citizen (an identity Person, found by the codice fiscale of their
 * SPID/CIE login) or an organisation (an identity Organisation: a business, an association, a
 * cooperative, the Comune). Its wallet is the book account `circuit:<c>:member:<m>`.
 */
@Entity({ tableName: 'member' })
export class Member {
  [OptionalProps]?:
    | 'personId'
    | 'fiscalCode'
    | 'organisationId'
    | 'vatNumber'
    | 'address'
    | 'iban'
    | 'categories'
    | 'acceptsIes'
    | 'decidedBy'
    | 'decidedAt'
    | 'decisionReason'
    | 'displayNameFolded'
    | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  circuitId!: string;

  @Property({ type: 'text' })
  kind!: MemberKind;

  /** A citizen: the identity Person. */
  @Property({ type: 'uuid', nullable: true })
  personId?: string | null = null;

  /** A citizen: the codice fiscale of their SPID/CIE login (16 characters, upper case). */
  @Property({ type: 'text', nullable: true })
  fiscalCode?: string | null = null;

  /** An organisation: the identity Organisation, the member's tenant. */
  @Property({ type: 'uuid', nullable: true })
  organisationId?: string | null = null;

  /** The name shown to payers and on the manager's list. */
  @Property({ type: 'text' })
  displayName!: string;

  /**
   * The display name folded for searching (`ies_circuit.fold_name`: lower case, no accents nor
   * apostrophes), computed by the database; indexed per circuit.
   */
  @Property({ type: 'text', generated: '(ies_circuit.fold_name(display_name)) stored' })
  displayNameFolded!: string;

  @Property({ type: 'text' })
  status!: MemberStatus;

  /** A business: its partita IVA (11 digits). */
  @Property({ type: 'text', nullable: true })
  vatNumber?: string | null = null;

  /** A business: where it trades. */
  @Property({ type: 'text', nullable: true })
  address?: string | null = null;

  /** An organisation: where its conversions to euro are paid (SEPA). */
  @Property({ type: 'text', nullable: true })
  iban?: string | null = null;

  /** A business: what it sells, in the catalogue's categories or the circuit's own words. */
  @Property({ type: 'text[]' })
  categories: string[] = [];

  /** An organisation takes IES at its till and for its offers. */
  @Property({ type: 'boolean' })
  acceptsIes = false;

  @Property({ type: 'uuid', nullable: true })
  decidedBy?: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  decidedAt?: Date | null = null;

  /** Why a membership was rejected or suspended. */
  @Property({ type: 'text', nullable: true })
  decisionReason?: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
