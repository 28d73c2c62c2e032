import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A person: staff (email and password), citizen (SPID/CIE, found by codice fiscale) or both.
 * The codice fiscale is never stored in clear: a keyed hash for lookups and a ciphertext.
 */
@Entity({ tableName: 'person' })
export class Person {
  [OptionalProps]?: 'platformAdmin' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  givenName!: string;

  @Property({ type: 'text' })
  familyName!: string;

  /** Lower case; unique when present. */
  @Property({ type: 'text', nullable: true, unique: 'person_email_unique' })
  email: string | null = null;

  /** E.164. */
  @Property({ type: 'text', nullable: true })
  phone: string | null = null;

  /** HMAC-SHA256 of the codice fiscale (keyed with PII_KEY), hex; unique when present. */
  @Property({ type: 'text', nullable: true, unique: 'person_fiscal_code_hash_unique' })
  fiscalCodeHash: string | null = null;

  /** AES-256-GCM ciphertext of the codice fiscale. */
  @Property({ type: 'text', nullable: true })
  fiscalCodeCipher: string | null = null;

  /** Argon2id hash (PHC string); null for citizens and invitees who have not accepted. */
  @Property({ type: 'text', nullable: true })
  passwordHash: string | null = null;

  @Property({ type: 'boolean', default: false })
  platformAdmin: boolean = false;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
