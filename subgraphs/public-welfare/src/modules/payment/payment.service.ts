import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller, type PersonCaller } from '@welfare/kit';
import { limitIdleInTransaction } from '@welfare/kit/deadline';
import type { Account } from '@welfare/kit/book';
import { liveCardId, type PinRow } from '../card/card.repository.js';
import type { CardService, PinCheck } from '../card/card.service.js';
import {
  TransferCode,
  accountCodes,
  book,
  cardAccount,
  cardCreditTotal,
  deterministicId,
  MoneyRefusal,
  parseCardAccountCode,
  shopAccountId,
} from '../ledger/ledger.js';
import { withRetry } from '@welfare/kit/sql';
import type { MessageService } from '../messages/message.service.js';
import { actorOf, isComuneStaff, isUuid } from '@welfare/kit/access';
import type { AuditService } from '../audit/audit.service.js';
import { SHOP_CATEGORIES, type ShopCategory } from '../shared/categories.js';
import { romeDay } from '@welfare/kit/dates';
import { ShopAccreditation } from '../shop/shop.entity.js';
import { worksAt } from '../shop/shop.service.js';
import { OutcomeUnknown, ServiceRefusal } from '@welfare/kit/service';
import { CardLast4Loader } from './card-last4.loader.js';
import type { IesCardPort } from './ies-card.port.js';
import { Payment } from './payment.entity.js';
import {
  eligibleCampaigns,
  insertPayment,
  lookupCharge,
  type ChargeLookup,
  type Eligible,
} from './payment.repository.js';

/** The largest payment: 1,000,000.00 euro in cents. */
export const MAX_PAYMENT_CENTS = 100_000_000;

export interface ChargeInput {
  /** The POS's idempotency key (a uuid): the payment's id. */
  idempotencyKey: string;
  accreditationId: string;
  /** Exactly one: the QR payload scanned, or the codice fiscale typed. */
  card: { qr?: string | null; fiscalCode?: string | null };
  pin: string;
  amountCents: number;
  category: string;
  /**
   * The card's fallback: the part to pay with the holder's IES, as the till showed it and the
   * holder agreed (`preview`). Needed when the voucher credit does not cover the amount.
   */
  iesCents?: number | null;
}

/** How a card payment would be paid: the voucher credit first, then the holder's IES. */
export interface ChargeSplit {
  voucherCents: number;
  iesCents: number;
  /** The voucher credit covers the amount, or the holder's IES the rest at this shop. */
  payable: boolean;
  iesCircuitName: string | null;
  /** ies-circuit could not be asked: only the voucher credit can pay. */
  iesUnavailable: boolean;
}

export interface ChargeResult {
  payment: Payment;
  /** The card's credit left in the Comune after the payment (all campaigns). */
  residualCents: number;
}

const refusals = {
  notAccredited: () =>
    new MoneyRefusal('SHOP_NOT_ACCREDITED', {
      it: 'Il negozio non è accreditato per le campagne del Comune di questa carta.',
      en: "The shop is not accredited for the campaigns of this card's Comune.",
    }),
  excluded: () =>
    new MoneyRefusal('CATEGORY_EXCLUDED', {
      it: 'Questa categoria di prodotti non si può pagare con la carta.',
      en: 'This category of goods cannot be paid with the card.',
    }),
  window: () =>
    new MoneyRefusal('OUTSIDE_WINDOW', {
      it: 'Fuori dal periodo di spesa della campagna.',
      en: "Outside the campaign's spending window.",
    }),
  blocked: () =>
    new MoneyRefusal('CARD_BLOCKED', {
      it: 'La carta è bloccata.',
      en: 'The card is blocked.',
    }),
  pinLocked: () =>
    new MoneyRefusal('PIN_LOCKED', {
      it: 'PIN errato: era il quinto tentativo, la carta ora è bloccata. Rivolgersi al Comune per sbloccarla.',
      en: 'Wrong PIN: that was the fifth attempt, the card is now blocked. Ask the Comune to unblock it.',
    }),
  wrongPin: (left: number) =>
    new MoneyRefusal('WRONG_PIN', {
      it: `PIN errato: ${left} tentativi rimasti.`,
      en: `Wrong PIN: ${left} attempts left.`,
    }),
  insufficient: () =>
    new MoneyRefusal('INSUFFICIENT_CREDIT', {
      it: 'Credito insufficiente.',
      en: 'Insufficient credit.',
    }),
  iesSplitChanged: (iesCents: number) =>
    new MoneyRefusal('IES_SPLIT_CHANGED', {
      it: `La parte da pagare con IES è cambiata (ora ${euro(iesCents)} IES): mostrare di nuovo la ripartizione al titolare.`,
      en: `The part to pay with IES has changed (now ${euro(iesCents)} IES): show the split to the holder again.`,
    }),
  iesUnavailable: () =>
    new MoneyRefusal('IES_UNAVAILABLE', {
      it: 'Il circuito IES non risponde: si può pagare solo con il credito del buono. Nulla è stato addebitato.',
      en: 'The IES circuit does not answer: only the voucher credit can pay. Nothing was charged.',
    }),
  insufficientIes: (message: { it: string; en: string }) =>
    new MoneyRefusal('INSUFFICIENT_IES', message),
  iesVoid: () =>
    new MoneyRefusal('IES_PAYMENT_NOT_VOIDABLE', {
      it: 'Un pagamento con una parte in IES non si può annullare dalla cassa: rivolgersi al gestore del circuito.',
      en: 'A payment with a part in IES cannot be voided at the till: ask the circuit’s manager.',
    }),
  replayConflict: () =>
    new MoneyRefusal('IDEMPOTENCY_CONFLICT', {
      it: 'Questa chiave di pagamento è già stata usata per un pagamento diverso.',
      en: 'This payment key was already used for a different payment.',
    }),
  cardNotFound: () =>
    new MoneyRefusal(
      'CARD_NOT_FOUND',
      { it: 'Carta non trovata.', en: 'Card not found.' },
      'NOT_FOUND',
    ),
  notHere: () =>
    new MoneyRefusal(
      'NOT_A_CASHIER',
      {
        it: 'Non lavora presso questo negozio.',
        en: 'You do not work at this shop.',
      },
      'FORBIDDEN',
    ),
};

/** Cents as euro with a comma (`8,00`). */
function euro(cents: number): string {
  return `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
}

/** The refusal of a PIN check that failed. */
function refusalOf(pin: PinCheck & { ok: false }): MoneyRefusal {
  if (pin.reason === 'WRONG_PIN') return refusals.wrongPin(pin.attemptsLeft);
  // The attempt that used the last try says so; a card already blocked stays CARD_BLOCKED.
  if (pin.reason === 'LOCKED') return refusals.pinLocked();
  return refusals.blocked();
}

/** The QR payload the till sent is not a valid, current one (BAD_USER_INPUT on `card.qr`). */
function invalidQr(): never {
  new FieldErrors().add('card.qr', 'QR code non valido.', 'Invalid QR code.').throwIfAny();
  throw new Error('unreachable');
}

/** What the payment's transaction ends with: the payment, or the PIN's refusal (its count committed). */
type ChargeOutcome =
  | ChargeResult
  | { pinRefused: PinCheck & { ok: false } }
  /** A preview's transaction: the split is in `seen.split`, nothing spent. */
  | { previewed: true };

/** A card payment's request, checked, with what the transaction needs to find the card. */
interface Charge {
  /** The idempotency key, lower case: the payment's id. */
  key: string;
  accreditationId: string;
  amount: number;
  category: ShopCategory;
  pin: string;
  /** The card a QR payload names (its signature checked), or undefined for a codice fiscale. */
  byQr: { cardId: string; nonce: string } | undefined;
  /** The key of the holder's codice fiscale among cards, or null for a QR payload. */
  fiscalCodeKey: string | null;
  /** Today in Italy, the day the spending windows are compared with. */
  today: string;
  /** The IES part the holder agreed to (null: voucher credit only). */
  iesCents: number | null;
  /** Only the split is computed (the PIN checked), nothing is spent. */
  preview?: boolean;
}

/** What a transaction tells the code around it about the card's fallback. */
interface Seen {
  card?: FoundCard;
  /** An IES hold was asked for under the payment's key (void it if the transaction fails). */
  iesHeld?: boolean;
  /** The split computed under the card's lock (a preview's answer). */
  split?: { voucherCents: number; shortfall: number; fiscalCode: string | null; shop: string };
}

/** The card the transaction found: its PIN row, and what a replay of the same request matches. */
interface FoundCard {
  id: string;
  pinRow: PinRow;
  matches: (p: Payment) => boolean;
}

/** A leg of the payment: a campaign account of the card, the shop credited, the cents. */
interface Leg {
  from: string;
  accreditationId: string;
  amount: number;
}

/**
 * Shop payments with beneficiary cards (the POS): checks, then one transaction that debits the
 * card's campaign accounts (earliest spending end first) into the shop's accounts, records the
 * payment under the POS's idempotency key and writes the holder's notice to the outbox.
 */
export class PaymentService {
  constructor(
    private readonly cards: CardService,
    private readonly messages: MessageService,
    private readonly audit: AuditService,
    private readonly now: () => Date = () => new Date(),
    /** The card's fallback (ies-circuit); null when not configured: voucher credit only. */
    private readonly ies: IesCardPort | null = null,
  ) {}

  /**
   * Payments under way in this process, by idempotency key. A POS that times out retries with the
   * same key while the first attempt is still running here: the retry waits for that attempt
   * instead of queueing a second PIN check and transaction behind it (under load, such retries
   * piled up faster than they were served and a key never got an answer in time).
   */
  private readonly inFlight = new Map<
    string,
    { fingerprint: string; run: Promise<ChargeResult> }
  >();

  async charge(em: EntityManager, caller: Caller, input: ChargeInput): Promise<ChargeResult> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const key = typeof input.idempotencyKey === 'string' ? input.idempotencyKey.toLowerCase() : '';
    // Same key, same caller and same request: join the attempt under way (a different request
    // with the same key takes the normal path, which refuses it as IDEMPOTENCY_CONFLICT).
    const fingerprint = JSON.stringify([
      caller.personId,
      input.accreditationId,
      input.card.qr ?? null,
      input.card.fiscalCode ?? null,
      input.pin,
      input.amountCents,
      input.category,
      input.iesCents ?? null,
    ]);
    const running = this.inFlight.get(key);
    if (running?.fingerprint === fingerprint) return running.run;
    const run = this.chargeOnce(em, caller, input);
    if (running || !key) return run;
    this.inFlight.set(key, { fingerprint, run });
    try {
      return await run;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async chargeOnce(
    em: EntityManager,
    caller: PersonCaller,
    input: ChargeInput,
  ): Promise<ChargeResult> {
    const charge = this.checkCharge(input);
    /** The card, once the transaction has found it: a raced key's replay needs it. */
    const seen: Seen = {};
    let outcome: ChargeOutcome;
    try {
      outcome = await withRetry(() =>
        em.fork().transactional((tx) => this.chargeInTransaction(tx, caller, charge, seen)),
      );
    } catch (err) {
      // The local part failed after the IES part was held: void the hold (all or nothing), unless
      // a payment under the key did commit (a concurrent request with the same key, whose hold
      // this one's replayed: a unique-key failure comes only after that one's commit). If the
      // void is not answered, or the payment cannot be read, the hold lapses on its own
      // (ies-circuit's expiry) or the recovery captures it.
      if (seen.iesHeld) await this.voidIesUnlessPaid(em, charge.key);
      // A concurrent request with the same key may have won (this one's payment insert failed on
      // the key): answer as a replay, with the PIN checked like any replay's.
      const found = seen.card;
      const raced = found ? await this.replayOf(em, charge.key, found) : null;
      if (!found || !raced) throw err;
      const pin = await this.cards.verifyPin(em.fork(), found.id, charge.pin);
      if (!pin.ok) throw refusalOf(pin);
      return raced;
    }
    // Outside the try: a wrong PIN is never answered with a concurrent request's payment.
    if ('pinRefused' in outcome) throw refusalOf(outcome.pinRefused);
    if ('previewed' in outcome) throw new Error('payment: a charge answered as a preview');
    // The voucher part is committed: capture the IES part. An unknown outcome leaves it HELD, and
    // the recovery (`recoverIes`) captures it later: never spent twice, never lost.
    if (outcome.payment.iesStatus === 'HELD') await this.captureIes(em, outcome.payment);
    return outcome;
  }

  /**
   * How a card payment would be paid (the till shows it before confirming): the voucher credit
   * first, then the holder's IES at a shop that accepts IES. The PIN is checked as for a payment;
   * nothing is spent.
   */
  async preview(em: EntityManager, caller: Caller, input: ChargeInput): Promise<ChargeSplit> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const charge = { ...this.checkCharge(input), preview: true };
    const seen: Seen = {};
    const outcome = await withRetry(() =>
      em.fork().transactional((tx) => this.chargeInTransaction(tx, caller, charge, seen)),
    );
    if ('pinRefused' in outcome) throw refusalOf(outcome.pinRefused);
    if (!('previewed' in outcome) || !seen.split) throw new Error('payment: preview not computed');
    const split = seen.split;
    const base = { voucherCents: split.voucherCents, iesCircuitName: null, iesUnavailable: false };
    if (split.shortfall === 0) return { ...base, iesCents: 0, payable: true };
    if (!this.ies || !split.fiscalCode) return { ...base, iesCents: 0, payable: false };
    try {
      const quote = await this.ies.quote(split.fiscalCode, split.shop);
      return {
        ...base,
        iesCents: quote.accepted ? split.shortfall : 0,
        payable: quote.accepted && quote.spendableCents >= split.shortfall,
        iesCircuitName: quote.circuitName,
      };
    } catch (err) {
      if (err instanceof ServiceRefusal || err instanceof OutcomeUnknown) {
        return { ...base, iesCents: 0, payable: false, iesUnavailable: true };
      }
      throw err;
    }
  }

  /** Captures a payment's IES part; an unknown outcome leaves it HELD for the recovery. */
  private async captureIes(em: EntityManager, payment: Payment): Promise<void> {
    if (!this.ies) return;
    try {
      const answer = await this.ies.capture(payment.id);
      await this.markIes(em, payment, answer.status === 'CAPTURED' ? 'CAPTURED' : 'HELD');
    } catch (err) {
      if (err instanceof ServiceRefusal && err.reason === 'HOLD_EXPIRED') {
        await this.markIes(em, payment, 'EXPIRED');
      } else if (!(err instanceof ServiceRefusal || err instanceof OutcomeUnknown)) {
        throw err;
      }
    }
  }

  private async markIes(
    em: EntityManager,
    payment: Payment,
    status: 'HELD' | 'CAPTURED' | 'EXPIRED',
  ): Promise<void> {
    if (status === 'HELD') return;
    await em
      .fork()
      .nativeUpdate(Payment, { id: payment.id, iesStatus: 'HELD' }, { iesStatus: status });
    payment.iesStatus = status;
  }

  /** Voids the IES hold of a payment whose local part failed (best effort: it lapses anyway). */
  private async voidIesUnlessPaid(em: EntityManager, key: string): Promise<void> {
    try {
      if (await em.fork().findOne(Payment, { id: key })) return;
      await this.ies?.void(key);
    } catch {
      // Not answered or refused: the hold expires on its own; nothing was captured.
    }
  }

  /**
   * The recovery of IES parts left HELD (the capture's outcome was unknown): captures each, once
   * the payment is `olderThanMs` old. Answers how many were settled. Safe in several processes
   * (capture is idempotent in ies-circuit; the update names the HELD state).
   */
  async recoverIes(em: EntityManager, olderThanMs = 30_000, limit = 50): Promise<number> {
    if (!this.ies) return 0;
    const held = await em
      .fork()
      .find(
        Payment,
        { iesStatus: 'HELD', createdAt: { $lt: new Date(Date.now() - olderThanMs) } },
        { orderBy: { createdAt: 'asc' }, limit },
      );
    let settled = 0;
    for (const payment of held) {
      await this.captureIes(em, payment);
      if (payment.iesStatus !== 'HELD') settled++;
    }
    return settled;
  }

  /**
   * The request's fields (BAD_USER_INPUT, with fields, before any statement runs) and the card
   * the till names: the QR payload's signature, or the codice fiscale's key.
   */
  private checkCharge(input: ChargeInput): Charge {
    const errors = new FieldErrors();
    const amount = input.amountCents;
    if (
      typeof amount !== 'number' ||
      !Number.isInteger(amount) ||
      amount < 1 ||
      amount > MAX_PAYMENT_CENTS
    )
      errors.add(
        'amountCents',
        `Un importo intero in centesimi da 1 a ${MAX_PAYMENT_CENTS}.`,
        `A whole number of cents from 1 to ${MAX_PAYMENT_CENTS}.`,
      );
    if (!isUuid(input.idempotencyKey))
      errors.add('idempotencyKey', 'Identificativo non valido.', 'Invalid id.');
    if (!isUuid(input.accreditationId))
      errors.add('accreditationId', 'Identificativo non valido.', 'Invalid id.');
    if (!(SHOP_CATEGORIES as readonly string[]).includes(input.category))
      errors.add('category', 'Categoria sconosciuta.', 'Unknown category.');
    const qr = input.card.qr ?? null;
    const fiscalCode = input.card.fiscalCode ?? null;
    if ((qr === null) === (fiscalCode === null))
      errors.add(
        'card',
        'Indicare il QR code oppure il codice fiscale.',
        'Give either the QR code or the codice fiscale.',
      );
    if (typeof input.pin !== 'string' || input.pin.length > 32)
      errors.add('pin', 'PIN non valido.', 'Invalid PIN.');
    const ies = input.iesCents ?? null;
    if (ies !== null && (!Number.isInteger(ies) || ies < 0 || ies > amount))
      errors.add(
        'iesCents',
        'La parte in IES: un intero di centesimi, al massimo l’importo.',
        'The IES part: a whole number of cents, at most the amount.',
      );
    errors.throwIfAny();
    const byQr = qr !== null ? this.cards.readQr(qr) : undefined;
    if (qr !== null && !byQr) invalidQr();
    return {
      key: input.idempotencyKey.toLowerCase(),
      accreditationId: input.accreditationId,
      amount,
      category: input.category as ShopCategory,
      pin: input.pin,
      byQr,
      fiscalCodeKey: fiscalCode !== null ? this.cards.fiscalCodeKey(fiscalCode) : null,
      today: romeDay(this.now()),
      iesCents: ies === 0 ? null : ies,
    };
  }

  /**
   * The payment's transaction: one statement reads the shop, its campaign, the card under its row
   * lock (the PIN's attempts are counted under it, across every process) and whether the key was
   * used; then a replay's answer, or the checks, the PIN and the payment. `seen.card` is the card
   * once found.
   */
  private async chargeInTransaction(
    tx: EntityManager,
    caller: PersonCaller,
    charge: Charge,
    seen: Seen,
  ): Promise<ChargeOutcome> {
    // Never idle with the card's and the shop's accounts locked: if this process dies,
    // PostgreSQL ends the transaction within seconds (see the kit's SESSION_SETTINGS_SQL).
    await limitIdleInTransaction(tx, 10_000);
    const row = await lookupCharge(tx, charge.accreditationId, charge.key, {
      cardId: charge.byQr ? charge.byQr.cardId : null,
      fiscalCodeKey: charge.fiscalCodeKey,
    });
    const card = this.foundCard(caller, charge, row);
    seen.card = card;
    // A replay of the same request answers the first result (the residual recorded with the
    // payment), and only to a caller who gives the right PIN again: the key alone proves
    // nothing. The PIN's attempt counts like any other.
    if (row!.paid && !charge.preview) return this.replayInTransaction(tx, charge, card);
    checkPayable(row!, charge);
    // The PIN, under the card's row lock: a wrong PIN commits its count (and nothing else), a
    // right one goes on to the payment.
    const pin = await this.cards.checkPinOfLockedRow(tx, card.id, card.pinRow, charge.pin);
    if (!pin.ok) return { pinRefused: pin };
    return this.pay(tx, caller, charge, row!, card.id, seen);
  }

  /**
   * The card of the first statement's row, once the caller works at the shop (NOT_A_CASHIER
   * otherwise) and a QR payload's nonce is the card's current one (BAD_USER_INPUT otherwise).
   */
  private foundCard(
    caller: PersonCaller,
    charge: Charge,
    row: ChargeLookup | undefined,
  ): FoundCard {
    if (!row?.merchant_id || !worksAt(caller, row.merchant_id)) throw refusals.notHere();
    if (charge.byQr && (!row.card_id || !this.cards.qrNonceMatches(row.qr_nonce!, charge.byQr))) {
      invalidQr();
    }
    if (!row.card_id) throw refusals.cardNotFound();
    const cardId = row.card_id;
    return {
      id: cardId,
      pinRow: {
        pin_hash: row.pin_hash!,
        pin_failures: row.pin_failures!,
        status: row.card_status!,
      },
      matches: (p: Payment) =>
        p.cardId === cardId &&
        p.accreditationId === charge.accreditationId &&
        p.amountCents === charge.amount &&
        p.category === charge.category,
    };
  }

  /** A replay inside the transaction: the same request's payment, once the PIN is right again. */
  private async replayInTransaction(
    tx: EntityManager,
    charge: Charge,
    card: FoundCard,
  ): Promise<ChargeOutcome> {
    const existing = await tx.findOneOrFail(Payment, { id: charge.key });
    if (!card.matches(existing)) throw refusals.replayConflict();
    const pin = await this.cards.checkPinOfLockedRow(tx, card.id, card.pinRow, charge.pin);
    if (!pin.ok) return { pinRefused: pin };
    return {
      payment: existing,
      residualCents: existing.residualCents ?? (await cardCreditTotal(tx, card.id)),
    };
  }

  /**
   * The payment itself, the PIN being right: the legs from the card's campaign accounts, the
   * payment's row, the holder's notice in the outbox, then the book's transfers.
   */
  private async pay(
    tx: EntityManager,
    caller: PersonCaller,
    charge: Charge,
    row: ChargeLookup,
    cardId: string,
    seen: Seen,
  ): Promise<ChargeOutcome> {
    const eligible = await eligibleCampaigns(
      tx,
      row.merchant_id!,
      row.shop_comune_id!,
      charge.today,
      charge.category,
    );
    // Lock every account of the card (id order) before reading what they can spend: the eligible
    // campaigns' pay, and all of them make the residual the holder is told.
    const accounts = await book.lockAccounts(tx, { owner: { kind: 'card', ids: [cardId] } });
    const { legs, shortfall } = spendingLegs(cardId, charge.amount, eligible, accounts);
    const fiscalCode = row.holder_fiscal_code_cipher
      ? this.cards.fiscalCodeOfCipher(row.holder_fiscal_code_cipher)
      : null;
    if (charge.preview) {
      seen.split = {
        voucherCents: charge.amount - shortfall,
        shortfall,
        fiscalCode,
        shop: row.merchant_id!,
      };
      // The preview's answer is the split (the transaction commits the PIN's count only).
      return { previewed: true };
    }
    // The card's fallback: the rest is paid with the holder's IES, held first in ies-circuit
    // (the holder agreed to this split), then the voucher part is committed here, then the hold
    // is captured (`chargeOnce`); if this transaction fails, the hold is voided.
    const ies = shortfall > 0 ? await this.holdIes(charge, row, fiscalCode, shortfall, seen) : null;
    // The shop's account is a hot account (every payment of a campaign credits it): the transfer
    // appends its credit without taking the account's row (the kit's book), so payments to one
    // shop do not queue on it. The transfers still come last, just before the commit (the card's
    // accounts are already locked above).
    const shopAccounts: string[] = [];
    for (const leg of legs) shopAccounts.push(await shopAccountId(tx, leg.accreditationId));
    const transferIds = legs.map((_, i) => deterministicId('payment', charge.key, i));
    const residualCents =
      accounts.reduce((n, a) => n + a.available, 0) - (charge.amount - shortfall);
    const payment = await insertPayment(tx, {
      id: charge.key,
      comuneId: row.shop_comune_id!,
      cardId,
      accreditationId: charge.accreditationId,
      cashierId: caller.personId,
      amountCents: charge.amount,
      category: charge.category,
      transferIds,
      residualCents,
      ies,
    });
    await this.messages.notify(tx, {
      comuneId: row.shop_comune_id!,
      campaignId: row.campaign_id!,
      to: { fiscalCodeHash: row.holder_fiscal_code_hash! },
      template: 'PAYMENT',
      params: {
        shopName: row.business_name!,
        amountCents: charge.amount,
        residualCents,
        paidAt: new Date(),
      },
      dedupeKey: `payment:${charge.key}`,
    });
    for (const [i, leg] of legs.entries()) {
      await book.transfer(tx, {
        id: transferIds[i]!,
        debit: leg.from,
        credit: shopAccounts[i]!,
        amount: leg.amount,
        code: TransferCode.PAYMENT,
        reference: `payment:${charge.key}`,
      });
    }
    // Last, just before the commit (no lock: the kit's sealer chains the row after the commit).
    await this.audit.record(
      tx,
      actorOf(caller),
      row.shop_comune_id,
      'PAYMENT',
      `payment:${charge.key}`,
    );
    return { payment, residualCents };
  }

  /**
   * Holds the part of the payment beyond the voucher credit in the holder's IES (ies-circuit),
   * under the payment's key, once the holder agreed to exactly this split. Refused with nothing
   * spent when the split changed, the shop does not accept IES, the IES do not cover it, or
   * ies-circuit cannot be asked.
   */
  private async holdIes(
    charge: Charge,
    row: ChargeLookup,
    fiscalCode: string | null,
    shortfall: number,
    seen: Seen,
  ): Promise<{ cents: number; transferId: string }> {
    if (charge.iesCents === null) throw refusals.insufficient();
    if (charge.iesCents !== shortfall) throw refusals.iesSplitChanged(shortfall);
    if (!this.ies || !fiscalCode) throw refusals.iesUnavailable();
    seen.iesHeld = true;
    try {
      const held = await this.ies.hold({
        authorisationId: charge.key,
        fiscalCode,
        shopOrganisationId: row.merchant_id!,
        amountCents: shortfall,
      });
      return { cents: shortfall, transferId: held.transferId! };
    } catch (err) {
      if (err instanceof ServiceRefusal) {
        if (err.reason === 'INSUFFICIENT_IES' || err.reason === 'IES_NOT_ACCEPTED') {
          throw refusals.insufficientIes(err.localized);
        }
        throw refusals.iesUnavailable();
      }
      if (err instanceof OutcomeUnknown) throw refusals.iesUnavailable();
      throw err;
    }
  }

  /** The payment already made under `key` for the same card and request, or null when none. */
  private async replayOf(
    em: EntityManager,
    key: string,
    card: { id: string; matches: (p: Payment) => boolean },
  ): Promise<ChargeResult | null> {
    const fresh = em.fork();
    const existing = await fresh.findOne(Payment, { id: key });
    if (!existing) return null;
    if (!card.matches(existing)) throw refusals.replayConflict();
    return {
      payment: existing,
      residualCents: existing.residualCents ?? (await cardCreditTotal(fresh, card.id)),
    };
  }

  /** Voids a payment the same day (OWNER or CASHIER of the shop): reverses its transfers. */
  async voidPayment(em: EntityManager, caller: Caller, id: string): Promise<Payment> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const notFound = () =>
      DomainError.notFound({ it: 'Pagamento non trovato.', en: 'Payment not found.' });
    const found = isUuid(id) ? await em.findOne(Payment, { id: id.toLowerCase() }) : null;
    const shop = found ? await em.findOne(ShopAccreditation, { id: found.accreditationId }) : null;
    if (!found || !shop || !worksAt(caller, shop.merchantId)) throw notFound();
    if (found.status === 'VOIDED') return found;
    if (found.iesCents > 0) throw refusals.iesVoid();
    if (romeDay(found.createdAt) !== romeDay(this.now())) {
      throw new MoneyRefusal('VOID_TOO_LATE', {
        it: 'Un pagamento si può annullare solo nel giorno in cui è stato fatto.',
        en: 'A payment can be voided only on the day it was made.',
      });
    }
    return withRetry(() =>
      em.fork().transactional(async (tx) => {
        const payment = await tx.findOneOrFail(
          Payment,
          { id: found.id },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        if (payment.status === 'VOIDED') return payment;
        const voidIds = await reverseTransfers(tx, payment);
        payment.status = 'VOIDED';
        payment.voidedAt = new Date();
        payment.voidTransferIds = voidIds;
        await tx.flush();
        await this.audit.record(
          tx,
          actorOf(caller),
          payment.comuneId,
          'VOID_PAYMENT',
          `payment:${payment.id}`,
        );
        return payment;
      }),
    );
  }

  /** A shop's payments, newest first (its OWNERs and CASHIERs; staff of its Comune). */
  async forShop(em: EntityManager, caller: Caller, accreditationId: string, limit = 100) {
    const shop = isUuid(accreditationId)
      ? await em.findOne(ShopAccreditation, { id: accreditationId })
      : null;
    if (!shop || !(worksAt(caller, shop.merchantId) || isComuneStaff(caller, shop.comuneId)))
      return [];
    return em.find(
      Payment,
      { accreditationId },
      { orderBy: { createdAt: 'desc', id: 'asc' }, limit: Math.min(Math.max(limit, 1), 500) },
    );
  }

  /**
   * The payment made under a till's idempotency key, for the people of its shop (and the staff of
   * its Comune); null when there is none or the caller may not see it. After an unknown outcome
   * (the till's call timed out), this is how the till learns whether the payment was made: a
   * request answered after its deadline never commits later (the kit's deadline.ts), so "none"
   * is final and the payment may be retried with the same key.
   */
  async byKey(em: EntityManager, caller: Caller, idempotencyKey: string): Promise<Payment | null> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(idempotencyKey)) {
      new FieldErrors()
        .add('idempotencyKey', 'Identificativo non valido.', 'Invalid id.')
        .throwIfAny();
    }
    const payment = await em.findOne(Payment, { id: idempotencyKey.toLowerCase() });
    if (!payment) return null;
    const shop = await em.findOne(ShopAccreditation, { id: payment.accreditationId });
    if (!shop || !(worksAt(caller, shop.merchantId) || isComuneStaff(caller, shop.comuneId)))
      return null;
    return payment;
  }

  /** One loader of cards' last digits per request (the key is the request's context object). */
  private readonly last4Loaders = new WeakMap<object, CardLast4Loader>();

  /**
   * The last 4 digits of the number of the payment's card (the full number is never answered).
   * The payments of one request share one query.
   */
  cardLast4(em: EntityManager, request: object, payment: Payment): Promise<string> {
    let loader = this.last4Loaders.get(request);
    if (!loader) {
      loader = new CardLast4Loader(em);
      this.last4Loaders.set(request, loader);
    }
    return loader.load(payment.cardId);
  }
}

/**
 * The shop, the card and the day allow the payment (checked after the replay's answer: a replay
 * is answered whatever changed since).
 */
function checkPayable(row: ChargeLookup, charge: Charge): void {
  if (row.card_comune_id !== row.shop_comune_id || row.shop_status !== 'ACCREDITED')
    throw refusals.notAccredited();
  if (row.excluded_categories!.includes(charge.category)) throw refusals.excluded();
  if (charge.today < row.spending_from! || charge.today > row.spending_until!)
    throw refusals.window();
  if (row.card_status !== 'ACTIVE') throw refusals.blocked();
}

/**
 * The legs of a payment of `amount`: the card's credit in the eligible campaigns, in their order
 * (the earliest spending end first), until the amount is covered; `shortfall` is what they do not
 * cover (the card's fallback may pay it with IES, else INSUFFICIENT_CREDIT).
 */
function spendingLegs(
  cardId: string,
  amount: number,
  eligible: readonly Eligible[],
  accounts: readonly Account[],
): { legs: Leg[]; shortfall: number } {
  const byCode = new Map(accounts.map((a) => [a.code, a]));
  let left = amount;
  const legs: Leg[] = [];
  for (const e of eligible) {
    const account = byCode.get(accountCodes.card(cardId, e.campaign_id));
    const available = account?.available ?? 0;
    if (!account || available <= 0 || left === 0) continue;
    const take = Math.min(available, left);
    legs.push({ from: account.id, accreditationId: e.accreditation_id, amount: take });
    left -= take;
  }
  return { legs, shortfall: left };
}

/**
 * Reverses a payment's transfers (PAYMENT_VOID, ids derived from each transfer): the credit goes
 * back to the card that holds the holder's credit now. Returns the void transfers' ids.
 */
async function reverseTransfers(tx: EntityManager, payment: Payment): Promise<string[]> {
  const transfers = await book.transfersById(tx, payment.transferIds);
  const debited = new Map(
    (await book.accounts(tx, { ids: transfers.map((t) => t.debitAccountId) })).map((a) => [
      a.id,
      a,
    ]),
  );
  const voidIds: string[] = [];
  for (const t of transfers) {
    // A card replaced since the payment passed its credit on, so the refund follows it (never a
    // dead card).
    const leg = parseCardAccountCode(debited.get(t.debitAccountId)?.code ?? '');
    const back = leg
      ? (await cardAccount(tx, await liveCardId(tx, leg.cardId), leg.campaignId)).id
      : t.debitAccountId;
    const voidId = deterministicId('void', t.id);
    await book.transfer(tx, {
      id: voidId,
      debit: t.creditAccountId,
      credit: back,
      amount: t.amount,
      code: TransferCode.PAYMENT_VOID,
      reference: `payment:${payment.id}`,
    });
    voidIds.push(voidId);
  }
  return voidIds;
}
