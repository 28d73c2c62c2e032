import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '@welfare/kit';
import {
  OutboxDispatcher,
  PortalTransport,
  UnconfiguredTransport,
  type DispatcherSettings,
} from '@welfare/kit/outbox';
import { NOTIFICATION_OUTBOX } from './notification.service.js';

/**
 * The dispatcher of third-sector's outbox (the kit's): notifications are PORTAL messages (the
 * subgraph knows no addresses or numbers), SENT by the dispatcher once committed, each once
 * however many processes dispatch. A row of another channel would FAIL, visibly.
 */
export function notificationDispatcher(
  orm: MikroORM,
  settings: DispatcherSettings,
  logger: Logger,
): OutboxDispatcher {
  return new OutboxDispatcher(
    orm,
    NOTIFICATION_OUTBOX,
    {
      EMAIL: new UnconfiguredTransport('EMAIL'),
      SMS: new UnconfiguredTransport('SMS'),
      PORTAL: new PortalTransport(),
    },
    settings,
    logger,
  );
}
