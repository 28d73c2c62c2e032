import { createHash } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { actorOf, requirePerson } from '@welfare/kit/access';
import type { AuditLog } from '@welfare/kit/audit';
import { HoldExpired, InsufficientFunds, MAX_HOLD_SECONDS } from '@welfare/kit/book';
import { romeToday } from '@welfare/kit/dates';
import { DomainError, FieldErrors } from '@welfare/kit/errors';
import { renderPain001 } from '@welfare/kit/sepa';
import type { Circuit } from '../circuit/circuit.entity.js';
import type { CircuitService } from '../circuit/circuit.service.js';
import { conversionFee } from '../fee/fee.js';
import {
  TransferCode,
  book,
  deterministicId,
  openCircuitAccounts,
  openWallet,
  postRedemption,
} from '../ledger/ledger.js';
import type { Member } from '../member/member.entity.js';
import type { MemberRepository } from '../member/member.repository.js';
import type { MemberLookup } from '../member/member.service.js';
import {
  requireCircuitManager,
  requireCircuitStaff,
  requireOrganisationRole,
} from '../shared/access.js';
import { checkCents, checkClientKey, checkText } from '../reserve/reserve.rules.js';
import { fieldError, type ReserveAuditAction } from '../reserve/reserve.service.js';
import { Conversion, type ConversionStatus } from './conversion.entity.js';
import type { ConversionRepository } from './conversion.repository.js';

/** The roles of a member organisation that may convert its IES to euro. */
export const CONVERSION_ROLES = ['OWNER', 'ADMIN', 'MANAGER'] as const;

/** The kinds of member that convert IES to euro. */
const CONVERTING_KINDS: readonly string[] = ['BUSINESS', 'ASSOCIATION', 'COOPERATIVE'];

/** The account the circuits' euro reserve is held in: the debtor of the SEPA files. */
export interface ReserveBankAccount {
  name: string;
  iban: string;
  /** null: NOTPROVIDED. */
  bic: string | null;
}

/** A circuit an organisation can convert in: its wallet's balance and the fee rule. */
export interface ConversionAccount {
  circuit: Circuit;
  member: Member;
  /** What the wallet can convert now, in cents. */
  availableCents: number;
}

/** A SEPA credit transfer file of approved conversions. */
export interface SepaFile {
  fileName: string;
  content: string;
  count: number;
  totalCents: number;
}

const ids = (conversionId: string) => ({
  hold: deterministicId('ies-circuit', 'conversion', conversionId, 'hold'),
  feeHold: deterministicId('ies-circuit', 'conversion', conversionId, 'fee-hold'),
  post: deterministicId('ies-circuit', 'conversion', conversionId, 'post'),
  feePost: deterministicId('ies-circuit', 'conversion', conversionId, 'fee-post'),
  void: deterministicId('ies-circuit', 'conversion', conversionId, 'void'),
  feeVoid: deterministicId('ies-circuit', 'conversion', conversionId, 'fee-void'),
});

const NOT_FOUND = { it: 'Conversione non trovata.', en: 'Conversion not found.' };

/**
 * Conversions of IES to euro by a member organisation (a business, an association, a
 * cooperative): requested with the circuit's conversion fee (the amount less the fee held to the
 * issuer, the fee held to the fees account), then approved by the circuit's MANAGER (the hold
 * posted as a redemption: the euro leave the reserve by a SEPA credit transfer) or rejected with a
 * reason (both holds voided: nothing is charged). Each step once; audited.
 */
export class ConversionService {
  constructor(
    private readonly repository: ConversionRepository,
    private readonly circuits: CircuitService,
    private readonly members: MemberLookup,
    private readonly memberRepository: MemberRepository,
    private readonly audit: AuditLog<ReserveAuditAction>,
    private readonly reserveAccount: ReserveBankAccount,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The circuits the organisation can convert in (ACTIVE memberships), with what it can convert. */
  async accounts(
    em: EntityManager,
    caller: Caller,
    organisationId: string,
  ): Promise<ConversionAccount[]> {
    requireOrganisationRole(caller, organisationId, CONVERSION_ROLES);
    const memberships = (await this.memberRepository.byOrganisation(em, organisationId)).filter(
      (m) => m.status === 'ACTIVE' && CONVERTING_KINDS.includes(m.kind),
    );
    const out: ConversionAccount[] = [];
    for (const member of memberships) {
      const walletId = await openWallet(em, member);
      const [wallet] = await book.accounts(em, { ids: [walletId] });
      out.push({
        circuit: await this.circuits.byId(em, member.circuitId),
        member,
        availableCents: wallet?.available ?? 0,
      });
    }
    return out;
  }

  /**
   * Requests a conversion of `amountCents` of the organisation's IES: the fee by the circuit's
   * rule, the rest held for the payout. Field errors for a bad amount, one not above the fee, or
   * more than the wallet holds; CONFLICT when the member has no IBAN. The same client key returns
   * the first request.
   */
  async request(
    em: EntityManager,
    caller: Caller,
    input: { circuitId: string; organisationId: string; amountCents: number; clientKey: string },
  ): Promise<Conversion> {
    const circuit = await this.circuits.byId(em, input.circuitId);
    const person = requireOrganisationRole(caller, input.organisationId, CONVERSION_ROLES);
    const { member, walletId } = await this.members.organisation(
      em,
      caller,
      circuit,
      input.organisationId,
      CONVERSION_ROLES,
    );
    if (!CONVERTING_KINDS.includes(member.kind))
      throw DomainError.forbidden({
        it: 'Solo imprese, associazioni e cooperative convertono IES in euro.',
        en: 'Only businesses, associations and cooperatives convert IES to euro.',
      });
    const errors = new FieldErrors();
    const clientKey = checkClientKey(errors, input.clientKey);
    const amountCents = checkCents(errors, 'amountCents', input.amountCents);
    errors.throwIfAny();
    const feeCents = conversionFee(circuit, amountCents);
    if (feeCents >= amountCents)
      throw fieldError(
        'amountCents',
        'L’importo deve superare la commissione di conversione.',
        'The amount must exceed the conversion fee.',
      );
    const replay = await this.repository.byKey(em, member.id, clientKey);
    if (replay) return sameRequest(replay, amountCents);
    if (!member.iban)
      throw DomainError.conflict({
        it: 'Indicare l’IBAN dell’organizzazione prima di convertire.',
        en: 'Give the organisation’s IBAN before converting.',
      });
    const accounts = await openCircuitAccounts(em, circuit.id);
    try {
      return await em.transactional(async (tx) => {
        const conversion = tx.create(Conversion, {
          circuitId: circuit.id,
          memberId: member.id,
          organisationId: input.organisationId,
          amountCents,
          feeCents,
          creditorName: member.displayName,
          iban: member.iban!,
          clientKey,
          requestedBy: actorOf(person),
        });
        await tx.flush();
        const held = ids(conversion.id);
        const reference = `conversion:${conversion.id}`;
        await book.hold(tx, {
          id: held.hold,
          debit: walletId,
          credit: accounts.issuer,
          amount: amountCents - feeCents,
          code: TransferCode.CONVERSION,
          reference,
          timeoutSeconds: MAX_HOLD_SECONDS,
        });
        if (feeCents > 0)
          await book.hold(tx, {
            id: held.feeHold,
            debit: walletId,
            credit: accounts.fees,
            amount: feeCents,
            code: TransferCode.CONVERSION_FEE,
            reference,
            timeoutSeconds: MAX_HOLD_SECONDS,
          });
        await this.audit.record(
          tx,
          actorOf(person),
          input.organisationId,
          'IES_CONVERSION_REQUESTED',
          `conversion:${conversion.id}:${amountCents}`,
        );
        return conversion;
      });
    } catch (err) {
      if (err instanceof InsufficientFunds)
        throw fieldError(
          'amountCents',
          'Più degli IES disponibili nel portafoglio.',
          'More than the IES available in the wallet.',
        );
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      const first = await this.repository.byKey(em.fork(), member.id, clientKey);
      if (!first) throw err;
      return sameRequest(first, amountCents);
    }
  }

  /** The organisation's conversions in every circuit, newest first. */
  async ofOrganisation(
    em: EntityManager,
    caller: Caller,
    organisationId: string,
  ): Promise<Conversion[]> {
    requireOrganisationRole(caller, organisationId, CONVERSION_ROLES);
    const members = await this.memberRepository.byOrganisation(em, organisationId);
    const lists = await Promise.all(members.map((m) => this.repository.ofMember(em, m.id)));
    return lists.flat().sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  /** A circuit's conversions (of one status), newest first. The circuit's staff only. */
  async ofCircuit(
    em: EntityManager,
    caller: Caller,
    circuitId: string,
    status?: ConversionStatus | null,
  ): Promise<Conversion[]> {
    const circuit = await this.circuits.byId(em, circuitId);
    requireCircuitStaff(caller, circuit);
    return this.repository.ofCircuit(em, circuit.id, status);
  }

  /**
   * Approves a PENDING conversion (the circuit's MANAGER): the held IES destroyed with the reserve
   * entry (the euro leave the reserve), the fee posted to the fees. Approving it again returns it;
   * CONFLICT for a rejected one, or one whose hold expired.
   */
  async approve(em: EntityManager, caller: Caller, conversionId: string): Promise<Conversion> {
    const { circuit, person } = await this.decider(em, caller, conversionId);
    return em.transactional(async (tx) => {
      const conversion = await this.lockIn(tx, circuit, conversionId);
      if (conversion.status === 'APPROVED') return conversion;
      if (conversion.status !== 'PENDING') throw decided();
      const held = ids(conversion.id);
      try {
        await postRedemption(tx, {
          id: held.post,
          pendingId: held.hold,
          reserveReference: `sepa:conversion:${conversion.id}`,
        });
        if (conversion.feeCents > 0)
          await book.post(tx, { id: held.feePost, pendingId: held.feeHold });
      } catch (err) {
        if (err instanceof HoldExpired)
          throw DomainError.conflict({
            it: 'La richiesta è scaduta: l’organizzazione deve ripresentarla.',
            en: 'The request expired: the organisation must make it again.',
          });
        throw err;
      }
      conversion.status = 'APPROVED';
      conversion.decidedBy = actorOf(person);
      conversion.decidedAt = this.now();
      await tx.flush();
      await this.audit.record(
        tx,
        actorOf(person),
        circuit.managerId,
        'IES_CONVERSION_APPROVED',
        `conversion:${conversion.id}:${conversion.netCents}`,
      );
      return conversion;
    });
  }

  /**
   * Rejects a PENDING conversion with a reason (the circuit's MANAGER): both holds voided, the IES
   * and the fee back in the wallet. Rejecting it again returns it; CONFLICT for an approved one.
   */
  async reject(
    em: EntityManager,
    caller: Caller,
    conversionId: string,
    reason: string,
  ): Promise<Conversion> {
    const errors = new FieldErrors();
    const why = checkText(errors, 'reason', reason, 3, 500);
    const { circuit, person } = await this.decider(em, caller, conversionId);
    errors.throwIfAny();
    return em.transactional(async (tx) => {
      const conversion = await this.lockIn(tx, circuit, conversionId);
      if (conversion.status === 'REJECTED') return conversion;
      if (conversion.status !== 'PENDING') throw decided();
      const held = ids(conversion.id);
      await voidIfPending(tx, held.void, held.hold);
      if (conversion.feeCents > 0) await voidIfPending(tx, held.feeVoid, held.feeHold);
      conversion.status = 'REJECTED';
      conversion.reason = why;
      conversion.decidedBy = actorOf(person);
      conversion.decidedAt = this.now();
      await tx.flush();
      await this.audit.record(
        tx,
        actorOf(person),
        circuit.managerId,
        'IES_CONVERSION_REJECTED',
        `conversion:${conversion.id}`,
      );
      return conversion;
    });
  }

  /**
   * The SEPA credit transfer file (pain.001.001.03) paying the APPROVED conversions named (all
   * the circuit's approved ones when none is named) from the reserve's bank account. The
   * circuit's MANAGER only; a conversion not approved is a field error.
   */
  async sepaFile(
    em: EntityManager,
    caller: Caller,
    circuitId: string,
    conversionIds: readonly string[],
  ): Promise<SepaFile> {
    const circuit = await this.circuits.byId(em, circuitId);
    const person = requireCircuitManager(caller, circuit);
    const errors = new FieldErrors();
    if (conversionIds.length > 500) errors.add('conversionIds', 'Al massimo 500.', 'At most 500.');
    errors.throwIfAny();
    const chosen = conversionIds.length
      ? await this.repository.some(em, circuit.id, conversionIds)
      : (await this.repository.ofCircuit(em, circuit.id, 'APPROVED')).reverse();
    if (
      chosen.length === 0 ||
      (chosen.length !== new Set(conversionIds).size && conversionIds.length > 0) ||
      chosen.some((c) => c.status !== 'APPROVED')
    )
      throw fieldError(
        'conversionIds',
        'Solo conversioni approvate di questo circuito.',
        'Only approved conversions of this circuit.',
      );
    const at = this.now();
    const digest = createHash('sha256')
      .update(chosen.map((c) => c.id).join(','))
      .digest('hex')
      .slice(0, 12)
      .toUpperCase();
    const content = renderPain001({
      messageId: `IES-${digest}-${at.getTime().toString(36).toUpperCase()}`,
      paymentInfoId: `IES-${circuit.code}-${digest}`,
      createdAt: at,
      executionDate: romeToday(() => at),
      debtorName: `${this.reserveAccount.name} ${circuit.name}`,
      debtorIban: this.reserveAccount.iban,
      debtorBic: this.reserveAccount.bic,
      transfers: chosen.map((c) => ({
        endToEndId: `IES${c.id.replace(/-/g, '').slice(0, 30)}`,
        amountCents: c.netCents,
        creditorName: c.creditorName,
        creditorIban: c.iban,
        remittance: `Conversione IES ${circuit.name} ${c.id.slice(0, 8)}`,
      })),
    });
    await this.audit.record(
      em,
      actorOf(person),
      circuit.managerId,
      'IES_CONVERSION_SEPA_EXPORTED',
      `sepa:${circuit.id}:${digest}:${chosen.length}`,
    );
    return {
      fileName: `conversioni-ies-${circuit.code}-${romeToday(() => at)}.xml`,
      content,
      count: chosen.length,
      totalCents: chosen.reduce((s, c) => s + c.netCents, 0),
    };
  }

  /** The circuit of a conversion and its MANAGER caller (NOT_FOUND for an unknown id). */
  private async decider(em: EntityManager, caller: Caller, conversionId: string) {
    requirePerson(caller);
    const conversion = /^[0-9a-f-]{36}$/i.test(conversionId)
      ? await this.repository.byId(em, conversionId)
      : null;
    if (!conversion) throw DomainError.notFound(NOT_FOUND);
    const circuit = await this.circuits.byId(em, conversion.circuitId);
    return { circuit, person: requireCircuitManager(caller, circuit) };
  }

  private async lockIn(tx: EntityManager, circuit: Circuit, id: string): Promise<Conversion> {
    const conversion = await this.repository.lock(tx, id);
    if (!conversion || conversion.circuitId !== circuit.id) throw DomainError.notFound(NOT_FOUND);
    return conversion;
  }
}

/** Voids a hold still pending (an expired one has returned its money already). */
async function voidIfPending(tx: EntityManager, id: string, pendingId: string): Promise<void> {
  const [hold] = await book.transfersById(tx, [pendingId]);
  if (hold?.status !== 'PENDING') return;
  try {
    await book.void(tx, { id, pendingId });
  } catch (err) {
    if (!(err instanceof HoldExpired)) throw err;
  }
}

function decided(): DomainError {
  return DomainError.conflict({
    it: 'La conversione è già stata decisa.',
    en: 'The conversion was already decided.',
  });
}

function sameRequest(first: Conversion, amountCents: number): Conversion {
  if (first.amountCents !== amountCents)
    throw DomainError.conflict({
      it: 'Questa chiave è già stata usata per una richiesta diversa.',
      en: 'This key was already used for a different request.',
    });
  return first;
}
