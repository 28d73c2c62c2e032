import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import { Conversion, type ConversionStatus } from './conversion.entity.js';

/** Reads of conversions. */
export class ConversionRepository {
  byId(em: EntityManager, id: string): Promise<Conversion | null> {
    return em.findOne(Conversion, { id });
  }

  /** The conversion's row, locked for its decision (in the caller's transaction). */
  lock(tx: EntityManager, id: string): Promise<Conversion | null> {
    return tx.findOne(Conversion, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  byKey(em: EntityManager, memberId: string, clientKey: string): Promise<Conversion | null> {
    return em.findOne(Conversion, { memberId, clientKey });
  }

  /** A circuit's conversions (of one status, when given), newest first. */
  ofCircuit(
    em: EntityManager,
    circuitId: string,
    status?: ConversionStatus | null,
  ): Promise<Conversion[]> {
    return em.find(
      Conversion,
      { circuitId, ...(status ? { status } : {}) },
      { orderBy: { createdAt: 'desc' }, limit: 200 },
    );
  }

  /** A member's conversions, newest first. */
  ofMember(em: EntityManager, memberId: string): Promise<Conversion[]> {
    return em.find(Conversion, { memberId }, { orderBy: { createdAt: 'desc' }, limit: 200 });
  }

  /** Conversions of a circuit by id (those of another circuit are left out). */
  some(em: EntityManager, circuitId: string, ids: readonly string[]): Promise<Conversion[]> {
    return em.find(
      Conversion,
      { circuitId, id: { $in: [...ids] } },
      { orderBy: { createdAt: 'asc' } },
    );
  }
}
