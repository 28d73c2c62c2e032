import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller, type PersonCaller } from '@welfare/kit';
import { Campaign } from '../campaign/campaign.entity.js';
import type { Card } from '../card/card.entity.js';
import type { CardService } from '../card/card.service.js';
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
  shopAccount,
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
    const checkPin = async () => {
      // The PIN counter commits on its own, outside the payment's transaction: verifyPin checks
      // and counts under the card's row lock, so attempts on one card are serialised by the
      // database across every process (no per-process queue).
      const pin = await this.cards.verifyPin(em.fork(), card.id, input.pin);
      if (!pin.ok) {
        if (pin.reason === 'WRONG_PIN') throw refusals.wrongPin(pin.attemptsLeft);
        // The attempt that used the last try says so; a card already blocked stays CARD_BLOCKED.
        if (pin.reason === 'LOCKED') throw refusals.pinLocked();
        throw refusals.blocked();
      }
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

    await checkPin();

    const cardId = card.id;
    const holder = card.holderFiscalCodeHash;
    try {
      return await withRetry(() =>
        em.fork().transactional(async (tx) => {
          // Never idle with the card's and the shop's accounts locked: if this process dies,
          // PostgreSQL ends the transaction within seconds (see the kit's SESSION_SETTINGS_SQL).
          await tx.execute(`set local idle_in_transaction_session_timeout = '10s'`);
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
          const accounts = await tx.execute<{ id: string; code: string; available: string }[]>(
            `select id, code, (credits_posted - debits_posted - debits_pending)::text as available
               from "public_welfare"."book_account" where code = any(string_to_array(?, ','))
              order by id for no key update`,
            [codes.join(',')],
          );
          const byCode = new Map(accounts.map((a) => [a.code, a]));
          let left = amount;
          const legs: { from: string; accreditationId: string; amount: number }[] = [];
          for (const e of eligible) {
            const account = byCode.get(accountCodes.card(cardId, e.campaign_id));
            const available = Number(account?.available ?? 0);
            if (!account || available <= 0 || left === 0) continue;
            const take = Math.min(available, left);
            legs.push({ from: account.id, accreditationId: e.accreditation_id, amount: take });
            left -= take;
          }
          if (left > 0) throw refusals.insufficient();
          const transferIds: string[] = [];
          for (const [i, leg] of legs.entries()) {
            const to = await shopAccount(tx, leg.accreditationId);
            const id = deterministicId('payment', key, i);
            await book.transfer(tx, {
              id,
              debit: leg.from,
              credit: to.id,
              amount: leg.amount,
              code: TransferCode.PAYMENT,
              reference: `payment:${key}`,
            });
            transferIds.push(id);
          }
          const residualCents = await this.residual(tx, cardId);
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
          return { payment, residualCents };
        }),
      );
    } catch (err) {
      // A concurrent request with the same key may have won: answer as a replay.
      const raced = await replay();
      if (raced) return raced;
      throw err;
    }
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
        const transfers = await tx.execute<
          {
            id: string;
            debit_account_id: string;
            debit_code: string;
            credit_account_id: string;
            amount: string;
          }[]
        >(
          `select t.id, t.debit_account_id, a.code as debit_code, t.credit_account_id, t.amount::text as amount
             from "public_welfare"."book_transfer" t
             join "public_welfare"."book_account" a on a.id = t.debit_account_id
            where t.id = any(string_to_array(?, ',')::uuid[]) order by t.seq`,
          [payment.transferIds.join(',')],
        );
        const voidIds: string[] = [];
        for (const t of transfers) {
          // The credit goes back to the card that holds the holder's credit now: a card replaced
          // since the payment passed its credit on, so the refund follows it (never a dead card).
          const leg = parseCardAccountCode(t.debit_code);
          const back = leg
            ? (await cardAccount(tx, await liveCardId(tx, leg.cardId), leg.campaignId)).id
            : t.debit_account_id;
          const voidId = deterministicId('void', t.id);
          await book.transfer(tx, {
            id: voidId,
            debit: t.credit_account_id,
            credit: back,
            amount: Number(t.amount),
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
    const [row] = await em.execute<{ n: string }[]>(
      `select coalesce(sum(credits_posted - debits_posted - debits_pending), 0)::text as n
         from "public_welfare"."book_account" where code like ?`,
      [`card:${cardId}:campaign:%`],
    );
    return Number(row?.n ?? 0);
  }

  /** The caller's cards' credit, per campaign (a citizen logged in with SPID/CIE). */
  async myBalances(em: EntityManager, caller: Caller): Promise<CampaignBalance[]> {
    const cards = await this.cards.mine(em, caller);
    const out: CampaignBalance[] = [];
    for (const card of cards) out.push(...(await this.balancesOf(em, card.id)));
    return out;
  }

  async balancesOf(em: EntityManager, cardId: string): Promise<CampaignBalance[]> {
    const rows = await em.execute<
      {
        campaign_id: string;
        title: string;
        spending_from: string;
        spending_until: string;
        available: string;
        credited: string;
        spent: string;
        returned: string;
      }[]
    >(
      `select c.id as campaign_id, c.title, to_char(c.spending_from, 'YYYY-MM-DD') as spending_from,
              to_char(c.spending_until, 'YYYY-MM-DD') as spending_until,
              (a.credits_posted - a.debits_posted - a.debits_pending)::text as available,
              coalesce((select sum(amount) from "public_welfare"."book_transfer" t
                         where t.credit_account_id = a.id and t.code in ('TOPUP', 'CARD_REPLACED')), 0)::text as credited,
              coalesce((select sum(case when t.code = 'PAYMENT' then amount else -amount end)
                          from "public_welfare"."book_transfer" t
                         where (t.debit_account_id = a.id and t.code = 'PAYMENT')
                            or (t.credit_account_id = a.id and t.code = 'PAYMENT_VOID')), 0)::text as spent,
              coalesce((select sum(amount) from "public_welfare"."book_transfer" t
                         where t.debit_account_id = a.id and t.code = 'SWEEP'), 0)::text as returned
         from "public_welfare"."book_account" a
         join "public_welfare"."campaign" c on a.code = 'card:' || ? || ':campaign:' || c.id
        order by c.spending_until, c.id`,
      [cardId],
    );
    return rows.map((r) => ({
      cardId,
      campaignId: r.campaign_id,
      campaignTitle: r.title,
      creditedCents: Number(r.credited),
      spentCents: Number(r.spent),
      returnedCents: Number(r.returned),
      availableCents: Number(r.available),
      spendingFrom: r.spending_from,
      spendingUntil: r.spending_until,
    }));
  }

  /** A card's movements, newest first: its holder or the staff of its Comune. */
  async movements(em: EntityManager, caller: Caller, cardId: string): Promise<CardMovement[]> {
    const card = await this.cards.get(em, caller, cardId);
    if (!card) return [];
    const rows = await em.execute<
      {
        id: string;
        code: string;
        account_code: string;
        signed: string;
        reference: string | null;
        at: Date;
      }[]
    >(
      `select t.id, t.code, a.code as account_code,
              (case when t.credit_account_id = a.id then t.amount else -t.amount end)::text as signed,
              t.reference, t.created_at as at
         from "public_welfare"."book_account" a
         join "public_welfare"."book_transfer" t on a.id in (t.debit_account_id, t.credit_account_id)
        where a.code like ?
        order by t.seq desc limit 500`,
      [`card:${card.id}:campaign:%`],
    );
    return rows.map((r) => ({
      id: r.id,
      campaignId: r.account_code.split(':')[3]!,
      code: r.code,
      amountCents: Number(r.signed),
      reference: r.reference,
      at: new Date(r.at),
    }));
  }
}
