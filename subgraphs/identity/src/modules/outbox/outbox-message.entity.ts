import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

const OUTBOX_STATUSES = ['PENDING', 'SENT', 'FAILED'] as const;
type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Identity's e-mail outbox: written in the transaction that causes the e-mail (a password
 * recovery link), delivered by the dispatcher. The body is the rendered message, so it holds the
 * recovery link while the row is PENDING: it is emptied once the message is delivered over SMTP
 * or FAILED (the embedded run, which delivers nothing, keeps it: the row is the message).
 */
@Entity({ tableName: 'outbox_message' })
@Index({ name: 'outbox_message_due_index', properties: ['status', 'nextAttemptAt'] })
export class OutboxMessage {
  [OptionalProps]?: 'status' | 'attempts' | 'createdAt' | 'nextAttemptAt' | 'lastError' | 'sentAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** PASSWORD_RESET. */
  @Property({ type: 'text' })
  template!: string;

  /** An e-mail address. */
  @Property({ type: 'text' })
  recipient!: string;

  @Property({ type: 'text' })
  subject!: string;

  /** Italian first, then English; emptied after delivery. */
  @Property({ type: 'text' })
  body!: string;

  @Enum({ items: [...OUTBOX_STATUSES], type: 'text' })
  status: OutboxStatus = 'PENDING';

  @Property({ type: 'int' })
  attempts: number = 0;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  nextAttemptAt: Date = new Date();

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
