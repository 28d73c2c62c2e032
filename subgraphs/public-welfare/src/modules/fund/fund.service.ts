import type { EntityManager } from '@mikro-orm/postgresql';
import {
  FundLegBook,
  FundRefusal,
  fundRefusals,
  type FundLeg,
  type FundOption,
  type FundPerson,
  type HoldRequest,
  type QuoteRequest,
  type QuoteResponse,
  type RefundRequest,
} from '@welfare/kit/contracts';
import { romeDay } from '@welfare/kit/dates';
import { isValidPersonalFiscalCode, normaliseFiscalCode } from '@welfare/kit/pii';
import type { Campaign } from '../campaign/campaign.entity.js';
import { liveCardId } from '../card/card.repository.js';
import type { CardService } from '../card/card.service.js';
import {
  TransferCode,
  accountCodes,
  book,
  cardAccount,
  parseCardAccountCode,
  providerAccount,
} from '../ledger/ledger.js';
import { legPrefix, legTransferIds } from './fund-holds.js';
import { cardStatus, coveringCampaigns, liveCardOf } from './fund.repository.js';

/** The refusals of the fund contract (`FUND_REFUSALS`), in Italian and English. */
const refusals = {
  ...fundRefusals({
    notCovered: {
      it: 'Questo credito non può pagare questo servizio.',
      en: 'This credit cannot pay for this service.',
    },
    insufficient: {
      it: 'Credito insufficiente per questo importo.',
      en: 'Not enough credit for this amount.',
    },
    providerGone: {
      it: 'Il Comune ha già pagato questo importo all’ente con un lotto di rimborso: il credito non può tornare alla carta da qui.',
      en: 'The Comune has already paid this amount to the provider in a reimbursement batch: the credit cannot go back to the card from here.',
    },
  }),
  cardBlocked: () =>
    new FundRefusal('NOT_COVERED', {
      it: 'La carta del beneficiario è bloccata: il suo credito non si può usare.',
      en: "The beneficiary's card is blocked: its credit cannot be used.",
    }),
};

/** A leg's transfers in the subgraph's book (ids and references of `fund-holds.ts`). */
const legs = new FundLegBook({
  book,
  ids: legTransferIds,
  legPrefix,
  codes: { payment: TransferCode.SERVICE_PAYMENT, refund: TransferCode.SERVICE_REFUND },
  lockScope: 'fund-leg',
  refusals,
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
    await legs.expireLapsed(em);
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
  hold(em: EntityManager, request: HoldRequest): Promise<FundLeg> {
    const terms = legs.terms(request);
    return legs.hold(em, request, {
      terms,
      cover: async () => {
        const found = await this.coverage(em, request.person, request.offer);
        const campaign = found?.campaigns.find((c) => c.id === request.fundId.toLowerCase());
        if (!found || !campaign) throw refusals.notCovered();
        return { cardId: found.cardId, campaign };
      },
      place: async (tx, { cardId: foundCardId, campaign }, holdId, timeoutSeconds) => {
        // The card's row, FOR KEY SHARE: it cannot be replaced before the hold commits.
        const cardId = await liveCardId(tx, foundCardId);
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
          reference: terms,
          timeoutSeconds,
        });
      },
    });
  }

  /** Posts the leg's hold: the money reaches the provider's account. Idempotent. */
  capture(em: EntityManager, legId: string): Promise<FundLeg> {
    return legs.capture(em, legId);
  }

  /**
   * Voids the leg's hold: the money is the holder's again. Idempotent; a leg never held answers
   * UNKNOWN and a lapsed one EXPIRED (nothing is held either way); a captured leg is refused
   * (HOLD_NOT_PENDING: refund it instead).
   */
  release(em: EntityManager, legId: string): Promise<FundLeg> {
    return legs.release(em, legId);
  }

  /**
   * Gives back `amountCents` of a captured leg to the card's credit, idempotent by `refundId`.
   * Refused (INSUFFICIENT_FUNDS) when the provider's account no longer holds it: a reimbursement
   * batch of the Comune already paid it to the provider.
   * A leg's refunds are serialised (a lock per leg) and together never exceed the captured amount
   * (REFUND_EXCEEDS_CAPTURE); the same refund id with another leg or amount is a LEG_CONFLICT.
   */
  refund(em: EntityManager, request: RefundRequest): Promise<FundLeg> {
    return legs.refund(em, request, async (tx, hold) => {
      // Back to the card's account for the campaign: the live card's, if it was replaced.
      const [from] = await book.accounts(tx, { ids: [hold.debitAccountId] });
      const card = from && parseCardAccountCode(from.code);
      if (!card) throw new Error(`fund: hold ${hold.id} not from a card account`);
      const to = await cardAccount(tx, await liveCardId(tx, card.cardId), card.campaignId);
      return to.id;
    });
  }

  /** The leg as the book has it (UNKNOWN when it was never held). */
  leg(em: EntityManager, legId: string): Promise<FundLeg> {
    return legs.leg(em, legId);
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
}
