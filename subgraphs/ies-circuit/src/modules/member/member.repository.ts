import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Member, type MemberKind, type MemberStatus } from './member.entity.js';

/** The staff's filters of a circuit's members. */
export interface MemberFilter {
  status?: MemberStatus | null;
  kind?: MemberKind | null;
  /** Part of the display name (case-insensitive). */
  search?: string | null;
  limit: number;
  offset: number;
}

/** Reads of members. */
export class MemberRepository {
  byId(em: EntityManager, id: string): Promise<Member | null> {
    return em.findOne(Member, { id });
  }

  /** A member, locked for its decision (inside the caller's transaction). */
  lockById(tx: EntityManager, id: string): Promise<Member | null> {
    return tx.findOne(Member, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
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

  /** A circuit's members by the staff's filters, by status, then by name. */
  list(em: EntityManager, circuitId: string, filter: MemberFilter): Promise<Member[]> {
    const search = filter.search?.replace(/[\\%_]/g, (c) => `\\${c}`);
    return em.find(
      Member,
      {
        circuitId,
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.kind ? { kind: filter.kind } : {}),
        ...(search ? { displayName: { $ilike: `%${search}%` } } : {}),
      },
      {
        orderBy: [{ status: 'asc' }, { displayName: 'asc' }, { id: 'asc' }],
        limit: filter.limit,
        offset: filter.offset,
      },
    );
  }

  /** Members by id (counterparties of a statement). */
  byIds(em: EntityManager, ids: readonly string[]): Promise<Member[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return em.find(Member, { id: { $in: [...ids] } });
  }
}
