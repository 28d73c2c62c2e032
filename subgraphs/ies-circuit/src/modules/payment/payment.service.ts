import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { isUuid, requirePerson } from '@welfare/kit/access';
import { InsufficientFunds, type TransferInput } from '@welfare/kit/book';
import { limitIdleInTransaction } from '@welfare/kit/deadline';
import { withRetry } from '@welfare/kit/sql';
import { DomainError, FieldErrors } from '@welfare/kit/errors';
import type { Circuit } from '../circuit/circuit.entity.js';
import type { CircuitService } from '../circuit/circuit.service.js';
import { movementFee, type MovementFee } from '../fee/fee.js';
import {
  TransferCode,
  book,
  deterministicId,
  openCircuitAccounts,
  type CircuitAccounts,
} from '../ledger/ledger.js';
import type { Member } from '../member/member.entity.js';
import type { MemberLookup } from '../member/member.service.js';
import { actsFor } from '../shared/access.js';
import { PaymentRequest, type Payment, type PaymentView } from './payment.entity.js';
import type { PaymentRepository } from './payment.repository.js';

/** Run inside a payment's transaction, once, when it is applied (not on a replay by its key). */
export type AfterPayment = (tx: EntityManager, payment: Payment) => Promise<void>;

/** The most one payment can be, in cents (1,000,000 IES). */
export const MAX_PAYMENT_CENTS = 100_000_000;
/** How long a request stays payable, in minutes: default a day, at most a year. */
const DEFAULT_EXPIRY_MINUTES = 24 * 60;
const MAX_EXPIRY_MINUTES = 365 * 24 * 60;
/** A member's payments listed at most. */
const LIST_LIMIT = 50;

/** The ids of a payment and of its transfers: derived, so that a retry names the same rows. */
export const paymentIds = {
  payment: (idempotencyKey: string) => deterministicId('ies-payment', idempotencyKey),
  transfer: (paymentId: string) => deterministicId(paymentId, TransferCode.PAYMENT),
  fee: (paymentId: string) => deterministicId(paymentId, TransferCode.FEE),
};

export interface CreateRequestInput {
  circuitCode: string;
  amountCents?: number | null;
  description: string;
  expiresInMinutes?: number | null;
  organisationId?: string | null;
}

export interface PayInput {
  requestId: string;
  amountCents?: number | null;
  idempotencyKey: string;
  organisationId?: string | null;
}

/** A request as the payer sees it: the payee's name, the amount, the fee they would pay. */
export interface RequestView {
  request: PaymentRequest;
  circuit: Circuit;
  payeeName: string;
  /** The fee for the request's amount (or the amount asked about); null when there is none. */
  fee: MovementFee | null;
  /** The caller is the payee. */
  own: boolean;
}

const refusals = {
  noRequest: () =>
    DomainError.notFound({
      it: 'Richiesta di pagamento non trovata.',
      en: 'Payment request not found.',
    }),
  circuitSuspended: () =>
    DomainError.conflict({
      it: 'Il circuito è sospeso: nessun pagamento è accettato.',
      en: 'The circuit is suspended: no payment is accepted.',
    }),
  payeeInactive: () =>
    DomainError.conflict({
      it: 'Chi ha chiesto il pagamento non può riceverlo: non è socio attivo del circuito.',
      en: 'The payee cannot be paid: not an active member of the circuit.',
    }),
  paid: () =>
    DomainError.conflict({
      it: 'Questa richiesta è già stata pagata.',
      en: 'This request has already been paid.',
    }),
  expired: () =>
    DomainError.conflict({
      it: 'Questa richiesta di pagamento è scaduta.',
      en: 'This payment request has expired.',
    }),
  keyReused: () =>
    DomainError.conflict({
      it: 'Questa chiave è già stata usata per un altro pagamento.',
      en: 'This key was already used for another payment.',
    }),
  insufficient: (available: number, needed: number) =>
    DomainError.conflict({
      it: `Saldo IES insufficiente: disponibili ${ies(available)}, servono ${ies(needed)} (importo più commissione).`,
      en: `Insufficient IES balance: ${ies(available)} available, ${ies(needed)} needed (amount plus fee).`,
    }),
};

/** Cents as IES in words (`1234` → `12,34 IES`). */
function ies(cents: number): string {
  return `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')} IES`;
}

/**
 * Payments between members: a payee's request (shown as a QR code), paid by another member with
 * the circuit's fee, once per idempotency key, in one transaction with its transfers (the payment
 * to the payee, the fee to the circuit's fees account) and the `afterPayment` hooks.
 *
 * The payer's wallet is the only account a payment locks: the payee's wallet (an organisation's is
 * hot) and the fees account (hot) are only credited, so payments to one shop never queue on its
 * row. That is why a fee the payee bears is taken from what the payer sends (the payee receives the
 * amount less the fee) rather than debited from the payee's wallet afterwards: the same money moves.
 */
export class PaymentService {
  private readonly accounts = new Map<string, CircuitAccounts>();

  constructor(
    private readonly repository: PaymentRepository,
    private readonly circuits: CircuitService,
    private readonly members: MemberLookup,
    private readonly afterPayment: readonly AfterPayment[],
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A payee (the caller, or the organisation they act for) asks to be paid. */
  async createRequest(
    em: EntityManager,
    caller: Caller,
    input: CreateRequestInput,
  ): Promise<PaymentRequest> {
    const person = requirePerson(caller);
    const circuit = await this.circuits.byCode(em, input.circuitCode);
    const errors = new FieldErrors();
    const description = input.description.trim();
    if (description.length < 1 || description.length > 140)
      errors.add('description', 'Da 1 a 140 caratteri.', 'From 1 to 140 characters.');
    if (input.amountCents !== null && input.amountCents !== undefined)
      checkAmount(errors, input.amountCents);
    const minutes = input.expiresInMinutes ?? DEFAULT_EXPIRY_MINUTES;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_EXPIRY_MINUTES) {
      errors.add(
        'expiresInMinutes',
        'Da 1 minuto a un anno (525.600 minuti).',
        'From 1 minute to a year (525,600 minutes).',
      );
    }
    errors.throwIfAny();
    const payee = await this.members.acting(em, caller, circuit, input.organisationId);
    if (circuit.status !== 'ACTIVE') throw refusals.circuitSuspended();
    const request = em.create(PaymentRequest, {
      circuitId: circuit.id,
      payeeMemberId: payee.member.id,
      amountCents: input.amountCents ?? null,
      description,
      expiresAt: new Date(this.now().getTime() + minutes * 60_000),
      createdBy: person.personId,
    });
    await em.flush();
    return request;
  }

  /**
   * A request as the payer sees it, by id: anyone logged in who has the id (the QR code) reads the
   * payee's name, the amount, the description and the fee; nothing else of the payee.
   */
  async request(
    em: EntityManager,
    caller: Caller,
    id: string,
    amountCents?: number | null,
  ): Promise<RequestView> {
    requirePerson(caller);
    const request = isUuid(id) ? await this.repository.request(em, id.toLowerCase()) : null;
    if (!request) throw refusals.noRequest();
    const circuit = await this.circuits.byId(em, request.circuitId);
    const { member: payee } = await this.members.byId(em, circuit, request.payeeMemberId);
    const amount = request.amountCents ?? amountCents ?? null;
    if (amountCents !== null && amountCents !== undefined && request.amountCents === null) {
      const errors = new FieldErrors();
      checkAmount(errors, amountCents);
      errors.throwIfAny();
    }
    return {
      request,
      circuit,
      payeeName: payee.displayName,
      fee: amount === null ? null : movementFee(circuit, amount),
      own: isCallerMember(caller, payee),
    };
  }

  /**
   * Pays a request: the payment to the payee and the fee, once per idempotency key, all or
   * nothing. A retry with the same key returns the payment recorded, whatever happened since.
   */
  async pay(em: EntityManager, caller: Caller, input: PayInput): Promise<PaymentView> {
    const person = requirePerson(caller);
    const errors = new FieldErrors();
    if (!isUuid(input.requestId))
      errors.add('requestId', 'Codice della richiesta non valido.', 'Invalid request code.');
    if (!isUuid(input.idempotencyKey))
      errors.add('idempotencyKey', 'Chiave non valida (UUID).', 'Invalid key (UUID).');
    if (input.amountCents !== null && input.amountCents !== undefined)
      checkAmount(errors, input.amountCents);
    errors.throwIfAny();
    const key = input.idempotencyKey.toLowerCase();
    const requestId = input.requestId.toLowerCase();

    // Before the transaction, two round trips: the request with its circuit, its payee and the
    // payment recorded with the key (one statement); the payer (its wallet id is remembered).
    const context = await this.repository.payContext(em, requestId, key);
    if (!context) throw refusals.noRequest();
    const { request, circuit, recorded } = context;
    const payer = await this.members.acting(em, caller, circuit, input.organisationId);

    // A retry: the outcome recorded, whatever happened to the request since.
    if (recorded) return this.replay(recorded, payer.member, requestId, input, request);

    if (circuit.status !== 'ACTIVE') throw refusals.circuitSuspended();
    if (context.payee.circuitId !== circuit.id)
      throw DomainError.notFound({ it: 'Socio non trovato.', en: 'Member not found.' });
    const payee = {
      member: context.payee,
      walletId: await this.members.walletId(em, context.payee),
    };
    if (payee.member.status !== 'ACTIVE') throw refusals.payeeInactive();
    if (payee.member.id === payer.member.id) {
      throw DomainError.badInput([
        {
          field: 'requestId',
          message: { it: 'Non puoi pagare te stesso.', en: 'You cannot pay yourself.' },
        },
      ]);
    }
    const amount = this.amountOf(request, input.amountCents);
    if (request.status === 'PAID') throw refusals.paid();
    if (request.expiresAt.getTime() <= this.now().getTime()) throw refusals.expired();

    const fee = movementFee(circuit, amount);
    const accounts = await this.circuitAccounts(em, circuit.id);
    const payment: Omit<Payment, 'createdAt'> = {
      id: paymentIds.payment(key),
      idempotencyKey: key,
      circuitId: circuit.id,
      requestId,
      payerMemberId: payer.member.id,
      payeeMemberId: payee.member.id,
      amountCents: amount,
      feeCents: fee.feeCents,
      feePayer: fee.payer,
      description: request.description,
      paidBy: person.personId,
    };
    const transfers: TransferInput[] = [];
    if (fee.receivedCents > 0) {
      transfers.push({
        id: paymentIds.transfer(payment.id),
        debit: payer.walletId,
        credit: payee.walletId,
        amount: fee.receivedCents,
        code: TransferCode.PAYMENT,
        reference: payment.id,
      });
    }
    if (fee.feeCents > 0) {
      transfers.push({
        id: paymentIds.fee(payment.id),
        debit: payer.walletId,
        credit: accounts.fees,
        amount: fee.feeCents,
        code: TransferCode.FEE,
        reference: `${payment.id} ${fee.payer}`,
      });
    }
    let applied: Payment | null = null;
    try {
      applied = await withRetry(() =>
        em.fork().transactional(async (tx) => {
          await limitIdleInTransaction(tx, 10_000);
          const createdAt = await this.repository.insert(tx, payment);
          if (!createdAt) return null; // applied meanwhile: replayed below
          if (request.amountCents !== null && request.amountCents !== undefined) {
            if (!(await this.repository.markPaid(tx, requestId, payment.id))) throw refusals.paid();
          }
          await book.transferMany(tx, transfers);
          const done: Payment = { ...payment, createdAt };
          for (const hook of this.afterPayment) await hook(tx, done);
          return done;
        }),
      );
    } catch (err) {
      if (err instanceof InsufficientFunds)
        throw refusals.insufficient(err.available, fee.debitedCents);
      throw err;
    }
    if (applied) {
      // Applied now: the view from what is known, no read back.
      return {
        ...applied,
        circuitCode: circuit.code,
        payerName: payer.member.displayName,
        payeeName: payee.member.displayName,
      };
    }
    const done = await this.repository.byKey(em.fork(), key);
    if (!done) throw new Error('payment: recorded payment not found');
    return this.replay(done, payer.member, requestId, input, request);
  }

  /**
   * The payment recorded with this key, when the caller is its payer or payee (acting as a citizen
   * or for one of their organisations); null otherwise: then it did not happen, and paying again
   * with the same key is safe.
   */
  async byKey(
    em: EntityManager,
    caller: Caller,
    idempotencyKey: string,
  ): Promise<PaymentView | null> {
    requirePerson(caller);
    if (!isUuid(idempotencyKey)) {
      throw DomainError.badInput([
        {
          field: 'idempotencyKey',
          message: { it: 'Chiave non valida (UUID).', en: 'Invalid key (UUID).' },
        },
      ]);
    }
    const payment = await this.repository.byKey(em, idempotencyKey.toLowerCase());
    if (!payment) return null;
    const circuit = await this.circuits.byId(em, payment.circuitId);
    const [payer, payee] = await Promise.all([
      this.members.byId(em, circuit, payment.payerMemberId),
      this.members.byId(em, circuit, payment.payeeMemberId),
    ]);
    const party = isCallerMember(caller, payer.member) || isCallerMember(caller, payee.member);
    return party ? payment : null;
  }

  /** The payments the caller's member (the citizen, or the organisation) made or received. */
  async mine(
    em: EntityManager,
    caller: Caller,
    circuitCode: string,
    organisationId?: string | null,
  ): Promise<PaymentView[]> {
    const circuit = await this.circuits.byCode(em, circuitCode);
    const { member } = await this.members.acting(em, caller, circuit, organisationId);
    return this.repository.ofMember(em, member.id, LIST_LIMIT);
  }

  /** The amount to pay: the request's, or the payer's when the request has none. */
  private amountOf(request: PaymentRequest, given: number | null | undefined): number {
    const errors = new FieldErrors();
    if (request.amountCents !== null && request.amountCents !== undefined) {
      if (given !== null && given !== undefined && given !== request.amountCents) {
        errors.add(
          'amountCents',
          'La richiesta ha già il suo importo.',
          'The request has its own amount.',
        );
      }
    } else if (given === null || given === undefined) {
      errors.add('amountCents', 'Indica l’importo da pagare.', 'Enter the amount to pay.');
    }
    errors.throwIfAny();
    return (request.amountCents ?? given)!;
  }

  /** A recorded payment returned to a retry: the same key must mean the same payment. */
  private replay(
    recorded: PaymentView,
    payer: Member,
    requestId: string,
    input: PayInput,
    request: PaymentRequest,
  ): PaymentView {
    const amount = request.amountCents ?? input.amountCents;
    if (
      recorded.payerMemberId !== payer.id ||
      recorded.requestId !== requestId ||
      (amount !== null && amount !== undefined && recorded.amountCents !== amount)
    ) {
      throw refusals.keyReused();
    }
    return recorded;
  }

  private async circuitAccounts(em: EntityManager, circuitId: string): Promise<CircuitAccounts> {
    let accounts = this.accounts.get(circuitId);
    if (!accounts) {
      accounts = await openCircuitAccounts(em, circuitId);
      this.accounts.set(circuitId, accounts);
    }
    return accounts;
  }
}

function checkAmount(errors: FieldErrors, amountCents: number): void {
  if (!Number.isInteger(amountCents) || amountCents < 1 || amountCents > MAX_PAYMENT_CENTS) {
    errors.add(
      'amountCents',
      'Un importo da 0,01 a 1.000.000 IES.',
      'An amount from 0.01 to 1,000,000 IES.',
    );
  }
}

/** The caller is this member: the citizen by codice fiscale, an organisation by a role in it. */
function isCallerMember(caller: Caller, member: Member): boolean {
  if (caller.kind !== 'person') return false;
  if (member.organisationId) return actsFor(caller, member.organisationId);
  return !!member.fiscalCode && caller.fiscalCode === member.fiscalCode;
}
