import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, type Localized } from '@welfare/kit';
import { Book, deterministicId, type Account, type AccountOwner } from '@welfare/kit/book';

/*
 * The ledger: this subgraph's access to its book, below every money module (campaign funds,
 * top-ups, card payments, reimbursements, the reconciliation, the monitoring). It imports no other
 * module: they depend on it, never the other way round.
 */

/**
 * The subgraph's book (the kit's tables in this schema, created by frozen migrations). Only the
 * kit's API touches them (subgraphs/kit/test/book-boundary.test.ts).
 */
export const book = new Book('public_welfare');

/** Transfer codes of this subgraph's book. */
export const TransferCode = {
  BUDGET: 'BUDGET',
  BUDGET_REDUCE: 'BUDGET_REDUCE',
  TOPUP: 'TOPUP',
  SWEEP: 'SWEEP',
  PAYMENT: 'PAYMENT',
  PAYMENT_VOID: 'PAYMENT_VOID',
  CARD_REPLACED: 'CARD_REPLACED',
  /** A shop's money leaving the book to its bank account (a PAID reimbursement batch). */
  REIMBURSEMENT: 'REIMBURSEMENT',
  /**
   * A catalogue service paid with a card's credit through the fund contract (the payments
   * subgraph's checkout): the hold from the card's account to the provider's, and its post (the
   * capture) or void (the release) carry this code.
   */
  SERVICE_PAYMENT: 'SERVICE_PAYMENT',
  /** Part or all of a captured service payment given back to the card (the provider's account pays). */
  SERVICE_REFUND: 'SERVICE_REFUND',
} as const;

/** A deterministic uuid from the parts (the kit's; re-exported for this subgraph's modules). */
export { deterministicId };

/**
 * The owners of this book's accounts (the indexed owner columns the book's reads select by): a
 * Comune (its issuer and settlement accounts), a campaign (its FUND), a card in a campaign (its
 * HOLDER accounts, scoped by campaign), a shop (an accreditation's MERCHANT account), a provider of
 * catalogue services (its PROVIDER account per campaign whose credit paid it).
 */
export const owners = {
  comune: (comuneId: string): AccountOwner => ({ kind: 'comune', id: comuneId }),
  campaign: (campaignId: string): AccountOwner => ({ kind: 'campaign', id: campaignId }),
  card: (cardId: string, campaignId: string): AccountOwner => ({
    kind: 'card',
    id: cardId,
    scopeId: campaignId,
  }),
  shop: (accreditationId: string): AccountOwner => ({ kind: 'shop', id: accreditationId }),
  provider: (providerId: string, campaignId: string): AccountOwner => ({
    kind: 'provider',
    id: providerId,
    scopeId: campaignId,
  }),
};

export const accountCodes = {
  issuer: (comuneId: string) => `comune:${comuneId}:issuer`,
  fund: (campaignId: string) => `campaign:${campaignId}:fund`,
  card: (cardId: string, campaignId: string) => `card:${cardId}:campaign:${campaignId}`,
  shop: (accreditationId: string) => `shop:${accreditationId}`,
  /**
   * What the Comune owes a third-sector provider (third-sector's organisation id) for catalogue
   * services paid with the campaign's credit (the fund contract), as it owes shops their `shop:`
   * balance: one account per provider and campaign, so that a campaign's money stays traceable.
   */
  provider: (providerId: string, campaignId: string) =>
    `provider:${providerId}:campaign:${campaignId}`,
  /**
   * The account reimbursed money goes to: one per Comune, kind SETTLEMENT. Each PAID line moves the
   * shop's reimbursed amount out of `shop:<accreditationId>` into it, so debits = credits still hold
   * and its balance is what the Comune's treasury has paid to shops by bank transfer.
   */
  settlement: (comuneId: string) => `comune:${comuneId}:settlement`,
};

/** The Comune's issuer account (the one that may go below zero), opened on first use. */
export function issuerAccount(em: EntityManager, comuneId: string): Promise<Account> {
  return book.openAccount(em, {
    code: accountCodes.issuer(comuneId),
    kind: 'ISSUER',
    allowNegative: true,
    owner: owners.comune(comuneId),
  });
}

export function fundAccount(em: EntityManager, campaignId: string): Promise<Account> {
  return book.openAccount(em, {
    code: accountCodes.fund(campaignId),
    kind: 'FUND',
    owner: owners.campaign(campaignId),
  });
}

export function cardAccount(em: EntityManager, cardId: string, campaignId: string) {
  return book.openAccount(em, {
    code: accountCodes.card(cardId, campaignId),
    kind: 'HOLDER',
    owner: owners.card(cardId, campaignId),
  });
}

/**
 * The accounts of many cards for one campaign, opened on first use, in one go (two queries,
 * whatever the number of cards). Returns them by card id.
 */
export async function cardAccounts(
  em: EntityManager,
  cardIds: readonly string[],
  campaignId: string,
): Promise<Map<string, Account>> {
  const unique = [...new Set(cardIds)];
  const byCode = await book.openAccounts(
    em,
    unique.map((cardId) => ({
      code: accountCodes.card(cardId, campaignId),
      kind: 'HOLDER',
      owner: owners.card(cardId, campaignId),
    })),
  );
  const accounts = new Map<string, Account>();
  for (const cardId of unique) {
    const account = byCode.get(accountCodes.card(cardId, campaignId));
    if (account) accounts.set(cardId, account);
  }
  return accounts;
}

/** The Comune's settlement account (see `accountCodes.settlement`), opened on first use. */
export function settlementAccount(em: EntityManager, comuneId: string): Promise<Account> {
  return book.openAccount(em, {
    code: accountCodes.settlement(comuneId),
    kind: 'SETTLEMENT',
    owner: owners.comune(comuneId),
  });
}

/**
 * A shop's account (one per accreditation), opened on first use: a hot account, as every card
 * payment of the campaign at the shop credits it. Its payments append their credits without
 * taking its row (see the kit's `bookHotSql`), so that the payments of a big supermarket do not
 * queue on it; a void or a reimbursement (debits) folds them into the row first, and the top-up
 * scheduler folds them every pass. Accounts opened before were made hot by the migration
 * `book_hot_accounts`.
 */
export function shopAccount(em: EntityManager, accreditationId: string) {
  return book.openAccount(em, shopAccountInput(accreditationId));
}

/**
 * `shopAccount`'s id only, for the payment's hot path: a hot account's balance read sums its
 * credits not yet folded, which a payment does not need.
 */
export function shopAccountId(em: EntityManager, accreditationId: string): Promise<string> {
  return book.openAccountId(em, shopAccountInput(accreditationId));
}

/** The fields of a shop's account at one accreditation. */
function shopAccountInput(accreditationId: string) {
  return {
    code: accountCodes.shop(accreditationId),
    kind: 'MERCHANT',
    owner: owners.shop(accreditationId),
    hot: true,
  };
}

/** A provider's account for one campaign (see `accountCodes.provider`), opened on first use. */
export function providerAccount(
  em: EntityManager,
  providerId: string,
  campaignId: string,
): Promise<Account> {
  return book.openAccount(em, {
    code: accountCodes.provider(providerId, campaignId),
    kind: 'PROVIDER',
    owner: owners.provider(providerId, campaignId),
  });
}

/** What the ledger needs of a campaign to fund it: its id, its Comune and its budget. */
export interface FundedCampaign {
  id: string;
  comuneId: string;
  budgetCents: number;
}

/**
 * Makes the campaign's FUND hold its budget: the issuer funds it (BUDGET) or, after a budget cut,
 * takes the difference back (BUDGET_REDUCE, refused by the book when the fund was already credited
 * to cards). Run inside a transaction holding the campaign row locked (every caller does): the
 * adjustments are read and written under that lock. Each adjustment's id derives from the campaign
 * and its version, the number of BUDGET/BUDGET_REDUCE adjustments already made for it, so every
 * change of the budget moves money, even back to an amount it had before (A→B→A→B); a replay of
 * the same state moves nothing because the FUND already holds the budget (the difference is 0).
 */
export async function syncCampaignFund(
  em: EntityManager,
  campaign: FundedCampaign,
): Promise<Account> {
  const issuer = await issuerAccount(em, campaign.comuneId);
  const fund = await fundAccount(em, campaign.id);
  // The fund's BUDGET credits and BUDGET_REDUCE debits (only ever from and to its issuer).
  const adjustments = await book.movementTotals(
    em,
    { ids: [fund.id] },
    { codes: [TransferCode.BUDGET, TransferCode.BUDGET_REDUCE], by: 'set' },
  );
  const funded = adjustments.reduce((sum, t) => sum + t.net, 0);
  const version = adjustments.reduce((sum, t) => sum + t.count, 0);
  const diff = campaign.budgetCents - funded;
  if (diff > 0) {
    await book.transfer(em, {
      id: deterministicId('budget-adjustment', campaign.id, version),
      debit: issuer.id,
      credit: fund.id,
      amount: diff,
      code: TransferCode.BUDGET,
      reference: `campaign:${campaign.id}`,
    });
  } else if (diff < 0) {
    await book.transfer(em, {
      id: deterministicId('budget-adjustment', campaign.id, version),
      debit: fund.id,
      credit: issuer.id,
      amount: -diff,
      code: TransferCode.BUDGET_REDUCE,
      reference: `campaign:${campaign.id}`,
    });
  }
  return book.balance(em, fund.id);
}

/**
 * A refused money operation: a CONFLICT (or FORBIDDEN) with a stable `reason` the POS can show.
 */
export class MoneyRefusal extends DomainError {
  constructor(
    readonly reason: string,
    message: Localized,
    code: 'CONFLICT' | 'FORBIDDEN' | 'NOT_FOUND' = 'CONFLICT',
  ) {
    super(code, message);
  }
}

/**
 * Moves a replaced card's credit to its replacement, campaign by campaign (CARD_REPLACED transfers
 * with ids derived from the old account and its credits, so a replay moves nothing twice). Run in
 * the replacing transaction: the old card's accounts are locked in id order first.
 */
export async function moveCardCredit(
  em: EntityManager,
  oldCardId: string,
  newCardId: string,
): Promise<number> {
  const rows = await book.lockAccounts(em, { owner: { kind: 'card', ids: [oldCardId] } });
  let moved = 0;
  for (const row of rows) {
    const amount = row.available;
    const campaignId = row.owner?.scopeId;
    if (amount <= 0 || !campaignId) continue;
    const target = await cardAccount(em, newCardId, campaignId);
    await book.transfer(em, {
      id: deterministicId('replace', row.id, String(row.creditsPosted)),
      debit: row.id,
      credit: target.id,
      amount,
      code: TransferCode.CARD_REPLACED,
      reference: `card:${oldCardId}`,
    });
    moved += amount;
  }
  return moved;
}

/** The card id and campaign id of a card account's code (`card:<card>:campaign:<campaign>`). */
export function parseCardAccountCode(code: string): { cardId: string; campaignId: string } | null {
  const m = /^card:([0-9a-f-]{36}):campaign:([0-9a-f-]{36})$/.exec(code);
  return m ? { cardId: m[1]!, campaignId: m[2]! } : null;
}

/** The card's credit in all its campaigns' accounts. */
export async function cardCreditTotal(em: EntityManager, cardId: string): Promise<number> {
  const [total] = await book.ownerTotals(em, { kind: 'card', ids: [cardId] });
  return total?.available ?? 0;
}
