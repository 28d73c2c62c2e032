import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import type { Account, TransferInput } from '@welfare/kit/book';
import { Application } from '../application/application.entity.js';
import type { AuditService } from '../audit/audit.service.js';
import { Campaign } from '../campaign/campaign.entity.js';
import {
  TransferCode,
  book,
  cardAccounts,
  deterministicId,
  fundAccount,
  MoneyRefusal,
  syncCampaignFund,
} from '../ledger/ledger.js';
import { actorOf, isComuneStaff, isUuid } from '@welfare/kit/access';
import { romeDay } from '@welfare/kit/dates';
import { isTopUpScheduler } from './scheduler-caller.js';
import {
  approvedApplications,
  cardKey,
  liveCards,
  receivedTranches,
  recordTranches,
  type Received,
  type TopUpApplicant,
  type TrancheRow,
} from './top-up.repository.js';

/** One tranche of a top-up: its number (1..20) and the share of the entitlement it credits. */
export interface Tranche {
  /** 1-based; the same number again is a replay and credits nothing more. */
  number: number;
  /** Percent of the entitlement, 1..100 (default 100); capped at what is still due. */
  percent?: number;
}

export interface TopUpLine {
  applicationId: string;
  cardId: string | null;
  /** Cents credited by this call (0 for a replay or when nothing is due). */
  creditedCents: number;
  /** Cents credited for the application so far, all tranches. */
  totalCreditedCents: number;
  entitlementCents: number;
}

export interface TopUpResult {
  lines: TopUpLine[];
  creditedCents: number;
  /** Approved applications without a live card (nothing credited). */
  withoutCard: number;
}

export interface SweepResult {
  accounts: number;
  returnedCents: number;
}

const notFound = () =>
  DomainError.notFound({ it: 'Campagna non trovata.', en: 'Campaign not found.' });

/**
 * Credits entitlements to cards (FUND → the card's account for the campaign), in tranches whose
 * book ids derive from (application, tranche number), so a replayed call credits nothing twice;
 * and returns unspent credit to the FUND after the spending window (`sweepExpired`).
 *
 * A top-up is set-based: whatever the number of applications, a constant number of queries (the
 * live cards of all of them, what each already received, the card accounts opened in one go, the
 * credits in one `transferMany`), so that a campaign of 10,000 beneficiaries fits a request.
 */
export class TopUpService {
  constructor(
    private readonly audit: AuditService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Tops up one APPROVED application's card (staff of its Comune). */
  async topUpApplication(
    em: EntityManager,
    caller: Caller,
    applicationId: string,
    tranche: Tranche = { number: 1 },
  ): Promise<TopUpResult> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const t = checkTranche(tranche);
    if (!isUuid(applicationId)) throw appNotFound();
    const app = await em.findOne(Application, { id: applicationId });
    if (!app || !isComuneStaff(caller, app.comuneId)) throw appNotFound();
    // Checked again under the campaign's lock (`run`): a ranking may change it meanwhile.
    if (app.status !== 'APPROVED' || !app.amountCents) throw notApproved();
    return this.run(em, caller, app.campaignId, app.id, t);
  }

  /** Tops up every APPROVED application of the campaign, all or nothing (staff of its Comune). */
  async topUpCampaign(
    em: EntityManager,
    caller: Caller,
    campaignId: string,
    tranche: Tranche = { number: 1 },
  ): Promise<TopUpResult> {
    if (caller.kind !== 'person' && !isTopUpScheduler(caller)) throw DomainError.unauthenticated();
    const t = checkTranche(tranche);
    if (!isUuid(campaignId)) throw notFound();
    const campaign = await em.findOne(Campaign, { id: campaignId });
    if (!campaign || !(isTopUpScheduler(caller) || isComuneStaff(caller, campaign.comuneId)))
      throw notFound();
    return this.run(em, caller, campaignId, null, t);
  }

  /**
   * Credits the tranche to each APPROVED application's live card (`only`: that application
   * alone), all or nothing, under the campaign's row lock: concurrent top-ups, decisions and
   * rankings of a campaign queue, so the applications are read (and must still be APPROVED) only
   * once the lock is held. Queries: the lock, the FUND's sync, the applications, their live cards
   * (locked), their tranches so far, the card accounts, the credits, the tranche rows.
   *
   * Each tranche's share rounds cumulatively: floor(entitlement × (the percents of the tranches so
   * far + this one, at most 100) / 100) − what was already credited, never beyond the entitlement;
   * so 50% + 50% credits the whole entitlement, to the cent.
   */
  private async run(
    em: EntityManager,
    caller: Caller,
    campaignId: string,
    only: string | null,
    t: Required<Tranche>,
  ): Promise<TopUpResult> {
    return em.transactional(async (tx) => {
      const campaign = await this.lockOpenCampaign(tx, campaignId);
      const apps = await approvedApplications(tx, campaignId, only);
      if (only !== null && apps.length === 0) throw notApproved();
      const fund = await syncCampaignFund(tx, campaign);
      const cards = await liveCards(tx, apps);
      const received = await receivedTranches(tx, apps, t.number);
      const accounts = await cardAccounts(tx, [...cards.values()], campaignId);
      const plan = planTopUp(apps, t, { fund, cards, received, accounts });
      // One statement for all the credits; the FUND's InsufficientFunds refuses them all.
      await book.transferMany(tx, plan.credits);
      await recordTranches(tx, campaignId, t, plan.tranches);
      const creditedCents = plan.lines.reduce((s, l) => s + l.creditedCents, 0);
      await this.audit.record(
        tx,
        actorOf(caller),
        campaign.comuneId,
        'TOP_UP',
        `campaign:${campaign.id}`,
      );
      return { lines: plan.lines, creditedCents, withoutCard: plan.withoutCard };
    });
  }

  /**
   * The campaign, its row locked until the transaction ends: CONFLICT for a DRAFT one, or once its
   * spending window is over.
   */
  private async lockOpenCampaign(tx: EntityManager, campaignId: string): Promise<Campaign> {
    const campaign = await tx.findOneOrFail(
      Campaign,
      { id: campaignId },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    if (campaign.status === 'DRAFT') {
      throw new MoneyRefusal('CAMPAIGN_NOT_PUBLISHED', {
        it: 'La campagna non è pubblicata.',
        en: 'The campaign is not published.',
      });
    }
    if (romeDay(this.now()) > campaign.spendingUntil) {
      throw new MoneyRefusal('OUTSIDE_WINDOW', {
        it: 'Il periodo di spesa della campagna è finito: niente ricariche.',
        en: "The campaign's spending window is over: no top-ups.",
      });
    }
    return campaign;
  }

  /**
   * After the spending window, returns every card's unspent credit of the campaign to its FUND
   * (staff of its Comune). Idempotent: a second sweep finds nothing left, unless credit came back
   * to a card since (a checkout's hold released, a service refund): that is swept then.
   */
  async sweepExpired(em: EntityManager, caller: Caller, campaignId: string): Promise<SweepResult> {
    if (caller.kind !== 'person' && !isTopUpScheduler(caller)) throw DomainError.unauthenticated();
    if (!isUuid(campaignId)) throw notFound();
    const campaign = await em.findOne(Campaign, { id: campaignId });
    if (!campaign || !(isTopUpScheduler(caller) || isComuneStaff(caller, campaign.comuneId)))
      throw notFound();
    if (romeDay(this.now()) <= campaign.spendingUntil) {
      throw new MoneyRefusal('WINDOW_OPEN', {
        it: 'Il periodo di spesa non è ancora finito.',
        en: 'The spending window is not over yet.',
      });
    }
    return em.transactional(async (tx) => {
      await tx.findOneOrFail(
        Campaign,
        { id: campaignId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const fund = await fundAccount(tx, campaignId);
      // The campaign's card accounts (by their owner's scope), in id order, those with credit.
      const rows = (
        await book.accounts(tx, {
          owner: { kind: 'card', scopeIds: [campaignId], accountKind: 'HOLDER' },
        })
      ).filter((a) => a.available > 0);
      let returnedCents = 0;
      for (const row of rows) {
        const amount = row.available;
        // The id names the account's state: credit that comes back after a sweep (a checkout's
        // hold released or expired, a service refund) is swept again under a new id.
        await book.transfer(tx, {
          id: deterministicId('sweep', row.id, String(row.creditsPosted), String(row.debitsPosted)),
          debit: row.id,
          credit: fund.id,
          amount,
          code: TransferCode.SWEEP,
          reference: `campaign:${campaignId}`,
        });
        returnedCents += amount;
      }
      await this.audit.record(
        tx,
        actorOf(caller),
        campaign.comuneId,
        'SWEEP',
        `campaign:${campaignId}`,
      );
      return { accounts: rows.length, returnedCents };
    });
  }
}

/** What a top-up reads before it credits: the FUND, the live cards, the tranches so far, the accounts. */
interface TopUpState {
  fund: Account;
  /** Live card ids by `cardKey`. */
  cards: Map<string, string>;
  received: Map<string, Received>;
  /** The cards' accounts for the campaign, by card id. */
  accounts: Map<string, Account>;
}

/**
 * What the tranche does for each application: its line, its credit (none for a replay, nothing
 * due or no live card) and its tranche row (none for a replay).
 */
function planTopUp(
  apps: readonly TopUpApplicant[],
  t: Required<Tranche>,
  state: TopUpState,
): { lines: TopUpLine[]; credits: TransferInput[]; tranches: TrancheRow[]; withoutCard: number } {
  const lines: TopUpLine[] = [];
  const credits: TransferInput[] = [];
  const tranches: TrancheRow[] = [];
  let withoutCard = 0;
  for (const app of apps) {
    const entitlement = app.amountCents ?? 0;
    const cardId = state.cards.get(cardKey(app.comuneId, app.applicantFiscalCodeHash));
    const done = state.received.get(app.id) ?? { total: 0, percent: 0, tranche: false };
    if (!cardId) {
      withoutCard++;
      lines.push({
        applicationId: app.id,
        cardId: null,
        creditedCents: 0,
        totalCreditedCents: done.total,
        entitlementCents: entitlement,
      });
      continue;
    }
    // This tranche already applied: nothing; otherwise its cumulative share.
    const amount = done.tranche ? 0 : trancheShare(entitlement, done, t.percent);
    const transferId = amount > 0 ? deterministicId('topup', app.id, t.number) : null;
    if (transferId) {
      credits.push({
        id: transferId,
        debit: state.fund.id,
        credit: state.accounts.get(cardId)!.id,
        amount,
        code: TransferCode.TOPUP,
        reference: `application:${app.id}`,
      });
    }
    if (!done.tranche) tranches.push({ applicationId: app.id, cents: amount, transferId });
    lines.push({
      applicationId: app.id,
      cardId,
      creditedCents: amount,
      totalCreditedCents: done.total + amount,
      entitlementCents: entitlement,
    });
  }
  return { lines, credits, tranches, withoutCard };
}

/** The cumulative share of a tranche of `percent` after `done`: 0..what is still due. */
export function trancheShare(entitlement: number, done: Received, percent: number): number {
  const cumulative = Math.min(100, done.percent + percent);
  const target = Math.floor((entitlement * cumulative) / 100);
  return Math.max(0, Math.min(entitlement - done.total, target - done.total));
}

function notApproved() {
  return new MoneyRefusal('NOT_APPROVED', {
    it: 'Solo una domanda accolta con un importo può essere ricaricata.',
    en: 'Only an approved application with an amount can be topped up.',
  });
}

function appNotFound() {
  return DomainError.notFound({ it: 'Domanda non trovata.', en: 'Application not found.' });
}

function checkTranche(t: Tranche): Required<Tranche> {
  const errors = new FieldErrors();
  if (!Number.isInteger(t.number) || t.number < 1 || t.number > 20)
    errors.add('tranche.number', 'Un numero intero da 1 a 20.', 'A whole number from 1 to 20.');
  const percent = t.percent ?? 100;
  if (!Number.isInteger(percent) || percent < 1 || percent > 100)
    errors.add('tranche.percent', 'Un numero intero da 1 a 100.', 'A whole number from 1 to 100.');
  errors.throwIfAny();
  return { number: t.number, percent };
}
