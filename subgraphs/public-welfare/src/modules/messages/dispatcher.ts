import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '@welfare/kit';
import { OutboxDispatcher, type DispatcherSettings } from '@welfare/kit/outbox';
import type { MessageChannel } from './message.entity.js';
import type { MessageTransport } from './transports.js';

// The dispatcher's loop (claim, lease, retry, backoff) is the kit's outbox; this binds it to
// public-welfare's `message` table.
export { backoffDelay, safeErrorText, type DispatcherSettings } from '@welfare/kit/outbox';

/** Delivers public-welfare's outbox (`public_welfare.message`): the kit's `OutboxDispatcher`. */
export class MessageDispatcher extends OutboxDispatcher {
  constructor(
    orm: MikroORM,
    transports: Record<MessageChannel, MessageTransport>,
    settings: DispatcherSettings,
    logger: Logger,
    /** Never written to `last_error` or the logs (SMTP password, SMS API key). */
    secrets: readonly string[] = [],
  ) {
    super(
      orm,
      { schema: 'public_welfare', table: 'message' },
      transports,
      settings,
      logger,
      secrets,
    );
  }
}
