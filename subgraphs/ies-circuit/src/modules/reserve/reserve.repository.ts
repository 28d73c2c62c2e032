import type { EntityManager } from '@mikro-orm/postgresql';
import { FeeUse, ReserveReceipt } from './reserve.entity.js';

/** Reads of the euro received and of the fee uses. */
export class ReserveRepository {
  receiptByKey(em: EntityManager, circuitId: string, clientKey: string) {
    return em.findOne(ReserveReceipt, { circuitId, clientKey });
  }

  /** A circuit's euro received, newest first. */
  receipts(em: EntityManager, circuitId: string, limit = 100): Promise<ReserveReceipt[]> {
    return em.find(ReserveReceipt, { circuitId }, { orderBy: { createdAt: 'desc' }, limit });
  }

  feeUseByKey(em: EntityManager, circuitId: string, clientKey: string) {
    return em.findOne(FeeUse, { circuitId, clientKey });
  }

  /** A circuit's fee uses, newest first. */
  feeUses(em: EntityManager, circuitId: string, limit = 100): Promise<FeeUse[]> {
    return em.find(FeeUse, { circuitId }, { orderBy: { createdAt: 'desc' }, limit });
  }
}
