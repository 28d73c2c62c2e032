import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { isUuid } from '@welfare/kit/access';
import { DomainError } from '@welfare/kit/errors';
import type { Circuit } from '../circuit/circuit.entity.js';
import { openWallet } from '../ledger/ledger.js';
import { requireCitizen, requireOrganisationRole } from '../shared/access.js';
import type { Member } from './member.entity.js';
import type { MemberRepository } from './member.repository.js';

const NOT_A_MEMBER = {
  it: 'Non sei socio attivo di questo circuito IES.',
  en: 'You are not an active member of this IES circuit.',
};

/** A member and its wallet's account id. */
export interface MemberWallet {
  member: Member;
  walletId: string;
}

/**
 * Who the caller is in a circuit: every money module starts here. A citizen is found by the codice
 * fiscale of their SPID/CIE login; an organisation by the caller's role in it. Only ACTIVE members
 * move money; anyone else is FORBIDDEN.
 */
export class MemberLookup {
  /** Wallet account ids by member id: an id never changes once the wallet is opened. */
  private readonly walletIds = new Map<string, string>();

  constructor(readonly members: MemberRepository) {}

  /**
   * The member's wallet account id, opened on first use, then remembered (no round trip). Only an
   * id read outside a transaction is remembered: one opened in a transaction that rolls back must
   * not be.
   */
  async walletId(
    em: EntityManager,
    member: { id: string; circuitId: string; kind: string },
  ): Promise<string> {
    const known = this.walletIds.get(member.id);
    if (known) return known;
    const id = await openWallet(em, member);
    if (!em.isInTransaction()) this.walletIds.set(member.id, id);
    return id;
  }

  /** The calling citizen's ACTIVE membership of the circuit, with its wallet. */
  async citizen(em: EntityManager, caller: Caller, circuit: Circuit): Promise<MemberWallet> {
    const person = requireCitizen(caller);
    const member = await this.members.citizenIn(em, circuit.id, person.fiscalCode);
    if (!member || member.status !== 'ACTIVE') throw DomainError.forbidden(NOT_A_MEMBER);
    return { member, walletId: await this.walletId(em, member) };
  }

  /**
   * The organisation's ACTIVE membership of the circuit, with its wallet, when the caller acts for
   * it (`roles`, default: any role of a member organisation).
   */
  async organisation(
    em: EntityManager,
    caller: Caller,
    circuit: Circuit,
    organisationId: string,
    roles?: readonly string[],
  ): Promise<MemberWallet> {
    requireOrganisationRole(caller, organisationId, roles);
    const member = await this.members.organisationIn(em, circuit.id, organisationId);
    if (!member || member.status !== 'ACTIVE') throw DomainError.forbidden(NOT_A_MEMBER);
    return { member, walletId: await this.walletId(em, member) };
  }

  /**
   * The member the caller acts as: the organisation when `organisationId` is given, the citizen
   * otherwise.
   */
  acting(
    em: EntityManager,
    caller: Caller,
    circuit: Circuit,
    organisationId?: string | null,
  ): Promise<MemberWallet> {
    return organisationId
      ? this.organisation(em, caller, circuit, organisationId)
      : this.citizen(em, caller, circuit);
  }

  /** Any member of the circuit by id (ACTIVE or not), with its wallet: NOT_FOUND otherwise. */
  async byId(em: EntityManager, circuit: Circuit, memberId: string): Promise<MemberWallet> {
    const member = isUuid(memberId) ? await this.members.byId(em, memberId) : null;
    if (!member || member.circuitId !== circuit.id) {
      throw DomainError.notFound({ it: 'Socio non trovato.', en: 'Member not found.' });
    }
    return { member, walletId: await this.walletId(em, member) };
  }
}
