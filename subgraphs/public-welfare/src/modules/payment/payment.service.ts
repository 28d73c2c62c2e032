import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  DomainError,
  FieldErrors,
  limitIdleInTransaction,
  type Caller,
  type PersonCaller,
} from '@welfare/kit';
import { arrayLiteral } from '@welfare/kit/book';
import { Campaign } from '../campaign/campaign.entity.js';
import type { Card } from '../card/card.entity.js';
import type { CardService, PinCheck } from '../card/card.service.js';
import type { MessageService } from '../messages/message.service.js';
import {
  TransferCode,
  accountCodes,
  book,
  cardAccount,
  deterministicId,
  italianDate,
  liveCardId,
  MoneyRefusal,
  parseCardAccountCode,
  shopAccountId,
  withRetry,
} from '../money/ledger.js';
import { isComuneStaff, isUuid } from '../shared/access.js';
import { ShopAccreditation } from '../shop/shop-accreditation.entity.js';
import { worksAt } from '../shop/shop.service.js';
import { SHOP_CATEGORIES, type ShopCategory } from '../shop/shop.enums.js';
import { Payment } from './payment.entity.js';

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
}

export interface ChargeResult {
  payment: Payment;
  /** The card's credit left in the Comune after the payment (all campaigns). */
  residualCents: number;
}

/** A card's credit for one campaign (credit moved from a replaced card counts as credited). */
export interface CampaignBalance {
  cardId: string;
  campaignId: string;
  campaignTitle: string;
  creditedCents: number;
  spentCents: number;
  returnedCents: number;
  availableCents: number;
  spendingFrom: string;
  spendingUntil: string;
}

/** One movement on a card's accounts: positive when credit arrives, negative when it leaves. */
export interface CardMovement {
  id: string;
  campaignId: string;
  code: string;
  amountCents: number;
  reference: string | null;
  at: Date;
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

/**
 * One request's loader of the last 4 digits of cards' numbers: the cards asked for while the
 * request resolves a list of payments are read with one query, each once. Only the last 4 digits
 * leave the database.
 */
class CardLast4Loader {
  private readonly byCard = new Map<string, Promise<string>>();
  private pending: {
    cardId: string;
    resolve: (d: string) => void;
    reject: (e: unknown) => void;
  }[] = [];

  constructor(private readonly em: EntityManager) {}

  load(cardId: string): Promise<string> {
    let digits = this.byCard.get(cardId);
    if (!digits) {
      digits = new Promise<string>((resolve, reject) => {
        this.pending.push({ cardId, resolve, reject });
      });
      this.byCard.set(cardId, digits);
      // A list of payments resolves its fields in one tick: wait for all of them.
      if (this.pending.length === 1) setImmediate(() => void this.dispatch());
    }
    return digits;
  }

  private async dispatch(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      const rows = await this.em.execute<{ id: string; last4: string }[]>(
        `select "id", right("number", 4) as "last4" from "public_welfare"."card"
          where "id" = any(string_to_array(?, ',')::uuid[])`,
        [batch.map((b) => b.cardId).join(',')],
      );
      const found = new Map(rows.map((r) => [r.id, r.last4]));
      for (const b of batch) {
        const last4 = found.get(b.cardId);
        if (last4 === undefined) b.reject(new Error(`Card ${b.cardId} of a payment not found`));
        else b.resolve(last4);
      }
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }
}

/** What the payment's transaction ends with: the payment, or the PIN's refusal (its count committed). */
type ChargeOutcome = ChargeResult | { pinRefused: PinCheck & { ok: false } };

/** A leg of a payment: a campaign whose credit it spends. */
interface Eligible {
  accreditation_id: string;
  campaign_id: string;
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
    private readonly now: () => Date = () => new Date(),
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
    errors.throwIfAny();
    const key = input.idempotencyKey.toLowerCase();
    const category = input.category as ShopCategory;

    const shop = await em.findOne(ShopAccreditation, { id: input.accreditationId });
    if (!shop || !worksAt(caller, shop.merchantId)) throw refusals.notHere();

    let card: Card | null;
    if (qr !== null) {
      card = await this.cards.findByQr(em, qr);
      if (!card) {
        new FieldErrors().add('card.qr', 'QR code non valido.', 'Invalid QR code.').throwIfAny();
      }
    } else {
      card = await this.cards.findByFiscalCode(em, shop.comuneId, fiscalCode!);
    }
    if (!card) throw refusals.cardNotFound();

    const same = (p: Payment) =>
      p.cardId === card.id &&
      p.accreditationId === shop.id &&
      p.amountCents === amount &&
      p.category === category;
    // A replay of the same request answers the first result (the residual recorded with the
    // payment), and only to a caller who gives the right PIN again: the key alone proves nothing.
    const replay = async (): Promise<ChargeResult | null> => {
      const fresh = em.fork();
      const existing = await fresh.findOne(Payment, { id: key });
      if (!existing) return null;
      if (!same(existing)) throw refusals.replayConflict();
      return {
        payment: existing,
        residualCents: existing.residualCents ?? (await this.residual(fresh, card.id)),
      };
    };
    const refusalOf = (pin: PinCheck & { ok: false }) => {
      if (pin.reason === 'WRONG_PIN') return refusals.wrongPin(pin.attemptsLeft);
      // The attempt that used the last try says so; a card already blocked stays CARD_BLOCKED.
      if (pin.reason === 'LOCKED') return refusals.pinLocked();
      return refusals.blocked();
    };
    const checkPin = async () => {
      // The PIN counter commits on its own, outside the payment's transaction: verifyPin checks
      // and counts under the card's row lock, so attempts on one card are serialised by the
      // database across every process (no per-process queue).
      const pin = await this.cards.verifyPin(em.fork(), card.id, input.pin);
      if (!pin.ok) throw refusalOf(pin);
    };
    const earlier = await replay();
    if (earlier) {
      await checkPin();
      return earlier;
    }

    if (card.comuneId !== shop.comuneId || shop.status !== 'ACCREDITED')
      throw refusals.notAccredited();
    const campaign = await em.findOneOrFail(Campaign, { id: shop.campaignId });
    if (campaign.excludedCategories.includes(category)) throw refusals.excluded();
    const today = italianDate(this.now());
    if (today < campaign.spendingFrom || today > campaign.spendingUntil) throw refusals.window();
    if (card.status !== 'ACTIVE') throw refusals.blocked();

    const cardId = card.id;
    const holder = card.holderFiscalCodeHash;
    let outcome: ChargeOutcome;
    try {
      outcome = await withRetry(() =>
        em.fork().transactional(async (tx): Promise<ChargeOutcome> => {
          // Never idle with the card's and the shop's accounts locked: if this process dies,
          // PostgreSQL ends the transaction within seconds (see the kit's SESSION_SETTINGS_SQL).
          await limitIdleInTransaction(tx, 10_000);
          // The PIN first, under the card's row lock, in this transaction: a wrong PIN commits
          // its count (and nothing else), a right one goes on to the payment.
          const pin = await this.cards.checkPinLocked(tx, cardId, input.pin);
          if (!pin) throw refusals.cardNotFound();
          if (!pin.ok) return { pinRefused: pin };
          const eligible = await tx.execute<Eligible[]>(
            `select a.id as accreditation_id, c.id as campaign_id
               from "public_welfare"."shop_accreditation" a
               join "public_welfare"."campaign" c on c.id = a.campaign_id
              where a.merchant_id = ? and a.comune_id = ? and a.status = 'ACCREDITED'
                and c.spending_from <= ?::date and c.spending_until >= ?::date
                and not (? = any(c.excluded_categories))
              order by c.spending_until, c.id`,
            [shop.merchantId, shop.comuneId, today, today, category],
          );
          const codes = eligible.map((e) => accountCodes.card(cardId, e.campaign_id));
          // Lock the card's accounts (id order) before reading what they can spend.
          const accounts = await book.lockAccounts(tx, { codes });
          const byCode = new Map(accounts.map((a) => [a.code, a]));
          let left = amount;
          const legs: { from: string; accreditationId: string; amount: number }[] = [];
          for (const e of eligible) {
            const account = byCode.get(accountCodes.card(cardId, e.campaign_id));
            const available = account?.available ?? 0;
            if (!account || available <= 0 || left === 0) continue;
            const take = Math.min(available, left);
            legs.push({ from: account.id, accreditationId: e.accreditation_id, amount: take });
            left -= take;
          }
          if (left > 0) throw refusals.insufficient();
          // The shop's account is a hot account (every payment of a campaign credits it): the
          // transfer appends its credit without taking the account's row (the kit's book), so
          // payments to one shop do not queue on it. The transfers still come last, just before
          // the commit (the card's accounts are already locked above).
          const shopAccounts = [];
          for (const leg of legs) shopAccounts.push(await shopAccountId(tx, leg.accreditationId));
          const transferIds = legs.map((_, i) => deterministicId('payment', key, i));
          const residualCents = (await this.residual(tx, cardId)) - amount;
          const payment = tx.create(Payment, {
            id: key,
            comuneId: shop.comuneId,
            cardId,
            accreditationId: shop.id,
            cashierId: caller.personId,
            amountCents: amount,
            category,
            transferIds,
            residualCents,
          });
          await tx.flush();
          await this.messages.notify(tx, {
            comuneId: shop.comuneId,
            campaignId: shop.campaignId,
            to: { fiscalCodeHash: holder },
            template: 'PAYMENT',
            params: { shopName: shop.businessName, amountCents: amount, residualCents },
            dedupeKey: `payment:${key}`,
          });
          for (const [i, leg] of legs.entries()) {
            await book.transfer(tx, {
              id: transferIds[i]!,
              debit: leg.from,
              credit: shopAccounts[i]!,
              amount: leg.amount,
              code: TransferCode.PAYMENT,
              reference: `payment:${key}`,
            });
          }
          return { payment, residualCents };
        }),
      );
    } catch (err) {
      // A concurrent request with the same key may have won: answer as a replay (its PIN is
      // checked like any replay's).
      const raced = await replay();
      if (raced) {
        await checkPin();
        return raced;
      }
      throw err;
    }
    // Outside the try: a wrong PIN is never answered with a concurrent request's payment.
    if ('pinRefused' in outcome) throw refusalOf(outcome.pinRefused);
    return outcome;
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
    if (italianDate(found.createdAt) !== italianDate(this.now())) {
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
        const transfers = await book.transfersById(tx, payment.transferIds);
        const debited = new Map(
          (await book.accounts(tx, { ids: transfers.map((t) => t.debitAccountId) })).map((a) => [
            a.id,
            a,
          ]),
        );
        const voidIds: string[] = [];
        for (const t of transfers) {
          // The credit goes back to the card that holds the holder's credit now: a card replaced
          // since the payment passed its credit on, so the refund follows it (never a dead card).
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
        payment.status = 'VOIDED';
        payment.voidedAt = new Date();
        payment.voidTransferIds = voidIds;
        await tx.flush();
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

  /** The card's credit in all its campaigns' accounts. */
  async residual(em: EntityManager, cardId: string): Promise<number> {
    const [total] = await book.ownerTotals(em, { kind: 'card', ids: [cardId] });
    return total?.available ?? 0;
  }

  /** The caller's cards' credit, per campaign (a citizen logged in with SPID/CIE). */
  async myBalances(em: EntityManager, caller: Caller): Promise<CampaignBalance[]> {
    const cards = await this.cards.mine(em, caller);
    const out: CampaignBalance[] = [];
    for (const card of cards) out.push(...(await this.balancesOf(em, card.id)));
    return out;
  }

  async balancesOf(em: EntityManager, cardId: string): Promise<CampaignBalance[]> {
    // The card's accounts (one per campaign) and their movements by code, from the book...
    const accounts = await book.accounts(em, { owner: { kind: 'card', ids: [cardId] } });
    const byCampaign = new Map(accounts.map((a) => [a.owner?.scopeId ?? '', a]));
    const totals = accounts.length
      ? await book.movementTotals(
          em,
          { ids: accounts.map((a) => a.id) },
          {
            codes: [
              TransferCode.TOPUP,
              TransferCode.CARD_REPLACED,
              TransferCode.PAYMENT,
              TransferCode.PAYMENT_VOID,
              TransferCode.SWEEP,
            ],
          },
        )
      : [];
    const sum = (accountId: string, code: string, side: 'credits' | 'debits') =>
      totals
        .filter((t) => t.accountId === accountId && t.code === code)
        .reduce((n, t) => n + t[side], 0);
    // ...then their campaigns.
    const campaigns = await em.execute<
      { id: string; title: string; spending_from: string; spending_until: string }[]
    >(
      `select c.id, c.title, to_char(c.spending_from, 'YYYY-MM-DD') as spending_from,
              to_char(c.spending_until, 'YYYY-MM-DD') as spending_until
         from "public_welfare"."campaign" c where c.id = any(?::uuid[])
        order by c.spending_until, c.id`,
      [arrayLiteral([...byCampaign.keys()].filter(isUuid))],
    );
    return campaigns.map((c) => {
      const a = byCampaign.get(c.id)!;
      return {
        cardId,
        campaignId: c.id,
        campaignTitle: c.title,
        creditedCents:
          sum(a.id, TransferCode.TOPUP, 'credits') +
          sum(a.id, TransferCode.CARD_REPLACED, 'credits'),
        spentCents:
          sum(a.id, TransferCode.PAYMENT, 'debits') -
          sum(a.id, TransferCode.PAYMENT_VOID, 'credits'),
        returnedCents: sum(a.id, TransferCode.SWEEP, 'debits'),
        availableCents: a.available,
        spendingFrom: c.spending_from,
        spendingUntil: c.spending_until,
      };
    });
  }

  /** A card's movements, newest first: its holder or the staff of its Comune. */
  async movements(em: EntityManager, caller: Caller, cardId: string): Promise<CardMovement[]> {
    const card = await this.cards.get(em, caller, cardId);
    if (!card) return [];
    const { items } = await book.statement(
      em,
      { owner: { kind: 'card', ids: [card.id] } },
      { limit: 500 },
    );
    return items.map((m) => ({
      id: m.transferId,
      campaignId: m.accountOwner?.scopeId ?? '',
      code: m.code!,
      amountCents: m.amount,
      reference: m.reference,
      at: m.createdAt,
    }));
  }
}
