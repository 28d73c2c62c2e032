import { randomUUID } from 'node:crypto';
import { TEMPLATE_CODES, type MessageLanguage, type TemplateCode } from './templates.js';
import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export const MESSAGE_CHANNELS = ['EMAIL', 'SMS', 'PORTAL'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

export const MESSAGE_STATUSES = ['PENDING', 'SENT', 'FAILED'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * The outbox: every notification is written here in the transaction that causes it, then
 * delivered by a transport (EMAIL over SMTP, SMS through a provider adapter, PORTAL into the
 * citizen's message area, found by the recipient's codice fiscale hash).
 */
@Entity({ tableName: 'message' })
export class Message {
  [OptionalProps]?: 'status' | 'attempts' | 'createdAt' | 'nextAttemptAt' | 'language';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  comuneId!: string;

  @Property({ type: 'uuid', nullable: true })
  applicationId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  campaignId: string | null = null;

  /** Template code: APPLICATION_RECEIVED, INTEGRATION_REQUESTED, DECISION, INVITATION… (checked by the database). */
  @Enum({ items: [...TEMPLATE_CODES], type: 'text' })
  template!: TemplateCode;

  @Enum({ items: [...MESSAGE_CHANNELS], type: 'text' })
  channel!: MessageChannel;

  /** EMAIL: an address; SMS: an E.164 number; PORTAL: the recipient's codice fiscale hash. */
  @Property({ type: 'text' })
  recipient!: string;

  @Property({ type: 'text' })
  subject!: string;

  /** In one language: `language` (older messages: Italian first, then English). */
  @Property({ type: 'text' })
  body!: string;

  /** The language of the subject and body: the recipient's (`it` or `en`). */
  @Property({ type: 'text', default: 'it' })
  language: MessageLanguage = 'it';

  @Enum({ items: [...MESSAGE_STATUSES], type: 'text' })
  status: MessageStatus = 'PENDING';

  @Property({ type: 'int' })
  attempts: number = 0;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  nextAttemptAt: Date = new Date();

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  /** Makes an enqueue idempotent: a second message with the same key is not written. */
  @Property({ type: 'text', nullable: true })
  dedupeKey: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
