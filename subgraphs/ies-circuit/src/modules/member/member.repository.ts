import type { EntityManager } from '@mikro-orm/postgresql';
import { Member } from './member.entity.js';

/** Reads of members. */
export class MemberRepository {
  byId(em: EntityManager, id: string): Promise<Member | null> {
    return em.findOne(Member, { id });
  }

  /** A citizen's memberships (every circuit), by the codice fiscale of their login. */
  byFiscalCode(em: EntityManager, fiscalCode: string): Promise<Member[]> {
    return em.find(Member, { fiscalCode }, { orderBy: { createdAt: 'asc' } });
  }

  /** An organisation's memberships (every circuit). */
  byOrganisation(em: EntityManager, organisationId: string): Promise<Member[]> {
    return em.find(Member, { organisationId }, { orderBy: { createdAt: 'asc' } });
  }

  /** The citizen's membership of one circuit. */
  citizenIn(em: EntityManager, circuitId: string, fiscalCode: string): Promise<Member | null> {
    return em.findOne(Member, { circuitId, fiscalCode });
  }

  /** The organisation's membership of one circuit. */
  organisationIn(
    em: EntityManager,
    circuitId: string,
    organisationId: string,
  ): Promise<Member | null> {
    return em.findOne(Member, { circuitId, organisationId });
  }
}
