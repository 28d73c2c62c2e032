import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import type { CardService } from '../card/card.service.js';
import { TransferCode, book } from '../ledger/ledger.js';
import { isUuid } from '@welfare/kit/access';
import { creditCampaigns } from './credit.repository.js';

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

/** The transfer codes a card's balance is made of. */
const BALANCE_CODES = [
  TransferCode.TOPUP,
  TransferCode.CARD_REPLACED,
  TransferCode.PAYMENT,
  TransferCode.PAYMENT_VOID,
  TransferCode.SWEEP,
  TransferCode.SERVICE_PAYMENT,
  TransferCode.SERVICE_REFUND,
];

/**
 * A card's credit, read from the book: its balance per campaign (credited by top-ups, spent at
 * shops, returned after the window, available now) for its holder, and its movements for the
 * holder or the staff of its Comune (the card's own access rules, through `CardService`).
 */
export class CreditService {
  constructor(private readonly cards: CardService) {}

  /** The caller's cards' credit, per campaign (a citizen logged in with SPID/CIE). */
  async myBalances(em: EntityManager, caller: Caller): Promise<CampaignBalance[]> {
    const cards = await this.cards.mine(em, caller);
    const out: CampaignBalance[] = [];
    for (const card of cards) out.push(...(await this.balancesOf(em, card.id)));
    return out;
  }

  /** One card's credit, per campaign, the earliest spending end first (no access check). */
  async balancesOf(em: EntityManager, cardId: string): Promise<CampaignBalance[]> {
    // The card's accounts (one per campaign) and their movements by code, from the book...
    const accounts = await book.accounts(em, { owner: { kind: 'card', ids: [cardId] } });
    const byCampaign = new Map(accounts.map((a) => [a.owner?.scopeId ?? '', a]));
    const totals = accounts.length
      ? await book.movementTotals(em, { ids: accounts.map((a) => a.id) }, { codes: BALANCE_CODES })
      : [];
    const sum = (accountId: string, code: string, side: 'credits' | 'debits') =>
      totals
        .filter((t) => t.accountId === accountId && t.code === code)
        .reduce((n, t) => n + t[side], 0);
    // ...then their campaigns.
    const campaigns = await creditCampaigns(em, [...byCampaign.keys()].filter(isUuid));
    return campaigns.map((c) => {
      const a = byCampaign.get(c.id)!;
      return {
        cardId,
        campaignId: c.id,
        campaignTitle: c.title,
        creditedCents:
          sum(a.id, TransferCode.TOPUP, 'credits') +
          sum(a.id, TransferCode.CARD_REPLACED, 'credits'),
        // Service payments count once captured (a hold moves nothing until its post).
        spentCents:
          sum(a.id, TransferCode.PAYMENT, 'debits') -
          sum(a.id, TransferCode.PAYMENT_VOID, 'credits') +
          sum(a.id, TransferCode.SERVICE_PAYMENT, 'debits') -
          sum(a.id, TransferCode.SERVICE_REFUND, 'credits'),
        returnedCents: sum(a.id, TransferCode.SWEEP, 'debits'),
        availableCents: a.available,
        spendingFrom: c.spending_from,
        spendingUntil: c.spending_until,
      };
    });
  }

  /**
   * A card's movements that moved money, newest first (of its latest 500 transfers): its holder or
   * the staff of its Comune.
   */
  async movements(em: EntityManager, caller: Caller, cardId: string): Promise<CardMovement[]> {
    const card = await this.cards.get(em, caller, cardId);
    if (!card) return [];
    const { items } = await book.statement(
      em,
      { owner: { kind: 'card', ids: [card.id] } },
      { limit: 500 },
    );
    // Money that moved: single-phase transfers and the posts of holds. A checkout's hold, and its
    // release or expiry, move nothing (its capture is the movement).
    const moved = items.filter((m) => m.status === 'POSTED' && m.expiresAt === null);
    return moved.map((m) => ({
      id: m.transferId,
      campaignId: m.accountOwner?.scopeId ?? '',
      code: m.code!,
      amountCents: m.amount,
      reference: m.reference,
      at: m.createdAt,
    }));
  }
}
