import { type FilterQuery, LockMode, raw } from '@mikro-orm/core';
import { isUuid } from '@welfare/kit/access';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Member, type MemberKind, type MemberStatus } from './member.entity.js';

/** The staff's filters of a circuit's members. */
export interface MemberFilter {
  status?: MemberStatus | null;
  kind?: MemberKind | null;
  /** Part of the display name (no case nor accents), the partita IVA's start or the member's code. */
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

  /**
   * A circuit's members by the staff's filters, by status, then by name (folded), then by id. The
   * search matches a part of the display name folded like the stored `display_name_folded`
   * (`fold_name`: no case, accents nor apostrophes; `%`, `_`, `\` escaped here), the start of the
   * partita IVA, or the member's code (its id, whole).
   */
  list(em: EntityManager, circuitId: string, filter: MemberFilter): Promise<Member[]> {
    return em.find(Member, memberWhere(circuitId, filter), {
      orderBy: [{ status: 'asc' }, { displayNameFolded: 'asc' }, { id: 'asc' }],
      limit: filter.limit,
      offset: filter.offset,
    });
  }

  /** How many members `list` finds in all by the same filters (one `count(*)`, no paging). */
  count(
    em: EntityManager,
    circuitId: string,
    filter: Omit<MemberFilter, 'limit' | 'offset'>,
  ): Promise<number> {
    return em.count(Member, memberWhere(circuitId, filter));
  }

  /** Members by id (counterparties of a statement). */
  byIds(em: EntityManager, ids: readonly string[]): Promise<Member[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return em.find(Member, { id: { $in: [...ids] } });
  }
}

/** The WHERE of `list` and `count`: the circuit, the filters, the search (see `list`). */
function memberWhere(
  circuitId: string,
  filter: Omit<MemberFilter, 'limit' | 'offset'>,
): FilterQuery<Member> {
  const search = filter.search;
  const escaped = search?.replace(/[\\%_]/g, (c) => `\\${c}`);
  const matches = search
    ? {
        $or: [
          {
            [raw(
              (alias) =>
                `(${alias}."display_name_folded" like '%' || ies_circuit.fold_name(?) || '%' escape '\\')`,
              [escaped],
            )]: true,
          },
          ...(/^[0-9]{1,11}$/.test(search) ? [{ vatNumber: { $like: `${search}%` } }] : []),
          ...(isUuid(search) ? [{ id: search.toLowerCase() }] : []),
        ],
      }
    : {};
  return {
    circuitId,
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...matches,
  };
}
