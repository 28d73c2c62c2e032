import type { MikroORM } from '@mikro-orm/postgresql';
import type { AuditSettings } from '../config.js';
import type { Logger } from '../logger.js';
import { PollingLoop } from '../polling.js';
import type { AuditLog } from './audit-log.js';

/**
 * The scheduled verification of a subgraph's audit chain: every `checkIntervalMs` it recomputes
 * the whole sealed chain, counts the rows left unsealed longer than `unsealedAlertMs`, and stores
 * the result (`audit_chain_check`), which the `<prefix>AuditChain` query shows the platform
 * admins; a broken link or a row left unsealed is also logged as an error. Safe in several
 * processes at once (each stores the same verdict).
 */
export function auditChainChecker(
  orm: MikroORM,
  log: AuditLog,
  settings: Pick<AuditSettings, 'checkIntervalMs' | 'unsealedAlertMs'>,
  logger: Pick<Logger, 'error'>,
): PollingLoop {
  return new PollingLoop(
    async () => {
      const status = await log.checkAndStore(orm.em.fork(), settings.unsealedAlertMs);
      if (status.brokenAt !== null) {
        logger.error(
          { brokenAt: status.brokenAt, rows: status.rows, schema: log.options.schema },
          'audit: the hash chain is broken',
        );
      }
      if (status.unsealedFrom !== null) {
        logger.error(
          {
            unsealedFrom: status.unsealedFrom,
            unsealedRows: status.unsealedRows,
            schema: log.options.schema,
          },
          'audit: rows left unsealed past the alert limit',
        );
      }
      return { nextPassInMs: settings.checkIntervalMs };
    },
    settings.checkIntervalMs,
    (err) => logger.error({ err }, 'audit: the chain verification failed'),
  );
}

/**
 * The sealer of a subgraph's audit log: every `sealIntervalMs` a pass of `AuditLog.seal` chains
 * the rows committed since (at once again after a full batch). Safe in several processes at once
 * (one seals, the others find the chain's lock taken and wait for the next pass).
 */
export function auditSealer(
  orm: MikroORM,
  log: AuditLog,
  settings: Pick<AuditSettings, 'sealIntervalMs' | 'sealGraceMs'>,
  logger: Pick<Logger, 'error'>,
): PollingLoop {
  return new PollingLoop(
    async () => {
      const pass = await log.seal(orm.em.fork(), settings.sealGraceMs);
      return { nextPassInMs: pass.more ? 0 : settings.sealIntervalMs };
    },
    settings.sealIntervalMs,
    (err) => logger.error({ err }, 'audit: a sealing pass failed'),
  );
}
