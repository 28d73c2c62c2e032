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
