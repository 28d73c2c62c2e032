import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { actorOf, isUuid, requirePerson } from '@welfare/kit/access';
import { DomainError, FieldErrors } from '@welfare/kit/errors';
import type { AuditService } from '../audit/audit.service.js';
import type { Circuit } from '../circuit/circuit.entity.js';
import type { CircuitService } from '../circuit/circuit.service.js';
import { openWallet } from '../ledger/ledger.js';
import {
  ORGANISATION_MEMBER_ROLES,
  requireCircuitStaff,
  requireCitizen,
  requireOrganisationRole,
} from '../shared/access.js';
import {
  Member,
  MEMBER_KINDS,
  MEMBER_STATUSES,
  type MemberKind,
  type MemberStatus,
} from './member.entity.js';
import type { MemberRepository } from './member.repository.js';
import {
  CONTROL,
  REQUEST_ROLES,
  checkMembershipRequest,
  checkReason,
  type MembershipRequestData,
} from './member.rules.js';

/** The staff's filters of the members list, as they arrive. */
export interface MemberListArgs {
  status?: string | null;
  kind?: string | null;
  search?: string | null;
  limit?: number | null;
  offset?: number | null;
}

/** What the staff decide on a membership. */
export type MemberDecision = 'ACCEPT' | 'REJECT' | 'SUSPEND';

const NO_MEMBER = { it: 'Socio non trovato.', en: 'Member not found.' };

/**
 * Joining the circuits and the manager's decisions. A citizen (SPID/CIE login) joins at once; an
 * organisation asks, with its details, and waits for the circuit's staff, who accept, reject or
 * suspend it (audited). Only ACTIVE members move money (see `MemberLookup`).
 */
export class MembershipService {
  constructor(
    private readonly members: MemberRepository,
    private readonly circuits: CircuitService,
    private readonly audit: AuditService,
  ) {}

  /**
   * The calling citizen joins the circuit: an ACTIVE membership with its wallet opened. Joining
   * again returns the same membership (whatever its status: a suspended citizen stays suspended).
   */
  async joinAsCitizen(
    em: EntityManager,
    caller: Caller,
    code: string,
    displayName?: string | null,
  ): Promise<Member> {
    const person = requireCitizen(caller);
    const name = (displayName ?? '').trim().replace(/\s+/g, ' ');
    if (name && (name.length > 120 || CONTROL.test(name))) {
      new FieldErrors()
        .add('displayName', 'Da 1 a 120 caratteri ammessi.', 'From 1 to 120 allowed characters.')
        .throwIfAny();
    }
    const circuit = await this.circuits.byCode(em, code);
    const existing = await this.members.citizenIn(em, circuit.id, person.fiscalCode);
    if (existing) return existing;
    return em.transactional(async (tx) => {
      // A concurrent join of the same citizen meets the unique index: the first one wins.
      await tx.execute(
        `insert into "ies_circuit"."member"
           (id, circuit_id, kind, person_id, fiscal_code, display_name, status)
         values (gen_random_uuid(), ?, 'CITIZEN', ?, ?, ?, 'ACTIVE')
         on conflict do nothing`,
        [circuit.id, person.personId, person.fiscalCode, name || 'Cittadino'],
      );
      const member = await this.members.citizenIn(tx, circuit.id, person.fiscalCode);
      if (!member) throw new Error('ies: the citizen’s membership was not written');
      await openWallet(tx, member);
      return member;
    });
  }

  /**
   * An organisation the caller speaks for (OWNER, ADMIN, MANAGER) asks to join: PENDING with its
   * details. A pending or rejected request is replaced by the new one; an ACTIVE or SUSPENDED
   * member cannot ask again (CONFLICT). Nothing is written on bad input.
   */
  async request(
    em: EntityManager,
    caller: Caller,
    code: string,
    organisationId: string,
    data: MembershipRequestData,
  ): Promise<Member> {
    const person = requireOrganisationRole(caller, organisationId, REQUEST_ROLES);
    const membership = person.memberships.find(
      (m) =>
        m.organisationId === organisationId &&
        (REQUEST_ROLES as readonly string[]).includes(m.role),
    )!;
    const circuit = await this.circuits.byCode(em, code);
    const valid = checkMembershipRequest(data, membership.organisationKind);
    return em.transactional(async (tx) => {
      let member = await this.members.organisationIn(tx, circuit.id, organisationId);
      if (member && (member.status === 'ACTIVE' || member.status === 'SUSPENDED')) {
        throw DomainError.conflict({
          it: 'La tua organizzazione è già socia di questo circuito.',
          en: 'Your organisation is already a member of this circuit.',
        });
      }
      if (!member) {
        member = tx.create(Member, {
          circuitId: circuit.id,
          organisationId,
          ...valid,
          status: 'PENDING',
        });
      } else {
        Object.assign(member, valid, {
          status: 'PENDING',
          decidedAt: null,
          decidedBy: null,
          decisionReason: null,
        });
      }
      await tx.flush();
      await this.audit.record(
        tx,
        actorOf(caller),
        circuit.managerId,
        'IES_MEMBERSHIP_REQUESTED',
        `ies-member:${member.id}`,
      );
      return member;
    });
  }

  /** The circuit's members for its staff (OPERATOR, MANAGER), by the filters. */
  async list(
    em: EntityManager,
    caller: Caller,
    circuitId: string,
    args: MemberListArgs,
  ): Promise<Member[]> {
    const { circuit, filter, errors } = await this.staffFilter(em, caller, circuitId, args);
    const limit = args.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
      errors.add('limit', 'Da 1 a 200.', 'From 1 to 200.');
    }
    const offset = args.offset ?? 0;
    if (!Number.isInteger(offset) || offset < 0) errors.add('offset', 'Almeno 0.', 'At least 0.');
    errors.throwIfAny();
    return this.members.list(em, circuit.id, { ...filter, limit, offset });
  }

  /**
   * How many members `list` finds by the same filters, for its staff: the same access and field
   * errors as `list` (paging aside), one `count(*)`.
   */
  async count(
    em: EntityManager,
    caller: Caller,
    circuitId: string,
    args: Omit<MemberListArgs, 'limit' | 'offset'>,
  ): Promise<number> {
    const { circuit, filter, errors } = await this.staffFilter(em, caller, circuitId, args);
    errors.throwIfAny();
    return this.members.count(em, circuit.id, filter);
  }

  /**
   * The circuit (its staff only) and the list's filters checked: the field errors are collected,
   * not thrown, so `list` adds its paging's.
   */
  private async staffFilter(
    em: EntityManager,
    caller: Caller,
    circuitId: string,
    args: Omit<MemberListArgs, 'limit' | 'offset'>,
  ) {
    requirePerson(caller);
    const circuit = await this.circuits.byId(em, circuitId);
    requireCircuitStaff(caller, circuit);
    const errors = new FieldErrors();
    if (args.status && !(MEMBER_STATUSES as readonly string[]).includes(args.status)) {
      errors.add('status', 'Stato non ammesso.', 'Status not allowed.');
    }
    if (args.kind && !(MEMBER_KINDS as readonly string[]).includes(args.kind)) {
      errors.add('kind', 'Tipo non ammesso.', 'Kind not allowed.');
    }
    const search = (args.search ?? '').trim();
    if (search.length > 100)
      errors.add('search', 'Al massimo 100 caratteri.', 'At most 100 characters.');
    const filter = {
      status: (args.status as MemberStatus | null) ?? null,
      kind: (args.kind as MemberKind | null) ?? null,
      search: search || null,
    };
    return { circuit, filter, errors };
  }

  /** One member of a circuit for its staff. */
  async forStaff(em: EntityManager, caller: Caller, memberId: string): Promise<Member> {
    requirePerson(caller);
    const member = isUuid(memberId) ? await this.members.byId(em, memberId) : null;
    if (!member) throw DomainError.notFound(NO_MEMBER);
    requireCircuitStaff(caller, await this.circuits.byId(em, member.circuitId));
    return member;
  }

  /**
   * The staff decide: ACCEPT a pending (or reinstate a suspended) member, REJECT a pending one,
   * SUSPEND an active one (a reason is required to reject or suspend). Audited. CONFLICT when the
   * member's status does not allow the decision.
   */
  async decide(
    em: EntityManager,
    caller: Caller,
    memberId: string,
    decision: MemberDecision,
    reason?: string | null,
  ): Promise<Member> {
    const person = requirePerson(caller);
    if (!isUuid(memberId)) throw DomainError.notFound(NO_MEMBER);
    const why = decision === 'ACCEPT' ? null : checkReason(reason);
    return em.transactional(async (tx) => {
      const member = await this.members.lockById(tx, memberId);
      if (!member) throw DomainError.notFound(NO_MEMBER);
      const circuit: Circuit = await this.circuits.byId(tx, member.circuitId);
      requireCircuitStaff(caller, circuit);
      const allowed: Record<MemberDecision, readonly MemberStatus[]> = {
        ACCEPT: ['PENDING', 'SUSPENDED'],
        REJECT: ['PENDING'],
        SUSPEND: ['ACTIVE'],
      };
      if (!allowed[decision].includes(member.status)) {
        throw DomainError.conflict({
          it: 'Lo stato del socio non consente questa decisione.',
          en: 'The member’s status does not allow this decision.',
        });
      }
      if (decision === 'ACCEPT' && member.kind === 'BUSINESS') {
        const errors = new FieldErrors();
        if (!member.vatNumber)
          errors.add('vatNumber', 'Partita IVA mancante.', 'Partita IVA missing.');
        if (!member.address) errors.add('address', 'Indirizzo mancante.', 'Address missing.');
        if (!member.iban) errors.add('iban', 'IBAN mancante.', 'IBAN missing.');
        errors.throwIfAny();
      }
      const status: Record<MemberDecision, MemberStatus> = {
        ACCEPT: 'ACTIVE',
        REJECT: 'REJECTED',
        SUSPEND: 'SUSPENDED',
      };
      member.status = status[decision];
      member.decisionReason = why;
      member.decidedBy = person.personId;
      member.decidedAt = new Date();
      await tx.flush();
      if (member.status === 'ACTIVE') await openWallet(tx, member);
      const action = {
        ACCEPT: 'IES_MEMBER_ACCEPTED',
        REJECT: 'IES_MEMBER_REJECTED',
        SUSPEND: 'IES_MEMBER_SUSPENDED',
      } as const;
      await this.audit.record(
        tx,
        actorOf(caller),
        circuit.managerId,
        action[decision],
        `ies-member:${member.id}`,
      );
      return member;
    });
  }

  /**
   * The caller's memberships: as a citizen (by the codice fiscale of their login) and those of
   * the organisations they act for (any role of a member organisation).
   */
  async mine(em: EntityManager, caller: Caller): Promise<Member[]> {
    if (caller.kind !== 'person') return [];
    const own = caller.fiscalCode ? await this.members.byFiscalCode(em, caller.fiscalCode) : [];
    const orgIds = new Set(
      caller.memberships
        .filter((m) => (ORGANISATION_MEMBER_ROLES as readonly string[]).includes(m.role))
        .map((m) => m.organisationId),
    );
    const orgs: Member[] = [];
    for (const id of orgIds) orgs.push(...(await this.members.byOrganisation(em, id)));
    return [...own, ...orgs];
  }
}
