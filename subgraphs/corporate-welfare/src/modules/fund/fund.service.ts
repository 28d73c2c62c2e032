import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '@welfare/kit';
import {
  HoldExpired,
  HoldNotPending,
  InsufficientFunds,
  MAX_HOLD_SECONDS,
  TransferConflict,
  TransferNotFound,
  type Transfer,
} from '@welfare/kit/book';
import type {
  FundLeg,
  FundOffer,
  FundOption,
  FundPerson,
  HoldRequest,
  QuoteRequest,
  QuoteResponse,
  RefundRequest,
} from '@welfare/kit/contracts';
import { romeDay } from '@welfare/kit/dates';
import { limitIdleInTransaction } from '@welfare/kit/deadline';
import { normaliseFiscalCode } from '@welfare/kit/pii';
import {
  AccountKind,
  TransferCode,
  accountCodes,
  book,
  deterministicId,
  owners,
} from '../ledger/ledger.js';
import { refusals, withRetry } from './fund-refusals.js';
import { lockLeg, plansHeldBy, type HeldPlan } from './fund.repository.js';

/** The book's transfer ids of a leg's operations: the same leg always names the same transfers. */
export const legTransferIds = {
  hold: (legId: string) => deterministicId('fund-hold', legId),
  capture: (legId: string) => deterministicId('fund-capture', legId),
  release: (legId: string) => deterministicId('fund-release', legId),
  refund: (refundId: string) => deterministicId('fund-refund', refundId),
};

/** The start of the references of a leg's transfers (`fund-leg:<legId>;...`). */
export const legPrefix = (legId: string) => `fund-leg:${legId};`;

const ids = legTransferIds;

/**
 * The hold's reference: the leg and its terms. A replay of the hold (same leg id) must name the
 * same terms (and amount), otherwise it is a LEG_CONFLICT.
 */
function holdReference(r: HoldRequest): string {
  return (
    `${legPrefix(r.legId.toLowerCase())}checkout:${r.checkoutId.toLowerCase()};` +
    `person:${r.person.personId.toLowerCase()};offer:${r.offer.offerId.toLowerCase()};` +
    `provider:${r.offer.providerId.toLowerCase()};fund:${r.fundId.toLowerCase()}`
  );
}

const unknownLeg = (legId: string): FundLeg => ({
  legId,
  status: 'UNKNOWN',
  amountCents: 0,
  refundedCents: 0,
  expiresAt: null,
});

/**
 * Corporate-welfare as a fund owner (the fund contract of `@welfare/kit/contracts`, called by the
 * payments subgraph only): an employee's credit in an employer's welfare plan pays catalogue
 * services in kind (art. 51 c.2 f TUIR). The rule: the person (by codice fiscale: none, no plan)
 * is an employee in force today of the plan's employer and holds credit in the plan; the plan is
 * ACTIVE, its purposes include SERVICES_IN_KIND, its `coveredCategories` the offer's category, and
 * today (Italian day) is within its validity; the provider is accredited. One option per plan.
 *
 * Money moves in the subgraph's book: a hold is a pending transfer (code SERVICE_PAYMENT) from the
 * employee's account (`plan:<p>:employee:<emp>`) to the provider's (`plan:<p>:provider:<org>`,
 * hot: what the employer owes the provider), its id derived from the leg id; the capture posts
 * it, the release voids it, a lapsed hold expires; a refund (SERVICE_REFUND) goes back from the
 * provider's account to the employee's. The book's CHECK keeps an employee's credit from going
 * below zero, whatever runs at once. Hold expiries run on the book's clock (the system's); `now`
 * is the clock of the plans' validity.
 */
export class FundService {
  constructor(private readonly now: () => Date = () => new Date()) {}

  /** What the person can spend on the offer: one option per plan that covers it. No effect. */
  async quote(em: EntityManager, request: QuoteRequest): Promise<QuoteResponse> {
    await this.expireLapsed(em);
    const plans = await this.coverage(em, request.person, request.offer);
    const options: FundOption[] = plans.map(({ plan, availableCents }) => ({
      fundId: plan.id,
      kind: 'EMPLOYER',
      label: { it: plan.name, en: plan.name },
      balanceCents: availableCents,
      spendableCents: Math.min(availableCents, request.amountCents),
      // Restricted: plan credit pays services in kind, reimbursements and the like, never cash.
      restricted: true,
      endsOn: plan.validUntil,
      rule: {
        categoryCovered: true,
        providerAccredited: true,
        spendFrom: plan.validFrom,
        spendUntil: plan.validUntil,
      },
    }));
    return { options };
  }

  /**
   * Holds `amountCents` of the employee's credit in the plan for the leg until `expiresAt` (capped
   * at the book's MAX_HOLD_SECONDS, 30 days). The same leg again answers its hold as it is now
   * (whatever changed since); with other terms it is a LEG_CONFLICT.
   */
  async hold(em: EntityManager, request: HoldRequest): Promise<FundLeg> {
    const legId = request.legId.toLowerCase();
    const holdId = ids.hold(legId);
    const reference = holdReference(request);
    const [existing] = await book.transfersById(em, [holdId]);
    if (existing) return this.replayedHold(em, legId, existing, reference, request.amountCents);
    const timeoutSeconds = Math.min(
      MAX_HOLD_SECONDS,
      Math.ceil((new Date(request.expiresAt).getTime() - Date.now()) / 1000),
    );
    if (timeoutSeconds < 1) {
      throw DomainError.badInput([
        {
          field: 'expiresAt',
          message: { it: 'Deve essere nel futuro.', en: 'Must be in the future.' },
        },
      ]);
    }
    await this.expireLapsed(em);
    const plans = await this.coverage(em, request.person, request.offer);
    const held = plans.find((p) => p.plan.id === request.fundId.toLowerCase());
    if (!held) throw refusals.notCovered();
    const providerId = request.offer.providerId.toLowerCase();
    let transfer: Transfer;
    try {
      transfer = await withRetry(() =>
        em.fork().transactional(async (tx) => {
          // Never idle with the employee's account locked.
          await limitIdleInTransaction(tx, 10_000);
          const [from] = await book.accounts(tx, { codes: [held.accountCode] });
          if (!from) throw refusals.notCovered();
          const to = await book.openAccountId(tx, {
            code: accountCodes.provider(held.plan.id, providerId),
            kind: AccountKind.PROVIDER,
            owner: owners.provider(providerId, held.plan.id),
            hot: true,
          });
          return book.hold(tx, {
            id: holdId,
            debit: from.id,
            credit: to,
            amount: request.amountCents,
            code: TransferCode.SERVICE_PAYMENT,
            reference,
            timeoutSeconds,
          });
        }),
      );
    } catch (err) {
      if (err instanceof InsufficientFunds) throw refusals.insufficient();
      if (err instanceof TransferConflict) throw refusals.legConflict();
      throw err;
    }
    return this.legOf(em, legId, transfer);
  }

  /** Posts the leg's hold: the money reaches the provider's account. Idempotent. */
  async capture(em: EntityManager, legId: string): Promise<FundLeg> {
    const leg = legId.toLowerCase();
    try {
      await book.post(em.fork(), { id: ids.capture(leg), pendingId: ids.hold(leg) });
    } catch (err) {
      if (err instanceof TransferNotFound) throw refusals.nothingHeld();
      if (err instanceof HoldExpired) {
        // The lapsed hold is expired now, so that the credit is the employee's again at once.
        await this.expireLapsed(em);
        throw refusals.holdExpired();
      }
      if (err instanceof HoldNotPending)
        throw err.status === 'EXPIRED' ? refusals.holdExpired() : refusals.holdClosed();
      throw err;
    }
    return this.leg(em, leg);
  }

  /**
   * Voids the leg's hold: the money is the employee's again. Idempotent; a leg never held answers
   * UNKNOWN and a lapsed one EXPIRED (nothing is held either way); a captured leg is refused
   * (HOLD_NOT_PENDING: refund it instead).
   */
  async release(em: EntityManager, legId: string): Promise<FundLeg> {
    const leg = legId.toLowerCase();
    try {
      await book.void(em.fork(), { id: ids.release(leg), pendingId: ids.hold(leg) });
    } catch (err) {
      if (err instanceof TransferNotFound) return unknownLeg(leg);
      if (!(err instanceof HoldNotPending) || err.status === 'POSTED') {
        throw err instanceof HoldNotPending ? refusals.holdClosed() : err;
      }
    }
    return this.leg(em, leg);
  }

  /**
   * Gives back `amountCents` of a captured leg to the employee's credit in the plan, idempotent by
   * `refundId`. A leg's refunds are serialised (a lock per leg) and together never exceed the
   * captured amount (REFUND_EXCEEDS_CAPTURE); the same refund id with another leg or amount is a
   * LEG_CONFLICT; INSUFFICIENT_FUNDS when the provider's account no longer holds it.
   */
  async refund(em: EntityManager, request: RefundRequest): Promise<FundLeg> {
    const legId = request.legId.toLowerCase();
    const refundId = ids.refund(request.refundId.toLowerCase());
    const reference = `${legPrefix(legId)}refund:${request.refundId.toLowerCase()}`;
    try {
      await withRetry(() =>
        em.fork().transactional(async (tx) => {
          await limitIdleInTransaction(tx, 10_000);
          await lockLeg(tx, legId);
          const [done] = await book.transfersById(tx, [refundId]);
          if (done) {
            if (done.reference !== reference || done.amount !== request.amountCents)
              throw refusals.legConflict();
            return;
          }
          const [hold] = await book.transfersById(tx, [ids.hold(legId)]);
          if (!hold) throw refusals.nothingHeld();
          if (hold.status !== 'POSTED') throw refusals.notCaptured();
          const refunded = await this.refundedCents(tx, legId, hold.creditAccountId);
          if (refunded + request.amountCents > hold.amount)
            throw refusals.refundExceeds(hold.amount - refunded);
          await book.transfer(tx, {
            id: refundId,
            debit: hold.creditAccountId,
            credit: hold.debitAccountId,
            amount: request.amountCents,
            code: TransferCode.SERVICE_REFUND,
            reference,
          });
        }),
      );
    } catch (err) {
      if (err instanceof TransferConflict) throw refusals.legConflict();
      if (err instanceof InsufficientFunds) throw refusals.providerPaid();
      throw err;
    }
    return this.leg(em, legId);
  }

  /** The leg as the book has it (UNKNOWN when it was never held). */
  async leg(em: EntityManager, legId: string): Promise<FundLeg> {
    const leg = legId.toLowerCase();
    const [hold] = await book.transfersById(em, [ids.hold(leg)]);
    return hold ? this.legOf(em, leg, hold) : unknownLeg(leg);
  }

  private async legOf(em: EntityManager, legId: string, hold: Transfer): Promise<FundLeg> {
    const lapsed = hold.expiresAt !== null && hold.expiresAt.getTime() <= Date.now();
    const status =
      hold.status === 'POSTED'
        ? 'CAPTURED'
        : hold.status === 'VOIDED'
          ? 'RELEASED'
          : hold.status === 'EXPIRED' || lapsed
            ? 'EXPIRED'
            : 'HELD';
    return {
      legId,
      status,
      amountCents: hold.amount,
      refundedCents:
        status === 'CAPTURED' ? await this.refundedCents(em, legId, hold.creditAccountId) : 0,
      expiresAt: hold.expiresAt?.toISOString() ?? null,
    };
  }

  /** A replayed hold: the same terms answer the leg, other terms are a LEG_CONFLICT. */
  private replayedHold(
    em: EntityManager,
    legId: string,
    existing: Transfer,
    reference: string,
    amount: number,
  ): Promise<FundLeg> {
    if (
      existing.reference !== reference ||
      existing.amount !== amount ||
      existing.code !== TransferCode.SERVICE_PAYMENT
    )
      throw refusals.legConflict();
    return this.legOf(em, legId, existing);
  }

  /** What was refunded of the leg so far (its SERVICE_REFUND transfers out of the provider's). */
  private async refundedCents(
    em: EntityManager,
    legId: string,
    providerAccountId: string,
  ): Promise<number> {
    const totals = await book.movementTotals(
      em,
      { ids: [providerAccountId] },
      { codes: [TransferCode.SERVICE_REFUND], referencePrefix: legPrefix(legId), by: 'set' },
    );
    return totals.reduce((sum, t) => sum + t.debits, 0);
  }

  /**
   * The plans whose credit the person holds that cover the offer today: none when the provider is
   * not accredited or the person has no codice fiscale.
   */
  private async coverage(
    em: EntityManager,
    person: FundPerson,
    offer: FundOffer,
  ): Promise<HeldPlan[]> {
    if (!offer.providerAccredited || !person.fiscalCode) return [];
    const plans = await plansHeldBy(
      em,
      normaliseFiscalCode(person.fiscalCode),
      romeDay(this.now()),
    );
    return plans.filter((p) => p.plan.coveredCategories.includes(offer.category));
  }

  /** Expires the book's lapsed holds (their credit is the employees' again). */
  private async expireLapsed(em: EntityManager): Promise<void> {
    await book.expire(em.fork());
  }
}
