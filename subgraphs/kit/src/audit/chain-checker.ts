import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.js';
import { PollingLoop } from '../polling.js';
import type { AuditLog } from './audit-log.js';

/**
 * The scheduled verification of a subgraph's audit chain: every `intervalMs` it recomputes the
 * whole chain and stores the result (`audit_chain_check`), which the `<prefix>AuditChain` query
 * shows the platform admins; a broken link is also logged as an error. Safe in several
 * processes at once (each stores the same verdict).
 */
export function auditChainChecker(
  orm: MikroORM,
  log: AuditLog,
  intervalMs: number,
  logger: Pick<Logger, 'error'>,
): PollingLoop {
  return new PollingLoop(
    async () => {
      const status = await log.checkAndStore(orm.em.fork());
      if (status.brokenAt !== null) {
        logger.error(
          { brokenAt: status.brokenAt, rows: status.rows, schema: log.options.schema },
          'audit: the hash chain is broken',
        );
      }
      return { nextPassInMs: intervalMs };
    },
    intervalMs,
    (err) => logger.error({ err }, 'audit: the chain verification failed'),
  );
}
