import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { actorOf } from '@welfare/kit/access';
import type { AuditLog } from '@welfare/kit/audit';
import { InsufficientFunds } from '@welfare/kit/book';
import { DomainError, FieldErrors } from '@welfare/kit/errors';
import type { Circuit } from '../circuit/circuit.entity.js';
import type { CircuitService } from '../circuit/circuit.service.js';
import {
  AccountKind,
  TransferCode,
  accountCodes,
  book,
  deterministicId,
  issue,
  openCircuitAccounts,
  owners,
  redeem,
} from '../ledger/ledger.js';
import type { MemberLookup } from '../member/member.service.js';
import { requireCircuitManager, requireCircuitStaff } from '../shared/access.js';
import { FeeUse, ReserveReceipt, type FeeUseKind, type ReceiptKind } from './reserve.entity.js';
import type { ReserveRepository } from './reserve.repository.js';
import { checkCents, checkClientKey, checkOptionalId, checkText } from './reserve.rules.js';

/** The audit actions of the reserve and of conversions. */
export type ReserveAuditAction =
  | 'IES_EURO_RECEIVED'
  | 'IES_FEE_USED'
  | 'IES_CONVERSION_REQUESTED'
  | 'IES_CONVERSION_APPROVED'
  | 'IES_CONVERSION_REJECTED'
  | 'IES_CONVERSION_SEPA_EXPORTED';

/** Euro received, as the staff records it. */
export interface ReceiptInput {
  circuitId: string;
  kind: ReceiptKind;
  /** The member who bought IES (PURCHASE). */
  memberId?: string | null;
  funderName: string;
  bankReference: string;
  amountCents: number;
  clientKey: string;
}

/** A use of the fees, as the manager decides it. */
export interface FeeUseInput {
  circuitId: string;
  kind: FeeUseKind;
  /** The project credited (PROJECT). */
  projectId?: string | null;
  amountCents: number;
  description: string;
  clientKey: string;
}

const KEY_REUSED = {
  it: 'Questa chiave è già stata usata per una registrazione diversa.',
  en: 'This key was already used for a different record.',
};

/**
 * The euro reserve of a circuit: the staff records the euro received (IES issued against it, to a
 * member's wallet or to the rewards account) and the manager decides the fees' uses (to the
 * rewards, to a project, or redeemed to euro for the circuit's costs). Each once per client key,
 * in one transaction with its book movement and its audit event.
 */
export class ReserveService {
  constructor(
    private readonly repository: ReserveRepository,
    private readonly circuits: CircuitService,
    private readonly members: MemberLookup,
    private readonly audit: AuditLog<ReserveAuditAction>,
  ) {}

  /**
   * Records euro received and issues as many IES: a PURCHASE into the member's wallet (an ACTIVE
   * member of the circuit), a REWARD_FUNDING into the rewards account. The circuit's staff only.
   * The same client key returns the first record (CONFLICT when its fields differ).
   */
  async recordReceipt(
    em: EntityManager,
    caller: Caller,
    input: ReceiptInput,
  ): Promise<ReserveReceipt> {
    const circuit = await this.circuits.byId(em, input.circuitId);
    const person = requireCircuitStaff(caller, circuit);
    const errors = new FieldErrors();
    const clientKey = checkClientKey(errors, input.clientKey);
    const amountCents = checkCents(errors, 'amountCents', input.amountCents);
    const funderName = checkText(errors, 'funderName', input.funderName, 2, 200);
    const bankReference = checkText(errors, 'bankReference', input.bankReference, 3, 140);
    const memberId = checkOptionalId(errors, 'memberId', input.memberId, input.kind === 'PURCHASE');
    if (input.kind === 'REWARD_FUNDING' && memberId)
      errors.add(
        'memberId',
        'Un finanziamento dei premi non va a un socio.',
        'A rewards funding goes to no member.',
      );
    errors.throwIfAny();
    const wanted = { kind: input.kind, memberId, funderName, bankReference, amountCents };
    const replay = await this.repository.receiptByKey(em, circuit.id, clientKey);
    if (replay) return sameOrConflict(replay, wanted);
    let creditAccountId: string;
    if (memberId) {
      const holder = await this.members.byId(em, circuit, memberId).catch((err: unknown) => {
        throw err instanceof DomainError && err.code === 'NOT_FOUND'
          ? fieldError(
              'memberId',
              'Socio non trovato in questo circuito.',
              'Member not found in this circuit.',
            )
          : err;
      });
      if (holder.member.status !== 'ACTIVE')
        throw fieldError('memberId', 'Il socio non è attivo.', 'The member is not active.');
      creditAccountId = holder.walletId;
    } else {
      creditAccountId = (await openCircuitAccounts(em, circuit.id)).rewards;
    }
    const transferId = deterministicId('ies-circuit', 'receipt', circuit.id, clientKey);
    try {
      return await em.transactional(async (tx) => {
        const receipt = tx.create(ReserveReceipt, {
          circuitId: circuit.id,
          ...wanted,
          clientKey,
          transferId,
          recordedBy: actorOf(person),
        });
        await tx.flush();
        await issue(tx, {
          id: transferId,
          circuitId: circuit.id,
          creditAccountId,
          amount: amountCents,
          code: input.kind === 'PURCHASE' ? TransferCode.ISSUANCE : TransferCode.REWARD_FUNDING,
          reserveReference: `bank:${bankReference}`,
        });
        await this.audit.record(
          tx,
          actorOf(person),
          circuit.managerId,
          'IES_EURO_RECEIVED',
          `receipt:${receipt.id}:${input.kind}:${amountCents}`,
        );
        return receipt;
      });
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      const first = await this.repository.receiptByKey(em.fork(), circuit.id, clientKey);
      if (!first) throw err;
      return sameOrConflict(first, wanted);
    }
  }

  /** A circuit's euro received, newest first. The circuit's staff only. */
  async receipts(em: EntityManager, caller: Caller, circuitId: string): Promise<ReserveReceipt[]> {
    const circuit = await this.circuits.byId(em, circuitId);
    requireCircuitStaff(caller, circuit);
    return this.repository.receipts(em, circuit.id);
  }

  /**
   * Puts fees to a use: to the rewards account, to a project's account, or redeemed (the euro leave
   * the reserve to pay the circuit's costs). The circuit's MANAGER only; at most the fees
   * collected and not used (`amountCents` field error otherwise). Once per client key.
   */
  async useFees(em: EntityManager, caller: Caller, input: FeeUseInput): Promise<FeeUse> {
    const circuit = await this.circuits.byId(em, input.circuitId);
    const person = requireCircuitManager(caller, circuit);
    const errors = new FieldErrors();
    const clientKey = checkClientKey(errors, input.clientKey);
    const amountCents = checkCents(errors, 'amountCents', input.amountCents);
    const description = checkText(errors, 'description', input.description, 3, 500);
    const projectId = checkOptionalId(
      errors,
      'projectId',
      input.projectId,
      input.kind === 'PROJECT',
    );
    if (input.kind !== 'PROJECT' && projectId)
      errors.add('projectId', 'Solo per un progetto.', 'Only for a project.');
    errors.throwIfAny();
    const wanted = { kind: input.kind, projectId, amountCents, description };
    const replay = await this.repository.feeUseByKey(em, circuit.id, clientKey);
    if (replay) return sameOrConflict(replay, wanted);
    const accounts = await openCircuitAccounts(em, circuit.id);
    const transferId = deterministicId('ies-circuit', 'fee-use', circuit.id, clientKey);
    try {
      return await em.transactional(async (tx) => {
        const use = tx.create(FeeUse, {
          circuitId: circuit.id,
          ...wanted,
          clientKey,
          transferId,
          recordedBy: actorOf(person),
        });
        await tx.flush();
        await this.moveFees(tx, circuit, accounts.fees, accounts.rewards, use);
        await this.audit.record(
          tx,
          actorOf(person),
          circuit.managerId,
          'IES_FEE_USED',
          `fee-use:${use.id}:${use.kind}:${amountCents}`,
        );
        return use;
      });
    } catch (err) {
      if (err instanceof InsufficientFunds)
        throw fieldError(
          'amountCents',
          'Più delle commissioni disponibili.',
          'More than the fees available.',
        );
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      const first = await this.repository.feeUseByKey(em.fork(), circuit.id, clientKey);
      if (!first) throw err;
      return sameOrConflict(first, wanted);
    }
  }

  /** A circuit's fee uses, newest first. Public (the transparency page shows them). */
  feeUses(em: EntityManager, circuit: Circuit): Promise<FeeUse[]> {
    return this.repository.feeUses(em, circuit.id);
  }

  /** The book movement of a fee use. */
  private async moveFees(
    tx: EntityManager,
    circuit: Circuit,
    fees: string,
    rewards: string,
    use: FeeUse,
  ): Promise<void> {
    const reference = `fee-use:${use.id}`;
    if (use.kind === 'COSTS') {
      await redeem(tx, {
        id: use.transferId,
        circuitId: circuit.id,
        debitAccountId: fees,
        amount: use.amountCents,
        code: TransferCode.FEE_USE,
        reserveReference: reference,
      });
      return;
    }
    const credit =
      use.kind === 'REWARDS'
        ? rewards
        : await book.openAccountId(tx, {
            code: accountCodes.project(circuit.id, use.projectId!),
            kind: AccountKind.PROJECT,
            owner: owners.project(use.projectId!, circuit.id),
          });
    await book.transfer(tx, {
      id: use.transferId,
      debit: fees,
      credit,
      amount: use.amountCents,
      code: TransferCode.FEE_USE,
      reference,
    });
  }
}

/** A BAD_USER_INPUT naming one field. */
export function fieldError(field: string, it: string, en: string): DomainError {
  return DomainError.badInput([{ field, message: { it, en } }]);
}

/** The first record of a client key when the replay asks the same, else CONFLICT. */
function sameOrConflict<T extends object>(first: T, wanted: Partial<T>): T {
  for (const [key, value] of Object.entries(wanted)) {
    if ((first as Record<string, unknown>)[key] !== value) throw DomainError.conflict(KEY_REUSED);
  }
  return first;
}
