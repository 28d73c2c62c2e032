import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Circuit } from './circuit.entity.js';

/** Reads of circuits. */
export class CircuitRepository {
  /** Every circuit, by name. */
  list(em: EntityManager): Promise<Circuit[]> {
    return em.find(Circuit, {}, { orderBy: { name: 'asc' } });
  }

  byId(em: EntityManager, id: string): Promise<Circuit | null> {
    return em.findOne(Circuit, { id });
  }

  /** A circuit, locked for a change of its rules (inside the caller's transaction). */
  lockById(tx: EntityManager, id: string): Promise<Circuit | null> {
    return tx.findOne(Circuit, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  byCode(em: EntityManager, code: string): Promise<Circuit | null> {
    return em.findOne(Circuit, { code });
  }

  /** The circuits an organisation manages. */
  managedBy(em: EntityManager, organisationIds: readonly string[]): Promise<Circuit[]> {
    if (organisationIds.length === 0) return Promise.resolve([]);
    return em.find(
      Circuit,
      { managerId: { $in: [...organisationIds] } },
      { orderBy: { name: 'asc' } },
    );
  }
}
