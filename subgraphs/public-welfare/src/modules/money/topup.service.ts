import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { Application } from '../application/application.entity.js';
import type { AuditService } from '../audit/audit.service.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { Card } from '../card/card.entity.js';
import { actorOf, isComuneStaff, isUuid } from '../shared/access.js';
import {
  TransferCode,
  book,
  cardAccount,
  deterministicId,
  fundAccount,
  italianDate,
  MoneyRefusal,
  syncCampaignFund,
} from './ledger.js';

/** One tranche of a top-up: its number (1..20) and the share of the entitlement it credits. */
export interface TrancheInput {
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
    tranche: TrancheInput = { number: 1 },
  ): Promise<TopUpResult> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const t = checkTranche(tranche);
    if (!isUuid(applicationId)) throw appNotFound();
    const app = await em.findOne(Application, { id: applicationId });
    if (!app || !isComuneStaff(caller, app.comuneId)) throw appNotFound();
    if (app.status !== 'APPROVED' || !app.amountCents) {
      throw new MoneyRefusal('NOT_APPROVED', {
        it: 'Solo una domanda accolta con un importo può essere ricaricata.',
        en: 'Only an approved application with an amount can be topped up.',
      });
    }
    return this.run(em, caller, app.campaignId, [app], t);
  }

  /** Tops up every APPROVED application of the campaign, all or nothing (staff of its Comune). */
  async topUpCampaign(
    em: EntityManager,
    caller: Caller,
    campaignId: string,
    tranche: TrancheInput = { number: 1 },
  ): Promise<TopUpResult> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const t = checkTranche(tranche);
    if (!isUuid(campaignId)) throw notFound();
    const campaign = await em.findOne(Campaign, { id: campaignId });
    if (!campaign || !isComuneStaff(caller, campaign.comuneId)) throw notFound();
    const apps = await em.find(
      Application,
      { campaignId, status: 'APPROVED', amountCents: { $gt: 0 } },
      { orderBy: { id: 'asc' } },
    );
    return this.run(em, caller, campaignId, apps, t);
  }

  private async run(
    em: EntityManager,
    caller: Caller,
    campaignId: string,
    apps: Application[],
    t: Required<TrancheInput>,
  ): Promise<TopUpResult> {
    return em.transactional(async (tx) => {
      const campaign = await tx.findOneOrFail(
        Campaign,
        { id: campaignId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (campaign.status === 'DRAFT') {
        throw new MoneyRefusal('CAMPAIGN_NOT_PUBLISHED', {
          it: 'La campagna non è pubblicata.',
          en: 'The campaign is not published.',
        });
      }
      if (italianDate(this.now()) > campaign.spendingUntil) {
        throw new MoneyRefusal('OUTSIDE_WINDOW', {
          it: 'Il periodo di spesa della campagna è finito: niente ricariche.',
          en: "The campaign's spending window is over: no top-ups.",
        });
      }
      const fund = await syncCampaignFund(tx, campaign);
      const lines: TopUpLine[] = [];
      let withoutCard = 0;
      for (const app of apps) {
        const card = await tx.findOne(Card, {
          comuneId: app.comuneId,
          holderFiscalCodeHash: app.applicantFiscalCodeHash,
          status: { $ne: 'REPLACED' },
        });
        const entitlement = app.amountCents ?? 0;
        if (!card) {
          withoutCard++;
          lines.push({
            applicationId: app.id,
            cardId: null,
            creditedCents: 0,
            totalCreditedCents: 0,
            entitlementCents: entitlement,
          });
          continue;
        }
        const account = await cardAccount(tx, card.id, campaignId);
        const [done] = await tx.execute<{ total: string; same: string }[]>(
          `select coalesce(sum(amount), 0)::text as total,
                  count(*) filter (where id = ?)::text as same
             from "public_welfare"."book_transfer"
            where code = 'TOPUP' and reference = ?`,
          [deterministicId('topup', app.id, t.number), `application:${app.id}`],
        );
        const total = Number(done?.total ?? 0);
        const due = entitlement - total;
        const amount =
          Number(done?.same ?? 0) > 0
            ? 0
            : Math.min(due, Math.floor((entitlement * t.percent) / 100));
        if (amount > 0) {
          await book.transfer(tx, {
            id: deterministicId('topup', app.id, t.number),
            debit: fund.id,
            credit: account.id,
            amount,
            code: TransferCode.TOPUP,
            reference: `application:${app.id}`,
          });
        }
        lines.push({
          applicationId: app.id,
          cardId: card.id,
          creditedCents: amount,
          totalCreditedCents: total + amount,
          entitlementCents: entitlement,
        });
      }
      const creditedCents = lines.reduce((s, l) => s + l.creditedCents, 0);
      await this.audit.record(
        tx,
        actorOf(caller),
        campaign.comuneId,
        'TOP_UP',
        `campaign:${campaign.id}`,
      );
      return { lines, creditedCents, withoutCard };
    });
  }

  /**
   * After the spending window, returns every card's unspent credit of the campaign to its FUND
   * (staff of its Comune). Idempotent: a second sweep finds nothing left.
   */
  async sweepExpired(em: EntityManager, caller: Caller, campaignId: string): Promise<SweepResult> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(campaignId)) throw notFound();
    const campaign = await em.findOne(Campaign, { id: campaignId });
    if (!campaign || !isComuneStaff(caller, campaign.comuneId)) throw notFound();
    if (italianDate(this.now()) <= campaign.spendingUntil) {
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
      const rows = await tx.execute<{ id: string; available: string; credits: string }[]>(
        `select id, (credits_posted - debits_posted - debits_pending)::text as available,
                credits_posted::text as credits
           from "public_welfare"."book_account"
          where kind = 'HOLDER' and code like ? and credits_posted - debits_posted - debits_pending > 0
          order by id`,
        [`card:%:campaign:${campaignId}`],
      );
      let returnedCents = 0;
      for (const row of rows) {
        const amount = Number(row.available);
        await book.transfer(tx, {
          id: deterministicId('sweep', row.id, row.credits),
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

function appNotFound() {
  return DomainError.notFound({ it: 'Domanda non trovata.', en: 'Application not found.' });
}

function checkTranche(t: TrancheInput): Required<TrancheInput> {
  const errors = new FieldErrors();
  if (!Number.isInteger(t.number) || t.number < 1 || t.number > 20)
    errors.add('tranche.number', 'Un numero intero da 1 a 20.', 'A whole number from 1 to 20.');
  const percent = t.percent ?? 100;
  if (!Number.isInteger(percent) || percent < 1 || percent > 100)
    errors.add('tranche.percent', 'Un numero intero da 1 a 100.', 'A whole number from 1 to 100.');
  errors.throwIfAny();
  return { number: t.number, percent };
}
