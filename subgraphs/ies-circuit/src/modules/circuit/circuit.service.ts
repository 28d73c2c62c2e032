import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { COMUNE_STAFF_ROLES, isUuid } from '@welfare/kit/access';
import { DomainError } from '@welfare/kit/errors';
import type { Circuit } from './circuit.entity.js';
import type { CircuitRepository } from './circuit.repository.js';

const NO_CIRCUIT = { it: 'Circuito IES non trovato.', en: 'IES circuit not found.' };

/** The circuits: public reads, and the circuits the caller manages. */
export class CircuitService {
  constructor(readonly circuits: CircuitRepository) {}

  list(em: EntityManager): Promise<Circuit[]> {
    return this.circuits.list(em);
  }

  /** A circuit by its public code: NOT_FOUND when there is none. */
  async byCode(em: EntityManager, code: string): Promise<Circuit> {
    const circuit = /^[a-z0-9-]{1,40}$/.test(code) ? await this.circuits.byCode(em, code) : null;
    if (!circuit) throw DomainError.notFound(NO_CIRCUIT);
    return circuit;
  }

  /** A circuit by id: NOT_FOUND when there is none (or the id is malformed). */
  async byId(em: EntityManager, id: string): Promise<Circuit> {
    const circuit = isUuid(id) ? await this.circuits.byId(em, id) : null;
    if (!circuit) throw DomainError.notFound(NO_CIRCUIT);
    return circuit;
  }

  /** The circuits whose manager organisation the caller works for (Comune staff roles). */
  managed(em: EntityManager, caller: Caller): Promise<Circuit[]> {
    if (caller.kind !== 'person') return Promise.resolve([]);
    const orgs = caller.memberships
      .filter((m) => (COMUNE_STAFF_ROLES as readonly string[]).includes(m.role))
      .map((m) => m.organisationId);
    return this.circuits.managedBy(em, orgs);
  }
}
