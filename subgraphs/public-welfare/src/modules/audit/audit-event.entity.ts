import { BigIntType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The append-only, hash-chained log of sensitive reads and writes. Rows are inserted with plain
 * SQL; a database trigger sets `prevHash` and `hash` = sha256(prevHash | content) under a lock,
 * and refuses UPDATE, DELETE and TRUNCATE (migration `audit_append_only`).
 */
@Entity({ tableName: 'audit_event' })
@Index({ name: 'audit_event_comune_index', properties: ['comuneId', 'seq'] })
export class AuditEvent {
  /** Position in the chain. */
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  seq!: number;

  @Property({ type: 'uuid' })
  comuneId!: string;

  /** Who: `person:<id>`, `service:<name>` or `system`. */
  @Property({ type: 'text' })
  actor!: string;

  /** What, e.g. `READ_INCOME`. */
  @Property({ type: 'text' })
  action!: string;

  /** On what, e.g. `household:<id>`. */
  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  at!: Date;

  @Property({ type: 'text' })
  prevHash!: string;

  @Property({ type: 'text' })
  hash!: string;
}
