import { randomUUID } from 'node:crypto';
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, type Caller, type Localized } from '@welfare/kit';
import type { Account, Transfer } from '@welfare/kit/book';
import { TransferCode, book, parseCardAccountCode } from '../ledger/ledger.js';
import { isUuid, requireComuneManager } from '@welfare/kit/access';
import type { ReconciliationCheck, ReconciliationTrigger } from './reconciliation.enums.js';
import {
  accreditationsByIds,
  applicationCredits,
  batchCampaignsByReference,
  batchTotals,
  campaignAccreditations,
  campaignBudgets,
  cardsByIds,
  comuneCampaignIds,
  comuniWithMoney,
  failedLatestRuns,
  insertRun,
  latestRun,
  paymentsWithoutTransfers,
  paymentTransferRows,
  replacedCardIds,
  type PaymentTransferRow,
  type ReconciliationProblem,
  type ReconciliationReport,
} from './reconciliation.repository.js';

const num = (v: string | number | null | undefined) => Number(v ?? 0);

/**
 * A payment's transfer as the checks compare it: the payment's row, the transfer (code, amount,
 * accounts) from the book, and the shop and card its accounts name.
 */
interface PaymentLeg extends PaymentTransferRow {
  code: string | null;
  t_amount: string | null;
  debit_id: string | null;
  credit_id: string | null;
  debit_code: string | null;
  credit_code: string | null;
  shop_campaign: string | null;
  shop_merchant: string | null;
  card_holder: string | null;
  card_comune: string | null;
}

/**
 * Reconciliation above the book (issue 11). The book's own `checkInvariants` proves debits equal
 * credits and no account but the issuer's is negative; these checks prove that the money means
 * what public-welfare says it means, for one Comune, on one snapshot (a read-only REPEATABLE
 * READ transaction):
 * - each published campaign's FUND received exactly its budget (BUDGET − BUDGET_REDUCE), and holds
 *   the budget minus what was credited to cards plus what was swept back; the APPROVED
 *   applications' entitlements fit the budget;
 * - each application's credit (TOPUP transfers) is at most its entitlement, equals the sum of its
 *   tranche rows, and only APPROVED applications hold credit;
 * - no REPLACED card holds credit (its credit follows the holder to the new card);
 * - each payment's legs add up to its amount, each leg going from a card account of the payment's
 *   card to the shop account of the same merchant in the same campaign; a VOIDED payment's void
 *   transfers reverse each leg exactly (to a card account of the same holder and campaign), an
 *   AUTHORISED payment has none;
 * - per campaign, what cards paid (PAYMENT − PAYMENT_VOID) equals what the campaign's shop
 *   accounts received, which equals what was reimbursed plus what is still due to the shops;
 *   reimbursements of a campaign's shop accounts belong to that campaign's batches; each batch's
 *   total equals its lines and its payments, and a PAID batch moved exactly its total;
 * - per campaign, what cards paid for catalogue services through the fund contract
 *   (SERVICE_PAYMENT captured − SERVICE_REFUND) equals what the campaign's provider accounts
 *   received, and is what they hold plus what the Comune's batches paid them.
 *
 * `run` stores each run (`money_reconciliation`); the scheduler runs it for every Comune with a
 * published campaign, and a MANAGER of the Comune (or a platform admin) runs it on demand and
 * reads the latest run: a failed one is the alert.
 */
export class ReconciliationService {
  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Checks one Comune's money on one snapshot. Read-only. */
  async check(em: EntityManager, comuneId: string): Promise<ReconciliationProblem[]> {
    return em.fork().transactional(
      async (tx) => {
        const problems: ReconciliationProblem[] = [];
        await this.campaigns(tx, comuneId, problems);
        await this.applications(tx, comuneId, problems);
        await this.replacedCards(tx, comuneId, problems);
        await this.payments(tx, comuneId, problems);
        await this.shops(tx, comuneId, problems);
        await this.batches(tx, comuneId, problems);
        await this.providers(tx, comuneId, problems);
        return problems;
      },
      { readOnly: true, isolationLevel: IsolationLevel.REPEATABLE_READ },
    );
  }

  /** Runs the checks for one Comune and stores the run. */
  async runFor(
    em: EntityManager,
    comuneId: string,
    trigger: ReconciliationTrigger,
  ): Promise<ReconciliationReport> {
    const problems = await this.check(em, comuneId);
    const run = { id: randomUUID(), comuneId, ranAt: this.now(), trigger, problems };
    const report = { ...run, ok: problems.length === 0 };
    await insertRun(em, report);
    return report;
  }

  /** The scheduler's pass: every Comune with money, one stored run each. Returns the failed ones. */
  async runAll(em: EntityManager): Promise<ReconciliationReport[]> {
    const failed: ReconciliationReport[] = [];
    for (const comuneId of await comuniWithMoney(em)) {
      const report = await this.runFor(em, comuneId, 'SCHEDULER');
      if (!report.ok) failed.push(report);
    }
    return failed;
  }

  /** A MANAGER of the Comune (or a platform admin) runs it now. */
  async runOnDemand(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
  ): Promise<ReconciliationReport> {
    requireComuneManager(caller, comuneId);
    return this.runFor(em, comuneId.toLowerCase(), 'ON_DEMAND');
  }

  /** The Comune's latest run (its MANAGERs and platform admins), null before the first. */
  async latest(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
  ): Promise<ReconciliationReport | null> {
    requireComuneManager(caller, comuneId);
    return latestRun(em, comuneId.toLowerCase());
  }

  /**
   * Platform admins: the latest run of every Comune whose latest run failed (the alert across
   * the platform). FORBIDDEN for anyone else.
   */
  async alerts(em: EntityManager, caller: Caller): Promise<ReconciliationReport[]> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!caller.platformAdmin) throw DomainError.forbidden();
    return failedLatestRuns(em);
  }

  // ------------------------------------------------------------------ the checks

  /** FUND_FOLLOWS_BUDGET, FUND_BALANCE and COMMITTED_WITHIN_BUDGET, per published campaign. */
  private async campaigns(tx: EntityManager, comuneId: string, out: ReconciliationProblem[]) {
    const campaigns = await campaignBudgets(tx, comuneId);
    // The campaigns' FUND accounts (owned by the campaign) and their movements, from the book.
    const funds = {
      owner: { kind: 'campaign', ids: campaigns.map((c) => c.id), accountKind: 'FUND' },
    };
    const fundPosted = new Map(
      (await book.accounts(tx, funds)).map((a) => [a.owner!.id, a.posted] as const),
    );
    const moves = await book.movementTotals(tx, funds, {
      by: 'owner',
      codes: [
        TransferCode.BUDGET,
        TransferCode.BUDGET_REDUCE,
        TransferCode.TOPUP,
        TransferCode.SWEEP,
      ],
    });
    const moved = (campaignId: string, code: string) =>
      moves.find((t) => t.ownerKey === campaignId && t.code === code);
    for (const c of campaigns) {
      const subject = `campaign:${c.id}`;
      const budget = num(c.budget);
      const funded =
        (moved(c.id, TransferCode.BUDGET)?.net ?? 0) +
        (moved(c.id, TransferCode.BUDGET_REDUCE)?.net ?? 0);
      const topups = moved(c.id, TransferCode.TOPUP)?.debits ?? 0;
      const sweeps = moved(c.id, TransferCode.SWEEP)?.credits ?? 0;
      if (funded !== budget)
        push(out, 'FUND_FOLLOWS_BUDGET', subject, budget, funded, {
          it: 'Il fondo della misura non ha ricevuto esattamente il suo bilancio.',
          en: "The campaign's fund did not receive exactly its budget.",
        });
      const expected = funded - topups + sweeps;
      if (num(fundPosted.get(c.id) ?? null) !== expected)
        push(out, 'FUND_BALANCE', subject, expected, num(fundPosted.get(c.id) ?? null), {
          it: 'Il saldo del fondo non è bilancio − ricariche + restituzioni.',
          en: "The fund's balance is not budget − top-ups + sweeps.",
        });
      if (num(c.committed) > budget)
        push(out, 'COMMITTED_WITHIN_BUDGET', subject, budget, num(c.committed), {
          it: 'Le domande accolte superano il bilancio della misura.',
          en: "Approved applications exceed the campaign's budget.",
        });
    }
  }

  /** CREDIT_WITHIN_ENTITLEMENT, CREDIT_EQUALS_TRANCHES and CREDIT_ONLY_APPROVED, per application. */
  private async applications(tx: EntityManager, comuneId: string, out: ReconciliationProblem[]) {
    // What the FUNDs of the Comune's campaigns paid to each application (TOPUP `application:<id>`).
    const campaignIds = await comuneCampaignIds(tx, comuneId, false);
    const credit = (
      await book.movementTotals(
        tx,
        { owner: { kind: 'campaign', ids: campaignIds, accountKind: 'FUND' } },
        { codes: [TransferCode.TOPUP], referencePrefix: 'application:', by: 'reference' },
      )
    )
      .filter((t) => t.debits > 0)
      .map((t) => ({ id: t.reference!.slice('application:'.length), cents: t.debits }));
    for (const r of await applicationCredits(tx, comuneId, credit)) {
      const subject = `application:${r.id}`;
      const credited = num(r.credited);
      const entitlement = num(r.entitlement);
      if (credited > entitlement)
        push(out, 'CREDIT_WITHIN_ENTITLEMENT', subject, entitlement, credited, {
          it: 'La domanda ha ricevuto più del suo importo.',
          en: 'The application received more than its entitlement.',
        });
      if (credited !== num(r.tranches))
        push(out, 'CREDIT_EQUALS_TRANCHES', subject, num(r.tranches), credited, {
          it: 'Il credito della domanda non è la somma delle sue tranche.',
          en: "The application's credit is not the sum of its tranches.",
        });
      // A REVOKED application keeps the credit it received (its unspent part went back by SWEEP).
      if (credited > 0 && r.status !== 'APPROVED' && r.status !== 'REVOKED')
        push(out, 'CREDIT_ONLY_APPROVED', subject, 0, credited, {
          it: `La domanda ha ricevuto credito ma è in stato ${r.status}.`,
          en: `The application received credit but is ${r.status}.`,
        });
    }
  }

  /** NO_CREDIT_ON_REPLACED_CARD. */
  private async replacedCards(tx: EntityManager, comuneId: string, out: ReconciliationProblem[]) {
    const replaced = await replacedCardIds(tx, comuneId);
    const totals = new Map(
      (await book.ownerTotals(tx, { kind: 'card', ids: replaced, accountKind: 'HOLDER' })).map(
        (t) => [t.ownerId, t.posted + t.creditsPending + t.debitsPending] as const,
      ),
    );
    for (const cardId of replaced) {
      const held = totals.get(cardId) ?? 0;
      if (held === 0) continue;
      push(out, 'NO_CREDIT_ON_REPLACED_CARD', `card:${cardId}`, 0, num(held), {
        it: 'Una carta sostituita ha ancora credito: doveva passare alla nuova carta.',
        en: 'A replaced card still holds credit: it should have moved to the new card.',
      });
    }
  }

  /** PAYMENT_LEGS and VOID_MATCHES_PAYMENT, per payment. */
  private async payments(tx: EntityManager, comuneId: string, out: ReconciliationProblem[]) {
    const byPayment = new Map<string, PaymentLeg[]>();
    for (const r of await paymentLegs(tx, comuneId)) {
      const list = byPayment.get(r.id);
      if (list) list.push(r);
      else byPayment.set(r.id, [r]);
    }
    // Payments whose transfer lists are empty have no rows above: none may exist.
    const orphans = await paymentsWithoutTransfers(tx, comuneId);
    if (orphans > 0)
      push(out, 'PAYMENT_LEGS', `comune:${comuneId}`, 0, orphans, {
        it: 'Pagamenti senza movimenti nel libro.',
        en: 'Payments without movements in the book.',
      });
    for (const [id, list] of byPayment) checkPayment(out, comuneId, `payment:${id}`, list);
  }

  /**
   * CAMPAIGN_PAYMENTS_EQUAL_SHOP_CREDITS, SHOP_CREDITS_EQUAL_REIMBURSED_AND_DUE and
   * REIMBURSEMENT_CAMPAIGN, per published campaign.
   */
  private async shops(tx: EntityManager, comuneId: string, out: ReconciliationProblem[]) {
    const campaignIds = await comuneCampaignIds(tx, comuneId, true);
    const accreditations = await campaignAccreditations(tx, campaignIds);
    // What the campaigns' cards paid (their accounts are scoped by campaign).
    const spentMoves = await book.movementTotals(
      tx,
      { owner: { kind: 'card', scopeIds: campaignIds, accountKind: 'HOLDER' } },
      { codes: [TransferCode.PAYMENT, TransferCode.PAYMENT_VOID], by: 'scope' },
    );
    // What the campaigns' shops received, were reimbursed, and still hold.
    const shopSet = { owner: { kind: 'shop', ids: accreditations.map((a) => a.id) } };
    const shopMoves = await book.movementTotals(tx, shopSet, {
      codes: [TransferCode.PAYMENT, TransferCode.PAYMENT_VOID, TransferCode.REIMBURSEMENT],
      by: 'owner',
    });
    const shopAccounts = await book.accounts(tx, shopSet);
    const batches = await batchCampaignsByReference(tx, comuneId);
    const campaignOf = new Map(accreditations.map((a) => [a.id, a.campaign_id]));
    for (const campaignId of campaignIds) {
      const mine = (t: { ownerKey: string | null }) =>
        campaignOf.get(t.ownerKey ?? '') === campaignId;
      const spent = sum(
        spentMoves.filter((t) => t.ownerKey === campaignId),
        (t) => (t.code === TransferCode.PAYMENT ? t.debits : -t.credits),
      );
      const moves = shopMoves.filter(mine);
      const shopNet = sum(moves, (t) =>
        t.code === TransferCode.PAYMENT
          ? t.credits
          : t.code === TransferCode.PAYMENT_VOID
            ? -t.debits
            : 0,
      );
      const reimbursed = sum(moves, (t) => (t.code === TransferCode.REIMBURSEMENT ? t.debits : 0));
      const due = sum(
        shopAccounts.filter((a) => campaignOf.get(a.owner?.id ?? '') === campaignId),
        (a: Account) => a.posted,
      );
      const shopIds = accreditations.filter((a) => a.campaign_id === campaignId).map((a) => a.id);
      const foreign = await foreignReimbursed(tx, campaignId, shopIds, batches);
      checkShops(out, `campaign:${campaignId}`, { spent, shopNet, reimbursed, due, foreign });
    }
  }

  /** CAMPAIGN_SERVICES_EQUAL_PROVIDER_CREDITS, per published campaign. */
  private async providers(tx: EntityManager, comuneId: string, out: ReconciliationProblem[]) {
    const campaignIds = await comuneCampaignIds(tx, comuneId, true);
    if (!campaignIds.length) return;
    const codes = [TransferCode.SERVICE_PAYMENT, TransferCode.SERVICE_REFUND];
    // Both sides by campaign: card accounts and provider accounts are scoped by campaign.
    const cardMoves = await book.movementTotals(
      tx,
      { owner: { kind: 'card', scopeIds: campaignIds, accountKind: 'HOLDER' } },
      { codes, by: 'scope' },
    );
    const providerSet = { owner: { kind: 'provider', scopeIds: campaignIds } };
    const providerMoves = await book.movementTotals(tx, providerSet, { codes, by: 'scope' });
    // What the campaign's batches paid the providers (out of their accounts).
    const providerPaid = await book.movementTotals(tx, providerSet, {
      codes: [TransferCode.REIMBURSEMENT],
      by: 'scope',
    });
    const providerAccounts = await book.accounts(tx, providerSet);
    for (const campaignId of campaignIds) {
      const paid = -sum(
        cardMoves.filter((t) => t.ownerKey === campaignId),
        (t) => t.net,
      );
      const received = sum(
        providerMoves.filter((t) => t.ownerKey === campaignId),
        (t) => t.net,
      );
      const held =
        sum(
          providerAccounts.filter((a) => a.owner?.scopeId === campaignId),
          (a: Account) => a.posted,
        ) +
        sum(
          providerPaid.filter((t) => t.ownerKey === campaignId),
          (t) => t.debits,
        );
      if (paid !== received || received !== held)
        push(
          out,
          'CAMPAIGN_SERVICES_EQUAL_PROVIDER_CREDITS',
          `campaign:${campaignId}`,
          paid,
          paid !== received ? received : held,
          {
            it: 'Quanto pagato con le carte della misura per servizi non è quanto ricevuto dagli enti erogatori della misura.',
            en: "What the campaign's cards paid for services is not what the campaign's providers received.",
          },
        );
    }
  }

  /** BATCH_TOTALS, per batch. */
  private async batches(tx: EntityManager, comuneId: string, out: ReconciliationProblem[]) {
    // What the REIMBURSEMENT transfers of each batch moved (from the shops' accounts into the
    // Comune's SETTLEMENT account).
    const moved = (
      await book.movementTotals(
        tx,
        { owner: { kind: 'comune', ids: [comuneId], accountKind: 'SETTLEMENT' } },
        { codes: [TransferCode.REIMBURSEMENT], referencePrefix: 'reimbursement:', by: 'reference' },
      )
    ).map((t) => ({ reference: t.reference!, cents: t.credits }));
    for (const r of await batchTotals(tx, comuneId, moved)) {
      const subject = `batch:${r.id}`;
      const total = num(r.total);
      const payees = num(r.payee_lines);
      // A discarded batch keeps its lines but frees its payments, and moves nothing. Provider
      // lines count in the total; tutoring ones move nothing in the book (not voucher credit).
      const wrong =
        num(r.lines) + payees !== total ||
        (r.status !== 'DISCARDED' && num(r.payments) + payees !== total) ||
        (r.status === 'DISCARDED' && num(r.payments) !== 0) ||
        num(r.moved) !== (r.status === 'PAID' ? total - num(r.tutoring) : 0);
      if (wrong)
        push(
          out,
          'BATCH_TOTALS',
          subject,
          total,
          r.status === 'PAID' ? num(r.moved) : num(r.payments),
          {
            it: 'Il totale del lotto non corrisponde a righe, pagamenti o bonifici registrati.',
            en: "The batch's total does not match its lines, payments or recorded transfers.",
          },
        );
    }
  }
}

const sum = <T>(list: readonly T[], f: (t: T) => number) => list.reduce((n, t) => n + f(t), 0);

function push(
  out: ReconciliationProblem[],
  check: ReconciliationCheck,
  subject: string,
  expectedCents: number | null,
  actualCents: number | null,
  message: Localized,
): void {
  out.push({ check, subject, expectedCents, actualCents, message });
}

/**
 * Every transfer the Comune's payments list (legs, then voids) with what the checks compare: the
 * payments' rows (domain), their transfers and accounts (the book), then the shops and cards
 * those accounts name (domain).
 */
async function paymentLegs(tx: EntityManager, comuneId: string): Promise<PaymentLeg[]> {
  const listed = await paymentTransferRows(tx, comuneId);
  const transfers = new Map(
    (
      await book.transfersById(tx, [...new Set(listed.map((r) => r.transfer_id))].filter(isUuid))
    ).map((t) => [t.id, t]),
  );
  const accountIds = [...transfers.values()].flatMap((t) => [t.debitAccountId, t.creditAccountId]);
  const accounts = new Map(
    (await book.accounts(tx, { ids: [...new Set(accountIds)] })).map((a) => [a.id, a]),
  );
  const codeOf = (accountId: string | undefined) =>
    accountId === undefined ? null : (accounts.get(accountId)?.code ?? null);
  const legs = listed.map((r) => legOf(r, transfers.get(r.transfer_id.toLowerCase()), codeOf));
  const shops = await accreditationsByIds(tx, [
    ...new Set(legs.flatMap((l) => (l.shop ? [l.shop] : []))),
  ]);
  const cards = await cardsByIds(tx, [...new Set(legs.flatMap((l) => (l.card ? [l.card] : [])))]);
  return legs.map(({ shop: shopId, card: cardId, ...l }) => {
    const shop = shopId === null ? undefined : shops.get(shopId);
    const card = cardId === null ? undefined : cards.get(cardId);
    return {
      ...l,
      shop_campaign: shop?.campaign_id ?? null,
      shop_merchant: shop?.merchant_id ?? null,
      card_holder: card?.holder ?? null,
      card_comune: card?.comune_id ?? null,
    };
  });
}

/** A listed transfer with the book's side: its code, amount, accounts, and the shop and card. */
function legOf(
  r: PaymentTransferRow,
  t: Transfer | undefined,
  codeOf: (accountId: string | undefined) => string | null,
) {
  const debit_code = codeOf(t?.debitAccountId);
  const credit_code = codeOf(t?.creditAccountId);
  const shopCode = (r.kind === 'LEG' ? credit_code : debit_code) ?? '';
  const cardCode = (r.kind === 'LEG' ? debit_code : credit_code) ?? '';
  return {
    ...r,
    code: t ? t.code : null,
    t_amount: t ? String(t.amount) : null,
    debit_id: t?.debitAccountId ?? null,
    credit_id: t?.creditAccountId ?? null,
    debit_code,
    credit_code,
    shop: shopCode.startsWith('shop:') ? shopCode.slice(5) : null,
    card: cardCode.startsWith('card:') ? cardCode.split(':')[1]! : null,
  };
}

/** PAYMENT_LEGS and VOID_MATCHES_PAYMENT for one payment's listed transfers. */
function checkPayment(
  out: ReconciliationProblem[],
  comuneId: string,
  subject: string,
  list: readonly PaymentLeg[],
): void {
  const first = list[0]!;
  const legs = list.filter((r) => r.kind === 'LEG');
  const voids = list.filter((r) => r.kind === 'VOID');
  const legSum = legs.reduce((s, r) => s + num(r.t_amount), 0);
  const voidSum = voids.reduce((s, r) => s + num(r.t_amount), 0);
  const legProblem = legs.find((r) => {
    const card = parseCardAccountCode(r.debit_code ?? '');
    return (
      r.code !== 'PAYMENT' ||
      !card ||
      card.cardId !== first.card_id ||
      r.shop_campaign === null ||
      r.shop_campaign !== card.campaignId ||
      r.shop_merchant !== first.merchant_id
    );
  });
  if (legSum !== num(first.amount) || legProblem)
    push(out, 'PAYMENT_LEGS', subject, num(first.amount), legSum, {
      it: 'I movimenti del pagamento non tornano: importo, carta o negozio della misura sbagliati.',
      en: "The payment's movements do not add up: wrong amount, card or campaign shop.",
    });
  if (first.status === 'AUTHORISED' && voids.length > 0)
    push(out, 'VOID_MATCHES_PAYMENT', subject, 0, voidSum, {
      it: 'Un pagamento valido ha movimenti di annullo.',
      en: 'An authorised payment has void movements.',
    });
  if (first.status === 'VOIDED' && !voidsMatch(comuneId, first, legs, voids))
    push(out, 'VOID_MATCHES_PAYMENT', subject, legSum, voidSum, {
      it: 'L’annullo non restituisce esattamente ogni movimento del pagamento alla carta del titolare.',
      en: "The void does not return each of the payment's movements exactly to the holder's card.",
    });
}

/** A VOIDED payment's voids reverse each leg exactly, to a card of the same holder and campaign. */
function voidsMatch(
  comuneId: string,
  first: PaymentLeg,
  legs: readonly PaymentLeg[],
  voids: readonly PaymentLeg[],
): boolean {
  return (
    voids.length === legs.length &&
    legs.every((leg, i) => {
      const v = voids[i];
      const legCard = parseCardAccountCode(leg.debit_code ?? '');
      const backTo = parseCardAccountCode(v?.credit_code ?? '');
      return (
        v !== undefined &&
        v.code === 'PAYMENT_VOID' &&
        v.t_amount === leg.t_amount &&
        v.debit_id === leg.credit_id &&
        legCard !== null &&
        backTo !== null &&
        backTo.campaignId === legCard.campaignId &&
        v.card_holder === first.holder &&
        v.card_comune === comuneId
      );
    })
  );
}

/** Reimbursements of a campaign's shops by batches of another campaign (or none), in cents. */
async function foreignReimbursed(
  tx: EntityManager,
  campaignId: string,
  shopIds: readonly string[],
  batches: ReadonlyMap<string, string>,
): Promise<number> {
  const byBatch = shopIds.length
    ? await book.movementTotals(
        tx,
        { owner: { kind: 'shop', ids: [...shopIds] } },
        { codes: [TransferCode.REIMBURSEMENT], by: 'reference' },
      )
    : [];
  return sum(
    byBatch.filter((t) => batches.get(t.reference ?? '') !== campaignId),
    (t) => t.debits,
  );
}

/** The shop checks of one campaign, from its figures in cents. */
function checkShops(
  out: ReconciliationProblem[],
  subject: string,
  r: { spent: number; shopNet: number; reimbursed: number; due: number; foreign: number },
): void {
  if (r.spent !== r.shopNet)
    push(out, 'CAMPAIGN_PAYMENTS_EQUAL_SHOP_CREDITS', subject, r.spent, r.shopNet, {
      it: 'Quanto pagato con le carte della misura non è quanto ricevuto dai negozi della misura.',
      en: "What the campaign's cards paid is not what the campaign's shops received.",
    });
  const settled = r.reimbursed + r.due;
  if (r.shopNet !== settled)
    push(out, 'SHOP_CREDITS_EQUAL_REIMBURSED_AND_DUE', subject, r.shopNet, settled, {
      it: 'Quanto ricevuto dai negozi non è rimborsato + da rimborsare.',
      en: 'What the shops received is not reimbursed + still due.',
    });
  if (r.foreign > 0)
    push(out, 'REIMBURSEMENT_CAMPAIGN', subject, 0, r.foreign, {
      it: 'Denaro dei negozi di questa misura rimborsato da lotti di un’altra misura.',
      en: "Money of this campaign's shops reimbursed by another campaign's batches.",
    });
}
