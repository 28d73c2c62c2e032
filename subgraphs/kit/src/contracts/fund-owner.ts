import type { EntityManager } from '@mikro-orm/postgresql';
import {
  HoldExpired,
  HoldNotPending,
  InsufficientFunds,
  MAX_HOLD_SECONDS,
  TransferConflict,
  TransferNotFound,
  type Book,
  type Transfer,
} from '../book/index.js';
import { limitIdleInTransaction } from '../deadline.js';
import { DomainError, type Localized } from '../errors.js';
import { withRetry } from '../sql.js';
import type { FundLeg, HoldRequest, RefundRequest } from './fund.js';

/*
 * The side of the fund contract every fund owner (public-welfare, corporate-welfare, ies-circuit)
 * runs the same way in its own book: the refusals with the contract's reasons, the leg lock, and the
 * idempotency of a leg (its hold's replay, the capture, the release, the refunds within what was
 * captured, the leg's state). What a fund pays for and from which account stays in the owner.
 */

/**
 * A refused fund operation: a CONFLICT (or NOT_FOUND) with a stable `reason` of the fund contract
 * (`FUND_REFUSALS`), which the payments subgraph reads from the error's `extensions.reason`.
 */
export class FundRefusal extends DomainError {
  constructor(
    readonly reason: string,
    message: Localized,
    code: 'CONFLICT' | 'NOT_FOUND' = 'CONFLICT',
  ) {
    super(code, message);
  }
}

/**
 * The words of a fund owner's refusals that name its money (the credit, the plan, the IES). Those
 * about the hold default to the platform's words for a credit (`CREDIT_HOLD_TEXTS`).
 */
export interface FundRefusalTexts {
  /** NOT_COVERED: this fund cannot pay this offer. */
  notCovered: Localized;
  /** INSUFFICIENT_FUNDS at the hold: not enough money for the amount. */
  insufficient: Localized;
  /** HOLD_EXPIRED: the hold lapsed. */
  holdExpired?: Localized;
  /** HOLD_NOT_PENDING: the hold was already captured or released. */
  holdClosed?: Localized;
  /** HOLD_NOT_PENDING (NOT_FOUND): no hold for the leg. */
  nothingHeld?: Localized;
  /** INSUFFICIENT_FUNDS at a refund: the provider's account no longer holds the amount. */
  providerGone: Localized;
}

/** The words of a hold of credit (public-welfare's card credit, corporate-welfare's plan credit). */
export const CREDIT_HOLD_TEXTS = {
  holdExpired: {
    it: 'La prenotazione del credito è scaduta: il credito è di nuovo disponibile.',
    en: 'The hold has expired: the credit is available again.',
  },
  holdClosed: {
    it: 'La prenotazione del credito è già stata chiusa.',
    en: 'The hold has already been closed.',
  },
  nothingHeld: {
    it: 'Nessun credito prenotato per questa voce.',
    en: 'No credit is held for this leg.',
  },
} satisfies Record<string, Localized>;

/**
 * The refusals of the fund contract: the owner's words for its money (`texts`), the platform's for
 * the rest (a leg reused with other terms, a refund of what was not captured or beyond it).
 */
export function fundRefusals(owner: FundRefusalTexts) {
  const texts = { ...CREDIT_HOLD_TEXTS, ...owner };
  return {
    notCovered: () => new FundRefusal('NOT_COVERED', texts.notCovered),
    insufficient: () => new FundRefusal('INSUFFICIENT_FUNDS', texts.insufficient),
    holdExpired: () => new FundRefusal('HOLD_EXPIRED', texts.holdExpired),
    holdClosed: () => new FundRefusal('HOLD_NOT_PENDING', texts.holdClosed),
    nothingHeld: () => new FundRefusal('HOLD_NOT_PENDING', texts.nothingHeld, 'NOT_FOUND'),
    providerGone: () => new FundRefusal('INSUFFICIENT_FUNDS', texts.providerGone),
    notCaptured: () =>
      new FundRefusal('HOLD_NOT_PENDING', {
        it: 'Si può rimborsare solo un pagamento addebitato.',
        en: 'Only a captured payment can be refunded.',
      }),
    legConflict: () =>
      new FundRefusal('LEG_CONFLICT', {
        it: 'Questa voce di pagamento è già stata usata con altri dati.',
        en: 'This payment leg was already used with other terms.',
      }),
    refundExceeds: (left: number) =>
      new FundRefusal('REFUND_EXCEEDS_CAPTURE', {
        it: `Si possono rimborsare al massimo altri ${left} centesimi di questo pagamento.`,
        en: `At most ${left} more cents of this payment can be refunded.`,
      }),
  };
}

export type FundRefusals = ReturnType<typeof fundRefusals>;

/**
 * One operation on a checkout leg at a time (until the transaction ends): a leg's refunds are
 * summed and written under it, so that together they never exceed the captured amount. A
 * transaction-scoped advisory lock on `<scope>:<legId>`: advisory locks are the database's, not a
 * schema's, so each owner keeps its own `scope` (`fund-leg`, `cw-fund-leg`, `ies-fund-leg`).
 */
export async function lockFundLeg(tx: EntityManager, scope: string, legId: string): Promise<void> {
  await tx.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`${scope}:${legId}`]);
}

/** A leg its owner never held: nothing to capture, release or refund. */
export const unknownFundLeg = (legId: string): FundLeg => ({
  legId,
  status: 'UNKNOWN',
  amountCents: 0,
  refundedCents: 0,
  expiresAt: null,
});

/** How a fund owner names a leg's transfers in its book. */
export interface FundLegBookOptions {
  book: Book;
  /** The book's transfer ids of a leg's operations (the same leg always names the same ones). */
  ids: {
    hold: (legId: string) => string;
    capture: (legId: string) => string;
    release: (legId: string) => string;
    refund: (refundId: string) => string;
  };
  /** The start of the references of a leg's transfers (`fund-leg:<legId>;`). */
  legPrefix: (legId: string) => string;
  /** The transfer codes of a hold (and its capture) and of a refund. */
  codes: { payment: string; refund: string };
  /** The scope of the leg lock (`lockFundLeg`). */
  lockScope: string;
  refusals: FundRefusals;
}

/** What a fund owner does for a hold once the contract's checks passed. */
export interface PlaceHold<C> {
  /** The hold's terms as its reference names them (`FundLegBook.terms`). */
  terms: string;
  /**
   * Do a replayed hold's reference and this request name the same terms? By default the reference
   * is the terms exactly; an owner that appends what it decided at the hold (IES: the fee) says
   * how its references start instead.
   */
  sameTerms?: (reference: string) => boolean;
  /**
   * What pays the request (the fund, its accounts), checked after the book's lapsed holds were
   * expired; throws the owner's refusal (NOT_COVERED) when nothing does.
   */
  cover: () => Promise<C>;
  /**
   * Holds the money in `tx` (the book's `hold` under `holdId`, for `timeoutSeconds`), answering the
   * hold: one transaction, never idle more than 10 s, retried on serialization failures.
   */
  place: (
    tx: EntityManager,
    covered: C,
    holdId: string,
    timeoutSeconds: number,
  ) => Promise<Transfer>;
}

/**
 * A fund owner's legs in its book: the hold's replay and expiry, the capture, the release, the
 * refunds and the leg's state, the same for every owner (the contract's idempotency by leg and by
 * refund id, its refusals). The owner says where the money comes from and goes to.
 */
export class FundLegBook {
  constructor(private readonly options: FundLegBookOptions) {}

  /** The hold's reference: the leg and its terms (`<fundKey>:` names the fund's id). */
  terms(request: HoldRequest, fundKey = 'fund'): string {
    const r = request;
    return (
      `${this.options.legPrefix(r.legId.toLowerCase())}checkout:${r.checkoutId.toLowerCase()};` +
      `person:${r.person.personId.toLowerCase()};offer:${r.offer.offerId.toLowerCase()};` +
      `provider:${r.offer.providerId.toLowerCase()};${fundKey}:${r.fundId.toLowerCase()}`
    );
  }

  /**
   * Holds the leg's money until `expiresAt` (capped at the book's MAX_HOLD_SECONDS, 30 days): the
   * same leg again answers its hold as it is now (whatever changed since); with other terms, amount
   * or code it is a LEG_CONFLICT. An `expiresAt` in the past is bad input. `how` says what pays and
   * holds the money; the book's refusals become the contract's.
   */
  async hold<C>(em: EntityManager, request: HoldRequest, how: PlaceHold<C>): Promise<FundLeg> {
    const { book, ids, codes, refusals } = this.options;
    const legId = request.legId.toLowerCase();
    const holdId = ids.hold(legId);
    const [existing] = await book.transfersById(em, [holdId]);
    if (existing) {
      const sameTerms = how.sameTerms ?? ((reference: string) => reference === how.terms);
      if (
        !sameTerms(existing.reference ?? '') ||
        existing.amount !== request.amountCents ||
        existing.code !== codes.payment
      )
        throw refusals.legConflict();
      return this.legOf(em, legId, existing);
    }
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
    const covered = await how.cover();
    let held: Transfer;
    try {
      held = await withRetry(() =>
        em.fork().transactional(async (tx) => {
          // Never idle with the payer's account locked.
          await limitIdleInTransaction(tx, 10_000);
          return how.place(tx, covered, holdId, timeoutSeconds);
        }),
      );
    } catch (err) {
      if (err instanceof InsufficientFunds) throw refusals.insufficient();
      if (err instanceof TransferConflict) throw refusals.legConflict();
      throw err;
    }
    return this.legOf(em, legId, held);
  }

  /**
   * Posts the leg's hold: the money reaches the provider. Idempotent. `post` does it (by default the
   * book's `post` of the hold alone); a lapsed hold is expired at once (the money is the payer's
   * again) and refused HOLD_EXPIRED, a closed one HOLD_NOT_PENDING, a missing one NOT_FOUND.
   */
  async capture(
    em: EntityManager,
    legId: string,
    post?: (legId: string) => Promise<unknown>,
  ): Promise<FundLeg> {
    const { book, ids, refusals } = this.options;
    const leg = legId.toLowerCase();
    try {
      if (post) await post(leg);
      else await book.post(em.fork(), { id: ids.capture(leg), pendingId: ids.hold(leg) });
    } catch (err) {
      if (err instanceof TransferNotFound) throw refusals.nothingHeld();
      if (err instanceof HoldExpired) {
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
   * Voids the leg's hold: the money is the payer's again. Idempotent; a leg never held answers
   * UNKNOWN and a lapsed one EXPIRED (nothing is held either way); a captured leg is refused
   * (HOLD_NOT_PENDING: refund it instead).
   */
  async release(em: EntityManager, legId: string): Promise<FundLeg> {
    const { book, ids, refusals } = this.options;
    const leg = legId.toLowerCase();
    try {
      await book.void(em.fork(), { id: ids.release(leg), pendingId: ids.hold(leg) });
    } catch (err) {
      if (err instanceof TransferNotFound) return unknownFundLeg(leg);
      if (!(err instanceof HoldNotPending) || err.status === 'POSTED') {
        throw err instanceof HoldNotPending ? refusals.holdClosed() : err;
      }
    }
    return this.leg(em, leg);
  }

  /**
   * Gives back `amountCents` of a captured leg, from the hold's credit account to `creditTo` (by
   * default the hold's debit account), idempotent by `refundId`. A leg's refunds are serialised
   * (the leg lock) and together never exceed the captured amount (REFUND_EXCEEDS_CAPTURE); the
   * same refund id with another leg or amount is a LEG_CONFLICT; INSUFFICIENT_FUNDS
   * (`providerGone`) when the provider's account no longer holds it.
   */
  async refund(
    em: EntityManager,
    request: RefundRequest,
    creditTo: (tx: EntityManager, hold: Transfer) => Promise<string> = (_tx, hold) =>
      Promise.resolve(hold.debitAccountId),
  ): Promise<FundLeg> {
    const { book, ids, legPrefix, codes, lockScope, refusals } = this.options;
    const legId = request.legId.toLowerCase();
    const refundId = ids.refund(request.refundId.toLowerCase());
    const reference = `${legPrefix(legId)}refund:${request.refundId.toLowerCase()}`;
    try {
      await withRetry(() =>
        em.fork().transactional(async (tx) => {
          await limitIdleInTransaction(tx, 10_000);
          await lockFundLeg(tx, lockScope, legId);
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
            credit: await creditTo(tx, hold),
            amount: request.amountCents,
            code: codes.refund,
            reference,
          });
        }),
      );
    } catch (err) {
      if (err instanceof TransferConflict) throw refusals.legConflict();
      if (err instanceof InsufficientFunds) throw refusals.providerGone();
      throw err;
    }
    return this.leg(em, legId);
  }

  /** The leg as the book has it (UNKNOWN when it was never held). */
  async leg(em: EntityManager, legId: string): Promise<FundLeg> {
    const leg = legId.toLowerCase();
    const [hold] = await this.options.book.transfersById(em, [this.options.ids.hold(leg)]);
    return hold ? this.legOf(em, leg, hold) : unknownFundLeg(leg);
  }

  /** Expires the book's lapsed holds (their money is the payers' again). */
  async expireLapsed(em: EntityManager): Promise<void> {
    await this.options.book.expire(em.fork());
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

  /** What was refunded of the leg so far (its refund transfers out of the provider's account). */
  private async refundedCents(
    em: EntityManager,
    legId: string,
    providerAccountId: string,
  ): Promise<number> {
    const totals = await this.options.book.movementTotals(
      em,
      { ids: [providerAccountId] },
      {
        codes: [this.options.codes.refund],
        referencePrefix: this.options.legPrefix(legId),
        by: 'set',
      },
    );
    return totals.reduce((sum, t) => sum + t.debits, 0);
  }
}
