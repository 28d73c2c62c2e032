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
  FundOption,
  FundPerson,
  HoldRequest,
  QuoteRequest,
  QuoteResponse,
  RefundRequest,
} from '@welfare/kit/contracts';
import { romeDay } from '@welfare/kit/dates';
import { limitIdleInTransaction } from '@welfare/kit/deadline';
import { isValidPersonalFiscalCode, normaliseFiscalCode } from '@welfare/kit/pii';
import type { Campaign } from '../campaign/campaign.entity.js';
import { liveCardId } from '../card/card.repository.js';
import type { CardService } from '../card/card.service.js';
import {
  MoneyRefusal,
  TransferCode,
  accountCodes,
  book,
  cardAccount,
  parseCardAccountCode,
  providerAccount,
  withRetry,
} from '../ledger/ledger.js';
import { legPrefix, legTransferIds } from './fund-holds.js';
import { cardStatus, coveringCampaigns, lockLeg, liveCardOf } from './fund.repository.js';

/** The refusals of the fund contract (`FUND_REFUSALS`), in Italian and English. */
const refusals = {
  notCovered: () =>
    new MoneyRefusal('NOT_COVERED', {
      it: 'Questo credito non può pagare questo servizio.',
      en: 'This credit cannot pay for this service.',
    }),
  cardBlocked: () =>
    new MoneyRefusal('NOT_COVERED', {
      it: 'La carta del beneficiario è bloccata: il suo credito non si può usare.',
      en: "The beneficiary's card is blocked: its credit cannot be used.",
    }),
  insufficient: () =>
    new MoneyRefusal('INSUFFICIENT_FUNDS', {
      it: 'Credito insufficiente per questo importo.',
      en: 'Not enough credit for this amount.',
    }),
  holdExpired: () =>
    new MoneyRefusal('HOLD_EXPIRED', {
      it: 'La prenotazione del credito è scaduta: il credito è di nuovo disponibile.',
      en: 'The hold has expired: the credit is available again.',
    }),
  holdClosed: () =>
    new MoneyRefusal('HOLD_NOT_PENDING', {
      it: 'La prenotazione del credito è già stata chiusa.',
      en: 'The hold has already been closed.',
    }),
  nothingHeld: () =>
    new MoneyRefusal(
      'HOLD_NOT_PENDING',
      { it: 'Nessun credito prenotato per questa voce.', en: 'No credit is held for this leg.' },
      'NOT_FOUND',
    ),
  notCaptured: () =>
    new MoneyRefusal('HOLD_NOT_PENDING', {
      it: 'Si può rimborsare solo un pagamento addebitato.',
      en: 'Only a captured payment can be refunded.',
    }),
  legConflict: () =>
    new MoneyRefusal('LEG_CONFLICT', {
      it: 'Questa voce di pagamento è già stata usata con altri dati.',
      en: 'This payment leg was already used with other terms.',
    }),
  providerPaid: () =>
    new MoneyRefusal('INSUFFICIENT_FUNDS', {
      it: 'Il Comune ha già pagato questo importo all’ente con un lotto di rimborso: il credito non può tornare alla carta da qui.',
      en: 'The Comune has already paid this amount to the provider in a reimbursement batch: the credit cannot go back to the card from here.',
    }),
  refundExceeds: (left: number) =>
    new MoneyRefusal('REFUND_EXCEEDS_CAPTURE', {
      it: `Si possono rimborsare al massimo altri ${left} centesimi di questo pagamento.`,
      en: `At most ${left} more cents of this payment can be refunded.`,
    }),
};

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
 * Public-welfare as a fund owner (the fund contract of `@welfare/kit/contracts`, called by the
 * payments subgraph only): a beneficiary's card credit in a Comune's campaign pays catalogue
 * services of the categories the campaign names, at accredited providers, within its spending
 * window (Italian days), like `Offer.coveredByCampaigns` says. The person is the holder of the
 * Comune's live card for their codice fiscale (no codice fiscale: no funds), and the card must be
 * ACTIVE.
 *
 * Money moves in the subgraph's book: a hold is a pending transfer (code SERVICE_PAYMENT) from the
 * card's account for the campaign to the provider's account for the campaign
 * (`provider:<providerId>:campaign:<campaignId>`, what the Comune owes the provider), its id
 * derived from the leg id; the capture posts it, the release voids it, a lapsed hold expires; a
 * refund (SERVICE_REFUND) goes back from the provider's account to the card's account (the live
 * card's, if the card was replaced meanwhile). Hold expiries run on the book's clock (the system's);
 * `now` is the clock of the spending windows.
 */
export class FundService {
  constructor(
    private readonly cards: CardService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** What the person can spend on the offer: one option per campaign that covers it. No effect. */
  async quote(em: EntityManager, request: QuoteRequest): Promise<QuoteResponse> {
    await this.expireLapsed(em);
    const found = await this.coverage(em, request.person, request.offer);
    if (!found) return { options: [] };
    const { cardId, campaigns } = found;
    if (!campaigns.length) return { options: [] };
    const accounts = await book.accounts(em, {
      codes: campaigns.map((c) => accountCodes.card(cardId, c.id)),
    });
    const byCode = new Map(accounts.map((a) => [a.code, a]));
    const options: FundOption[] = [];
    for (const campaign of campaigns) {
      const account = byCode.get(accountCodes.card(cardId, campaign.id));
      if (!account) continue;
      const balance = Math.max(0, account.available);
      options.push({
        fundId: campaign.id,
        kind: 'VOUCHER',
        label: { it: campaign.title, en: campaign.title },
        balanceCents: balance,
        spendableCents: Math.min(balance, request.amountCents),
        restricted: true,
        endsOn: campaign.spendingUntil,
        rule: {
          categoryCovered: true,
          providerAccredited: true,
          spendFrom: campaign.spendingFrom,
          spendUntil: campaign.spendingUntil,
        },
      });
    }
    return { options };
  }

  /**
   * Holds `amountCents` of the campaign's credit for the leg until `expiresAt` (capped at the
   * book's MAX_HOLD_SECONDS, 30 days). The same leg again answers its hold as it is now (whatever
   * changed since); with other terms it is a LEG_CONFLICT.
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
    const found = await this.coverage(em, request.person, request.offer);
    const campaign = found?.campaigns.find((c) => c.id === request.fundId.toLowerCase());
    if (!found || !campaign) throw refusals.notCovered();
    let held: Transfer;
    try {
      held = await withRetry(() =>
        em.fork().transactional(async (tx) => {
          // Never idle with the card's accounts locked (see the POS payment).
          await limitIdleInTransaction(tx, 10_000);
          // The card's row, FOR KEY SHARE: it cannot be replaced before the hold commits.
          const cardId = await liveCardId(tx, found.cardId);
          if ((await cardStatus(tx, cardId)) !== 'ACTIVE') throw refusals.cardBlocked();
          const [from] = await book.accounts(tx, {
            codes: [accountCodes.card(cardId, campaign.id)],
          });
          if (!from) throw refusals.notCovered();
          const to = await providerAccount(tx, request.offer.providerId.toLowerCase(), campaign.id);
          return book.hold(tx, {
            id: holdId,
            debit: from.id,
            credit: to.id,
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
    return this.legOf(em, legId, held);
  }

  /** Posts the leg's hold: the money reaches the provider's account. Idempotent. */
  async capture(em: EntityManager, legId: string): Promise<FundLeg> {
    const leg = legId.toLowerCase();
    try {
      await book.post(em.fork(), { id: ids.capture(leg), pendingId: ids.hold(leg) });
    } catch (err) {
      if (err instanceof TransferNotFound) throw refusals.nothingHeld();
      if (err instanceof HoldExpired) {
        // The lapsed hold is expired now, so that the credit is the holder's again at once.
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
   * Voids the leg's hold: the money is the holder's again. Idempotent; a leg never held answers
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
   * Gives back `amountCents` of a captured leg to the card's credit, idempotent by `refundId`.
   * Refused (INSUFFICIENT_FUNDS) when the provider's account no longer holds it: a reimbursement
   * batch of the Comune already paid it to the provider.
   * A leg's refunds are serialised (a lock per leg) and together never exceed the captured amount
   * (REFUND_EXCEEDS_CAPTURE); the same refund id with another leg or amount is a LEG_CONFLICT.
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
          // Back to the card's account for the campaign: the live card's, if it was replaced.
          const [from] = await book.accounts(tx, { ids: [hold.debitAccountId] });
          const card = from && parseCardAccountCode(from.code);
          if (!card) throw new Error(`fund: hold ${hold.id} not from a card account`);
          const to = await cardAccount(tx, await liveCardId(tx, card.cardId), card.campaignId);
          await book.transfer(tx, {
            id: refundId,
            debit: hold.creditAccountId,
            credit: to.id,
            amount: request.amountCents,
            code: TransferCode.SERVICE_REFUND,
            reference,
          });
        }),
      );
    } catch (err) {
      if (err instanceof TransferConflict) throw refusals.legConflict();
      // The provider's account no longer holds it: a reimbursement batch paid it out.
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
   * The person's live card in the offer's Comune and the campaigns that cover the offer today;
   * null when the provider is not accredited, the person has no (valid) codice fiscale or no live
   * ACTIVE card there.
   */
  private async coverage(
    em: EntityManager,
    person: FundPerson,
    offer: QuoteRequest['offer'],
  ): Promise<{ cardId: string; campaigns: Campaign[] } | null> {
    if (!offer.providerAccredited || !person.fiscalCode) return null;
    const fiscalCode = normaliseFiscalCode(person.fiscalCode);
    if (!isValidPersonalFiscalCode(fiscalCode)) return null;
    const comuneId = offer.comuneId.toLowerCase();
    const card = await liveCardOf(em, comuneId, this.cards.fiscalCodeKey(fiscalCode));
    if (!card || card.status !== 'ACTIVE') return null;
    const campaigns = await coveringCampaigns(em, comuneId, offer.category, romeDay(this.now()));
    return { cardId: card.id, campaigns };
  }

  /** Expires the book's lapsed holds (their credit is the holders' again). */
  private async expireLapsed(em: EntityManager): Promise<void> {
    await book.expire(em.fork());
  }
}
