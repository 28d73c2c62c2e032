import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, type Caller, type Localized } from '@welfare/kit';
import {
  HoldExpired,
  HoldNotPending,
  InsufficientFunds,
  TransferConflict,
  TransferNotFound,
  type Transfer,
  type TransferInput,
} from '@welfare/kit/book';
import type {
  IesCardAuthorisation,
  IesCardHoldRequest,
  IesCardQuoteRequest,
  IesCardQuoteResponse,
} from '@welfare/kit/contracts';
import { limitIdleInTransaction } from '@welfare/kit/deadline';
import { withRetry } from '@welfare/kit/sql';
import { Circuit } from '../circuit/circuit.entity.js';
import type { CircuitService } from '../circuit/circuit.service.js';
import { movementFee, type MovementFee } from '../fee/fee.js';
import {
  TransferCode,
  book,
  deterministicId,
  openCircuitAccounts,
  openWallet,
} from '../ledger/ledger.js';
import { Member } from '../member/member.entity.js';
import { requireCircuitStaff } from '../shared/access.js';
import type { CardFallbackDebt, CardFallbackRepository } from './card-fallback.repository.js';

/** A refused card-fallback operation, with its contract reason (`IES_CARD_REFUSALS`). */
export class CardFallbackRefusal extends DomainError {
  constructor(
    readonly reason: string,
    message: Localized,
    code: 'CONFLICT' | 'NOT_FOUND' = 'CONFLICT',
  ) {
    super(code, message);
  }
}

const refusals = {
  notAccepted: () =>
    new CardFallbackRefusal('IES_NOT_ACCEPTED', {
      it: 'Il negozio non accetta IES in un circuito di cui il titolare è socio.',
      en: 'The shop does not accept IES in a circuit the holder is a member of.',
    }),
  insufficient: () =>
    new CardFallbackRefusal('INSUFFICIENT_IES', {
      it: 'IES insufficienti per questo importo.',
      en: 'Not enough IES for this amount.',
    }),
  conflict: () =>
    new CardFallbackRefusal('AUTHORISATION_CONFLICT', {
      it: 'Questa autorizzazione è già stata usata con altri dati.',
      en: 'This authorisation was already used with other terms.',
    }),
  expired: () =>
    new CardFallbackRefusal('HOLD_EXPIRED', {
      it: 'La prenotazione degli IES è scaduta: gli IES sono di nuovo disponibili.',
      en: 'The IES hold has expired: the IES are available again.',
    }),
  expiredOwed: () =>
    new CardFallbackRefusal('HOLD_EXPIRED', {
      it: 'La prenotazione degli IES è scaduta e il portafoglio non copre più l’importo: il debito è registrato per lo staff del circuito.',
      en: 'The IES hold has expired and the wallet no longer covers the amount: the debt is recorded for the circuit’s staff.',
    }),
  closed: () =>
    new CardFallbackRefusal('HOLD_NOT_PENDING', {
      it: 'La prenotazione degli IES è già stata chiusa.',
      en: 'The IES hold has already been closed.',
    }),
  nothingHeld: () =>
    new CardFallbackRefusal(
      'HOLD_NOT_PENDING',
      {
        it: 'Nessun IES prenotato per questa autorizzazione.',
        en: 'No IES are held for this authorisation.',
      },
      'NOT_FOUND',
    ),
};

/** The book's transfer ids of an authorisation: the same id always names the same transfers. */
export const cardFallbackIds = {
  hold: (authorisationId: string) => deterministicId('card-fallback-hold', authorisationId),
  feeHold: (authorisationId: string) => deterministicId('card-fallback-fee-hold', authorisationId),
  capture: (authorisationId: string) => deterministicId('card-fallback-capture', authorisationId),
  feeCapture: (authorisationId: string) =>
    deterministicId('card-fallback-fee-capture', authorisationId),
  void: (authorisationId: string) => deterministicId('card-fallback-void', authorisationId),
  feeVoid: (authorisationId: string) => deterministicId('card-fallback-fee-void', authorisationId),
  /** The amount taken again from the holder when the hold lapsed before its capture. */
  retake: (authorisationId: string) => deterministicId('card-fallback-retake', authorisationId),
  feeRetake: (authorisationId: string) =>
    deterministicId('card-fallback-fee-retake', authorisationId),
};
const ids = cardFallbackIds;

/** A circuit's debts listed at most. */
const DEBTS_LIMIT = 200;

/** The default life of a hold nobody captures or voids: an hour (the POS's recovery has time). */
export const DEFAULT_HOLD_SECONDS = 3_600;

/** The circuit, the holder and the shop of a card payment, with their wallets. */
interface Parties {
  circuit: Circuit;
  holder: Member;
  shop: Member;
}

/**
 * The card's fallback (issue 17, item 5): a card payment at a shop that accepts IES spends the
 * voucher credit first (public-welfare's book) and then the holder's IES (this book), in one
 * authorisation. Called by public-welfare's POS only (its internal routes). The IES part is a hold
 * (code CARD_FALLBACK) from the holder's wallet to the shop's, and, when the circuit charges a fee
 * on it (not `welfareExempt`), a second hold of the fee to the circuit's fees account; both are
 * captured, voided or expire together. The payer is whoever the circuit's rule names: a PAYER fee
 * is on top of the amount, a PAYEE fee comes out of it (the shop receives less).
 */
export class CardFallbackService {
  constructor(
    private readonly repository: CardFallbackRepository,
    private readonly circuits: CircuitService,
  ) {}

  /** What the holder's IES can pay the shop now. No effect. */
  async quote(em: EntityManager, request: IesCardQuoteRequest): Promise<IesCardQuoteResponse> {
    const parties = await this.parties(em, request.fiscalCode, request.shopOrganisationId);
    if (!parties) return { accepted: false, circuitId: null, circuitName: null, spendableCents: 0 };
    const walletId = await openWallet(em, parties.holder);
    const wallet = await book.balance(em, walletId);
    return {
      accepted: true,
      circuitId: parties.circuit.id,
      circuitName: parties.circuit.name,
      spendableCents: spendable(parties.circuit, wallet.available),
    };
  }

  /**
   * Holds `amountCents` of the holder's IES for the shop (and the fee, if any), once per
   * authorisation id: a replay with the same terms answers the hold as it is now.
   */
  async hold(em: EntityManager, request: IesCardHoldRequest): Promise<IesCardAuthorisation> {
    const authorisationId = request.authorisationId.toLowerCase();
    const [existing] = await book.transfersById(em, [ids.hold(authorisationId)]);
    const parties = await this.parties(em, request.fiscalCode, request.shopOrganisationId);
    if (existing) {
      if (!parties || existing.reference !== reference(authorisationId, parties, request))
        throw refusals.conflict();
      return this.authorisation(em, authorisationId);
    }
    if (!parties) throw refusals.notAccepted();
    const fee = movementFee(parties.circuit, request.amountCents, { welfareFunded: true });
    if (fee.receivedCents < 1) {
      throw DomainError.badInput([
        {
          field: 'amountCents',
          message: {
            it: 'L’importo non supera la commissione del circuito.',
            en: "The amount does not exceed the circuit's fee.",
          },
        },
      ]);
    }
    try {
      await em.fork().transactional(async (tx) => {
        // Never idle with the holder's wallet locked.
        await limitIdleInTransaction(tx, 10_000);
        const holderWallet = await openWallet(tx, parties.holder);
        const shopWallet = await openWallet(tx, parties.shop);
        const timeoutSeconds = request.timeoutSeconds ?? DEFAULT_HOLD_SECONDS;
        const ref = reference(authorisationId, parties, request);
        await book.hold(tx, {
          id: ids.hold(authorisationId),
          debit: holderWallet,
          credit: shopWallet,
          amount: fee.receivedCents,
          code: TransferCode.CARD_FALLBACK,
          reference: ref,
          timeoutSeconds,
        });
        if (fee.feeCents > 0) {
          const accounts = await openCircuitAccounts(tx, parties.circuit.id);
          await book.hold(tx, {
            id: ids.feeHold(authorisationId),
            debit: holderWallet,
            credit: accounts.fees,
            amount: fee.feeCents,
            code: TransferCode.FEE,
            reference: ref,
            timeoutSeconds,
          });
        }
      });
    } catch (err) {
      if (err instanceof InsufficientFunds) throw refusals.insufficient();
      if (err instanceof TransferConflict) throw refusals.conflict();
      throw err;
    }
    return this.authorisation(em, authorisationId);
  }

  /**
   * Posts the authorisation's holds together: the IES reach the shop. Idempotent. Only the POS's
   * sale (the voucher part committed, the shop told "paid") is captured, so a hold that lapsed
   * first is not the end: the amount is taken again (`retake`).
   */
  async capture(em: EntityManager, authorisationId: string): Promise<IesCardAuthorisation> {
    const id = authorisationId.toLowerCase();
    try {
      await em.fork().transactional(async (tx) => {
        await limitIdleInTransaction(tx, 10_000);
        await book.post(tx, { id: ids.capture(id), pendingId: ids.hold(id) });
        const [feeHold] = await book.transfersById(tx, [ids.feeHold(id)]);
        if (feeHold) await book.post(tx, { id: ids.feeCapture(id), pendingId: ids.feeHold(id) });
      });
    } catch (err) {
      if (err instanceof TransferNotFound) throw refusals.nothingHeld();
      if (err instanceof HoldExpired || (err instanceof HoldNotPending && err.status === 'EXPIRED'))
        return this.retake(em, id);
      if (err instanceof HoldNotPending) throw refusals.closed();
      throw err;
    }
    return this.authorisation(em, id);
  }

  /**
   * The capture of an authorisation whose hold lapsed (expired, its IES the holder's again): the
   * amount and the fee are taken again from the holder's wallet, as the holds would have moved
   * them (CAPTURED), when it covers them; otherwise the debt is recorded for the circuit's staff
   * (`debts`) and HOLD_EXPIRED answered, and a later capture tries again (settling the debt).
   * Idempotent: the re-take's transfer ids are derived from the authorisation.
   */
  private async retake(em: EntityManager, id: string): Promise<IesCardAuthorisation> {
    await this.expireLapsed(em); // a lapsed hold still PENDING holds the amount: release it first
    const found = await book.transfersById(em, [ids.hold(id), ids.feeHold(id)]);
    const hold = found.find((t) => t.id === ids.hold(id));
    const feeHold = found.find((t) => t.id === ids.feeHold(id));
    const parties = hold && partiesOf(hold);
    if (!hold || !parties) throw refusals.nothingHeld();
    const transfers: TransferInput[] = [
      {
        id: ids.retake(id),
        debit: hold.debitAccountId,
        credit: hold.creditAccountId,
        amount: hold.amount,
        code: TransferCode.CARD_FALLBACK,
        reference: hold.reference ?? undefined,
      },
    ];
    if (feeHold) {
      transfers.push({
        id: ids.feeRetake(id),
        debit: feeHold.debitAccountId,
        credit: feeHold.creditAccountId,
        amount: feeHold.amount,
        code: TransferCode.FEE,
        reference: feeHold.reference ?? undefined,
      });
    }
    try {
      await withRetry(() =>
        em.fork().transactional(async (tx) => {
          await limitIdleInTransaction(tx, 10_000);
          await book.transferMany(tx, transfers);
          await this.repository.settleDebt(tx, id);
        }),
      );
    } catch (err) {
      if (!(err instanceof InsufficientFunds)) throw err;
      await this.repository.recordDebt(em.fork(), {
        authorisationId: id,
        ...parties,
        amountCents: hold.amount,
        feeCents: feeHold?.amount ?? 0,
      });
      throw refusals.expiredOwed();
    }
    return this.authorisation(em, id);
  }

  /**
   * A circuit's card-fallback debts (lapsed holds the holder's wallet could not cover again), the
   * OPEN ones first. The circuit's staff only.
   */
  async debts(em: EntityManager, caller: Caller, circuitId: string): Promise<CardFallbackDebt[]> {
    const circuit = await this.circuits.byId(em, circuitId);
    requireCircuitStaff(caller, circuit);
    return this.repository.debts(em, circuit.id, DEBTS_LIMIT);
  }

  /**
   * Voids the authorisation's holds together: the IES are the holder's again. Idempotent; an
   * authorisation never held answers UNKNOWN, a lapsed one EXPIRED; a captured one is refused.
   */
  async void(em: EntityManager, authorisationId: string): Promise<IesCardAuthorisation> {
    const id = authorisationId.toLowerCase();
    try {
      await em.fork().transactional(async (tx) => {
        await limitIdleInTransaction(tx, 10_000);
        await book.void(tx, { id: ids.void(id), pendingId: ids.hold(id) });
        const [feeHold] = await book.transfersById(tx, [ids.feeHold(id)]);
        if (feeHold) await book.void(tx, { id: ids.feeVoid(id), pendingId: ids.feeHold(id) });
      });
    } catch (err) {
      if (err instanceof TransferNotFound) return this.authorisation(em, id);
      if (!(err instanceof HoldNotPending) || err.status === 'POSTED') {
        throw err instanceof HoldNotPending ? refusals.closed() : err;
      }
      // EXPIRED or already VOIDED: nothing is held either way (a lapsed fee hold expires too).
      await this.expireLapsed(em);
    }
    return this.authorisation(em, id);
  }

  /** The authorisation as the book has it (UNKNOWN when it was never held). */
  async authorisation(em: EntityManager, authorisationId: string): Promise<IesCardAuthorisation> {
    const id = authorisationId.toLowerCase();
    const found = await book.transfersById(em, [ids.hold(id), ids.feeHold(id), ids.retake(id)]);
    const hold = found.find((t) => t.id === ids.hold(id));
    const feeHold = found.find((t) => t.id === ids.feeHold(id));
    const retaken = found.some((t) => t.id === ids.retake(id));
    if (!hold) {
      return {
        authorisationId: id,
        status: 'UNKNOWN',
        amountCents: 0,
        feeCents: 0,
        transferId: null,
        circuitId: null,
        expiresAt: null,
      };
    }
    return {
      authorisationId: id,
      status: retaken ? 'CAPTURED' : statusOf(hold),
      amountCents: amountOf(hold),
      feeCents: feeHold?.amount ?? 0,
      transferId: hold.id,
      circuitId: circuitOf(hold),
      expiresAt: hold.expiresAt?.toISOString() ?? null,
    };
  }

  /** Expires the book's lapsed holds (their IES are the holders' again). */
  async expireLapsed(em: EntityManager): Promise<number> {
    return book.expire(em.fork());
  }

  /**
   * The circuit where the shop (an identity Organisation) is an ACTIVE member accepting IES and
   * the holder an ACTIVE citizen member, the circuit ACTIVE; null when there is none (the oldest
   * membership of the shop first).
   */
  private async parties(
    em: EntityManager,
    fiscalCode: string,
    shopOrganisationId: string,
  ): Promise<Parties | null> {
    const shops = await em.find(
      Member,
      { organisationId: shopOrganisationId.toLowerCase(), status: 'ACTIVE', acceptsIes: true },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    if (shops.length === 0) return null;
    const holders = await em.find(Member, {
      fiscalCode: fiscalCode.toUpperCase(),
      kind: 'CITIZEN',
      status: 'ACTIVE',
      circuitId: { $in: shops.map((s) => s.circuitId) },
    });
    for (const shop of shops) {
      const holder = holders.find((h) => h.circuitId === shop.circuitId);
      if (!holder) continue;
      const circuit = await em.findOne(Circuit, { id: shop.circuitId, status: 'ACTIVE' });
      if (circuit) return { circuit, holder, shop };
    }
    return null;
  }
}

/**
 * The hold's reference: the authorisation and its terms (a replay must name the same ones). The
 * amount paid to the shop (before a PAYEE fee) is in it, so that the authorisation reads it back.
 */
function reference(authorisationId: string, parties: Parties, request: IesCardHoldRequest): string {
  return (
    `card-fallback:${authorisationId};circuit:${parties.circuit.id};` +
    `holder:${parties.holder.id};shop:${parties.shop.id};amount:${request.amountCents}`
  );
}

function amountOf(hold: Transfer): number {
  const match = /;amount:(\d+)$/.exec(hold.reference ?? '');
  return match ? Number(match[1]) : hold.amount;
}

/** The circuit, holder and shop a hold's reference names. */
function partiesOf(
  hold: Transfer,
): { circuitId: string; holderMemberId: string; shopMemberId: string } | null {
  const m = /;circuit:([0-9a-f-]{36});holder:([0-9a-f-]{36});shop:([0-9a-f-]{36});/.exec(
    hold.reference ?? '',
  );
  return m ? { circuitId: m[1]!, holderMemberId: m[2]!, shopMemberId: m[3]! } : null;
}

function circuitOf(hold: Transfer): string | null {
  return /;circuit:([0-9a-f-]{36});/.exec(hold.reference ?? '')?.[1] ?? null;
}

function statusOf(hold: Transfer): IesCardAuthorisation['status'] {
  if (hold.status === 'POSTED') return 'CAPTURED';
  if (hold.status === 'VOIDED') return 'VOIDED';
  const lapsed = hold.expiresAt !== null && hold.expiresAt.getTime() <= Date.now();
  return hold.status === 'EXPIRED' || lapsed ? 'EXPIRED' : 'HELD';
}

/**
 * The most a wallet holding `available` cents can pay a shop: all of it when the movement pays no
 * fee or the payee pays it; otherwise the largest amount whose amount + fee fits.
 */
export function spendable(rule: Parameters<typeof movementFee>[0], available: number): number {
  if (available <= 0) return 0;
  const debited = (amount: number): MovementFee =>
    movementFee(rule, amount, { welfareFunded: true });
  if (debited(available).debitedCents <= available) return available;
  let low = 0;
  let high = available;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (debited(mid).debitedCents <= available) low = mid;
    else high = mid - 1;
  }
  return low;
}
